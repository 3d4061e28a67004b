"""Reads that feed the clauses screens: each takes the user and starts from a door of tremplin/clauses/perms.py.

Realised vs planned (issue 4):
- planned: the lot's planned hours (0 for insertion markets, followed qualitatively);
- realised: the hours counted by tremplin.clauses.counting (the operation's convention, globalisation),
  on the lot of each placement;
- progress: realised ÷ planned (none when nothing is planned);
- forecast at the current pace: realised ÷ elapsed days × total days of the lot, days counted inclusively
  from the lot's start to today (or to its end, once ended); none before the lot starts;
- a lot falls behind when it is running (started, not ended), carries planned hours and its forecast is
  below them.
Operations, buyers and companies (the lots' attributaires) add up the figures of their lots.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.clauses import perms
from tremplin.clauses.counting import (
    cdi_equivalence_hours,
    convention_of,
    explain_operation_hours,
)
from tremplin.clauses.enums import NO_HOURS_BASES, CandidateStatus, EvaluationStatus
from tremplin.clauses.models import HoursRecord, Lot, Placement
from tremplin.people.models import Person

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _q(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Progress:
    planned: Decimal = ZERO
    realised: Decimal = ZERO
    forecast: Decimal | None = None

    @property
    def progress(self) -> Decimal | None:
        """Realised ÷ planned, as a ratio (0.5 = 50 %); None when nothing is planned."""
        if not self.planned:
            return None
        return (self.realised / self.planned).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    @property
    def gap(self) -> Decimal | None:
        """Forecast minus planned: negative when the pace will not reach the planned hours."""
        if self.forecast is None:
            return None
        return self.forecast - self.planned


@dataclass
class LotProgress(Progress):
    lot: Lot | None = None
    total_days: int = 0
    elapsed_days: int = 0
    today: date | None = None

    @property
    def carries_hours(self) -> bool:
        return self.lot.legal_basis not in NO_HOURS_BASES

    @property
    def running(self) -> bool:
        return self.lot.started_on <= self.today <= self.lot.ended_on

    @property
    def behind(self) -> bool:
        return (
            self.running
            and self.carries_hours
            and self.planned > 0
            and self.forecast is not None
            and self.forecast < self.planned
        )


@dataclass
class GroupProgress(Progress):
    """Figures of several lots (an operation, a buyer, a company)."""

    key: object = None
    label: str = ""
    lots: list[LotProgress] = field(default_factory=list)

    @property
    def lots_behind(self) -> int:
        return sum(1 for row in self.lots if row.behind)

    @property
    def forecast_covers_every_lot(self) -> bool:
        return all(row.forecast is not None for row in self.lots if row.carries_hours)


def lot_days(lot, today: date) -> tuple[int, int]:
    """(total, elapsed) days of the lot, both counted inclusively."""
    total = (lot.ended_on - lot.started_on).days + 1
    if today < lot.started_on:
        return total, 0
    return total, (min(today, lot.ended_on) - lot.started_on).days + 1


def forecast(realised: Decimal, *, total_days: int, elapsed_days: int) -> Decimal | None:
    """Realised ÷ elapsed days × total days, to the cent; None before the lot starts."""
    if elapsed_days <= 0:
        return None
    return _q(Decimal(realised) * total_days / elapsed_days)


def realised_by_lot(lots) -> dict[int, Decimal]:
    """Counted hours of each lot (the counting rules in SQL, plus the CDI equivalences of conventions)."""
    lot_ids = [lot.pk for lot in lots]
    totals = defaultdict(lambda: ZERO)
    records = HoursRecord.objects.filter(placement__lot_id__in=lot_ids)  # counted_hours: kept by counting.py
    for row in records.values("placement__lot_id").annotate(total=Sum("counted_hours")).order_by():
        totals[row["placement__lot_id"]] += row["total"] or ZERO
    with_equivalence = [lot for lot in lots if convention_of(lot.market.operation).cdi_equivalence_hours]
    for lot in with_equivalence:
        totals[lot.pk] += cdi_equivalence_hours(Placement.objects.filter(lot=lot))
    return {lot_id: _q(total) for lot_id, total in totals.items()}


def lot_progress_rows(lots, *, today: date) -> list[LotProgress]:
    lots = list(lots)
    realised = realised_by_lot(lots)
    rows = []
    for lot in lots:
        planned = lot.planned_hours if lot.carries_hours else ZERO
        done = realised.get(lot.pk, ZERO)
        total_days, elapsed_days = lot_days(lot, today)
        rows.append(
            LotProgress(
                planned=_q(planned),
                realised=done,
                forecast=forecast(done, total_days=total_days, elapsed_days=elapsed_days),
                lot=lot,
                total_days=total_days,
                elapsed_days=elapsed_days,
                today=today,
            )
        )
    return rows


def _group(rows: list[LotProgress], key, label) -> list[GroupProgress]:
    groups: dict[object, GroupProgress] = {}
    for row in rows:
        group_key = key(row.lot)
        group = groups.get(group_key)
        if group is None:
            group = groups[group_key] = GroupProgress(key=group_key, label=label(row.lot))
        group.lots.append(row)
    for group in groups.values():
        group.planned = _q(sum((row.planned for row in group.lots), ZERO))
        group.realised = _q(sum((row.realised for row in group.lots), ZERO))
        forecasts = [row.forecast for row in group.lots if row.forecast is not None]
        group.forecast = _q(sum(forecasts, ZERO)) if forecasts else None
    return sorted(groups.values(), key=lambda g: g.label.lower())


def _visible_lots(user):
    return perms.lots_for(user).select_related(
        "market__operation__buyer", "market__operation__convention", "attributaire"
    )


def lots_progress(*, user, today: date, lots=None) -> list[LotProgress]:
    queryset = _visible_lots(user)
    if lots is not None:
        queryset = queryset.filter(pk__in=lots if isinstance(lots, QuerySet) else [lot.pk for lot in lots])
    return lot_progress_rows(queryset.order_by("market__operation__name", "market__name", "number", "pk"), today=today)


def operation_progress(*, user, operation, today: date) -> GroupProgress:
    rows = lot_progress_rows(
        _visible_lots(user).filter(market__operation=operation).order_by("market__name", "number", "pk"), today=today
    )
    groups = _group(rows, key=lambda lot: operation.pk, label=lambda lot: operation.name)
    return groups[0] if groups else GroupProgress(key=operation.pk, label=operation.name)


def group_by_operation(rows: list[LotProgress]) -> list[GroupProgress]:
    return _group(rows, key=lambda lot: lot.market.operation_id, label=lambda lot: lot.market.operation.name)


def group_by_buyer(rows: list[LotProgress]) -> list[GroupProgress]:
    return _group(
        rows, key=lambda lot: lot.market.operation.buyer_id, label=lambda lot: lot.market.operation.buyer.name
    )


def group_by_company(rows: list[LotProgress]) -> list[GroupProgress]:
    """By attributaire company (lots not yet awarded are grouped apart)."""
    return _group(
        rows,
        key=lambda lot: lot.attributaire_id,
        label=lambda lot: lot.attributaire.name if lot.attributaire_id else "Lots non attribués",
    )


def progress_by_operation(*, user, today: date, operations=None) -> list[GroupProgress]:
    lots = None if operations is None else Lot.objects.filter(market__operation__in=operations)
    return group_by_operation(lots_progress(user=user, today=today, lots=lots))


def progress_by_buyer(*, user, today: date) -> list[GroupProgress]:
    return group_by_buyer(lots_progress(user=user, today=today))


def progress_by_company(*, user, today: date) -> list[GroupProgress]:
    return group_by_company(lots_progress(user=user, today=today))


def lots_falling_behind(*, user, today: date, facilitator=None) -> list[LotProgress]:
    """Running lots whose forecast at the current pace stays below their planned hours, worst first.

    With `facilitator`: the lots of the operations they follow, and of those nobody follows yet."""
    running = (
        _visible_lots(user)
        .filter(started_on__lte=today, ended_on__gte=today, planned_hours__gt=0)
        .exclude(legal_basis__in=NO_HOURS_BASES)
    )
    if facilitator is not None:
        running = running.filter(
            Q(market__operation__facilitator=facilitator) | Q(market__operation__facilitator__isnull=True)
        )
    rows = [row for row in lot_progress_rows(running, today=today) if row.behind]
    return sorted(rows, key=lambda row: (row.progress or 0, row.lot.ended_on))


# --- Realised hours explained, record by record --------------------------------------------------


@dataclass
class ExplainedRecord:
    month: date
    who: str
    person: Person | None
    placement: Placement
    counted: Decimal
    reason: str


def operation_hours(*, user, operation):
    """The operation's counted hours with the reason of each record; names only for those who may see them."""
    explanation = explain_operation_hours(operation)
    visible = set()
    if perms.shows_names(user):
        person_ids = {r.placement.person_id for r in explanation.records}
        visible = set(Person.objects.visible_to(user).filter(pk__in=person_ids).values_list("pk", flat=True))
    allowed_lots = None
    if not perms.sees_whole_operation(user):
        allowed_lots = set(perms.lots_for(user).filter(market__operation=operation).values_list("pk", flat=True))
    numbers: dict[int, int] = {}
    rows = []
    for record in explanation.records:
        placement = record.placement
        if allowed_lots is not None and placement.lot_id not in allowed_lots:
            continue
        number = numbers.setdefault(placement.person_id, len(numbers) + 1)
        person = placement.person if placement.person_id in visible else None
        rows.append(
            ExplainedRecord(
                month=record.month,
                who=person.full_name if person else f"Salarié·e n° {number}",
                person=person,
                placement=placement,
                counted=record.counted,
                reason=record.reason,
            )
        )
    return explanation, rows


@dataclass(frozen=True)
class MonthHours:
    """One month of an operation's hours, summed from the rows the user sees (`operation_hours`)."""

    month: date
    records: int
    counted: Decimal


def hours_by_month(rows: list[ExplainedRecord]) -> list[MonthHours]:
    """The rows of `operation_hours` summed by month, the most recent first: a big operation's page shows
    one line per month instead of a thousand records, and the totals are those of the same rows."""
    totals: dict[date, list] = {}
    for row in rows:
        total = totals.setdefault(row.month, [0, Decimal("0.00")])
        total[0] += 1
        total[1] += row.counted
    return [MonthHours(month, count, counted) for month, (count, counted) in sorted(totals.items(), reverse=True)]


# --- People: candidacies, the pool, placements ---------------------------------------------------


def candidates(*, user, status=None, query="", job=None, eligible_public=None, placed=None):
    """Candidacies in the user's scope, with the pool's filters."""
    queryset = perms.candidates_for(user)
    if status:
        queryset = queryset.filter(status=status)
    query = (query or "").strip()
    if query:
        queryset = queryset.filter(person__in=Person.objects.search(query))
    if job is not None:
        queryset = queryset.filter(jobs_sought=job)
    if eligible_public:
        queryset = queryset.filter(eligible_public=eligible_public)
    if placed is not None:
        queryset = queryset.annotate(placement_count=Count("placements"))
        queryset = queryset.filter(placement_count__gt=0) if placed else queryset.filter(placement_count=0)
    return (
        queryset.select_related("person", "person__commune", "prescriber")
        .prefetch_related("jobs_sought")
        .order_by("-referred_on", "person__last_name", "pk")
    )


def pool(*, user, **filters):
    return candidates(user=user, **{**filters, "status": CandidateStatus.VALIDATED})


def evaluations_due(*, user):
    """Placements whose tripartite evaluation is still to do, oldest first."""
    return (
        perms.placements_for(user)
        .filter(evaluation_status=EvaluationStatus.TO_DO)
        .select_related("person", "lot__market__operation", "employer")
        .order_by("started_on", "pk")
    )


def placements_of_lot(*, user, lot):
    return perms.placements_for(user).filter(lot=lot).select_related("person", "employer").order_by("-started_on")


def visible_people_ids(*, user, people) -> set[int]:
    if not perms.shows_names(user):
        return set()
    return set(Person.objects.visible_to(user).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))


def facilitators():
    """Users who may follow a candidate in the clauses service."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.FACILITATOR,
            memberships__ended_on__isnull=True,
            memberships__user__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def home_summary(*, user, today: date) -> dict:
    """What the facilitator's home page shows: lots falling behind, referrals to receive, evaluations due."""
    facilitator = user if Role.FACILITATOR in user.roles else None
    return {
        "lots_behind": lots_falling_behind(user=user, today=today, facilitator=facilitator),
        "to_receive": perms.candidates_for(user).filter(status=CandidateStatus.REFERRED).count(),
        "evaluations_due": evaluations_due(user=user).count(),
        "interviews_today": perms.candidates_for(user)
        .filter(status=CandidateStatus.REFERRED, interview_on=today)
        .select_related("person"),
    }


def operation_counts(operations):
    """Each operation's lots and placements, counted by a subquery per row: only for the rows of the page (a
    join of lots and placements grouped over every operation costs the whole table on each page)."""

    def count(queryset, operation_path):
        counted = queryset.filter(**{operation_path: OuterRef("pk")}).order_by().values(operation_path)
        return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField())

    return operations.annotate(
        lot_count=count(Lot.objects.all(), "market__operation"),
        placement_count=count(Placement.objects.all(), "lot__market__operation"),
    )
