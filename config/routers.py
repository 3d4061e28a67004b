"""Heavy report reads on a PostgreSQL replica, when DATABASE_REPLICA_URL is set (docs/deploiement.md).

Reads go to the `replica` alias inside a `using_replica()` block (the indicators page, the figures export,
`activity_report`): figures tolerate the replica's lag of a few seconds, screens that show what the user
has just written do not, so nothing else moves. Writes always go to `default`, even inside the block; the
replica is filled by PostgreSQL's streaming replication, never migrated by Django.
"""

import contextlib
import contextvars

from django.db import connections

REPLICA = "replica"
_reading_from_replica = contextvars.ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def using_replica():
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        # The database cache (figures, their generation) is read where it is written.
        if _reading_from_replica.get() and replica_configured() and model._meta.app_label != "django_cache":
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
