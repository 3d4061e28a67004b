"""The hours ledger: one record per placement and month, entered by hand (the form) or checked by the import.

One record per placement and month (hours to 2 decimals), within the placement's dates, never for a month
to come, never above the plausible monthly maximum; insertion markets carry no hours. Every write stamps
the acting user on the history row (django-simple-history), and stores what the record counts
(HoursRecord.counted_hours, computed by tremplin.clauses.counting) in the same transaction.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tremplin.clauses.counting import recount
from tremplin.clauses.enums import ALTERNANCE_CONTRACTS, NO_HOURS_BASES, SUBCONTRACTING_MODES
from tremplin.clauses.hours.access import _require_placement
from tremplin.clauses.models import MAX_MONTHLY_HOURS, GlobalisationAgreement, HoursRecord, Operation, Placement
from tremplin.core.formatting import decimal2 as _fr, file_size, month_label, of_month

CENT = Decimal("0.01")
ZERO = Decimal("0")
# Plausibility cap of a month's subcontracted amount for one placement: converted at a convention's hourly
# rate (a few tens of euros), 100,000 € is far beyond the 220 h of a month; the column holds 10^10.
MAX_MONTHLY_AMOUNT = Decimal("100000")
# --- Months ----------------------------------------------------------------------------------------


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def current_month() -> date:
    return timezone.localdate().replace(day=1)


_MONTH_PATTERNS = [
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})(?:-01)?$"),
    re.compile(r"^(?P<month>\d{1,2})/(?P<year>\d{4})$"),
]


def parse_month(value) -> date | None:
    """ "2024-03", "03/2024", or a date from a spreadsheet cell -> date(2024, 3, 1); None if invalid."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value).strip()
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match["year"]), int(match["month"])
            if 1 <= month <= 12 and year >= 2000:
                return date(year, month, 1)
            return None
    return None


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --- The rules of one monthly record (shared by the form and the import) -------------------------


def month_errors(*, month: date, started_on: date, ended_on: date | None, today_month: date) -> list[str]:
    if month > today_month:
        return [f"{month_label(month).capitalize()} est à venir : les heures se déclarent une fois travaillées."]
    if month_end(month) < started_on:
        return [f"La mise en emploi commence le {_d(started_on)} : pas d'heures en {month_label(month)}."]
    if ended_on is not None and month > ended_on:
        return [f"La mise en emploi s'est terminée le {_d(ended_on)} : pas d'heures en {month_label(month)}."]
    return []


def amount_errors(*, hours, training_hours, subcontracting_amount) -> dict[str, str]:
    """The hours and amount of a month: positive, within the plausible monthly maxima, 2 decimals.

    The maxima come before the decimals: rounding 1e30 to the cent overflows the decimal context."""
    errors = {}
    for name, value, label in (
        ("hours", hours, "Les heures travaillées"),
        ("training_hours", training_hours, "Les heures de formation"),
        ("subcontracting_amount", subcontracting_amount, "Le montant sous-traité"),
    ):
        if value is None:
            continue
        if not isinstance(value, Decimal) or not value.is_finite():
            errors[name] = f"{label} : nombre invalide."
        elif value < 0:
            negative = (
                "ne peut pas être négatif" if name == "subcontracting_amount" else "ne peuvent pas être négatives"
            )
            errors[name] = f"{label} {negative}."
        elif name == "subcontracting_amount" and value > MAX_MONTHLY_AMOUNT:
            errors[name] = (
                f"{label} dépasse le maximum plausible de {_fr(MAX_MONTHLY_AMOUNT)} € HT par mise en emploi et par "
                "mois : vérifiez le relevé."
            )
        elif name == "hours" and value > MAX_MONTHLY_HOURS:
            errors[name] = (
                f"{_shown(value)} h dans un mois dépassent le maximum plausible de {_fr(MAX_MONTHLY_HOURS)} h "
                "(48 h par semaine) : vérifiez le relevé."
            )
        elif name == "training_hours" and value > MAX_MONTHLY_HOURS:
            errors[name] = (
                f"{_shown(value)} h de formation dans un mois dépassent le maximum plausible de "
                f"{_fr(MAX_MONTHLY_HOURS)} h : vérifiez le relevé."
            )
        elif value != value.quantize(CENT):
            errors[name] = f"{label} se saisissent avec 2 décimales au plus (par exemple 151,67)."
    if not errors and (hours or ZERO) + (training_hours or ZERO) > MAX_MONTHLY_HOURS:
        errors["training_hours"] = (
            f"Heures travaillées et de formation : {_fr((hours or ZERO) + (training_hours or ZERO))} h au total, "
            f"au-delà du maximum plausible de {_fr(MAX_MONTHLY_HOURS)} h par mois."
        )
    if not errors and not hours and not training_hours and not subcontracting_amount:
        errors["hours"] = "Indiquez des heures travaillées, des heures de formation ou un montant sous-traité."
    return errors


def _shown(value: Decimal) -> str:
    """A number beyond any plausible one, shown without writing out its digits (1e999999999 has a billion)."""
    return _fr(value) if value < 10**9 else f"{value:.2E}".replace(".", ",")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError as e:
        raise ValidationError(f"« {value} » n'est pas un nombre.") from e


def _validate(*, placement, month, hours, training_hours, subcontracting_amount, record=None):
    errors = {}
    if placement.lot.legal_basis in NO_HOURS_BASES:
        raise ValidationError(
            "Marché d'insertion : ce lot est suivi qualitativement, il n'y a pas d'heures à déclarer."
        )
    errors.update(
        amount_errors(hours=hours, training_hours=training_hours, subcontracting_amount=subcontracting_amount)
    )
    month_problems = month_errors(
        month=month, started_on=placement.started_on, ended_on=placement.ended_on, today_month=current_month()
    )
    if month_problems:
        errors["month"] = month_problems[0]
    else:
        existing = HoursRecord.objects.filter(placement=placement, month=month)
        if record is not None:
            existing = existing.exclude(pk=record.pk)
        existing = existing.first()
        if existing is not None:
            errors["month"] = ValidationError(
                f"Les heures {of_month(month)} sont déjà saisies pour cette mise en emploi "
                f"({_fr(existing.hours)} h) : modifiez ce relevé plutôt que d'en saisir un second.",
                code="duplicate_month",
                params={"record_id": existing.pk},
            )
    if errors:
        raise ValidationError(errors)


def duplicate_record_id(error: ValidationError) -> int | None:
    """The id of the record already saved for the month, when that is the error (to propose updating it)."""
    for item in getattr(error, "error_dict", {}).get("month", []):
        if item.code == "duplicate_month":
            return item.params["record_id"]
    return None


def _globalised(operation, worked_on, month) -> bool:
    # The rule of tremplin.clauses.counting: an agreement covering both operations, in force that month.
    return (
        GlobalisationAgreement.objects.filter(operations=operation)
        .filter(operations=worked_on)
        .filter(started_on__lte=month)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=month))
        .exists()
    )


# Training hours count for alternance contracts only: the form warns on a saved record, the import refuses.
TRAINING_HOURS_RULE = (
    "Les heures de formation ne comptent que pour les contrats en alternance (professionnalisation, apprentissage)"
)


def training_hours_count(contract: str) -> bool:
    """Whether the training hours of a placement with this contract count (the rule of clauses.counting)."""
    return contract in ALTERNANCE_CONTRACTS


def hours_warnings(record: HoursRecord) -> list[str]:
    """What of a saved record will not count, and why (it is kept: the evidence is real)."""
    placement = record.placement
    operation = placement.lot.market.operation
    warnings = []
    if record.worked_on_id and record.worked_on_id != operation.pk:
        if not _globalised(operation, record.worked_on, record.month):
            warnings.append(
                f"Ce relevé ne comptera pas pour l'opération « {operation} » : les heures ont été effectuées sur "
                f"« {record.worked_on} », qui ne lui est liée par aucun accord de globalisation en vigueur en "
                f"{month_label(record.month)}."
            )
    if record.training_hours and not training_hours_count(placement.contract):
        warnings.append(f"{TRAINING_HOURS_RULE} : celles-ci ne compteront pas.")
    if record.subcontracting_amount and placement.mode not in SUBCONTRACTING_MODES:
        warnings.append(
            "Un montant sous-traité ne compte que pour une mise en emploi en sous-traitance : il ne comptera pas."
        )
    return warnings


def worked_on_choices(user):
    """Operations where hours may have been worked (globalisation), among those the user sees."""
    return Operation.objects.visible_to(user).order_by("name")


# --- Evidence (payslip, statement) -----------------------------------------------------------------

EVIDENCE_MAX_SIZE = 5 * 1024 * 1024
EVIDENCE_KINDS = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def validate_evidence(file):
    """A PDF or an image (JPEG, PNG) of at most 5 MB, checked on its content, not only its name."""
    if file.size > EVIDENCE_MAX_SIZE:
        raise ValidationError(
            f"Le justificatif pèse {file_size(file.size)} : 5 Mo au plus. Réduisez-le (numérisation en 150 ppp, "
            "en noir et blanc) ou joignez seulement la page utile."
        )
    extension = Path(file.name or "").suffix.lower().lstrip(".")
    signatures = EVIDENCE_KINDS.get(extension)
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if signatures is None or not head.startswith(signatures):
        raise ValidationError(
            "Le justificatif doit être un bulletin de paie ou un relevé en PDF, ou une image JPEG ou PNG "
            "(le contenu du fichier ne correspond pas)."
        )


# --- Services ----------------------------------------------------------------------------------------


@transaction.atomic
def record_hours(
    *,
    placement: Placement,
    month: date,
    hours,
    training_hours=0,
    subcontracting_amount=None,
    worked_on: Operation | None = None,
    evidence=None,
    by,
) -> HoursRecord:
    """Record the hours of one placement in one month; ValidationError in French, by field."""
    _require_placement(by, placement)
    month = month.replace(day=1)
    hours, training_hours = _decimal(hours) or ZERO, _decimal(training_hours) or ZERO
    subcontracting_amount = _decimal(subcontracting_amount)
    _validate(
        placement=placement,
        month=month,
        hours=hours,
        training_hours=training_hours,
        subcontracting_amount=subcontracting_amount,
    )
    if evidence:
        validate_evidence(evidence)
    record = HoursRecord(
        placement=placement,
        month=month,
        hours=hours,
        training_hours=training_hours,
        subcontracting_amount=subcontracting_amount,
        worked_on=_worked_on(placement, worked_on),
        recorded_by=by,
    )
    if evidence:
        record.evidence = evidence
    record.full_clean(validate_unique=False, validate_constraints=False)
    record._history_user = by
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as e:  # saved meanwhile by someone else
        raise ValidationError(
            {"month": f"Les heures {of_month(month)} viennent d'être saisies pour cette mise en emploi."}
        ) from e
    _count(record)
    return record


@transaction.atomic
def update_hours(
    *,
    record: HoursRecord,
    hours,
    training_hours=0,
    subcontracting_amount=None,
    worked_on: Operation | None = None,
    evidence=None,
    month: date | None = None,
    by,
) -> HoursRecord:
    """Correct a monthly record. `evidence`: None keeps the file, False removes it, a file replaces it."""
    placement = record.placement
    _require_placement(by, placement)
    month = (month or record.month).replace(day=1)
    hours, training_hours = _decimal(hours) or ZERO, _decimal(training_hours) or ZERO
    subcontracting_amount = _decimal(subcontracting_amount)
    _validate(
        placement=placement,
        month=month,
        hours=hours,
        training_hours=training_hours,
        subcontracting_amount=subcontracting_amount,
        record=record,
    )
    if evidence:
        validate_evidence(evidence)
    record.month = month
    record.hours = hours
    record.training_hours = training_hours
    record.subcontracting_amount = subcontracting_amount
    record.worked_on = _worked_on(placement, worked_on)
    record.recorded_by = by
    fields = ["month", "hours", "training_hours", "subcontracting_amount", "worked_on", "recorded_by", "updated_at"]
    if evidence is False:
        record.evidence = ""
        fields.append("evidence")
    elif evidence:
        record.evidence = evidence
        fields.append("evidence")
    record.full_clean(validate_unique=False, validate_constraints=False)
    record._history_user = by
    try:
        with transaction.atomic():
            record.save(update_fields=fields)
    except IntegrityError as e:
        raise ValidationError(
            {"month": f"Les heures {of_month(month)} viennent d'être saisies pour cette mise en emploi."}
        ) from e
    _count(record)
    return record


def _count(record):
    """Store what the saved record counts, and give the instance the stored figure."""
    recount(records=[record])
    record.refresh_from_db(fields=["counted_hours"])


def _worked_on(placement, worked_on):
    # Hours worked on the placement's own operation are simply its hours.
    if worked_on is not None and worked_on.pk == placement.lot.market.operation_id:
        return None
    return worked_on
