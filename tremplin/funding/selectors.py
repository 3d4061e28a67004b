"""Reads of the funding module that feed its screens, exports and figures. Totals are always the sum
of the lines shown (the 2023 report printed a funders total wrong by 454 €), in Decimal to the cent.

- Funders table (« nos financeurs ») of a year: the association's own projects (no operator), granted
  amounts by funder category.
- Programmation table of a year: the PLIE projects, the association's and the operators', with their
  granted amount and its FSE+ part.
- Analytic split: each staff member's loaded cost split over projects by their share of full-time
  equivalent, to the cent (largest remainder), the rest « non affecté » ; then by dispositif.
- FSE+ operation: eligible expenses and FSE+ share per line (rate × expense, rounded per line), the
  participants: people followed by the operation's structure in its dispositif for more than one
  day within the operation (a person present one day or less is not a participant).
- Conventions' results against targets, from the PLIE figures of the operator's structure, through
  the reports registry (`evaluate_for_organization`), never by importing the PLIE.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from tremplin.funding import perms
from tremplin.funding.enums import Dispositif, FunderCategory
from tremplin.funding.models import FseOperation, FundingLine, Obligation, StaffYear
from tremplin.people.models import FollowUp, Person
from tremplin.reports.registry import Period, registry

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
UNALLOCATED = "Non affecté"


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split_amount(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights`, to the cent, the parts adding up exactly to `total`
    (largest remainder: the cents lost by rounding down go to the largest remainders, first come first)."""
    total = cents(total)
    weight_sum = sum(weights, start=Decimal("0"))
    if not weights or weight_sum <= 0:
        return [ZERO for _ in weights]
    total_cents = int(total * 100)
    exact = [Decimal(total_cents) * w / weight_sum for w in weights]
    floors = [int(x) for x in exact]  # parts are non-negative: int() rounds down
    missing = total_cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [Decimal(n) / 100 for n in floors]


# Funding lines ------------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    requested: Decimal = ZERO
    granted: Decimal = ZERO
    received: Decimal = ZERO
    fse: Decimal = ZERO
    lines: int = 0
    detail: str = ""

    def add(self, line: FundingLine):
        self.requested += line.amount_requested
        self.granted += line.amount_granted or ZERO
        self.received += line.amount_received
        if line.funder.category == FunderCategory.FSE:
            self.fse += line.amount_granted or ZERO
        self.lines += 1


@dataclass
class Table:
    rows: list[Row]
    total: Row = field(default_factory=lambda: Row("Total"))

    def __post_init__(self):
        # Computed from the rows, never typed.
        for row in self.rows:
            self.total.requested += row.requested
            self.total.granted += row.granted
            self.total.received += row.received
            self.total.fse += row.fse
            self.total.lines += row.lines


def lines_of_year(year: int):
    return FundingLine.objects.of_year(year).select_related("funder__organization", "project__operator")


def funders_table(year: int) -> Table:
    """The association's funders of the year (its own projects), one row per category of the table."""
    rows = {value: Row(label) for value, label in FunderCategory.choices}
    for line in lines_of_year(year).own():
        rows[line.funder.category].add(line)
    return Table([row for row in rows.values() if row.lines])


def funders_detail(year: int) -> Table:
    rows: dict[int, Row] = {}
    for line in lines_of_year(year).own():
        rows.setdefault(line.funder_id, Row(str(line.funder), detail=line.funder.get_category_display())).add(line)
    return Table(sorted(rows.values(), key=lambda r: r.label))


def dispositif_table(year: int) -> Table:
    rows = {value: Row(label) for value, label in Dispositif.choices}
    for line in lines_of_year(year):
        rows[line.project.dispositif].add(line)
    return Table([row for row in rows.values() if row.lines])


def programmation_table(year: int) -> Table:
    """The PLIE programmation: one row per PLIE project with lines in the year."""
    rows: dict[int, Row] = {}
    for line in lines_of_year(year).programmation().order_by("project__code"):
        project = line.project
        operator = project.operator.name if project.operator_id else "Structure d'animation"
        rows.setdefault(project.pk, Row(f"{project.code} – {project.title}", detail=operator)).add(line)
    return Table(list(rows.values()))


def programmation_by_operator(year: int, *, user=None) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    lines = lines_of_year(year).programmation().filter(perms.operator_q(user, "project__operator_id"))
    for line in lines:
        label = line.project.operator.name if line.project.operator_id else "Structure d'animation"
        rows.setdefault(label, Row(label)).add(line)
    return dict(sorted(rows.items()))


def years_with_lines() -> list[int]:
    return list(FundingLine.objects.order_by("-year").values_list("year", flat=True).distinct())


# Analytic split -----------------------------------------------------------------------------------------


@dataclass
class SplitRow:
    label: str
    dispositif: str = ""
    fte: Decimal = Decimal("0.00")
    cost: Decimal = ZERO


@dataclass
class AnalyticSplit:
    year: int
    by_project: list[SplitRow]
    by_dispositif: list[SplitRow]
    total_cost: Decimal
    total_fte: Decimal


def analytic_split(year: int) -> AnalyticSplit:
    by_project: dict[str, SplitRow] = {}
    dispositif_label = dict(Dispositif.choices)
    total_cost = ZERO
    staff_years = StaffYear.objects.filter(year=year).prefetch_related("allocations__project").select_related("user")
    for staff_year in staff_years:
        allocations = list(staff_year.allocations.all())
        weights = [a.percent for a in allocations]
        rest = Decimal("100") - sum(weights, start=Decimal("0"))
        parts = split_amount(staff_year.annual_cost, weights + ([rest] if rest > 0 else []))
        total_cost += cents(staff_year.annual_cost)
        for allocation, part in zip(allocations, parts, strict=False):
            project = allocation.project
            row = by_project.setdefault(
                project.code,
                SplitRow(f"{project.code} – {project.title}", dispositif=dispositif_label[project.dispositif]),
            )
            row.fte += allocation.percent / 100
            row.cost += part
        if rest > 0:
            row = by_project.setdefault(UNALLOCATED, SplitRow(UNALLOCATED, dispositif=UNALLOCATED))
            row.fte += rest / 100
            row.cost += parts[-1]
    per_dispositif: dict[str, SplitRow] = {}
    for row in by_project.values():
        target = per_dispositif.setdefault(row.dispositif, SplitRow(row.dispositif, dispositif=row.dispositif))
        target.fte += row.fte
        target.cost += row.cost
    projects = [by_project[key] for key in sorted(by_project, key=lambda k: (k == UNALLOCATED, k))]
    dispositifs = sorted(per_dispositif.values(), key=lambda r: (r.label == UNALLOCATED, r.label))
    return AnalyticSplit(
        year=year,
        by_project=projects,
        by_dispositif=dispositifs,
        total_cost=total_cost,
        total_fte=sum((r.fte for r in projects), start=Decimal("0")),
    )


# FSE+ ---------------------------------------------------------------------------------------------------


def fse_share(eligible_amount: Decimal, rate: Decimal) -> Decimal:
    return cents(eligible_amount * rate / 100)


def presence_days(start: date, end: date | None, period_start: date, period_end: date) -> int:
    """Days (both ends included) a follow-up from `start` to `end` (None: ongoing) lies in the period."""
    first = max(start, period_start)
    last = min(end or period_end, period_end)
    return max(0, (last - first).days + 1)


def is_fse_participant(days: int) -> bool:
    """FSE+: a participant is supported more than one day; one day or less is not a participant."""
    return days > 1


@dataclass
class FseSummary:
    operation: FseOperation
    lines: list[tuple]
    eligible_total: Decimal
    fse_total: Decimal
    participants: int
    not_participants: int
    people: list[tuple]  # (person or None when outside the user's scope, days, participant)


def fse_summary(operation: FseOperation, *, user=None) -> FseSummary:
    lines = [(line, fse_share(line.eligible_amount, line.fse_rate)) for line in operation.lines.all()]
    days_of = _days_per_person(operation)
    visible = set()
    if user is not None:
        visible = set(Person.objects.visible_to(user).filter(pk__in=days_of).values_list("pk", flat=True))
    people_by_id = Person.objects.in_bulk(visible)
    people = sorted(
        ((people_by_id.get(pk), days, is_fse_participant(days)) for pk, days in days_of.items()),
        key=lambda row: (row[0] is None, row[0].last_name if row[0] else "", -row[1]),
    )
    participants = sum(1 for days in days_of.values() if is_fse_participant(days))
    return FseSummary(
        operation=operation,
        lines=lines,
        eligible_total=sum((line.eligible_amount for line, _ in lines), start=ZERO),
        fse_total=sum((share for _, share in lines), start=ZERO),
        participants=participants,
        not_participants=len(days_of) - participants,
        people=people,
    )


def _days_per_person(operation: FseOperation) -> dict[int, int]:
    """Days each person was followed during the operation; overlapping follow-ups count once."""
    follow_ups = FollowUp.objects.filter(
        organization=operation.organization,
        programme=operation.programme,
        started_on__lte=operation.ends_on,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=operation.starts_on))
    spans = defaultdict(list)
    for person_id, start, end in follow_ups.values_list("person_id", "started_on", "ended_on"):
        first, last = max(start, operation.starts_on), min(end or operation.ends_on, operation.ends_on)
        spans[person_id].append((first, last))
    days = {}
    for person_id, intervals in spans.items():
        total, current_end = 0, None
        for first, last in sorted(intervals):
            if current_end is not None and first <= current_end:
                if last > current_end:
                    total += (last - current_end).days
                    current_end = last
                continue
            total += (last - first).days + 1
            current_end = last
        days[person_id] = total
    return days


# Conventions ----------------------------------------------------------------------------------------------


@dataclass
class ConventionResults:
    people_accompanied: int | None
    positive_exit_rate: float | None
    exits: int | None
    people_met: bool
    rate_met: bool

    @property
    def targets_met(self) -> bool:
        return self.people_met and self.rate_met


def convention_results(convention, *, until: date | None = None) -> ConventionResults:
    """The operator's PLIE figures over the convention's period (up to `until`), against its targets."""
    end = convention.current_ends_on
    if until is not None:
        end = max(convention.starts_on, min(end, until))
    period = Period(convention.starts_on, end)
    people = registry.evaluate_for_organization(
        "plie.people_accompanied", period=period, organization=convention.operator
    ).figure.value
    rate_result = registry.evaluate_for_organization(
        "plie.positive_exit_rate", period=period, organization=convention.operator
    ).figure
    rate = rate_result.value
    return ConventionResults(
        people_accompanied=people,
        positive_exit_rate=rate,
        exits=rate_result.denominator,
        people_met=people is not None and people >= convention.people_target,
        rate_met=rate is not None and Decimal(str(rate)) * 100 >= convention.positive_exit_target,
    )


# Obligations and home panels ------------------------------------------------------------------------------


def obligations_for(user, *, today: date, soon_days: int = 15):
    obligations = Obligation.objects.filter(convention__in=perms.conventions_visible_to(user)).select_related(
        "convention__operator"
    )
    return {
        "late": list(obligations.late(today=today)),
        "soon": list(obligations.due_soon(today=today, days=soon_days)),
    }


def home_panel(user, today):
    if not (perms.manages_funding(user) or perms.is_operator(user)):
        return None
    obligations = obligations_for(user, today=today)
    if perms.is_operator(user) and not (obligations["late"] or obligations["soon"]):
        return None
    return {**obligations, "today": today, "manager": perms.manages_funding(user)}
