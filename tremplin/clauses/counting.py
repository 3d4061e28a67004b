"""How many clause hours count: the one place that decides, and explains, each figure.

Rules (per operation, from its CountingConvention, or the default convention when none is set):
- a record counts on the operation of its placement's lot; hours worked on another operation
  (`worked_on`) count only while a globalisation agreement covering both is in force that month;
- the fulfilment mode must be admitted by the convention (direct hire, staff provision, sub-contracting);
- training hours of alternance contracts count when the convention says so (default: they do);
- sub-contracting recorded as an amount (no hours) is converted at the convention's €/hour rate;
- a CDI hire may be valued at a fixed number of hours (convention), counted in the month it starts;
- insertion markets (insertion as the object of the market) carry no hours.
The same rules exist twice: `explain_operation_hours` (record by record, with reasons) and
`annotate_counted_hours` (SQL, for yearly figures at national scale); tests keep them equal.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Round

from tremplin.clauses.enums import (
    ALTERNANCE_CONTRACTS,
    NO_HOURS_BASES,
    SUBCONTRACTING_MODES,
    FulfilmentMode,
    HireContract,
)
from tremplin.clauses.models import CountingConvention, GlobalisationAgreement, HoursRecord, Operation, Placement
from tremplin.core.formatting import decimal2 as _fr
from tremplin.reports.cache import figures_changed

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
PROVISION_MODES = {FulfilmentMode.PROVISION_ETTI, FulfilmentMode.PROVISION_AI, FulfilmentMode.PROVISION_GEIQ}
DEFAULT_CONVENTION = CountingConvention(
    provenance="Convention par défaut : toutes les modalités comptent, les heures de formation en alternance "
    "comptent, pas de conversion de la sous-traitance ni d'équivalence CDI."
)


def convention_of(operation: Operation) -> CountingConvention:
    try:
        return operation.convention
    except CountingConvention.DoesNotExist:
        return DEFAULT_CONVENTION


def mode_admitted(convention: CountingConvention, mode: str) -> bool:
    if mode == FulfilmentMode.DIRECT_HIRE:
        return convention.count_direct_hire
    if mode in PROVISION_MODES:
        return convention.count_staff_provision
    return convention.count_subcontracting


def _q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class CountedRecord:
    record: HoursRecord | None
    placement: Placement
    month: date
    counted: Decimal
    reason: str


@dataclass
class OperationHours:
    operation: Operation
    start: date | None
    end: date | None
    convention: CountingConvention
    records: list[CountedRecord] = field(default_factory=list)

    @property
    def counted(self) -> Decimal:
        return _q(sum((r.counted for r in self.records), ZERO))

    @property
    def not_counted(self) -> list[CountedRecord]:
        return [r for r in self.records if r.counted == 0]

    def by_placement(self) -> list[tuple[Placement, Decimal]]:
        totals = {}
        for r in self.records:
            totals[r.placement] = totals.get(r.placement, ZERO) + r.counted
        return sorted(((p, _q(h)) for p, h in totals.items()), key=lambda item: -item[1])

    @property
    def explanation(self) -> str:
        placements = {r.placement.pk for r in self.records if r.counted}
        return (
            f"{_fr(self.counted)} h comptées sur {len(placements)} mise(s) en emploi, selon la convention : "
            f"{self.convention.provenance}"
        )


def _globalised(operation_a, operation_b, month: date) -> GlobalisationAgreement | None:
    for agreement in operation_a.globalisations.all():
        if agreement.is_in_force(month) and operation_b in agreement.operations.all():
            return agreement
    return None


def explain_record(record: HoursRecord, operation: Operation, convention: CountingConvention) -> CountedRecord:
    placement = record.placement
    counted_record = CountedRecord(record, placement, record.month, ZERO, "")
    if placement.lot.legal_basis in NO_HOURS_BASES:
        counted_record.reason = "marché d'insertion : suivi qualitatif, sans heures."
        return counted_record
    if record.worked_on_id and record.worked_on_id != operation.pk:
        agreement = _globalised(operation, record.worked_on, record.month)
        if agreement is None:
            counted_record.reason = f"effectuées sur « {record.worked_on} », hors accord de globalisation."
            return counted_record
        where = f" (effectuées sur « {record.worked_on} », accord de globalisation « {agreement} »)"
    else:
        where = ""
    if not mode_admitted(convention, placement.mode):
        counted_record.reason = f"modalité « {placement.get_mode_display()} » non retenue par la convention."
        return counted_record
    parts, total = [], record.hours
    if record.hours:
        parts.append(f"{_fr(record.hours)} h travaillées")
    if record.training_hours:
        if placement.contract in ALTERNANCE_CONTRACTS and convention.count_alternance_training:
            total += record.training_hours
            parts.append(f"{_fr(record.training_hours)} h de formation en alternance")
        else:
            parts.append(f"{_fr(record.training_hours)} h de formation non retenues")
    if (
        placement.mode in SUBCONTRACTING_MODES
        and not record.hours
        and record.subcontracting_amount
        and convention.subcontracting_hourly_rate
    ):
        converted = _q(record.subcontracting_amount / convention.subcontracting_hourly_rate)
        total += converted
        parts.append(
            f"{_fr(record.subcontracting_amount)} € sous-traités ÷ {_fr(convention.subcontracting_hourly_rate)} €/h "
            f"= {_fr(converted)} h"
        )
    counted_record.counted = _q(total)
    counted_record.reason = (", ".join(parts) or "aucune heure") + where + "."
    return counted_record


def explain_operation_hours(operation: Operation, *, start: date | None = None, end: date | None = None):
    """Every hours record of the operation's placements in the period, counted or not, with its reason."""
    convention = convention_of(operation)
    # The agreements and their operations once, not once per record worked elsewhere (explain_record).
    prefetch_related_objects([operation], "globalisations__operations")
    records = (
        HoursRecord.objects.filter(placement__lot__market__operation=operation)
        .select_related("placement__lot", "placement__person", "worked_on")
        .order_by("month", "placement_id")
    )
    if start:
        records = records.filter(month__gte=start.replace(day=1))
    if end:
        records = records.filter(month__lte=end)
    result = OperationHours(operation, start, end, convention)
    result.records = [explain_record(r, operation, convention) for r in records]
    if convention.cdi_equivalence_hours:
        cdi_hires = (
            Placement.objects.filter(lot__market__operation=operation, contract="cdi")
            .exclude(lot__legal_basis__in=NO_HOURS_BASES)  # insertion markets carry no hours, CDI or not
            .select_related("person")
        )
        if start:
            cdi_hires = cdi_hires.filter(started_on__gte=start)
        if end:
            cdi_hires = cdi_hires.filter(started_on__lte=end)
        for placement in cdi_hires:
            if mode_admitted(convention, placement.mode):
                result.records.append(
                    CountedRecord(
                        None,
                        placement,
                        placement.started_on.replace(day=1),
                        _q(convention.cdi_equivalence_hours),
                        f"embauche en CDI valorisée {_fr(convention.cdi_equivalence_hours)} h par la convention.",
                    )
                )
    return result


# --- The same rules in SQL, for figures over millions of records -------------------------------

_DECIMAL = DecimalField(max_digits=14, decimal_places=2)


class _DecimalDivision(Func):
    """numerator / denominator. SQLite stores 1000.00 as the integer 1000 and would divide integers
    (1000 / 30 = 33): there the numerator is made real first."""

    arg_joiner = " / "
    template = "(%(expressions)s)"
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sqlite(compiler, connection, arg_joiner=" * 1.0 / ", **extra_context)


def _mode_admitted(mode: str, convention: str) -> Q:
    """`mode_admitted` in SQL: the placement's mode (lookup `mode`) admitted by the convention (lookups under
    `convention`, a path ending in "__")."""
    return (
        Q(**{mode: FulfilmentMode.DIRECT_HIRE, f"{convention}count_direct_hire": True})
        | Q(**{f"{mode}__in": PROVISION_MODES, f"{convention}count_staff_provision": True})
        | Q(**{f"{mode}__in": SUBCONTRACTING_MODES, f"{convention}count_subcontracting": True})
    )


PLACEMENT_CONVENTION = "lot__market__operation__convention__"  # from a placement


def cdi_valued_hires(placements):
    """The CDI hires a convention values at a fixed number of hours: a convention with a CDI equivalence, the
    placement's mode admitted by it, not an insertion market."""
    return placements.filter(
        _mode_admitted("mode", PLACEMENT_CONVENTION),
        contract=HireContract.CDI,
        **{f"{PLACEMENT_CONVENTION}cdi_equivalence_hours__isnull": False},
    ).exclude(lot__legal_basis__in=NO_HOURS_BASES)


def annotate_counted_hours(records):
    """Annotate HoursRecord rows with `computed_hours` (the rules above, without CDI equivalences): what
    `refresh_counted_hours` stores in their `counted_hours` column."""
    operation = F("placement__lot__market__operation")
    convention = "placement__lot__market__operation__convention__"
    admitted = Q(**{f"{convention}isnull": True}) | _mode_admitted("placement__mode", convention)
    globalised = Exists(
        GlobalisationAgreement.objects.filter(operations=OuterRef("placement__lot__market__operation"))
        .filter(operations=OuterRef("worked_on"))
        .filter(started_on__lte=OuterRef("month"))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("month")))
    )
    located = Q(worked_on__isnull=True) | Q(worked_on=operation) | Q(globalised=True)
    training = Case(
        When(
            Q(placement__contract__in=ALTERNANCE_CONTRACTS)
            & (Q(**{f"{convention}isnull": True}) | Q(**{f"{convention}count_alternance_training": True})),
            then=F("training_hours"),
        ),
        default=Value(ZERO),
        output_field=_DECIMAL,
    )
    converted = Case(
        When(
            Q(placement__mode__in=SUBCONTRACTING_MODES, hours=0, subcontracting_amount__isnull=False)
            & Q(**{f"{convention}subcontracting_hourly_rate__isnull": False}),
            # Rounded to the cent record by record, as explain_record does, so that both sums agree.
            then=Round(
                _DecimalDivision(
                    F("subcontracting_amount"), F(f"{convention}subcontracting_hourly_rate"), output_field=_DECIMAL
                ),
                2,
                output_field=_DECIMAL,
            ),
        ),
        default=Value(ZERO),
        output_field=_DECIMAL,
    )
    return records.annotate(
        globalised=Case(
            When(worked_on__isnull=True, then=Value(False)), default=globalised, output_field=BooleanField()
        )
    ).annotate(
        # Rounded to the column's scale (hundredths): SQLite adds decimals as floats (150.01 + 1.01 =
        # 151.01999999999998), which would differ from the 151.02 a dump and reload of the base stores.
        computed_hours=Round(
            Case(
                When(
                    admitted & located & ~Q(placement__lot__legal_basis__in=NO_HOURS_BASES),
                    then=ExpressionWrapper(F("hours") + training + converted, output_field=_DECIMAL),
                ),
                default=Value(ZERO),
                output_field=_DECIMAL,
            ),
            2,
            output_field=_DECIMAL,
        )
    )


def cdi_equivalence_hours(placements):
    """Hours credited for CDI hires by conventions that value them (one amount per hire, mode admitted)."""
    total = cdi_valued_hires(placements).aggregate(
        total=Coalesce(Sum(f"{PLACEMENT_CONVENTION}cdi_equivalence_hours"), Value(ZERO))
    )
    return _q(total["total"])


# --- The counted hours kept on each record -------------------------------------------------------


def refresh_counted_hours(records=None) -> int:
    """Store on each record (HoursRecord.counted_hours) what `annotate_counted_hours` counts for it, in one
    UPDATE joined to that computation; returns how many records changed. `records`: a queryset of the
    records to refresh (default: all). Called by every write that can change a count (see `recount`)."""
    if records is None:
        records = HoursRecord.objects.all()
    # The operations of the records' placements, locked until the commit (see `lock_operations`).
    lock_operations(records.order_by().values("placement__lot__market__operation"))
    computed = annotate_counted_hours(records.order_by()).values_list("id", "computed_hours")
    try:
        sql, params = computed.query.sql_with_params()
    except EmptyResultSet:  # nothing to refresh: recount() of nothing, a lot without records, .none()
        return 0
    table = connection.ops.quote_name(HoursRecord._meta.db_table)
    with connection.cursor() as cursor:
        # The derived table's columns keep the names of the compiled SELECT: "id" and "computed_hours".
        cursor.execute(
            f"UPDATE {table} SET counted_hours = computed.computed_hours FROM ({sql}) AS computed "
            f"WHERE {table}.id = computed.id AND {table}.counted_hours <> computed.computed_hours",
            params,
        )
        figures_changed()  # raw SQL sends no signal; the hours import's records are counted here too
        return cursor.rowcount


def lock_operations(operation_ids) -> None:
    """Lock these operations (ids, or a subquery of ids) until the end of the transaction (PostgreSQL).

    Two writes can change one record's count at the same time: a convention, an agreement or a lot changed
    while hours of that operation are recorded or imported. Each refreshes what it sees, and neither sees
    what the other has not committed yet: the later refresh must wait for the earlier commit, then it sees
    both changes. Every refresh locks the operations first, in a fixed order; FOR NO KEY UPDATE, so that it
    does not wait for the rows that merely refer to an operation (an agreement's operations, a market).
    A transaction that refreshes block by block (an import) takes all its locks at once first: two such
    transactions then never wait for each other in a circle.
    SQLite runs one writing transaction at a time: nothing to lock there, nor outside a transaction."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    operations = Operation.objects.filter(pk__in=operation_ids).select_for_update(no_key=True).order_by("pk")
    list(operations.values_list("pk", flat=True))


def recount(*, operations=(), lots=(), placements=(), records=()) -> int:
    """Refresh the counted hours of every record that a change to these objects can affect (a convention
    or an agreement: its operations; a lot's legal basis; a placement's mode or contract; records)."""
    condition = Q(pk__in=[])
    if operations:
        ids = [getattr(o, "pk", o) for o in operations]
        condition |= Q(placement__lot__market__operation__in=ids) | Q(worked_on__in=ids)
    if lots:
        condition |= Q(placement__lot__in=[getattr(o, "pk", o) for o in lots])
    if placements:
        condition |= Q(placement__in=[getattr(o, "pk", o) for o in placements])
    if records:
        condition |= Q(pk__in=[getattr(o, "pk", o) for o in records])
    return refresh_counted_hours(HoursRecord.objects.filter(condition))
