"""Database-specific pieces of the no-overlap rule (migration 0002)."""

from django.db.migrations.operations.base import Operation
from django.db.models import Func, Q, Value


class OnlyOn(Operation):
    """Run the wrapped operation on one database vendor only; the model state is left unchanged.

    The no-overlap rule is written in each database's own terms (an exclusion constraint on PostgreSQL,
    triggers on SQLite): neither belongs to the model's portable state."""

    reversible = True

    def __init__(self, vendor, operation):
        self.vendor = vendor
        self.operation = operation

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"On {self.vendor} only: {self.operation.describe()}"


def rental_no_overlap_constraint():
    """PostgreSQL: no two active rentals of one vehicle over overlapping days (both ends included)."""
    from django.contrib.postgres.constraints import ExclusionConstraint
    from django.contrib.postgres.fields import DateRangeField, RangeOperators

    class DateRange(Func):
        function = "daterange"
        output_field = DateRangeField()

    return ExclusionConstraint(
        name="mobility_rental_no_overlap",
        expressions=[
            ("vehicle", RangeOperators.EQUAL),
            (DateRange("starts_on", "ends_on", Value("[]")), RangeOperators.OVERLAPS),
        ],
        condition=~Q(status="cancelled"),
    )


# SQLite: the same rule as triggers. RAISE(ABORT) is a constraint error, an IntegrityError for Django.
SQLITE_OVERLAP = """
    SELECT RAISE(ABORT, 'mobility_rental_no_overlap')
    WHERE EXISTS (
        SELECT 1 FROM mobility_rental r
        WHERE r.vehicle_id = NEW.vehicle_id AND r.status <> 'cancelled' AND r.id IS NOT NEW.id
          AND r.starts_on <= NEW.ends_on AND NEW.starts_on <= r.ends_on
    );
"""
SQLITE_TRIGGERS = [
    "CREATE TRIGGER mobility_rental_no_overlap_insert BEFORE INSERT ON mobility_rental "
    f"WHEN NEW.status <> 'cancelled' BEGIN {SQLITE_OVERLAP} END",
    "CREATE TRIGGER mobility_rental_no_overlap_update BEFORE UPDATE OF vehicle_id, starts_on, ends_on, status "
    f"ON mobility_rental WHEN NEW.status <> 'cancelled' BEGIN {SQLITE_OVERLAP} END",
]
SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS mobility_rental_no_overlap_insert",
    "DROP TRIGGER IF EXISTS mobility_rental_no_overlap_update",
]
