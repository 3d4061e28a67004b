"""Background jobs: progress, result, failure in French, and the database backend's worker."""

import io
import os

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import user_with_role
from tremplin.accounts.enums import Role
from tremplin.ops import jobs
from tremplin.ops.models import BackgroundJob, JobStatus

SEEN = []


@jobs.register("tests.squares")
def squares(job, progress):
    total = job.params["n"]
    for i in range(total):
        progress(i, total, f"Carré de {i}")
        SEEN.append(BackgroundJob.objects.get(pk=job.pk).progress)
    if job.params.get("refuse"):
        raise jobs.JobFailure("Le fichier déposé est vide : rien à vérifier.")
    if job.params.get("crash"):
        raise ZeroDivisionError("division by zero in step 3")
    return jobs.Output(
        filename="carres.csv", content=";".join(str(i * i) for i in range(total)).encode(), content_type="text/csv"
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def start(user, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(user=user, kind="tests.squares", label="Carrés", params=params)
    job.refresh_from_db()
    return job


def test_a_job_reports_its_progress_and_its_result_can_be_downloaded(
    client, coordinator, django_capture_on_commit_callbacks
):
    SEEN.clear()
    job = start(coordinator, django_capture_on_commit_callbacks, n=4)
    assert SEEN == [0, 25, 50, 75]
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100 and job.task_id
    client.force_login(coordinator)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Télécharger carres.csv" in page
    response = client.get(reverse("ops:job_download", args=[job.public_id]))
    assert response["Content-Disposition"] == 'attachment; filename="carres.csv"'
    assert b"".join(response.streaming_content) == b"0;1;4;9"


def test_a_job_refused_by_its_service_says_why_in_french(client, coordinator, django_capture_on_commit_callbacks):
    job = start(coordinator, django_capture_on_commit_callbacks, n=2, refuse=True)
    assert job.status == JobStatus.FAILED
    client.force_login(coordinator)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Échec." in page and "Le fichier déposé est vide : rien à vérifier." in page
    assert client.get(reverse("ops:job_download", args=[job.public_id])).status_code == 404


def test_an_unexpected_error_is_told_in_french_without_its_trace(
    client, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(jobs.logger, "exception", lambda *a, **k: None)
    job = start(coordinator, django_capture_on_commit_callbacks, n=3, crash=True)
    assert job.status == JobStatus.FAILED
    assert job.error == jobs.UNEXPECTED.format(reference=job.public_id)
    client.force_login(coordinator)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "erreur inattendue" in page and "ZeroDivisionError" not in page and "step 3" not in page


def test_a_job_is_its_requesters_alone(client, coordinator, manager, django_capture_on_commit_callbacks):
    job = start(coordinator, django_capture_on_commit_callbacks, n=1)
    client.force_login(manager)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("ops:job_download", args=[job.public_id])).status_code == 404


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_database_backend_queues_the_job_and_the_worker_runs_it(
    client, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.management.commands import db_worker

    # The worker closes stale connections between tasks; inside the test's transaction that would end it.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    job = start(coordinator, django_capture_on_commit_callbacks, n=3)
    assert job.status == JobStatus.QUEUED and job.task_id
    client.force_login(coordinator)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "en attente" in page and 'hx-trigger="every 2s"' in page

    call_command("db_worker", batch=True, startup_delay=False, max_tasks=1, verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    with job.file.open("rb") as result:
        assert result.read() == b"0;1;4"
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "Télécharger carres.csv" in fragment and "every 2s" not in fragment


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_task_that_failed_outside_the_job_marks_it_failed(client, coordinator, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    job = start(coordinator, django_capture_on_commit_callbacks, n=1)
    DBTaskResult.objects.filter(id=job.task_id).update(status="FAILED")
    client.force_login(coordinator)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "le service des tâches a été interrompu" in page
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_the_figures_export_runs_as_a_job_when_asked(client, manager, django_capture_on_commit_callbacks):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:figures"), {"year": 2024, "format": "xlsx", "async": "1"})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.label == "Export des indicateurs, année 2024"
    assert job.filename == "tremplin-indicateurs-20240101-20241231.xlsx"
    with job.file.open("rb") as result:
        sheet = load_workbook(io.BytesIO(result.read())).active
    assert sheet["A1"].value == "Tremplin – indicateurs, année 2024"
    assert sheet["A4"].value == "Identifiant" and sheet.max_row > 10


def test_a_figures_export_over_more_than_a_year_always_runs_as_a_job(client, funder):
    client.force_login(funder)
    response = client.get(reverse("reports:figures"), {"start": "2022-01-01", "end": "2024-12-31", "format": "xlsx"})
    assert response.status_code == 302
    job = BackgroundJob.objects.get(user=funder)
    assert job.params == {"start": "2022-01-01", "end": "2024-12-31"}


def test_a_figures_export_for_a_user_who_lost_access_fails_in_french(django_capture_on_commit_callbacks):
    user = user_with_role(Role.REFERENT)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(user=user, kind="reports.figures_xlsx", label="Export", params={"start": "x"})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "La période demandée n'est pas valide" in job.error


def test_old_jobs_and_their_files_are_pruned_only_with_wet_run(coordinator, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    old = start(coordinator, django_capture_on_commit_callbacks, n=2)
    recent = start(coordinator, django_capture_on_commit_callbacks, n=2)
    BackgroundJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    path = old.file.path
    out = io.StringIO()
    call_command("prune_background_jobs", stdout=out)
    assert "1 tâche(s) de fond terminée(s) depuis plus de 7 jours (simulation)" in out.getvalue()
    assert BackgroundJob.objects.count() == 2
    call_command("prune_background_jobs", "--wet-run", stdout=out)
    assert list(BackgroundJob.objects.all()) == [recent]
    assert not os.path.exists(path) and os.path.exists(recent.file.path)
