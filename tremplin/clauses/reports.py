"""The buyer's operation report (bilan): plain data, computed from the counting module.

Every hour in the report comes from `counting.explain_operation_hours` (record by record, with the
reason of each figure, plus the CDI equivalences of the convention): the report adds those counted
records up by lot, company, mode and contract, so that its figures are the counting module's.

- Period: a start and an end (both optional); by default since the start, up to today. A record counts
  when its month (its first day) lies between the first day of the start's month and the end.
- People employed: distinct people with counted hours in the period on this operation (a CDI hire
  valued by the convention counts as hours), as anonymous counts: sex, residence in a QPV at least
  one day of the period (asserted fact, not "ne souhaite pas répondre"), age band at the start of
  their first placement on the operation.
- Hires: placements on the operation started in the period with a hire contract (the definition of
  the `clauses.hires` figure).
- Names: never for buyers. Internal users entitled to names (`perms.shows_names`) may ask for the
  named annex; it names only the people they may see (`Person.objects.visible_to`), the others stay
  "Salarié·e n° k".
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from tremplin.clauses import perms, selectors
from tremplin.clauses.counting import DEFAULT_CONVENTION, CountedRecord, explain_operation_hours
from tremplin.clauses.enums import NO_HOURS_BASES, PLACEMENT_CONTRACT_CHOICES, FulfilmentMode
from tremplin.clauses.indicators import HIRE_CONTRACTS, qpv_residents
from tremplin.clauses.models import Lot, Operation, Placement
from tremplin.core.formatting import decimal2 as fr_number
from tremplin.people.enums import Sex
from tremplin.people.models import Person
from tremplin.reports import masking
from tremplin.reports.registry import Period, share
from tremplin.structures.models import Organization

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
AGE_BANDS = [("Moins de 26 ans", 0, 25), ("26 à 49 ans", 26, 49), ("50 ans et plus", 50, 200)]


def _q(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    """One line of a table of the report: counted hours, planned hours when they apply, people."""

    label: str
    hours: Decimal = ZERO
    planned: Decimal | None = None
    people: int | None = None
    detail: str = ""

    @property
    def progress(self) -> float | None:
        """Realised ÷ planned (0.5 = 50 %), None when nothing is planned."""
        if not self.planned:
            return None
        return share(float(self.hours), float(self.planned))


@dataclass
class Count:
    label: str
    count: int | None  # None: masked (statistical secrecy, for a buyer)
    of: int | None

    @property
    def part(self) -> float | None:
        if self.count is None or self.of is None:
            return None
        return share(self.count, self.of)


@dataclass
class NamedLine:
    who: str
    employer: str
    mode: str
    contract: str
    started_on: date
    hours: Decimal
    person_id: int | None = None  # set when the line names the person (the access log needs it)


@dataclass
class OperationReport:
    operation: Operation
    start: date | None
    end: date
    convention_provenance: str
    convention_is_default: bool
    convention_rules: list[str]
    explanation: str
    realised: Decimal
    planned: Decimal
    lots: list[Line]
    companies: list[Line]
    modes: list[Line]
    contracts: list[Line]
    people_total: int | None  # None: masked for a buyer, as every count of people below (reports/masking.py)
    people: list[Count]  # by sex, QPV, age band, each over people_total
    hires: list[Count]  # by contract, over hires_total
    hires_total: int | None
    not_counted: list[Line]  # records without counted hours, grouped by reason
    named: list[NamedLine] | None = None  # only for an internal user who asked for names
    generated_on: date | None = None
    masked: bool = False  # counts of people under statistical secrecy (a buyer's report)

    @property
    def progress(self) -> float | None:
        return Line("", self.realised, self.planned).progress

    @property
    def period_label(self) -> str:
        if self.start is None:
            return (
                f"depuis le début de l'opération ({self.operation.started_on:%d/%m/%Y}) jusqu'au {self.end:%d/%m/%Y}"
            )
        return Period(self.start, self.end).label


def convention_rules(convention) -> list[str]:
    """The convention's rules, in French, as the report prints them."""

    def yes(flag):
        return "oui" if flag else "non"

    rules = [
        f"Embauches directes comptées : {yes(convention.count_direct_hire)}",
        f"Mises à disposition (ETTI, AI, GEIQ) comptées : {yes(convention.count_staff_provision)}",
        f"Sous-traitance (EI, ACI, EA, ESAT) comptée : {yes(convention.count_subcontracting)}",
        f"Heures de formation des contrats en alternance comptées : {yes(convention.count_alternance_training)}",
    ]
    if convention.subcontracting_hourly_rate:
        rules.append(
            "Sous-traitance déclarée en euros convertie en heures : "
            f"{fr_number(convention.subcontracting_hourly_rate)} € pour une heure"
        )
    if convention.cdi_equivalence_hours:
        rules.append(
            f"Une embauche en CDI vaut {fr_number(convention.cdi_equivalence_hours)} h, comptées le mois de son début"
        )
    return rules


def _age_band(age: int) -> str:
    return next(label for label, low, high in AGE_BANDS if low <= age <= high)


def operation_report(
    operation: Operation, *, start: date | None = None, end: date | None = None, user=None, names=False, today=None
) -> OperationReport:
    """The bilan of one operation for a period. `names` only counts for users `perms.shows_names` allows.
    For a user outside the clauses team (a buyer), counts of people are masked (`mask_people`) and a
    period shorter than a month is refused."""
    today = today or timezone.localdate()
    end = end or today
    secret = user is not None and not perms.is_clauses_staff(user)
    if secret and start is not None:
        masking.check_period(start, end, user)
    operation = (
        Operation.objects.select_related("buyer", "owner", "commune", "convention")
        .prefetch_related("globalisations__operations")
        .get(pk=operation.pk)
    )
    explained = explain_operation_hours(operation, start=start, end=end)
    records = explained.records
    counted = [r for r in records if r.counted > 0]

    placements = {
        p.pk: p
        for p in Placement.objects.filter(lot__market__operation=operation).select_related("employer", "person", "lot")
    }
    lots = list(
        Lot.objects.filter(market__operation=operation)
        .select_related("market", "attributaire")
        .order_by("market__reference", "market__name", "number", "pk")
    )

    def total(rows: list[CountedRecord]) -> Decimal:
        return _q(sum((r.counted for r in rows), ZERO))

    def people(rows: list[CountedRecord]) -> int:
        return len({placements[r.placement.pk].person_id for r in rows if r.counted > 0})

    def grouped(key) -> dict:
        groups = defaultdict(list)
        for r in records:
            groups[key(placements[r.placement.pk])].append(r)
        return groups

    by_lot = grouped(lambda p: p.lot_id)
    lot_lines = []
    for lot in lots:
        carries = lot.legal_basis not in NO_HOURS_BASES
        attributaire = lot.attributaire.name if lot.attributaire_id else "non attribué"
        lot_lines.append(
            Line(
                label=f"{lot.market} – {lot}",
                hours=total(by_lot.get(lot.pk, [])),
                planned=_q(lot.planned_hours) if carries else None,
                people=people(by_lot.get(lot.pk, [])),
                detail=f"{lot.get_legal_basis_display()} ; attributaire : {attributaire}"
                + ("" if carries else " ; suivi qualitatif, sans heures"),
            )
        )

    by_employer = grouped(lambda p: p.employer_id)
    employers = {o.pk: o for o in Organization.objects.filter(pk__in=list(by_employer))}
    company_lines = sorted(
        (
            Line(
                label=employers[pk].name,
                hours=total(rows),
                people=people(rows),
                detail=employers[pk].company_kind,
            )
            for pk, rows in by_employer.items()
        ),
        key=lambda line: (-line.hours, line.label.lower()),
    )

    by_mode = grouped(lambda p: p.mode)
    mode_lines = [
        Line(label=label, hours=total(by_mode.get(value, [])), people=people(by_mode.get(value, [])))
        for value, label in FulfilmentMode.choices
        if value in by_mode
    ]
    by_contract = grouped(lambda p: p.contract)
    contract_lines = [
        Line(label=label, hours=total(by_contract.get(value, [])), people=people(by_contract.get(value, [])))
        for value, label in PLACEMENT_CONTRACT_CHOICES
        if value in by_contract
    ]

    # People employed: anonymous counts.
    employed_ids = {placements[r.placement.pk].person_id for r in counted}
    employed = {p.person_id: p.person for p in placements.values() if p.person_id in employed_ids}
    first_start = {}
    for placement in placements.values():
        if placement.person_id in employed_ids:
            first = first_start.get(placement.person_id)
            first_start[placement.person_id] = min(first, placement.started_on) if first else placement.started_on
    period_start = start or operation.started_on
    qpv_ids = set(
        qpv_residents(Period(min(period_start, end), end))
        .filter(person_id__in=employed_ids)
        .values_list("person_id", flat=True)
    )
    total_people = len(employed_ids)
    people_counts = [
        Count(f"Sexe : {label}", sum(1 for p in employed.values() if p.sex == value), total_people)
        for value, label in Sex.choices
    ]
    people_counts.append(Count("Résidant en quartier prioritaire (QPV)", len(qpv_ids), total_people))
    ages = defaultdict(int)
    for person_id, person in employed.items():
        ages[_age_band(person.age_on(first_start[person_id]))] += 1
    people_counts += [Count(f"Âge : {label}", ages[label], total_people) for label, _, _ in AGE_BANDS]

    # Hires: the definition of the clauses.hires figure, on this operation.
    hired = [
        p
        for p in placements.values()
        if p.contract in HIRE_CONTRACTS and (start is None or p.started_on >= start) and p.started_on <= end
    ]
    hire_lines = [
        Count(contract.label, sum(1 for p in hired if p.contract == contract), len(hired))
        for contract in HIRE_CONTRACTS
    ]

    # Records that count nothing, grouped by reason (declared hours, anonymous).
    reasons = defaultdict(lambda: [0, ZERO])
    for r in records:
        if r.counted == 0 and r.record is not None:
            reasons[r.reason][0] += 1
            reasons[r.reason][1] += r.record.hours + r.record.training_hours
    not_counted = [
        Line(label=reason, hours=_q(declared), people=n) for reason, (n, declared) in sorted(reasons.items())
    ]

    named = None
    if names and user is not None and perms.shows_names(user):
        named = _named_lines(records, placements, user)

    convention = explained.convention
    report = OperationReport(
        operation=operation,
        start=start,
        end=end,
        convention_provenance=convention.provenance,
        convention_is_default=convention is DEFAULT_CONVENTION,
        convention_rules=convention_rules(convention),
        explanation=explained.explanation,
        realised=explained.counted,
        planned=_q(sum((lot.planned_hours for lot in lots if lot.legal_basis not in NO_HOURS_BASES), ZERO)),
        lots=lot_lines,
        companies=company_lines,
        modes=mode_lines,
        contracts=contract_lines,
        people_total=total_people,
        people=people_counts,
        hires=hire_lines,
        hires_total=len(hired),
        not_counted=not_counted,
        named=named,
        generated_on=today,
    )
    if secret:
        mask_people(report)
    return report


def mask_people(report: OperationReport) -> None:
    """Statistical secrecy on the report's counts of people (reports/masking.py): sex, QPV residence (with
    the other residents) and age band each add up to the people employed, the hires by contract to the
    hires. A total that must be masked takes with it the people columns of lots, companies, modes and
    contracts, which add up to it too."""
    total = report.people_total
    groups = [
        [c for c in report.people if c.label.startswith("Sexe")],
        [c for c in report.people if c.label.startswith("Âge")],
    ]
    qpv = [c for c in report.people if c.label.startswith("Résidant")]
    hidden, total_masked = set(), False
    for group in groups:
        suppression = masking.suppress({c.label: c.count for c in group}, total)
        hidden |= suppression.masked
        total_masked |= suppression.total_masked
    for count in qpv:
        pair = {count.label: count.count, "others": total - count.count}
        suppression = masking.suppress(pair, total)
        hidden |= suppression.masked & {count.label}  # the others are never shown
        total_masked |= suppression.total_masked
    if total_masked:
        hidden |= {c.label for c in report.people}
        report.people_total = None
        for line in (*report.lots, *report.companies, *report.modes, *report.contracts):
            line.people = None
    for count in report.people:
        if count.label in hidden:
            count.count = None
        count.of = report.people_total
    hires = masking.suppress({c.label: c.count for c in report.hires}, report.hires_total)
    for count in report.hires:
        if count.label in hires.masked or hires.total_masked:
            count.count = None
        count.of = None if hires.total_masked else report.hires_total
    if hires.total_masked:
        report.hires_total = None
    report.masked = True


def _named_lines(records, placements, user) -> list[NamedLine]:
    """One line per placement with counted hours; names of the people the user may see."""
    hours = defaultdict(lambda: ZERO)
    for r in records:
        if r.counted > 0:
            hours[r.placement.pk] += r.counted
    rows = [placements[pk] for pk in hours]
    visible = set(
        Person.objects.visible_to(user).filter(pk__in=[p.person_id for p in rows]).values_list("pk", flat=True)
    )
    numbers = {}
    lines = []
    for placement in sorted(rows, key=lambda p: (p.started_on, p.pk)):
        number = numbers.setdefault(placement.person_id, len(numbers) + 1)
        who = placement.person.full_name if placement.person_id in visible else f"Salarié·e n° {number}"
        lines.append(
            NamedLine(
                who=who,
                employer=placement.employer.name,
                mode=placement.get_mode_display(),
                contract=placement.get_contract_display(),
                started_on=placement.started_on,
                hours=_q(hours[placement.pk]),
                person_id=placement.person_id if placement.person_id in visible else None,
            )
        )
    return lines


def reportable_operations(user):
    """Operations whose report the user may read: the clauses team every visible operation, a buyer
    its own; companies (who see only their own lots) and other roles none."""
    if not perms.sees_whole_operation(user):
        return Operation.objects.none()
    return perms.operations_for(user)


def buyer_operations(user, *, today: date):
    """A buyer's operations with their progress since the start (the buyer's home page)."""
    buyer_orgs = user.organization_ids("buyer")
    operations = perms.operations_for(user).filter(Q(buyer_id__in=buyer_orgs) | Q(owner_id__in=buyer_orgs))
    progress = {g.key: g for g in selectors.progress_by_operation(user=user, today=today, operations=operations)}
    return [(operation, progress.get(operation.pk)) for operation in operations.order_by("-started_on", "name")]
