"""The import of a company's monthly statement: every row checked first, then everything written, or nothing.

The file is read by tremplin.core.spreadsheets (formats, encodings, caps), streamed row by row against the
user's placements loaded once; the valid rows are packed in arrays (48 bytes a row, whatever the file) and
written by tremplin.clauses.hours.writer in one transaction, then counted (tremplin.clauses.counting).
"""

import re
from array import array
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from tremplin.clauses.counting import lock_operations, refresh_counted_hours
from tremplin.clauses.enums import NO_HOURS_BASES
from tremplin.clauses.hours.access import can_declare_hours, placements_for_hours
from tremplin.clauses.hours.ledger import (
    TRAINING_HOURS_RULE,
    ZERO,
    amount_errors,
    current_month,
    month_errors,
    parse_month,
    training_hours_count,
)
from tremplin.clauses.hours.statement import (
    BATCH_SIZE,
    COUNT_CHUNK,
    LIMITS,
    NUMBER_KEYS,
    REQUIRED_HEADERS,
    SHEET_COLUMNS,
    HoursImportReport,
)
from tremplin.clauses.hours.writer import SqlWriter, record_key
from tremplin.clauses.models import HoursRecord
from tremplin.core.contracts import ContractType
from tremplin.core.formatting import decimal2 as _fr, month_label, of_month
from tremplin.core.spreadsheets import Sheet, SpreadsheetError, blank as _blank, cell_text as _cell_text, read_sheet
from tremplin.core.text import name_key

_NUMBER_SPACES = re.compile(r"[\s\u202f\xa0]")


def _parse_number(value) -> Decimal:
    """12, 12.5, "151,67", "1 234,50", "1234.5 €" -> Decimal; InvalidOperation otherwise."""
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # A computed cell (35 × 4.33) may be 151.54999999999998: that is 151.55.
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidOperation
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
    # ASCII digits only ("²" and "٣" are digits to str.isdigit, not to int), and no more than an id holds.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


@dataclass(slots=True)
class _Placement:
    started_on: date
    ended_on: date | None
    no_hours: bool
    name: str  # name_key of last and first names
    display: str
    operation_id: int
    contract: str


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
            "contract",
        )
        return {
            pk: _Placement(
                started_on,
                ended_on,
                basis in NO_HOURS_BASES,
                name_key(last_name) + "|" + name_key(first_name),
                f"{first_name} {last_name.upper()}",
                operation_id,
                contract,
            )
            for pk, started_on, ended_on, basis, last_name, first_name, operation_id, contract in values.iterator(
                chunk_size=5_000
            )
        }

    def read(self, sheet: Sheet):
        """Every row of the file, checked against the placements loaded once."""
        for issue in sheet.issues:
            self.report.error(issue.row, issue.key or issue.column, issue.message)
        if sheet.issues:
            return
        for number, cells in sheet.rows():
            self.report.rows += 1
            self._row(number, cells)

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
            except (ArithmeticError, ValueError):
                shown = _cell_text(value)[:30]
                number_errors.append((key, f"nombre invalide « {shown} » (par exemple 151,67)"))
        if not number_errors and all(numbers[k] in (None, ZERO) for k in NUMBER_KEYS):
            report.ignored += 1
            return
        if not number_errors:
            number_errors = list(amount_errors(**numbers).items())
        errors = []
        placement_id, placement = self._placement(number, cells, errors)
        month = self._month(cells, placement, errors)
        errors += number_errors
        if placement is not None and not number_errors and numbers["training_hours"]:
            errors += self._training_errors(placement_id, placement)
        if placement is not None and month is not None:
            key = record_key(placement_id, month.toordinal())
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

    @staticmethod
    def _training_errors(placement_id, placement) -> list[tuple[str, str]]:
        """Training hours on a placement that is not an alternance would count for nothing: refused, with the
        rule the form warns of (tremplin.clauses.hours.ledger)."""
        if training_hours_count(placement.contract):
            return []
        contract = ContractType(placement.contract).label if placement.contract in ContractType else placement.contract
        return [
            (
                "training_hours",
                f"{TRAINING_HOURS_RULE}, or la mise en emploi n° {placement_id} est en « {contract} » : laissez "
                "cette colonne vide (ou à 0), ou corrigez l'identifiant",
            )
        ]

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
                key = record_key(placement_id, month.toordinal())
                if key in self.first_row_of:
                    self.existing[key] = (pk, hours)
        if replace or not self.existing:
            return
        for index in range(len(self.rows)):
            key = record_key(self.rows.placement[index], self.rows.month[index])
            if key in self.existing:
                month = date.fromordinal(self.rows.month[index])
                self.report.error(
                    self.rows.row[index],
                    "month",
                    f"les heures {of_month(month)} sont déjà enregistrées pour la mise en emploi "
                    f"n° {self.rows.placement[index]} ({_fr(self.existing[key][1])} h) : cochez « Remplacer les "
                    "mois déjà saisis » pour les corriger",
                )

    def write(self):
        """Create (and replace) the records, then their history rows stamped with the importing user, then
        store what they count."""
        writer = SqlWriter(by=self.by)
        new_keys = []
        batch, updates = [], []
        for index in range(len(self.rows)):
            placement_id, month, hours, training, amount = self.rows.values(index)
            key = record_key(placement_id, self.rows.month[index])
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
                if record_key(placement_id, month.toordinal()) in wanted:
                    ids.append(pk)
        return ids


def import_hours(file, *, by, filename: str = "", dry_run: bool = False, replace: bool = False) -> HoursImportReport:
    """Validate a monthly statement (XLSX or CSV) row by row, then write it in one transaction, or nothing.

    `file`: bytes, a path, an UploadedFile or a binary file. Months already recorded are errors unless
    `replace`; then they are replaced (hours, training hours, amount; the evidence stays)."""
    if not can_declare_hours(by):
        raise PermissionDenied("Vous ne déclarez pas d'heures d'insertion.")
    filename = filename or str(getattr(file, "name", "") or (file if isinstance(file, (str, Path)) else ""))
    report = HoursImportReport(filename=Path(filename).name, dry_run=dry_run, replace=replace)
    binary = open(file, "rb") if isinstance(file, (str, Path)) else file  # noqa: SIM115 (closed below)
    importer = _HoursImporter(by=by, report=report)
    sheet = None
    try:
        sheet = read_sheet(binary, filename=filename, columns=SHEET_COLUMNS, required=REQUIRED_HEADERS, limits=LIMITS)
        importer.read(sheet)
    except SpreadsheetError as e:
        report.error(e.row, e.column, e.message)
        return report
    finally:
        if sheet is not None:
            sheet.close()  # the reader lets go of the file before it is closed
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
