"""Import of PLIE participants, pathways and contracts from the tool used before Tremplin.

One XLSX workbook or CSV file (read by tremplin.core.spreadsheets), with the French headers of SHEETS: the
"Participants" sheet (the only one of a CSV), one row per contract or per participant; for a workbook, the
"Étapes" and "Créations d'entreprise" sheets, one row per record tied to its person by the three identity
columns. With the contracts' planned and actual ends, alternance concluded as a CDI, the participant's
agreement to part-time work and the cellule's ACI validation, they carry what backs the seven positive-exit
criteria (plie.exits). A column or a sheet the template does not know is an error, never data dropped.
Rows of the same person (same normalised names, in either order, and birth date) make one person and one
pathway; a person already in the registry is matched, never duplicated (same rule as
`people.services.find_likely_duplicates`). Dates of facts that happened are never in the future
(core.dates, the words of the forms).

Everything is validated first, row by row, and every error is reported with its row (as Excel shows it:
the header is row 1) and its column. Nothing is written unless the whole file is valid; then everything is
written in one transaction, the importing user stamped on every history row. Imported pathways were
validated in the old tool: they are created ACTIVE, or EXITED with their exit, directly, with the PLIE
follow-up of their structure and référent. A positive exit keeps the criterion that `assess_exit` confirms
at its date, or is kept without one (and a warning).

Records are written in bulk (a few seconds for 2,000 rows), with the checks of the services done
beforehand: `people.services.create_person` is not used since it would also open a follow-up in the
importing user's own structure.

- columns: the sheets, their columns and limits; values: each cell parsed; validation: rows, people, pathways;
  records: the étapes and business creations;
  drafts: the exit rules on records not saved yet; writing: the bulk writes; report: errors and counts;
  service: import_file; template: the XLSX template.
"""

from tremplin.plie.imports.columns import COLUMNS, MAX_FILE_SIZE, MAX_ROWS, SHEETS, Column, SheetSpec
from tremplin.plie.imports.drafts import assess_draft
from tremplin.plie.imports.report import ImportIssue, ImportReport
from tremplin.plie.imports.service import import_file
from tremplin.plie.imports.template import TEMPLATE_FILENAME, build_template

__all__ = [
    "COLUMNS",
    "MAX_FILE_SIZE",
    "MAX_ROWS",
    "SHEETS",
    "TEMPLATE_FILENAME",
    "Column",
    "ImportIssue",
    "ImportReport",
    "SheetSpec",
    "assess_draft",
    "build_template",
    "import_file",
]
