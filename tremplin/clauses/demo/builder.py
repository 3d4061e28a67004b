"""The clauses d'insertion of the demo: buyers, operations, lots, companies, the candidates' pool,
placements and monthly hours, at the scale of the 2023 activity report (seed 000).

Every full year of the period counts about 136 operations with hours from 33 buyers; 179 employers
(building 117, public works 11, services 23, EI/AI/ACI 11, ESAT 7, EA 1, ETTI 8, GEIQ 1); about 1,240
employees (26 % women, 20 % living in a QPV); about 89 hires; and 432,000, 452,000 then 465,000 counted
hours (2022: 432,316; 2023: 464,855), 31 % in BTP and 69 % in services, as in 2017. Hours are counted
with the rules of tremplin/clauses/counting.py while the placements are planned, so that each year
reaches its target.

Everything is planned in memory first: operations and lots with their sizing; then the placements,
year by year (each employer and each operation gets hours every year, then the hires, then placements
until the year's hours are reached); then the people, in the order the placements start: people of the
registry followed by the clauses service when their follow-up fits, else new people registered on the
day they are referred. Rows are then written with bulk inserts and a creation history row, except the
monthly hours records (plain bulk_create: tens of thousands of rows).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from tremplin.clauses.demo.operations import Operations
from tremplin.clauses.demo.people import People
from tremplin.clauses.demo.placements import Placements
from tremplin.clauses.demo.planned import (
    PlannedAgreement,
    PlannedLot,
    PlannedOperation,
    PlannedPlacement,
    PlannedWorker,
    first_of_month,
    month_end,
)
from tremplin.demo.data import SEED
from tremplin.structures.models import Organization
from tremplin.territory.models import RomeCode


class ClausesDemo(Operations, Placements, People):
    def __init__(self, builder):
        self.b = builder
        self.rng = random.Random(SEED + 4)
        self.today = builder.today
        self.first_year = builder.start.year
        self.lead_in = date(self.first_year - 1, 7, 1)
        # Hours are recorded up to the last full month.
        self.last_month = first_of_month(first_of_month(self.today) - timedelta(days=1))
        self.last_day = month_end(self.last_month)
        self.operations: list[PlannedOperation] = []
        self.lots: list[PlannedLot] = []
        self.placements: list[PlannedPlacement] = []
        self.workers: list[PlannedWorker] = []
        self.agreements: list[PlannedAgreement] = []
        self.counted = defaultdict(Decimal)  # (year, sector) -> counted hours
        self.employers_by_kind: dict[str, list[Organization]] = defaultdict(list)
        self.cycles: dict[str, list] = {}
        self.references = Counter()
        self.employed = defaultdict(set)  # year -> id() of the employers with counted hours
        self.strays = 0
        self.names = set()

    # Helpers ------------------------------------------------------------------------------------------

    def _moment(self, day: date) -> datetime:
        day = min(day, self.today)
        return timezone.make_aware(datetime.combine(day, time(self.rng.randint(8, 17), self.rng.randint(0, 59))))

    def _stamp(self, record, user, day: date):
        record._history_user = user
        record._history_date = self._moment(day)
        return record

    def _day(self, first: date, last: date) -> date:
        """A weekday between first and last (first when the span is empty)."""
        if last <= first:
            return first
        day = first + timedelta(days=self.rng.randint(0, (last - first).days))
        while day.weekday() >= 5 and day < last:
            day += timedelta(days=1)
        return day

    def _cycle(self, key: str, items: list):
        """The next item of a shuffled round: every item comes once before any comes twice."""
        queue = self.cycles.get(key)
        if not queue:
            queue = list(items)
            self.rng.shuffle(queue)
            self.cycles[key] = queue
        return queue.pop()

    def _weighted(self, items: list, weights: list):
        return self.rng.choices(items, weights=weights)[0]

    # Build ----------------------------------------------------------------------------------------------

    def build(self, drafts) -> None:
        b = self.b
        self.facilitator, self.assistant = b.facilitator, b.users["assistance"]
        self.company_user = b.users["entreprise"]
        self.creativ = b.organizations["creativ"]
        self.romes = {r.code: r for r in RomeCode.objects.all()}
        self._organizations()
        self._operations()
        self._agreements()
        self._plan_placements()
        self._people(drafts)
        self._write()
