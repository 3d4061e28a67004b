import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import OrganizationFactory, user_with_role
from tests.funding.factories import (
    AnswerFactory,
    CallActionFactory,
    CallFactory,
    ConventionFactory,
    FunderFactory,
    FundingLineFactory,
    ProjectFactory,
)
from tremplin.accounts.enums import Role
from tremplin.funding import services
from tremplin.funding.enums import FunderCategory
from tremplin.funding.models import Answer, Convention

PARIS = services.PARIS


@pytest.fixture
def irfa():
    return OrganizationFactory(name="IRFA")


@pytest.fixture
def referent(irfa):
    return user_with_role(Role.REFERENT, organization=irfa)


@pytest.fixture
def coordinator():
    return user_with_role(Role.COORDINATOR)


@pytest.fixture
def action():
    return CallActionFactory()


def answer_data(action, **overrides):
    data = {
        "action": action.pk,
        "summary": "Accueil des participants, modules métiers du BTP, suivi de chantier.",
        "people_planned": 90,
        "positive_exit_planned": "25",
        "amount_plie": "21201.00",
        "amount_fse": "10000",
        "total_budget": "45000",
    }
    data.update(overrides)
    return data


class TestAnswering:
    def test_an_operator_answers_submits_and_downloads_its_receipt(self, client, referent, irfa, action, monkeypatch):
        client.force_login(referent)
        url = reverse("funding:answer_create", kwargs={"call_id": action.call_id})
        with time_machine.travel(datetime.datetime(2023, 11, 30, 18, 0, tzinfo=PARIS), tick=False):
            response = client.post(url, answer_data(action, operator=irfa.pk))
            answer = Answer.objects.get()
            assert response.status_code == 302
            client.post(reverse("funding:answer_submit", kwargs={"answer_id": answer.pk}))
        answer.refresh_from_db()
        assert answer.submitted_at == datetime.datetime(2023, 11, 30, 18, 0, tzinfo=PARIS)
        page = client.get(answer.get_absolute_url()).content.decode()
        assert "30/11/2023 à 18:00:00" in page
        monkeypatch.setattr("tremplin.funding.documents.render_pdf", lambda html: b"%PDF-fake " + html.encode())
        receipt = client.get(reverse("funding:answer_receipt", kwargs={"answer_id": answer.pk}))
        assert receipt["Content-Type"] == "application/pdf"
        assert "30/11/2023 à 18:00:00" in receipt.content.decode()
        assert f"attestation-depot-{answer.receipt_number.lower()}.pdf" in receipt["Content-Disposition"]

    def test_a_second_after_midnight_the_answer_is_refused(self, client, referent, irfa, action):
        client.force_login(referent)
        url = reverse("funding:answer_create", kwargs={"call_id": action.call_id})
        with time_machine.travel(datetime.datetime(2023, 12, 2, 0, 0, 1, tzinfo=PARIS), tick=False):
            response = client.post(url, answer_data(action, operator=irfa.pk))
        assert response.status_code == 422  # the form shown again with its refusal, as every form page
        assert "réponse refusée, reçue le 02/12/2023 à 00:00:01" in response.content.decode()
        assert not Answer.objects.exists()

    def test_the_plie_ceiling_is_shown_on_the_field(self, client, referent, irfa, action):
        client.force_login(referent)
        url = reverse("funding:answer_create", kwargs={"call_id": action.call_id})
        with time_machine.travel(datetime.datetime(2023, 11, 30, 18, 0, tzinfo=PARIS), tick=False):
            response = client.post(url, answer_data(action, operator=irfa.pk, amount_plie="21201.01"))
        assert "Le PLIE intervient au plus" in response.content.decode()

    def test_an_operator_sees_its_answers_only(self, client, referent, irfa, action):
        own = AnswerFactory(action=action, operator=irfa, amount_plie=Decimal("20111.11"))
        other = AnswerFactory(action=action, amount_plie=Decimal("19222.22"))
        client.force_login(referent)
        page = client.get(action.call.get_absolute_url()).content.decode()
        assert "111,11" in page and "222,22" not in page
        assert client.get(own.get_absolute_url()).status_code == 200
        assert client.get(other.get_absolute_url()).status_code == 404


class TestConventions:
    def test_committee_convention_avenant_and_third_renewal_refused(self, client, coordinator, referent, irfa):
        answer = AnswerFactory(
            operator=irfa, submitted_at=datetime.datetime(2023, 11, 30, tzinfo=PARIS), receipt_number="R-1"
        )
        client.force_login(coordinator)
        client.post(
            reverse("funding:answer_decide", kwargs={"answer_id": answer.pk}),
            {"held_on": "2023-12-07", "outcome": "accepted", "amount_granted": "21201"},
        )
        response = client.post(
            reverse("funding:convention_create", kwargs={"answer_id": answer.pk}),
            {"number": "PLIE-2024-01", "starts_on": "2024-01-01"},
        )
        convention = Convention.objects.get()
        assert response.status_code == 302
        assert convention.amount_plie == Decimal("21201.00")
        client.post(
            reverse("funding:avenant_create", kwargs={"convention_id": convention.pk}),
            {"purpose": "Prolongation", "committee_validated_on": "2024-11-20", "new_ends_on": "2025-02-28"},
        )
        assert convention.avenants.get().number == 1
        current = convention
        for number in ("PLIE-2025-01", "PLIE-2026-01"):
            client.post(reverse("funding:convention_renew", kwargs={"convention_id": current.pk}), {"number": number})
            current = Convention.objects.get(number=number)
        response = client.post(
            reverse("funding:convention_renew", kwargs={"convention_id": current.pk}), {"number": "PLIE-2027-01"}
        )
        assert response.status_code == 422
        assert "ne peut pas être renouvelée plus de 2 fois" in response.content.decode()
        assert Convention.objects.count() == 3
        # The operator reads its convention, not the renewal form.
        client.force_login(referent)
        assert client.get(convention.get_absolute_url()).status_code == 200
        url = reverse("funding:convention_renew", kwargs={"convention_id": convention.pk})
        assert client.get(url).status_code == 403

    def test_late_obligations_are_listed(self, client, coordinator):
        convention = ConventionFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 12, 31))
        services.add_attendance_obligation(
            convention=convention, meeting_on=datetime.date(2020, 3, 2), label="Visite de chantier", by=coordinator
        )
        client.force_login(coordinator)
        page = client.get(reverse("funding:obligation_list")).content.decode()
        assert "Visite de chantier" in page
        home = client.get(reverse("home")).content.decode()
        assert "Conventions : obligations des opérateurs" in home


class TestTables:
    def test_lines_page_and_exports_total_the_lines(self, client, coordinator):
        metropole = FunderFactory(category=FunderCategory.METROPOLE)
        fse = FunderFactory(category=FunderCategory.FSE)
        FundingLineFactory(funder=metropole, amount_requested=Decimal("642788.00"))
        FundingLineFactory(funder=fse, amount_requested=Decimal("268128.00"))
        FundingLineFactory(funder=fse, project=ProjectFactory(operator=OrganizationFactory()), amount_requested=1)
        client.force_login(coordinator)
        page = client.get(reverse("funding:line_list") + "?annee=2023").content.decode()
        assert "910\xa0916,00" in page  # 642,788 + 268,128, the association's own projects
        workbook = load_workbook(
            io.BytesIO(client.get(reverse("funding:funders_xlsx") + "?annee=2023").content), read_only=True
        )
        rows = list(workbook.active.values)
        assert rows[-1][0] == "Total" and rows[-1][4] == 910916
        lines = load_workbook(io.BytesIO(client.get(reverse("funding:lines_xlsx") + "?annee=2023").content))
        assert lines.active.max_row == 4

    def test_a_funder_reads_the_summary_only(self, client):
        funder = user_with_role(Role.FUNDER)
        FundingLineFactory()
        client.force_login(funder)
        assert client.get(reverse("funding:home")).status_code == 302
        assert client.get(reverse("funding:summary") + "?annee=2023").status_code == 200
        assert client.get(reverse("funding:line_list")).status_code == 403
        assert client.get(reverse("funding:call_list")).status_code == 404

    def test_unpublished_calls_are_hidden_from_operators(self, client, referent):
        call = CallFactory(published_at=None)
        client.force_login(referent)
        assert client.get(call.get_absolute_url()).status_code == 404


def test_the_answer_file_is_a_pdf_downloaded_by_its_operator_and_the_coordination(
    client, settings, tmp_path, referent, irfa, action, coordinator
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(referent)
    url = reverse("funding:answer_create", kwargs={"call_id": action.call_id})
    with time_machine.travel(datetime.datetime(2023, 11, 30, 18, 0, tzinfo=PARIS), tick=False):
        bad = client.post(
            url, {**answer_data(action, operator=irfa.pk), "document": SimpleUploadedFile("x.pdf", b"MZ")}
        )
        assert "doit être un fichier PDF" in bad.content.decode()
        pdf = SimpleUploadedFile("dossier.pdf", b"%PDF-1.4 dossier")
        client.post(url, {**answer_data(action, operator=irfa.pk), "document": pdf})
        answer = Answer.objects.get()
        client.post(reverse("funding:answer_submit", kwargs={"answer_id": answer.pk}))
    document_url = reverse("funding:answer_document", kwargs={"answer_id": answer.pk})
    assert b"".join(client.get(document_url).streaming_content) == b"%PDF-1.4 dossier"
    client.force_login(coordinator)
    response = client.get(document_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 dossier"  # read: the file is closed
    client.force_login(user_with_role(Role.REFERENT))
    assert client.get(document_url).status_code == 404


def test_the_fse_participants_page_logs_the_names_it_shows(client, coordinator):
    from tests.factories import FollowUpFactory
    from tests.funding.factories import FseOperationFactory
    from tremplin.people.models import PersonAccess

    operation = FseOperationFactory()
    follow_up = FollowUpFactory(organization=operation.organization)
    client.force_login(coordinator)
    page = client.get(operation.get_absolute_url()).content.decode()
    assert follow_up.person.last_name.lower() in page.lower()
    assert PersonAccess.objects.filter(user=coordinator, person=follow_up.person).exists()
