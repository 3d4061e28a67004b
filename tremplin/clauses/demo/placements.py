"""The clauses' demo, second part: the placements planned year by year until each year's hours are reached, with
their monthly records counted as tremplin/clauses/counting.py counts them."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from tremplin.clauses.demo.data import (
    BTP,
    COVERAGE_PROFILE,
    CURRENT_YEAR_HOURS,
    FILL_PROFILES,
    HIRE_PROFILES,
    HIRE_SECTOR,
    HIRES_PER_YEAR,
    INSERTION_PROFILE,
    INTELLECTUAL,
    LEAD_IN_HOURS,
    PUBLIC_WORKS_TRADES,
    RESERVED_PROFILES,
    SECTOR_HOURS,
    SERVICE_JOBS,
    SERVICES,
    TRADES,
    YEAR_HOURS,
    C,
    K,
    Profile,
)
from tremplin.clauses.demo.planned import (
    PlannedLot,
    PlannedPlacement,
    PlannedRecord,
    counted_hours,
    first_of_month,
    is_admitted,
    month_end,
    next_month,
    to_cents,
)
from tremplin.clauses.enums import (
    NO_HOURS_BASES,
    SUBCONTRACTING_MODES,
    LegalBasis,
)
from tremplin.structures.models import Organization


class Placements:
    # Placements ----------------------------------------------------------------------------------------

    def _periods(self):
        """(first day, last day of records, hours target) of the lead-in, each full year, the current year."""
        today = self.today
        yield self.lead_in, date(self.lead_in.year, 12, 31), LEAD_IN_HOURS
        for index, hours in enumerate(YEAR_HOURS):
            year = self.first_year + index
            yield date(year, 1, 1), date(year, 12, 31), hours
        if self.last_month.year == today.year:
            yield date(today.year, 1, 1), self.last_day, CURRENT_YEAR_HOURS * self.last_month.month / 12

    def _plan_placements(self) -> None:
        for first, last, hours in self._periods():
            year = first.year
            active = [
                lot
                for lot in self.lots
                if lot.obj.attributaire is not None
                and lot.obj.started_on <= last - timedelta(days=14)
                and lot.obj.ended_on >= first + timedelta(days=14)
            ]
            with_hours = [lot for lot in active if lot.obj.legal_basis not in NO_HOURS_BASES]
            self._coverage(with_hours, first, last)
            self._employer_coverage(with_hours, first, last)
            self._insertion_placements([lot for lot in active if lot.obj.legal_basis in NO_HOURS_BASES], first, last)
            if first != self.lead_in:
                self._hires(with_hours, first, last)
            for sector, share in SECTOR_HOURS.items():
                target = Decimal(hours * share)
                lots = [lot for lot in with_hours if lot.sector == sector]
                if not lots:
                    continue
                weights = [lot.weight * self._overlap(lot, first, last) for lot in lots]
                cumulative = list(accumulate(weights))
                guard = 0
                while self.counted[(year, sector)] < target and guard < 20_000:
                    guard += 1
                    index = bisect_right(cumulative, self.rng.random() * cumulative[-1])
                    lot = lots[min(index, len(lots) - 1)]
                    self._fill(lot, first, last)
        self._recent_starts()

    @staticmethod
    def _overlap(lot: PlannedLot, first: date, last: date) -> float:
        start, end = max(lot.obj.started_on, first), min(lot.obj.ended_on, last)
        return max(0, (end - start).days) / 30.4

    def _start_in(self, lot: PlannedLot, first: date, last: date) -> date:
        start = max(lot.obj.started_on, first)
        end = min(lot.obj.ended_on - timedelta(days=14), last - timedelta(days=7))
        return self._day(start, max(start, end))

    def _coverage(self, lots, first, last) -> None:
        """Every lot holder employs someone every year (as the report's employers), every operation has hours."""
        rng = self.rng
        by_holder = defaultdict(list)
        for lot in lots:
            by_holder[id(lot.obj.attributaire)].append(lot)
        covered_operations = set()
        for holder_lots in by_holder.values():
            lot = rng.choice(holder_lots)
            holder = lot.obj.attributaire
            if lot.sector == INTELLECTUAL:
                continue
            if lot.obj.legal_basis == LegalBasis.RESERVED_MARKET:
                profile = self._reserved_profile(holder)
            else:
                profile = COVERAGE_PROFILE[lot.sector]
            self._add(lot, profile, self._start_in(lot, first, last))
            covered_operations.add(id(lot.operation))
        for lot in lots:
            if id(lot.operation) not in covered_operations:
                covered_operations.add(id(lot.operation))
                self._fill(lot, first, last)

    def _employer_coverage(self, lots, first, last) -> None:
        """Companies without a lot running this year employ someone as co- or sub-contractors of a lot of
        their trade (else of their sector): each of the report's employers has hours every year."""
        rng, employed = self.rng, self.employed[first.year]
        groups = [(trade, BTP, companies) for trade, companies in self.by_trade.items()]
        groups += [(service, SERVICES, companies) for service, companies in self.by_service.items()]
        for trade, sector, companies in groups:
            missing = [company for company in companies if id(company) not in employed]
            if not missing:
                continue
            open_lots = [
                lot
                for lot in lots
                if lot.sector == sector
                and lot.obj.legal_basis != LegalBasis.RESERVED_MARKET
                and lot.obj.attributaire.kind == K.COMPANY
            ]
            if trade == "public_works":
                same = [lot for lot in open_lots if lot.trade in PUBLIC_WORKS_TRADES]
            else:
                same = [lot for lot in open_lots if lot.trade == trade]
            for company in missing:
                if same or open_lots:
                    lot = rng.choice(same or open_lots)
                    self._add(lot, COVERAGE_PROFILE[sector], self._start_in(lot, first, last), employer=company)

    def _reserved_profile(self, holder: Organization) -> Profile:
        return RESERVED_PROFILES[holder.siae_type or holder.activity]

    def _insertion_placements(self, lots, first, last) -> None:
        """Insertion markets: people in the holder's CDDI, followed qualitatively (no hours)."""
        for lot in lots:
            if lot.obj.started_on < first:
                continue
            for _ in range(self.rng.randint(3, 6)):
                self._add(lot, INSERTION_PROFILE, self._start_in(lot, first, last))

    def _hires(self, lots, first, last) -> None:
        rng = self.rng
        share = ((last - first).days + 1) / 365
        for sector, sector_share in HIRE_SECTOR.items():
            candidates = [lot for lot in lots if lot.sector == sector and lot.obj.legal_basis != "reserved_market"]
            if not candidates:
                continue
            weights = [lot.weight * self._overlap(lot, first, last) for lot in candidates]
            profiles = HIRE_PROFILES[sector]
            for _ in range(round(HIRES_PER_YEAR * sector_share * share * rng.uniform(0.95, 1.05))):
                lot = self._weighted(candidates, weights)
                profile = self._weighted(profiles, [p.weight for p in profiles])
                self._add(lot, profile, self._start_in(lot, first, last))

    def _fill(self, lot: PlannedLot, first: date, last: date) -> None:
        rng = self.rng
        if lot.obj.legal_basis == LegalBasis.RESERVED_MARKET:
            profile = self._reserved_profile(lot.obj.attributaire)
        else:
            profiles = FILL_PROFILES[lot.sector]
            convention = lot.operation.convention
            for _ in range(4):
                profile = self._weighted(profiles, [p.weight for p in profiles])
                if convention is None or is_admitted(convention, profile.mode) or rng.random() < 0.08:
                    break
        self._add(lot, profile, self._start_in(lot, first, last))

    def _recent_starts(self) -> None:
        """Placements started this month, no hours recorded yet (their evaluation is to come)."""
        first = first_of_month(self.today)
        if self.today.day < 3:
            return
        lots = [
            lot
            for lot in self.lots
            if lot.obj.attributaire is not None
            and lot.obj.legal_basis not in NO_HOURS_BASES
            and lot.obj.started_on <= self.today <= lot.obj.ended_on - timedelta(days=30)
            and lot.sector != INTELLECTUAL
        ]
        for _ in range(min(len(lots), 12)):
            lot = self.rng.choice(lots)
            profiles = FILL_PROFILES[lot.sector]
            profile = self._weighted(profiles, [p.weight for p in profiles])
            if lot.obj.legal_basis == LegalBasis.RESERVED_MARKET:
                profile = self._reserved_profile(lot.obj.attributaire)
            self._add(lot, profile, self._day(max(first, lot.obj.started_on), self.today))

    def _employer(self, lot: PlannedLot, profile: Profile) -> Organization:
        if profile.employer == "attributaire":
            return lot.obj.attributaire
        if profile.employer == "adapted":
            return self._cycle("adapted", self.adapted)
        return self._siae_employer(profile.employer)

    def _job_title(self, lot: PlannedLot, employer: Organization) -> str:
        rng = self.rng
        trade = lot.trade
        if lot.sector == INTELLECTUAL:
            return rng.choice(SERVICE_JOBS["intellectual"][1])
        spec = TRADES.get(trade) or PUBLIC_WORKS_TRADES.get(trade)
        if spec:
            return rng.choice(spec[3])
        if trade == "building":
            return "Ouvrier·ère polyvalent·e du bâtiment"
        service = trade if trade in SERVICE_JOBS else lot.operation.works
        return rng.choice(SERVICE_JOBS.get(service, SERVICE_JOBS["cleaning"])[1])

    def _add(self, lot: PlannedLot, profile: Profile, started_on: date, *, employer=None) -> PlannedPlacement:
        rng, obj = self.rng, lot.obj
        started_on = max(started_on, obj.started_on)
        months = rng.randint(*profile.months)
        end = started_on + timedelta(days=int(months * 30.4) + rng.randint(-10, 10))
        if profile.contract == C.CDI:
            end = obj.ended_on  # hired for good: the clause counts until the end of the lot
        end = max(started_on + timedelta(days=20), min(end, obj.ended_on))
        end = min(end, obj.ended_on)
        employer = employer or self._employer(lot, profile)
        placement = PlannedPlacement(lot, profile, employer, started_on, end, self._job_title(lot, employer))
        placement.index = len(self.placements)
        self.placements.append(placement)
        if obj.legal_basis not in NO_HOURS_BASES:
            self._records(placement)
        return placement

    def _records(self, placement: PlannedPlacement) -> None:
        """Monthly hours up to the last full month, counted as counting.py counts them."""
        rng, profile = self.rng, placement.profile
        operation = placement.lot.operation
        convention = operation.convention
        level = profile.hours[1] if profile.hours[0] == profile.hours[1] else rng.uniform(*profile.hours)
        if rng.random() < 0.35 and profile.hours[1] >= 151.67:
            level = 151.67  # full time
        by_amount = (
            profile.mode in SUBCONTRACTING_MODES
            and convention is not None
            and convention.subcontracting_hourly_rate
            and rng.random() < 0.3
        )
        month = first_of_month(placement.started_on)
        last = min(placement.end, self.last_day)
        while month <= last:
            first_day = max(month, placement.started_on)
            last_day = min(month_end(month), placement.end)
            fraction = ((last_day - first_day).days + 1) / ((month_end(month) - month).days + 1)
            hours = level * fraction * rng.uniform(0.88, 1.06)
            if rng.random() < 0.03:
                hours *= 0.5  # sick leave, holidays
            hours = min(to_cents(hours), Decimal("220"))
            if hours >= 1:
                record = PlannedRecord(month, hours)
                if profile.training:
                    record.training = to_cents(profile.training * fraction * rng.uniform(0.9, 1.1))
                if by_amount:
                    record.amount = to_cents(float(hours) * float(convention.subcontracting_hourly_rate))
                    record.amount = to_cents(float(record.amount) * rng.uniform(0.98, 1.02))
                    record.hours = Decimal("0.00")
                if operation.agreement is None and self.strays < 6 and rng.random() < 0.002:
                    # Worked on another operation of the buyer, without an agreement: not counted.
                    others = [
                        o
                        for o in self.operations
                        if o.buyer is operation.buyer
                        and o is not operation
                        and o.agreement is None
                        and o.obj.started_on <= month <= o.obj.ended_on
                    ]
                    if others:
                        record.worked_on = rng.choice(others)
                        self.strays += 1
                elif operation.agreement is not None and rng.random() < 0.15:
                    elsewhere = [
                        o
                        for o in operation.agreement.operations
                        if o is not operation and o.obj.started_on <= month_end(month) and o.obj.ended_on >= month
                    ]
                    if elsewhere and operation.agreement.obj.is_in_force(month):
                        record.worked_on = rng.choice(elsewhere)
                record.counted = counted_hours(record, placement)
                if record.counted:
                    self.employed[month.year].add(id(placement.employer))
                placement.records.append(record)
                self.counted[(month.year, placement.sector)] += record.counted
            month = next_month(month)
