"""import_file: validate the whole file, then write it in one transaction, or nothing at all."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from tremplin.core.spreadsheets import SpreadsheetError, read_sheet, xlsx_sheet_names
from tremplin.core.text import name_key
from tremplin.plie.imports.columns import HELP_SHEET, LIMITS, MAIN_SHEET, SHEETS, WORKBOOK_WIDTH
from tremplin.plie.imports.report import ImportIssue, ImportReport, _d
from tremplin.plie.imports.validation import Importer
from tremplin.plie.imports.writing import write
from tremplin.plie.perms import is_cell_member

_SHEET_ORDER = {None: 0} | {spec.name: index for index, spec in enumerate(SHEETS) if spec is not MAIN_SHEET}
_COLUMN_ORDER = {}
for _spec in SHEETS:
    for _column in _spec.columns:
        _COLUMN_ORDER.setdefault(_column.header, len(_COLUMN_ORDER))


def _issue_order(issue: ImportIssue):
    return (
        _SHEET_ORDER.get(issue.sheet, len(SHEETS)),
        issue.row or 0,
        _COLUMN_ORDER.get(issue.column, len(_COLUMN_ORDER)),
    )


def _open_sheets(content, filename, report) -> list:
    """(spec, Sheet) of each sheet of the template the file has: the "Participants" sheet (the first sheet of a
    workbook without one, or a CSV), and for a workbook its "Étapes" and "Créations d'entreprise" sheets. A
    workbook's other sheets are errors unless empty (or the template's help): nothing of them would be read."""
    names = xlsx_sheet_names(content)
    by_key = {name_key(name): name for name in names}
    found = {spec.name: by_key.get(name_key(spec.name)) for spec in SHEETS}
    others = {name_key(spec.name) for spec in SHEETS if spec is not MAIN_SHEET}
    if names and found[MAIN_SHEET.name] is None:
        found[MAIN_SHEET.name] = next((n for n in names if name_key(n) not in others), names[0])
    sheets = []
    try:
        for spec in SHEETS:
            if spec is not MAIN_SHEET and found[spec.name] is None:
                continue
            sheet_name = found[spec.name]
            try:
                sheet = read_sheet(
                    content,
                    filename=filename,
                    columns=spec.sheet_columns,
                    required=spec.required,
                    limits=LIMITS,
                    sheet_name=sheet_name,
                    workbook_width=WORKBOOK_WIDTH,
                )
            except SpreadsheetError as e:
                if spec is not MAIN_SHEET and _empty(e):
                    continue  # an empty optional sheet
                report.error(e.row, e.column, e.message, sheet=None if spec is MAIN_SHEET else spec.name)
                continue
            sheets.append((spec, sheet))
        known = {name_key(n) for n in found.values() if n} | {name_key(HELP_SHEET)}
        for name in names:
            if name_key(name) not in known and not _blank_sheet(content, filename, name):
                report.error(
                    None,
                    None,
                    f"onglet inconnu « {name} » : le modèle a les onglets « Participants », « Étapes » et « Créations "
                    "d'entreprise » (et « Aide ») ; renommez-le comme l'un d'eux, ou retirez-le ; rien n'a été "
                    "enregistré",
                    sheet=name,
                )
    except BaseException:
        for _, sheet in sheets:
            sheet.close()
        raise
    return sheets


def _empty(error: SpreadsheetError) -> bool:
    return error.message.startswith("le fichier est vide")


def _blank_sheet(content, filename, name) -> bool:
    try:
        sheet = read_sheet(
            content,
            filename=filename,
            columns=[],
            required=[],
            limits=LIMITS,
            sheet_name=name,
            workbook_width=WORKBOOK_WIDTH,
        )
    except SpreadsheetError as e:
        return _empty(e)
    sheet.close()
    return False


class _DryRun(Exception):
    pass


def import_file(file, *, by, filename: str = "", dry_run: bool = False) -> ImportReport:
    """Validate the whole file, then write it in one transaction, or nothing at all.

    `file` is bytes or a file-like object (an UploadedFile); the report lists every error with its
    row and column, or what was created (what would be, with dry_run)."""
    if not is_cell_member(by):
        raise PermissionDenied("Seule la cellule de suivi des entrées et sorties importe des parcours.")
    filename = filename or getattr(file, "name", "") or ""
    report = ImportReport(filename=filename.rsplit("/", 1)[-1], dry_run=dry_run)
    content = file if isinstance(file, bytes) else file.read()
    sheets = []
    try:
        sheets = _open_sheets(content, filename, report)
        importer = Importer(sheets, by, report)
        rows = importer.parse()
    finally:
        for _, sheet in sheets:
            sheet.close()
    if not report.ok:
        report.errors.sort(key=lambda issue: _SHEET_ORDER.get(issue.sheet, len(SHEETS)))  # each sheet's in its order
        return report
    if not rows:
        report.error(None, None, "aucune ligne de données sous la ligne d'en-tête")
        return report
    groups = importer.validate(rows)
    if not report.ok:
        report.errors.sort(key=_issue_order)
        return report
    try:
        with transaction.atomic():
            report.created = write(importer, groups)
            report.matched = [
                f"Ligne {g.first} : {g.person.full_name}, né·e le {_d(g.person.birth_date)}"
                for g in groups
                if g.matched
            ]
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except (DatabaseError, ValidationError) as e:
        report.created, report.matched = {}, []
        report.error(None, None, f"erreur inattendue à l'enregistrement, rien n'a été enregistré ({e})")
    return report
