"""Plain SQL writes of the imported records and of their history rows (see SqlWriter)."""

from django.db import connection
from django.utils import timezone

from tremplin.clauses.hours.ledger import ZERO
from tremplin.clauses.hours.statement import BATCH_SIZE
from tremplin.clauses.models import HoursRecord


def record_key(placement_id: int, month_ordinal: int) -> int:
    """One integer per placement and month (the dictionaries of an import hold hundreds of thousands)."""
    return placement_id * 1_000_000 + month_ordinal


class SqlWriter:
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
        values["counted_hours"] = ZERO  # counted once everything is written (importing._HoursImporter._count)
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
