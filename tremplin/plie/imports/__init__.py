"""Import of PLIE participants, pathways and contracts from the tool used before Tremplin.

One XLSX or CSV file (read by tremplin.core.spreadsheets), one row per contract or per participant, with
the French headers of COLUMNS. Rows of the same person (same normalised name and birth date) make one
person and one pathway; a person already in the registry is matched, never duplicated (same rule as
`people.services.find_likely_duplicates`).

Everything is validated first, row by row, and every error is reported with its row (as Excel shows it:
the header is row 1) and its column. Nothing is written unless the whole file is valid; then everything is
written in one transaction, the importing user stamped on every history row. Imported pathways were
validated in the old tool: they are created ACTIVE, or EXITED with their exit, directly, with the PLIE
follow-up of their structure and référent. A positive exit keeps the criterion that `assess_exit` confirms
at its date, or is kept without one (and a warning).

Records are written in bulk (a few seconds for 2,000 rows), with the checks of the services done
beforehand: `people.services.create_person` is not used since it would also open a follow-up in the
importing user's own structure.

- columns: the file's columns and limits; values: each cell parsed; validation: rows, people, pathways;
  drafts: the exit rules on records not saved yet; writing: the bulk writes; report: errors and counts;
  service: import_file; template: the XLSX template.
"""

from tremplin.plie.imports.columns import COLUMNS, MAX_FILE_SIZE, MAX_ROWS, Column
from tremplin.plie.imports.drafts import assess_draft
from tremplin.plie.imports.report import ImportIssue, ImportReport
from tremplin.plie.imports.service import import_file
from tremplin.plie.imports.template import TEMPLATE_FILENAME, build_template

__all__ = [
    "COLUMNS",
    "MAX_FILE_SIZE",
    "MAX_ROWS",
    "TEMPLATE_FILENAME",
    "Column",
    "ImportIssue",
    "ImportReport",
    "assess_draft",
    "build_template",
    "import_file",
]
