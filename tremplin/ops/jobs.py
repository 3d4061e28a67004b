"""Background jobs: a page asks for long work, the task worker runs it, the user follows its progress on
the job's page and downloads the result; a failed job says why, in French.

The queue is django-tasks (Django's Tasks API backport): settings.TASKS chooses the backend, the database
one in production with its worker (`manage.py db_worker`, deploy/tremplin-worker.service), the immediate
one in development and tests (the job runs within the request). A domain app registers its kinds:

    # tremplin/reports/jobs.py
    @jobs.register("reports.figures_xlsx")
    def figures_xlsx(job, progress):
        ...
        progress(done, total, "Calcul des indicateurs")       # shown on the job's page
        raise jobs.JobFailure("La période ne contient aucune donnée.")   # shown as is
        return jobs.Output(filename="indicateurs.xlsx", content=data, content_type=XLSX_MIME)

and its view starts one and sends the user to its page:

    job = jobs.start(user=request.user, kind="reports.figures_xlsx", label="Export…", params={...})
    return redirect(job)
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tremplin.ops.models import BackgroundJob, JobStatus

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "Le travail n'a pas pu aboutir à cause d'une erreur inattendue, enregistrée pour l'équipe technique "
    "(référence {reference}). Réessayez plus tard ; si l'erreur se répète, signalez-la avec cette référence."
)
LOST = (
    "Le travail s'est arrêté avant la fin (le service des tâches a été interrompu). "
    "Relancez la demande ; si l'échec se répète, signalez-le (référence {reference})."
)
NOT_QUEUED = (
    "Le travail n'a pas pu être mis en file d'attente (la base de données des tâches ne répond pas). "
    "Réessayez dans quelques minutes (référence {reference})."
)


class JobFailure(Exception):
    """A failure the user can understand and act on: its message, in French, is shown on the job's page."""


@dataclass(frozen=True)
class Output:
    filename: str
    content: bytes
    content_type: str


Progress = Callable[[int, int, str], None]
_kinds: dict[str, Callable[[BackgroundJob, Progress], Output]] = {}


def register(name: str):
    def decorator(func):
        if name in _kinds and _kinds[name] is not func:
            raise ValueError(f"Job kind {name!r} is registered twice.")
        _kinds[name] = func
        return func

    return decorator


def start(*, user, kind: str, label: str, params: dict | None = None) -> BackgroundJob:
    """Record the job and queue it once the current transaction commits."""
    if kind not in _kinds:
        raise ValueError(f"Unknown job kind {kind!r}.")
    job = BackgroundJob.objects.create(user=user, kind=kind, label=label[:200], params=params or {})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from tremplin.ops.tasks import run_job

    try:
        result = run_job.enqueue(job_id)
    except Exception:
        logger.exception("Background job %s could not be queued", job_id)
        job = BackgroundJob.objects.get(pk=job_id)
        _fail(job, NOT_QUEUED.format(reference=job.public_id))
        return
    BackgroundJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def run(job_id: int) -> None:
    """Run a queued job (called by the task `tremplin.ops.tasks.run_job`, in the worker)."""
    job = BackgroundJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    job.status, job.started_at, job.progress = JobStatus.RUNNING, timezone.now(), 0
    job.save(update_fields=["status", "started_at", "progress", "updated_at"])
    last = {"percent": 0}

    def progress(done: int, total: int, label: str = "") -> None:
        percent = min(99, done * 100 // total) if total else 0
        if percent != last["percent"] or label:
            last["percent"] = percent
            BackgroundJob.objects.filter(pk=job.pk).update(progress=percent, progress_label=label[:200])

    try:
        output = _kinds[job.kind](job, progress)
    except JobFailure as failure:
        _fail(job, str(failure))
        return
    except Exception:
        logger.exception("Background job %s (%s) failed", job.public_id, job.kind)
        _fail(job, UNEXPECTED.format(reference=job.public_id))
        raise  # the task result keeps the traceback for the technical team
    job.file.save(output.filename, ContentFile(output.content), save=False)
    job.filename = output.filename
    job.status, job.progress, job.progress_label, job.finished_at = JobStatus.SUCCEEDED, 100, "", timezone.now()
    job.save(update_fields=["file", "filename", "status", "progress", "progress_label", "finished_at", "updated_at"])


def _fail(job: BackgroundJob, message: str) -> None:
    job.status, job.error, job.finished_at = JobStatus.FAILED, message, timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])


def refresh(job: BackgroundJob) -> BackgroundJob:
    """The job as its task stands: a task that failed outside the job's own handling (a worker killed, an
    error before the job started) marks the job failed, with a French reason."""
    if job.is_finished or not job.task_id:
        return job
    from django_tasks import TaskResultStatus, default_task_backend

    if not default_task_backend.supports_get_result:
        return job
    try:
        result = default_task_backend.get_result(job.task_id)
    except Exception:
        return job
    if result.status == TaskResultStatus.FAILED:
        job.refresh_from_db()
        if not job.is_finished:
            _fail(job, LOST.format(reference=job.public_id))
    return job


def waiting_too_long(job: BackgroundJob, minutes: int = 5) -> bool:
    return job.status == JobStatus.QUEUED and (timezone.now() - job.created_at).total_seconds() > minutes * 60
