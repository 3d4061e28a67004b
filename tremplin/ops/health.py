"""What the health endpoint checks: each database, and the task queue. No personal data, only states."""

import logging

from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)


def check_databases() -> dict:
    checks = {}
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            checks[alias] = "ok"
        except Exception:
            logger.exception("Health check: database %s unreachable", alias)
            checks[alias] = "erreur"
    return checks


def check_tasks() -> dict:
    """The task queue: with the database backend, its table reachable, how many tasks wait and for how long
    the oldest one has been waiting (a worker that stopped shows here)."""
    try:
        from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
        from django_tasks_db.backend import DatabaseBackend
    except ImportError:
        return {"state": "absent"}
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return {"state": "ok", "backend": type(backend).__name__}
    from django_tasks_db.models import DBTaskResult

    try:
        waiting = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True)
        count = waiting.count()
        oldest = waiting.first()
    except Exception:
        logger.exception("Health check: task queue unreachable")
        return {"state": "erreur", "backend": "DatabaseBackend"}
    return {
        "state": "ok",
        "backend": "DatabaseBackend",
        "waiting": count,
        "oldest_waiting_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
    }
