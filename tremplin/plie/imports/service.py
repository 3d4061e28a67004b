"""import_file: validate the whole file, then write it in one transaction, or nothing at all."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from tremplin.core.spreadsheets import SpreadsheetError, read_sheet
from tremplin.plie.imports.columns import COLUMNS, LIMITS, REQUIRED_COLUMNS, SHEET_COLUMNS
from tremplin.plie.imports.report import ImportIssue, ImportReport, _d
from tremplin.plie.imports.validation import Importer
from tremplin.plie.imports.writing import write
from tremplin.plie.perms import is_cell_member

_COLUMN_ORDER = {c.header: index for index, c in enumerate(COLUMNS)}


def _issue_order(issue: ImportIssue):
    return (issue.row or 0, _COLUMN_ORDER.get(issue.column, len(_COLUMN_ORDER)))


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
    sheet = None
    try:
        sheet = read_sheet(content, filename=filename, columns=SHEET_COLUMNS, required=REQUIRED_COLUMNS, limits=LIMITS)
        importer = Importer(sheet, by, report)
        rows = importer.parse()
    except SpreadsheetError as e:
        report.error(e.row, e.column, e.message)
        return report
    finally:
        if sheet is not None:
            sheet.close()
    if not report.ok:
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
