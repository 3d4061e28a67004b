"""The hours ledger: monthly hours per placement, entered by hand or imported from a company's statement.

- Who declares hours (the chokepoint of these pages): coordination, assistance and facilitators for the
  placements of the people they see, and the users of a company for its own placements (attributaire or
  employer), as `Placement.objects.visible_to` says; everyone else gets 404.
- One record per placement and month (hours to 2 decimals), within the placement's dates, never for a
  month to come, never above the plausible monthly maximum; insertion markets carry no hours.
- The import validates the whole file first, streaming it row by row against dictionaries loaded once,
  and writes nothing unless every row is valid; then everything is written in one transaction.
Every write stamps the acting user on the history row (django-simple-history), and stores what the records
written count (HoursRecord.counted_hours, computed by tremplin.clauses.counting) in the same transaction.
"""

import csv
import io
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tremplin.accounts.enums import Role
from tremplin.clauses.counting import lock_operations, recount, refresh_counted_hours
from tremplin.clauses.enums import ALTERNANCE_CONTRACTS, NO_HOURS_BASES, SUBCONTRACTING_MODES
from tremplin.clauses.models import MAX_MONTHLY_HOURS, GlobalisationAgreement, HoursRecord, Operation, Placement
from tremplin.core.text import name_key

CENT = Decimal("0.01")
ZERO = Decimal("0")
MAX_AMOUNT = Decimal("10000000000")  # HoursRecord.subcontracting_amount: 12 digits, 2 decimals
# Internal roles that declare hours; company users declare those of their own placements.
HOURS_ROLES = {Role.COORDINATOR, Role.ASSISTANT, Role.FACILITATOR}
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


# --- Access: the one door to placements and records for hours -----------------------------------


def can_declare_hours(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.sees_records:
        return bool(user.roles & HOURS_ROLES)
    return bool(user.organization_ids(Role.COMPANY))


def placements_for_hours(user):
    """Placements whose hours the user declares (none for other users)."""
    if not can_declare_hours(user):
        return Placement.objects.none()
    return Placement.objects.visible_to(user)


def get_placement_for_hours(user, placement_id) -> Placement:
    # Same 404 for "does not exist" and "not yours": never confirm that a placement exists.
    placements = placements_for_hours(user).select_related("person", "lot__market__operation", "employer")
    return get_object_or_404(placements, pk=placement_id)


def get_record_for_hours(user, record_id) -> HoursRecord:
    records = HoursRecord.objects.filter(placement__in=placements_for_hours(user)).select_related(
        "placement__person", "placement__lot__market__operation", "placement__employer", "worked_on"
    )
    return get_object_or_404(records, pk=record_id)


def _require_placement(by, placement):
    if not placements_for_hours(by).filter(pk=placement.pk).exists():
        raise PermissionDenied("Vous ne déclarez pas les heures de cette mise en emploi.")


# --- Months ----------------------------------------------------------------------------------------


def month_label(month: date) -> str:
    """date(2024, 3, 1) -> "mars 2024"."""
    return f"{MONTHS[month.month - 1]} {month.year}"


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


def _fr(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")


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
    """The hours and amount of a month: positive, 2 decimals, within the plausible monthly maximum."""
    errors = {}
    for name, value, label in (
        ("hours", hours, "Les heures travaillées"),
        ("training_hours", training_hours, "Les heures de formation"),
        ("subcontracting_amount", subcontracting_amount, "Le montant sous-traité"),
    ):
        if value is None:
            continue
        if value < 0:
            negative = (
                "ne peut pas être négatif" if name == "subcontracting_amount" else "ne peuvent pas être négatives"
            )
            errors[name] = f"{label} {negative}."
        elif value != value.quantize(CENT):
            errors[name] = f"{label} se saisissent avec 2 décimales au plus (par exemple 151,67)."
        elif name == "subcontracting_amount" and value >= MAX_AMOUNT:
            errors[name] = f"{label} dépasse {_fr(MAX_AMOUNT)} € : vérifiez le relevé."
    if "hours" not in errors and hours is not None and hours > MAX_MONTHLY_HOURS:
        errors["hours"] = (
            f"{_fr(hours)} h dans un mois dépassent le maximum plausible de {_fr(MAX_MONTHLY_HOURS)} h "
            "(48 h par semaine) : vérifiez le relevé."
        )
    if not errors and (hours or ZERO) + (training_hours or ZERO) > MAX_MONTHLY_HOURS:
        errors["training_hours"] = (
            f"Heures travaillées et de formation : {_fr((hours or ZERO) + (training_hours or ZERO))} h au total, "
            f"au-delà du maximum plausible de {_fr(MAX_MONTHLY_HOURS)} h par mois."
        )
    if not errors and not hours and not training_hours and not subcontracting_amount:
        errors["hours"] = "Indiquez des heures travaillées, des heures de formation ou un montant sous-traité."
    return errors


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


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
                f"Les heures de {month_label(month)} sont déjà saisies pour cette mise en emploi "
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
    if record.training_hours and placement.contract not in ALTERNANCE_CONTRACTS:
        warnings.append(
            "Les heures de formation ne comptent que pour les contrats en alternance (professionnalisation, "
            "apprentissage) : celles-ci ne compteront pas."
        )
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
        size = f"{file.size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(
            f"Le justificatif pèse {size} Mo : 5 Mo au plus. Réduisez-le (numérisation en 150 ppp, en noir et "
            "blanc) ou joignez seulement la page utile."
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
            {"month": f"Les heures de {month_label(month)} viennent d'être saisies pour cette mise en emploi."}
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
            {"month": f"Les heures de {month_label(month)} viennent d'être saisies pour cette mise en emploi."}
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


# --- The import of a monthly statement ----------------------------------------------------------------

MAX_FILE_SIZE = 30 * 1024 * 1024
MAX_ROWS = 200_000
MAX_REPORTED = 1_000  # errors listed; beyond, they are only counted
BATCH_SIZE = 2_000
COUNT_CHUNK = 5_000  # placements whose imported months are counted by one UPDATE


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: str
    required: str
    help: str


IMPORT_COLUMNS = [
    ImportColumn(
        "placement_id",
        "Identifiant de la mise en emploi",
        "oui",
        "Numéro de la mise en emploi dans Tremplin, prérempli par le modèle : ne le modifiez pas.",
    ),
    ImportColumn(
        "last_name",
        "Nom",
        "non",
        "Nom de la personne, prérempli : vérifié s'il est rempli, pour éviter une erreur d'identifiant.",
    ),
    ImportColumn("first_name", "Prénom", "non", "Prénom de la personne, prérempli et vérifié de même."),
    ImportColumn(
        "month",
        "Mois (AAAA-MM)",
        "oui",
        "Mois des heures, par exemple 2024-03 pour mars 2024 (03/2024 est aussi accepté). Une seule ligne par "
        "mise en emploi et par mois ; le mois doit être écoulé ou en cours, et dans les dates de la mise en emploi.",
    ),
    ImportColumn(
        "hours",
        "Heures travaillées",
        "oui (ou un montant sous-traité)",
        f"Heures du mois d'après le bulletin de paie ou le relevé, 2 décimales au plus (151,67), au plus "
        f"{_fr(MAX_MONTHLY_HOURS)} h.",
    ),
    ImportColumn(
        "training_hours",
        "Heures de formation",
        "non",
        "Heures de formation des contrats en alternance (professionnalisation, apprentissage).",
    ),
    ImportColumn(
        "subcontracting_amount",
        "Montant sous-traité (€ HT)",
        "non",
        "Pour une sous-traitance à une EI, un ACI, une EA ou un ESAT facturée sans heures : le montant HT du mois, "
        "converti en heures selon la convention de l'opération.",
    ),
]
IMPORT_HEADER = {c.key: c.header for c in IMPORT_COLUMNS}
REQUIRED_HEADERS = ["placement_id", "month", "hours"]
NUMBER_KEYS = ["hours", "training_hours", "subcontracting_amount"]


@dataclass
class ImportIssue:
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"Ligne {self.row}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        message = self.message[:1].upper() + self.message[1:]
        return ((", ".join(where) + " : " + self.message) if where else message) + "."


@dataclass
class HoursImportReport:
    filename: str = ""
    dry_run: bool = False
    replace: bool = False
    rows: int = 0
    ignored: int = 0
    created: int = 0
    updated: int = 0
    error_count: int = 0
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    def error(self, row, key, message):
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            message = message.rstrip(".")
            self.errors.append(ImportIssue(row, IMPORT_HEADER.get(key, key), message[:1].lower() + message[1:]))

    @property
    def headline(self) -> str:
        name = f"« {self.filename} » " if self.filename else ""
        lines = f"{self.rows} ligne{'s' if self.rows > 1 else ''}"
        if not self.ok:
            count = self.error_count
            return (
                f"Fichier {name}refusé : {count} erreur{'s' if count > 1 else ''} sur {lines} lue"
                f"{'s' if self.rows > 1 else ''}. Rien n'a été enregistré."
            )
        done = f"{self.created} relevé{'s' if self.created > 1 else ''} créé{'s' if self.created > 1 else ''}"
        if self.replace:
            done += f", {self.updated} remplacé{'s' if self.updated > 1 else ''}"
        if self.ignored:
            done += f", {self.ignored} ligne{'s' if self.ignored > 1 else ''} sans heures ignorée"
            done += "s" if self.ignored > 1 else ""
        if self.dry_run:
            return f"Fichier {name}valide ({lines} ; {done}) : vérification seule, rien n'a été enregistré."
        return f"Fichier {name}importé ({lines}) : {done}."

    def lines(self) -> list[str]:
        lines = [self.headline]
        if self.errors:
            lines += ["", "Erreurs :"] + [f"- {e}" for e in self.errors]
            if self.more_errors:
                lines.append(f"- … et {self.more_errors} autres erreurs.")
        return lines


class _FileError(Exception):
    pass


def _binary(file):
    """A binary file object from bytes, a path, an UploadedFile or an open file."""
    if isinstance(file, bytes):
        return io.BytesIO(file)
    if isinstance(file, (str, Path)):
        return open(file, "rb")  # noqa: SIM115 (closed by the caller)
    inner = getattr(file, "file", file)  # UploadedFile -> its BytesIO or temporary file
    inner.seek(0)
    return inner


def _file_size(binary) -> int:
    position = binary.tell()
    binary.seek(0, io.SEEK_END)
    size = binary.tell()
    binary.seek(position)
    return size


def _is_xlsx(binary, filename: str) -> bool:
    head = binary.read(8)
    binary.seek(0)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _FileError(
            "le format .xls (Excel 97-2003) n'est pas pris en charge : enregistrez le fichier au format .xlsx ou CSV"
        )
    return extension in ("xlsx", "xlsm") or head.startswith(b"PK\x03\x04")


def _iter_xlsx(binary) -> Iterator[tuple[int, tuple]]:
    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds of errors on a damaged file
        raise _FileError("fichier XLSX illisible : est-ce bien un classeur Excel (.xlsx) ?") from e
    try:
        yield from enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def _iter_csv(binary) -> Iterator[tuple[int, list]]:
    head = binary.read(64 * 1024)
    binary.seek(0)
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as e:
        # A character cut at the end of the sample is still UTF-8; otherwise Excel's "CSV (point-virgule)".
        encoding = "utf-8-sig" if e.start >= len(head) - 3 else "cp1252"
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    try:
        first = text.readline()
        if not first:
            return
        delimiter = ";" if ";" in first else ("\t" if "\t" in first else ("," if "," in first else ";"))
        reader = csv.reader(_chain(first, text), delimiter=delimiter)
        yield from enumerate(reader, start=1)
    except UnicodeDecodeError as e:
        raise _FileError(
            "le fichier CSV mélange des encodages : enregistrez-le dans Excel en « CSV UTF-8 (délimité par des "
            "points-virgules) »"
        ) from e
    except csv.Error as e:
        raise _FileError(f"fichier CSV illisible : {e}") from e
    finally:
        text.detach()  # the caller closes the binary file


def _chain(first, rest):
    yield first
    yield from rest


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()


_NUMBER_SPACES = re.compile(r"[\s\u202f\xa0]")


def _parse_number(value) -> Decimal:
    """12, 12.5, "151,67", "1 234,50", "1234.5 €" -> Decimal; InvalidOperation otherwise."""
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # A computed cell (35 × 4.33) may be 151.54999999999998: that is 151.55.
        rounded = round(value, 2)
        return Decimal(repr(rounded if abs(value - rounded) < 1e-6 else value))
    text = _NUMBER_SPACES.sub("", str(value)).removesuffix("€").removesuffix("h").replace(",", ".")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _parse_id(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _cell_text(value).lstrip("#").removeprefix("n°").strip()
    return int(text) if text.isdigit() else None


def _header_keys() -> dict[str, str]:
    aliases = {}
    for column in IMPORT_COLUMNS:
        aliases[name_key(column.header)] = column.key
        aliases[name_key(re.sub(r"\(.*?\)", "", column.header))] = column.key
    aliases[name_key("Identifiant")] = "placement_id"
    aliases[name_key("Mois")] = "month"
    return aliases


@dataclass(slots=True)
class _Placement:
    started_on: date
    ended_on: date | None
    no_hours: bool
    name: str  # name_key of last and first names
    display: str
    operation_id: int


class _Rows:
    """The valid rows, packed in arrays of integers (cents, ordinals): 48 bytes a row, whatever the file."""

    def __init__(self):
        self.row = array("q")
        self.placement = array("q")
        self.month = array("q")
        self.hours = array("q")
        self.training = array("q")
        self.amount = array("q")  # -1: no amount

    def append(self, row, placement_id, month, hours, training, amount):
        self.row.append(row)
        self.placement.append(placement_id)
        self.month.append(month.toordinal())
        self.hours.append(int(hours * 100))
        self.training.append(int(training * 100))
        self.amount.append(-1 if amount is None else int(amount * 100))

    def __len__(self):
        return len(self.row)

    def values(self, index):
        amount = self.amount[index]
        return (
            self.placement[index],
            date.fromordinal(self.month[index]),
            Decimal(self.hours[index]) / 100,
            Decimal(self.training[index]) / 100,
            None if amount < 0 else Decimal(amount) / 100,
        )


def _key(placement_id: int, month_ordinal: int) -> int:
    return placement_id * 1_000_000 + month_ordinal


class _HoursImporter:
    def __init__(self, *, by, report: HoursImportReport):
        self.by = by
        self.report = report
        self.today_month = current_month()
        self.placements = self._load_placements()
        self.rows = _Rows()
        self.first_row_of = {}  # (placement, month) key -> row number, for duplicates in the file
        self.existing = {}  # key -> id of the record already saved, replaced with --replace

    def _load_placements(self) -> dict[int, _Placement]:
        """The user's placements, keyed by id, loaded once (no query per row)."""
        values = placements_for_hours(self.by).values_list(
            "pk",
            "started_on",
            "ended_on",
            "lot__legal_basis",
            "person__last_name",
            "person__first_name",
            "lot__market__operation",
        )
        return {
            pk: _Placement(
                started_on,
                ended_on,
                basis in NO_HOURS_BASES,
                name_key(last_name) + "|" + name_key(first_name),
                f"{first_name} {last_name.upper()}",
                operation_id,
            )
            for pk, started_on, ended_on, basis, last_name, first_name, operation_id in values.iterator(
                chunk_size=5_000
            )
        }

    def read(self, numbered_rows):
        report = self.report
        columns = None
        for number, values in numbered_rows:
            if columns is None:
                if all(_blank(v) for v in values):
                    break
                columns = self._columns(values)
                if columns is None:
                    return
                continue
            if all(_blank(v) for v in values):
                continue
            report.rows += 1
            if report.rows > MAX_ROWS:
                report.error(None, None, "trop de lignes : 200 000 au plus par fichier, découpez-le")
                return
            self._row(number, {key: values[i] if i < len(values) else None for key, i in columns.items()})
        if columns is None:
            report.error(None, None, "le fichier est vide : la première ligne doit contenir les en-têtes des colonnes")

    def _columns(self, header) -> dict[str, int] | None:
        aliases = _header_keys()
        columns = {}
        for index, value in enumerate(header):
            key = aliases.get(name_key(_cell_text(value)))
            if key is None:
                continue
            if key in columns:
                self.report.error(1, key, "colonne en double dans la ligne d'en-tête")
            columns[key] = index
        missing = [key for key in REQUIRED_HEADERS if key not in columns]
        for key in missing:
            self.report.error(
                1, key, "colonne absente : la première ligne doit reprendre les en-têtes du modèle à télécharger"
            )
        return None if missing or not self.report.ok else columns

    def _row(self, number, cells):
        report = self.report
        # Numbers first: a row without hours nor amount (a prefilled row left empty) is ignored.
        numbers, number_errors = {}, []
        for key in NUMBER_KEYS:
            value = cells.get(key)
            numbers[key] = None
            if _blank(value):
                continue
            try:
                numbers[key] = _parse_number(value)
            except (InvalidOperation, ValueError):
                number_errors.append((key, f"nombre invalide « {_cell_text(value)} » (par exemple 151,67)"))
        if not number_errors and all(numbers[k] in (None, ZERO) for k in NUMBER_KEYS):
            report.ignored += 1
            return
        if not number_errors:
            number_errors = list(amount_errors(**numbers).items())
        errors = []
        placement_id, placement = self._placement(number, cells, errors)
        month = self._month(cells, placement, errors)
        errors += number_errors
        if placement is not None and month is not None:
            key = _key(placement_id, month.toordinal())
            first = self.first_row_of.get(key)
            if first is not None:
                errors.append(
                    (
                        "month",
                        f"{month_label(month)} figure déjà ligne {first} pour la mise en emploi n° {placement_id} : "
                        "une seule ligne par mise en emploi et par mois",
                    )
                )
            else:
                self.first_row_of[key] = number
        for key, message in errors:
            report.error(number, key, message)
        if not errors:
            self.rows.append(
                number,
                placement_id,
                month,
                numbers["hours"] or ZERO,
                numbers["training_hours"] or ZERO,
                numbers["subcontracting_amount"],
            )

    def _placement(self, number, cells, errors):
        value = cells["placement_id"]
        if _blank(value):
            errors.append(("placement_id", "identifiant manquant"))
            return None, None
        placement_id = _parse_id(value)
        if placement_id is None:
            errors.append(
                (
                    "placement_id",
                    f"identifiant invalide « {_cell_text(value)} » : un nombre entier, tel que le modèle le donne",
                )
            )
            return None, None
        placement = self.placements.get(placement_id)
        if placement is None:
            message = f"mise en emploi n° {placement_id} inconnue, ou dont vous ne déclarez pas les heures"
            errors.append(("placement_id", message))
            return placement_id, None
        if placement.no_hours:
            message = f"mise en emploi n° {placement_id} sur un marché d'insertion : suivi qualitatif, sans heures"
            errors.append(("placement_id", message))
            return placement_id, None
        last, first = _cell_text(cells.get("last_name")), _cell_text(cells.get("first_name"))
        expected_last, expected_first = placement.name.split("|")
        for key, given, expected in (("last_name", last, expected_last), ("first_name", first, expected_first)):
            if given and name_key(given) != expected:
                errors.append(
                    (
                        key,
                        f"« {given} » ne correspond pas à la mise en emploi n° {placement_id} "
                        f"({placement.display}) : vérifiez l'identifiant",
                    )
                )
        return placement_id, placement

    def _month(self, cells, placement, errors):
        value = cells["month"]
        if _blank(value):
            errors.append(("month", "mois manquant (AAAA-MM, par exemple 2024-03)"))
            return None
        month = parse_month(value)
        if month is None:
            errors.append(("month", f"mois invalide « {_cell_text(value)} » : attendu AAAA-MM, par exemple 2024-03"))
            return None
        if placement is not None:
            for message in month_errors(
                month=month, started_on=placement.started_on, ended_on=placement.ended_on, today_month=self.today_month
            ):
                errors.append(("month", message[:1].lower() + message[1:]))
        return month

    def check_existing(self, *, replace: bool):
        """Months already saved: an error, or records to replace. One query per 500 placements of the file."""
        if not len(self.rows):
            return
        placement_ids = sorted(set(self.rows.placement))
        months = self.rows.month
        first, last = date.fromordinal(min(months)), date.fromordinal(max(months))
        for start in range(0, len(placement_ids), 500):
            chunk = placement_ids[start : start + 500]
            saved = HoursRecord.objects.filter(placement_id__in=chunk, month__gte=first, month__lte=last)
            for pk, placement_id, month, hours in saved.values_list("pk", "placement_id", "month", "hours"):
                key = _key(placement_id, month.toordinal())
                if key in self.first_row_of:
                    self.existing[key] = (pk, hours)
        if replace or not self.existing:
            return
        for index in range(len(self.rows)):
            key = _key(self.rows.placement[index], self.rows.month[index])
            if key in self.existing:
                month = date.fromordinal(self.rows.month[index])
                self.report.error(
                    self.rows.row[index],
                    "month",
                    f"les heures de {month_label(month)} sont déjà enregistrées pour la mise en emploi "
                    f"n° {self.rows.placement[index]} ({_fr(self.existing[key][1])} h) : cochez « Remplacer les "
                    "mois déjà saisis » pour les corriger",
                )

    def write(self):
        """Create (and replace) the records, then their history rows stamped with the importing user, then
        store what they count."""
        writer = _SqlWriter(by=self.by)
        new_keys = []
        batch, updates = [], []
        for index in range(len(self.rows)):
            placement_id, month, hours, training, amount = self.rows.values(index)
            key = _key(placement_id, self.rows.month[index])
            existing = self.existing.get(key)
            if existing is None:
                new_keys.append(key)
                batch.append((placement_id, month, hours, training, amount))
            else:
                updates.append((existing[0], hours, training, amount))
            if len(batch) >= BATCH_SIZE:
                writer.insert(batch)
                batch = []
            if len(updates) >= BATCH_SIZE:
                writer.update(updates)
                updates = []
        writer.insert(batch)
        writer.update(updates)
        writer.history_of_inserted(self._new_ids(new_keys))
        self._count()
        self.report.created = writer.inserted
        self.report.updated = writer.updated

    def _count(self):
        """Store what the records just written (inserted with 0, or replaced) count: one UPDATE joined to the
        computation of tremplin.clauses.counting per block of the file's placements, over its months."""
        if not len(self.rows):
            return
        placement_ids = sorted(set(self.rows.placement))
        first, last = date.fromordinal(min(self.rows.month)), date.fromordinal(max(self.rows.month))
        # On SQLite the placements share the 999 parameters of a statement with those of the computation.
        size = min(COUNT_CHUNK, (connection.features.max_query_params or COUNT_CHUNK) - 100)
        # All the locks at once, before the refreshes block by block.
        lock_operations(sorted({self.placements[pk].operation_id for pk in placement_ids}))
        for start in range(0, len(placement_ids), size):
            records = HoursRecord.objects.filter(
                placement_id__in=placement_ids[start : start + size], month__gte=first, month__lte=last
            )
            refresh_counted_hours(records)

    def _new_ids(self, new_keys):
        """Ids of the records just inserted, read back per 500 placements (no query per row)."""
        if not new_keys:
            return []
        wanted = set(new_keys)
        placement_ids = sorted({key // 1_000_000 for key in wanted})
        months = [key % 1_000_000 for key in wanted]
        first, last = date.fromordinal(min(months)), date.fromordinal(max(months))
        ids = []
        for start in range(0, len(placement_ids), 500):
            saved = HoursRecord.objects.filter(
                placement_id__in=placement_ids[start : start + 500], month__gte=first, month__lte=last
            )
            for pk, placement_id, month in saved.values_list("pk", "placement_id", "month"):
                if _key(placement_id, month.toordinal()) in wanted:
                    ids.append(pk)
        return ids


class _SqlWriter:
    """Plain SQL writes: multi-row INSERT and executemany UPDATE; on PostgreSQL, COPY (the fast way in).

    The ORM's bulk_create and bulk_update (and simple-history's helpers built on them) prepare every value
    of every row through its field, about a millisecond a record with its history row: a 100,000-row
    statement would take minutes. Values here are adapted once per distinct date, the rest by the driver.
    The history rows are those simple-history writes: a copy of the record, history_type "+" or "~"."""

    def __init__(self, *, by):
        self.by = by
        self.inserted = self.updated = 0
        ops = connection.ops
        self.now = timezone.now()
        self.db_now = ops.adapt_datetimefield_value(self.now)
        self._months = {}
        self.table = ops.quote_name(HoursRecord._meta.db_table)
        self.history_model = HoursRecord.history.model
        self.record_columns = [f.attname for f in HoursRecord._meta.concrete_fields if not f.primary_key]
        self.history_columns = [
            f.attname for f in self.history_model._meta.concrete_fields if f.attname != "history_id"
        ]
        # The record's columns kept in its history (not counted_hours: excluded from the history model).
        self.tracked_columns = ["id"] + [c for c in self.record_columns if c in self.history_columns]

    def _month(self, month):
        if month not in self._months:
            self._months[month] = connection.ops.adapt_datefield_value(month)
        return self._months[month]

    def _insert(self, model, columns, rows):
        """Rows in: COPY on PostgreSQL, multi-row INSERT statements elsewhere (SQLite parses them cheaply)."""
        if not rows:
            return
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
            size = max(1, min(1_000, (connection.features.max_query_params or 999) // len(columns)))
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([row_sql] * len(chunk))
                cursor.execute(sql, [value for row in chunk for value in row])

    def insert(self, batch):
        if not batch:
            return
        values = {"created_at": self.db_now, "updated_at": self.db_now, "worked_on_id": None, "evidence": ""}
        values["recorded_by_id"] = self.by.pk
        values["counted_hours"] = ZERO  # counted once everything is written (_HoursImporter._count)
        rows = []
        for placement_id, month, hours, training, amount in batch:
            values.update(
                placement_id=placement_id,
                month=self._month(month),
                hours=hours,
                training_hours=training,
                subcontracting_amount=amount,
            )
            rows.append([values[c] for c in self.record_columns])
        self._insert(HoursRecord, self.record_columns, rows)
        self.inserted += len(rows)

    def update(self, changes):
        if not changes:
            return
        quote = connection.ops.quote_name
        assignments = ", ".join(
            f"{quote(c)} = %s" for c in ("hours", "training_hours", "subcontracting_amount", "recorded_by_id")
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One UPDATE joined to the new values, copied into a temporary table.
                cursor.execute(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS clauses_hours_import_update (id bigint PRIMARY KEY, "
                    "hours numeric(6, 2), training_hours numeric(6, 2), subcontracting_amount numeric(12, 2)) "
                    "ON COMMIT DROP"
                )
                cursor.execute("TRUNCATE clauses_hours_import_update")
                with cursor.cursor.copy("COPY clauses_hours_import_update FROM STDIN") as copy:
                    for row in changes:
                        copy.write_row(row)
                cursor.execute(
                    f"UPDATE {self.table} AS r SET hours = u.hours, training_hours = u.training_hours, "
                    "subcontracting_amount = u.subcontracting_amount, recorded_by_id = %s, updated_at = %s "
                    "FROM clauses_hours_import_update AS u WHERE r.id = u.id",
                    [self.by.pk, self.db_now],
                )
            else:
                sql = f"UPDATE {self.table} SET {assignments}, {quote('updated_at')} = %s WHERE {quote('id')} = %s"
                rows = [(h, t, a, self.by.pk, self.db_now, pk) for pk, h, t, a in changes]
                cursor.executemany(sql, rows)
        self.updated += len(changes)
        self._history([pk for pk, *_ in changes], "~")

    def history_of_inserted(self, ids):
        for start in range(0, len(ids), BATCH_SIZE):
            self._history(ids[start : start + BATCH_SIZE], "+")

    def _history(self, ids, history_type):
        """Copy the saved records (read back, as the database holds them) into the history table."""
        tracked = self.tracked_columns
        extra = {
            "history_date": self.db_now,
            "history_change_reason": None,
            "history_type": history_type,
            "history_user_id": self.by.pk,
        }
        rows = []
        for start in range(0, len(ids), 500):
            chunk = HoursRecord.objects.filter(pk__in=ids[start : start + 500]).values_list(*tracked)
            for saved in chunk:
                values = dict(zip(tracked, saved, strict=True))
                values["month"] = self._month(values["month"])
                values["created_at"] = connection.ops.adapt_datetimefield_value(values["created_at"])
                values["updated_at"] = self.db_now
                values.update(extra)
                rows.append([values[c] for c in self.history_columns])
        self._insert(self.history_model, self.history_columns, rows)


def import_hours(file, *, by, filename: str = "", dry_run: bool = False, replace: bool = False) -> HoursImportReport:
    """Validate a monthly statement (XLSX or CSV) row by row, then write it in one transaction, or nothing.

    `file`: bytes, a path, an UploadedFile or a binary file. Months already recorded are errors unless
    `replace`; then they are replaced (hours, training hours, amount; the evidence stays)."""
    if not can_declare_hours(by):
        raise PermissionDenied("Vous ne déclarez pas d'heures d'insertion.")
    filename = filename or str(getattr(file, "name", "") or (file if isinstance(file, (str, Path)) else ""))
    report = HoursImportReport(filename=Path(filename).name, dry_run=dry_run, replace=replace)
    binary = _binary(file)
    try:
        if _file_size(binary) > MAX_FILE_SIZE:
            report.error(None, None, f"fichier trop volumineux (plus de {MAX_FILE_SIZE // 1024 // 1024} Mo)")
            return report
        importer = _HoursImporter(by=by, report=report)
        rows = None
        try:
            rows = _iter_xlsx(binary) if _is_xlsx(binary, filename) else _iter_csv(binary)
            importer.read(rows)
        except _FileError as e:
            report.error(None, None, str(e))
            return report
        finally:
            if rows is not None:
                rows.close()  # the reader lets go of the file before it is closed
    finally:
        if isinstance(file, (str, Path)):
            binary.close()
    if report.ok and not report.rows:
        report.error(None, None, "aucune ligne de données sous la ligne d'en-tête")
    if report.rows and report.rows == report.ignored:
        report.error(None, None, "aucune ligne ne contient d'heures ni de montant : rien à importer")
    if not report.ok and not len(importer.rows):
        return report
    # Also for a file with errors elsewhere, so that every error is reported at once.
    importer.check_existing(replace=replace)
    if not report.ok:
        return report
    if dry_run:
        report.updated = len(importer.existing)
        report.created = len(importer.rows) - report.updated
        return report
    try:
        with transaction.atomic():
            importer.write()
    except (DatabaseError, ValidationError) as e:
        report.created = report.updated = 0
        report.error(None, None, f"erreur inattendue à l'enregistrement, rien n'a été enregistré ({e})")
    return report


# --- The template ------------------------------------------------------------------------------------

TEMPLATE_FILENAME = "modele-heures-insertion.xlsx"
HELP_INTRO = [
    "Relevé mensuel des heures d'insertion",
    "",
    "Une ligne par mise en emploi et par mois. L'onglet « Heures » est prérempli avec vos mises en emploi en "
    "cours : complétez les heures du mois (d'après les bulletins de paie ou les relevés), ajoutez des lignes pour "
    "d'autres mois en recopiant l'identifiant, le nom et le prénom.",
    "Une ligne sans heures ni montant est ignorée. Le fichier est vérifié en entier avant tout enregistrement : "
    "s'il contient une erreur, rien n'est enregistré, et chaque erreur est signalée avec sa ligne et sa colonne.",
    "Un mois déjà enregistré est refusé, sauf si vous cochez « Remplacer les mois déjà saisis » à l'import.",
    "Les justificatifs (bulletins, relevés) se joignent ensuite dans Tremplin, mois par mois.",
    "Enregistrez le fichier au format .xlsx, ou en « CSV UTF-8 (délimité par des points-virgules) ».",
    "",
]


def template_rows(user, *, today: date | None = None):
    """(id, last name, first name, month) of the user's placements running now or last month."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    placements = (
        placements_for_hours(user)
        .exclude(lot__legal_basis__in=NO_HOURS_BASES)
        .filter(started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=last_month))
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list("pk", "person__last_name", "person__first_name", "started_on")
    )
    for pk, last_name, first_name, started_on in placements.iterator(chunk_size=2_000):
        month = last_month if started_on < this_month else this_month
        yield pk, last_name, first_name, f"{month:%Y-%m}"


def build_template(user) -> bytes:
    """The XLSX template: the "Heures" sheet (headers, prefilled rows) and the "Aide" sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Heures"
    sheet.append([c.header for c in IMPORT_COLUMNS])
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(40, len(column.header) + 4))
    for pk, last_name, first_name, month in template_rows(user):
        sheet.append([pk, last_name, first_name, month, None, None, None])
    month_column = get_column_letter(4)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "@"  # text: Excel must not turn 2024-03 into a date
    sheet.column_dimensions[month_column].width = 18
    for column in ("E", "F", "G"):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=ord(column) - 64, max_col=ord(column) - 64):
            cell.number_format = "0.00"
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("Aide")
    for line in HELP_INTRO:
        help_sheet.append([line])
    help_sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    help_sheet.append(["Colonne", "Obligatoire", "Contenu attendu"])
    for cell in help_sheet[help_sheet.max_row]:
        cell.font = Font(bold=True)
    for column in IMPORT_COLUMNS:
        help_sheet.append([column.header, column.required, column.help])
    help_sheet.column_dimensions["A"].width = 36
    help_sheet.column_dimensions["B"].width = 22
    help_sheet.column_dimensions["C"].width = 100
    for row in help_sheet.iter_rows(min_row=len(HELP_INTRO) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
