"""What tests/test_access.py learns about the background jobs: a job is its requester's alone."""

from django.core.files.base import ContentFile
from django.utils import timezone

from tremplin.ops.models import BackgroundJob, JobStatus

NAMESPACES = {"ops"}
# A job is not a person's record: it belongs to the user who asked for it (checked below).
PERSON_PARAMETERS = ()
OWNER = "coordinator"


def build(world):
    job = BackgroundJob(
        user=world["users"][OWNER],
        kind="reports.figures_xlsx",
        label="Export des indicateurs",
        status=JobStatus.SUCCEEDED,
        progress=100,
        filename="indicateurs.xlsx",
        finished_at=timezone.now(),
    )
    job.file.save("indicateurs.xlsx", ContentFile(b"PK fichier"), save=False)
    job.save()
    return {"job_id": str(job.public_id)}


def check(persona, name, method, response, where, world):
    if method == "post":
        assert response.status_code in (404, 405), where
    elif persona == OWNER:
        assert response.status_code == 200, where
    else:
        assert response.status_code == 404, f"Another user's job must answer 404: {where}"
