"""The report's PDF and XLSX from the page: a background job computed as the user who asked, its progress on the
job's page, the file offered when ready and to that user alone."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from tests.factories import PersonFactory, user_with_role
from tests.plie.factories import PathwayFactory
from tests.reports.test_report_outputs import _ink
from tremplin.accounts.enums import Role
from tremplin.ops import jobs
from tremplin.ops.models import BackgroundJob, JobStatus
from tremplin.reports.jobs import REPORT_FILE, report_file
from tremplin.reports.registry import registry

REPORT = reverse("reports:report")
EXPORT = reverse("reports:report_export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pathways(person):
    """One entry in 2023 followed by `alice`'s structure (the `person` fixture), one elsewhere; one in 2022."""
    PathwayFactory(person=person, entry_date=datetime.date(2023, 3, 1))
    PathwayFactory(entry_date=datetime.date(2023, 9, 12))
    PathwayFactory(entry_date=datetime.date(2022, 5, 2))


def _run(job, django_capture_on_commit_callbacks):
    """The job as the worker runs it (tests run tasks with the immediate backend, on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        jobs._enqueue(job.pk)
    job.refresh_from_db()
    return job


def test_the_page_asks_for_the_pdf_and_the_xlsx_by_post_and_keeps_json(client, coordinator, pathways):
    client.force_login(coordinator)
    page = client.get(REPORT, {"du": "2023-01-01", "au": "2023-06-30"}).content.decode()
    assert f'<form method="post" action="{EXPORT}"' in page
    assert 'name="du" value="2023-01-01"' in page and 'name="au" value="2023-06-30"' in page
    assert 'name="format" value="pdf"' in page and 'name="format" value="xlsx"' in page
    data = client.get(REPORT, {"annee": "2023", "format": "json"})
    assert data["Content-Disposition"] == 'attachment; filename="tremplin-rapport-20230101-20231231.json"'
    assert client.get(EXPORT).status_code == 405


def test_posting_the_pdf_request_creates_a_job_for_that_user(client, alice, pathways):
    client.force_login(alice)
    response = client.post(EXPORT, {"annee": "2023", "format": "pdf"})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.user == alice and job.kind == REPORT_FILE and job.status == JobStatus.QUEUED
    assert job.params == {"start": "2023-01-01", "end": "2023-12-31", "format": "pdf"}
    assert job.label == "Rapport d'activité (PDF), année 2023"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "en attente" in page and 'hx-trigger="every 2s"' in page


@pytest.mark.parametrize(
    "data",
    [
        {"annee": "2023", "format": "docx"},
        {"annee": "2023"},
        {"du": "2023-03-01", "au": "2023-01-01", "format": "pdf"},
    ],
)
def test_a_bad_request_creates_no_job_and_says_why(client, coordinator, data):
    client.force_login(coordinator)
    response = client.post(EXPORT, data, follow=True)
    assert not BackgroundJob.objects.exists()
    assert "Choisissez une période valide et un format (PDF ou XLSX)" in response.content.decode()


def test_a_funder_may_not_ask_for_a_period_shorter_than_a_month(client, funder):
    client.force_login(funder)
    client.post(EXPORT, {"du": "2023-03-01", "au": "2023-03-10", "format": "pdf"})
    assert not BackgroundJob.objects.exists()


def test_users_without_aggregates_cannot_ask_for_the_file(client):
    client.force_login(user_with_role(Role.COMPANY))
    assert client.post(EXPORT, {"annee": "2023", "format": "pdf"}).status_code == 404


def test_the_xlsx_is_computed_as_the_user_who_asked(
    client, alice, coordinator, pathways, django_capture_on_commit_callbacks
):
    def entrants_for(user):
        client.force_login(user)
        client.post(EXPORT, {"annee": "2023", "format": "xlsx"})
        job = _run(BackgroundJob.objects.filter(user=user).get(), django_capture_on_commit_callbacks)
        assert job.status == JobStatus.SUCCEEDED, job.error
        assert job.filename == "tremplin-rapport-20230101-20231231.xlsx"
        with job.file.open("rb") as result:
            workbook = load_workbook(io.BytesIO(result.read()))
        assert workbook["Indicateurs"]["A2"].value == f"Calculé pour {user.get_full_name()} ({user.email})"
        label = registry.get("plie.new_entrants").label
        return next(row[2] for row in workbook["PLIE"].iter_rows(values_only=True) if row[0] == label)

    # Alice's structure follows one of the two people who entered in 2023; the coordination sees both.
    assert entrants_for(alice) == 1
    assert entrants_for(coordinator) == 2


def test_the_steps_of_the_pdf_are_told_in_order(coordinator, pathways, monkeypatch):
    def layout(report, *, for_whom, progress):
        # WeasyPrint's part (the layout, the writing) is timed in the test below; here, only where it comes.
        progress(0, 2, "Mise en page du PDF")
        progress(1, 2, "Écriture du PDF")
        return b"%PDF-1.7"

    monkeypatch.setattr("tremplin.reports.jobs.report_pdf", layout)
    job = BackgroundJob.objects.create(
        user=coordinator,
        kind=REPORT_FILE,
        label="Rapport",
        params={"start": "2023-01-01", "end": "2023-12-31", "format": "pdf"},
    )
    steps = []
    output = report_file(job, lambda done, total, label: steps.append((done * 100 // total, label)))
    assert output.filename == "tremplin-rapport-20230101-20231231.pdf" and output.content == b"%PDF-1.7"
    percents = [percent for percent, _ in steps]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] < 100
    labels = [label for _, label in steps]
    areas = {indicator.area for indicator in registry}
    assert {label for label in labels if label.startswith("Calcul des chiffres : ")} == {
        f"Calcul des chiffres : {area}" for area in areas
    }
    assert "Graphiques : PLIE" in labels
    last_figures = max(i for i, label in enumerate(labels) if label.startswith("Calcul"))
    first_charts = min(i for i, label in enumerate(labels) if label.startswith("Graphiques"))
    assert last_figures < first_charts < labels.index("Mise en page du PDF") < labels.index("Écriture du PDF")


def test_a_job_for_a_user_who_lost_access_fails_in_french(coordinator, django_capture_on_commit_callbacks):
    job = BackgroundJob.objects.create(
        user=coordinator,
        kind=REPORT_FILE,
        label="Rapport",
        params={"start": "2023-01-01", "end": "2023-12-31", "format": "pdf"},
    )
    coordinator.memberships.all().delete()
    job = _run(job, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert job.error == "Votre compte n'a plus accès aux indicateurs : l'export n'a pas été produit."


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_pdf_job_offers_a_printed_report_to_its_requester_alone(
    client, manager, coordinator, tmp_path, django_capture_on_commit_callbacks
):
    # About 15 s: WeasyPrint lays out the whole document, charts included.
    PathwayFactory(person=PersonFactory(first_name="Nadia"), entry_date=datetime.date(2023, 4, 3))
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT, {"annee": "2023", "format": "pdf"})
    job = BackgroundJob.objects.get(user=manager)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100, job.error
    page = client.get(response["Location"]).content.decode()
    assert "Télécharger tremplin-rapport-20230101-20231231.pdf" in page and "every 2s" not in page
    download = client.get(reverse("ops:job_download", args=[job.public_id]))
    assert download["Content-Disposition"] == 'attachment; filename="tremplin-rapport-20230101-20231231.pdf"'
    target = tmp_path / "rapport.pdf"
    target.write_bytes(b"".join(download.streaming_content))
    assert target.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(target), str(tmp_path / "page")], check=True
    )
    (first,) = tmp_path.glob("page-*.png")
    assert _ink(Image.open(first)) > 0.05  # the cover, with its colour band

    # Another user of the same rights learns nothing of the job nor of its file.
    client.force_login(coordinator)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("ops:job_download", args=[job.public_id])).status_code == 404
