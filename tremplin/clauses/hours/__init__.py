"""The hours ledger: monthly hours per placement, entered by hand or imported from a company's statement.

- access: who declares hours (the one door to placements and records for these pages);
- ledger: the rules of a monthly record, and the services that write one (form);
- statement, importing, writer: the import of a monthly statement (columns, reading and checking the rows,
  writing them in plain SQL), all or nothing;
- template: the XLSX template prefilled with the user's placements.
"""

from tremplin.clauses.hours.access import (
    HOURS_ROLES,
    can_declare_hours,
    get_placement_for_hours,
    get_record_for_hours,
    placements_for_hours,
)
from tremplin.clauses.hours.importing import import_hours
from tremplin.clauses.hours.ledger import (
    EVIDENCE_ACCEPT,
    EVIDENCE_MAX_SIZE,
    MAX_MONTHLY_AMOUNT,
    amount_errors,
    current_month,
    duplicate_record_id,
    hours_warnings,
    month_end,
    month_errors,
    parse_month,
    record_hours,
    update_hours,
    validate_evidence,
    worked_on_choices,
)
from tremplin.clauses.hours.statement import (
    IMPORT_COLUMNS,
    MAX_FILE_SIZE,
    MAX_ROWS,
    HoursImportReport,
    ImportColumn,
    ImportIssue,
)
from tremplin.clauses.hours.template import TEMPLATE_FILENAME, build_template, template_rows
from tremplin.core.formatting import month_label

__all__ = [
    "EVIDENCE_ACCEPT",
    "EVIDENCE_MAX_SIZE",
    "HOURS_ROLES",
    "IMPORT_COLUMNS",
    "MAX_FILE_SIZE",
    "MAX_MONTHLY_AMOUNT",
    "MAX_ROWS",
    "TEMPLATE_FILENAME",
    "HoursImportReport",
    "ImportColumn",
    "ImportIssue",
    "amount_errors",
    "build_template",
    "can_declare_hours",
    "current_month",
    "duplicate_record_id",
    "get_placement_for_hours",
    "get_record_for_hours",
    "hours_warnings",
    "import_hours",
    "month_end",
    "month_errors",
    "month_label",
    "parse_month",
    "placements_for_hours",
    "record_hours",
    "template_rows",
    "update_hours",
    "validate_evidence",
    "worked_on_choices",
]
