"""Entering monthly hours by hand: the service's rules, the evidence, the audit, and who may do it."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.clauses.factories import (
    GlobalisationAgreementFactory,
    HoursRecordFactory,
    LotFactory,
    OperationFactory,
    PlacementFactory,
    hours_world,
)
from tests.factories import OrganizationFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses.enums import FulfilmentMode, HireContract
from tremplin.clauses.hours import duplicate_record_id, hours_warnings, record_hours, update_hours
from tremplin.clauses.models import HoursRecord

D = Decimal
MARCH = datetime.date(2024, 3, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world():
    return hours_world()


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- The service ------------------------------------------------------------------------------------


class TestRecordHours:
    def test_it_records_a_month_with_its_author_in_the_history(self, world):
        facilitator = world["facilitator"]
        record = record_hours(
            placement=world.placement, month=datetime.date(2024, 3, 17), hours="151.67", by=facilitator
        )
        assert record.month == MARCH  # any day of the month is the month
        assert record.hours == D("151.67")
        assert record.recorded_by == facilitator
        history = record.history.get()
        assert history.history_type == "+"
        assert history.history_user == facilitator

    def test_a_company_user_declares_hours_of_its_own_placement(self, world):
        record = record_hours(placement=world.placement, month=MARCH, hours=35, by=world["company"])
        assert record.history.get().history_user == world["company"]

    @pytest.mark.parametrize("persona", ["other_company", "manager", "referent", "buyer", "facilitator_elsewhere"])
    def test_others_may_not_declare_hours(self, world, persona):
        with pytest.raises(PermissionDenied):
            record_hours(placement=world.placement, month=MARCH, hours=35, by=world[persona])
        assert not HoursRecord.objects.exists()

    def test_negative_hours_are_refused(self, world):
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=MARCH, hours=-3, training_hours=-1, by=world["facilitator"])
        assert errors_of(excinfo) == {
            "hours": ["Les heures travaillées ne peuvent pas être négatives."],
            "training_hours": ["Les heures de formation ne peuvent pas être négatives."],
        }

    def test_hours_over_the_plausible_monthly_maximum_are_refused(self, world):
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=MARCH, hours=250, by=world["facilitator"])
        assert errors_of(excinfo)["hours"] == [
            "250,00 h dans un mois dépassent le maximum plausible de 220,00 h (48 h par semaine) : vérifiez le relevé."
        ]

    def test_worked_and_training_hours_together_stay_under_the_maximum(self, world):
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=MARCH, hours=200, training_hours=35, by=world["facilitator"])
        assert "235,00 h au total" in errors_of(excinfo)["training_hours"][0]

    def test_the_maximum_itself_is_accepted(self, world):
        assert record_hours(placement=world.placement, month=MARCH, hours=220, by=world["facilitator"]).hours == 220

    def test_more_than_two_decimals_are_refused(self, world):
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=MARCH, hours="151.675", by=world["facilitator"])
        assert "2 décimales au plus" in errors_of(excinfo)["hours"][0]

    def test_a_month_without_anything_is_refused(self, world):
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=MARCH, hours=0, by=world["facilitator"])
        assert errors_of(excinfo)["hours"] == [
            "Indiquez des heures travaillées, des heures de formation ou un montant sous-traité."
        ]

    def test_a_month_before_the_placement_starts_is_refused(self, world):
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=datetime.date(2024, 1, 1), hours=35, by=world["facilitator"])
        assert errors_of(excinfo)["month"] == [
            "La mise en emploi commence le 12/02/2024 : pas d'heures en janvier 2024."
        ]

    def test_the_month_the_placement_starts_is_accepted(self, world):
        record = record_hours(
            placement=world.placement, month=datetime.date(2024, 2, 1), hours=90, by=world["facilitator"]
        )
        assert record.month == datetime.date(2024, 2, 1)

    def test_a_month_after_the_placement_ends_is_refused(self, world):
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=datetime.date(2024, 10, 1), hours=35, by=world["company"])
        assert errors_of(excinfo)["month"] == [
            "La mise en emploi s'est terminée le 30/09/2024 : pas d'heures en octobre 2024."
        ]

    @time_machine.travel(datetime.datetime(2024, 5, 10, 12, 0), tick=False)
    def test_a_month_to_come_is_refused(self, world):
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=datetime.date(2024, 6, 1), hours=35, by=world["facilitator"])
        assert errors_of(excinfo)["month"] == ["Juin 2024 est à venir : les heures se déclarent une fois travaillées."]
        # The current month may be declared (a payslip at the end of the month).
        assert record_hours(placement=world.placement, month=datetime.date(2024, 5, 1), hours=35, by=world["company"])

    def test_a_second_record_for_the_same_month_is_refused_and_points_to_the_first(self, world):
        first = record_hours(placement=world.placement, month=MARCH, hours=100, by=world["facilitator"])
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=MARCH, hours=20, by=world["company"])
        assert errors_of(excinfo)["month"] == [
            "Les heures de mars 2024 sont déjà saisies pour cette mise en emploi (100,00 h) : modifiez ce relevé "
            "plutôt que d'en saisir un second."
        ]
        assert duplicate_record_id(excinfo.value) == first.pk

    def test_an_insertion_market_carries_no_hours(self, world):
        placement = PlacementFactory(lot=LotFactory(insertion_market=True, attributaire=world.company))
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=placement, month=MARCH, hours=35, by=world["company"])
        assert excinfo.value.messages == [
            "Marché d'insertion : ce lot est suivi qualitativement, il n'y a pas d'heures à déclarer."
        ]

    def test_hours_worked_on_the_placement_operation_are_its_own(self, world):
        record = record_hours(
            placement=world.placement, month=MARCH, hours=35, worked_on=world.operation, by=world["facilitator"]
        )
        assert record.worked_on is None


class TestWarnings:
    def test_hours_worked_on_an_operation_without_globalisation_will_not_count(self, world):
        library = OperationFactory(name="Médiathèque")
        record = record_hours(
            placement=world.placement, month=MARCH, hours=35, worked_on=library, by=world["facilitator"]
        )
        assert record.worked_on == library  # kept: the evidence is real
        assert hours_warnings(record) == [
            "Ce relevé ne comptera pas pour l'opération « Groupe scolaire Champollion » : les heures ont été "
            "effectuées sur « Médiathèque », qui ne lui est liée par aucun accord de globalisation en vigueur en "
            "mars 2024."
        ]

    def test_an_agreement_in_force_that_month_lifts_the_warning(self, world):
        library = OperationFactory(name="Médiathèque")
        GlobalisationAgreementFactory(operations=[world.operation, library], started_on=MARCH)
        record = record_hours(placement=world.placement, month=MARCH, hours=35, worked_on=library, by=world["company"])
        assert hours_warnings(record) == []

    def test_an_agreement_starting_later_does_not(self, world):
        library = OperationFactory(name="Médiathèque")
        GlobalisationAgreementFactory(operations=[world.operation, library], started_on=datetime.date(2024, 4, 1))
        record = record_hours(placement=world.placement, month=MARCH, hours=35, worked_on=library, by=world["company"])
        assert "ne comptera pas" in hours_warnings(record)[0]

    def test_training_hours_outside_alternance_and_amounts_outside_sub_contracting_will_not_count(self, world):
        record = record_hours(
            placement=world.placement,
            month=MARCH,
            hours=100,
            training_hours=10,
            subcontracting_amount=500,
            by=world["facilitator"],
        )
        warnings = hours_warnings(record)
        assert len(warnings) == 2
        assert "celles-ci ne compteront pas" in warnings[0]
        assert "il ne comptera pas" in warnings[1]

    def test_alternance_training_hours_raise_no_warning(self, world):
        placement = PlacementFactory(
            lot=world.lot, contract=HireContract.APPRENTICESHIP, mode=FulfilmentMode.DIRECT_HIRE
        )
        record = record_hours(placement=placement, month=MARCH, hours=80, training_hours=35, by=world["company"])
        assert hours_warnings(record) == []


class TestEvidence:
    def test_a_pdf_payslip_is_attached(self, world):
        evidence = SimpleUploadedFile("bulletin-mars.pdf", PDF, content_type="application/pdf")
        record = record_hours(placement=world.placement, month=MARCH, hours=35, evidence=evidence, by=world["company"])
        assert record.evidence.name.startswith("clauses/justificatifs/")
        with record.evidence.open("rb") as stored:
            assert stored.read() == PDF

    def test_an_image_is_accepted(self, world):
        evidence = SimpleUploadedFile("releve.png", PNG, content_type="image/png")
        assert record_hours(placement=world.placement, month=MARCH, hours=35, evidence=evidence, by=world["company"])

    @pytest.mark.parametrize(
        "name,content",
        [
            ("bulletin.pdf", b"MZ\x90\x00 not a pdf"),  # a program renamed .pdf
            ("bulletin.exe", PDF),
            ("bulletin.docx", b"PK\x03\x04"),
            ("bulletin", PDF),
        ],
    )
    def test_anything_else_is_refused(self, world, name, content):
        with pytest.raises(ValidationError) as excinfo:
            record_hours(
                placement=world.placement,
                month=MARCH,
                hours=35,
                evidence=SimpleUploadedFile(name, content),
                by=world["company"],
            )
        assert "PDF, ou une image JPEG ou PNG" in excinfo.value.messages[0]
        assert not HoursRecord.objects.exists()

    def test_a_file_over_5_mb_is_refused(self, world):
        big = SimpleUploadedFile("bulletin.pdf", PDF + b"0" * (5 * 1024 * 1024))
        with pytest.raises(ValidationError) as excinfo:
            record_hours(placement=world.placement, month=MARCH, hours=35, evidence=big, by=world["company"])
        assert excinfo.value.messages[0].startswith("Le justificatif pèse 5,0 Mo : 5 Mo au plus.")


class TestUpdateHours:
    def test_it_corrects_a_month_and_keeps_both_versions(self, world):
        record = record_hours(
            placement=world.placement,
            month=MARCH,
            hours=100,
            evidence=SimpleUploadedFile("b.pdf", PDF),
            by=world["company"],
        )
        update_hours(record=record, hours="104.50", by=world["facilitator"])
        record.refresh_from_db()
        assert record.hours == D("104.50")
        assert record.evidence  # kept
        assert record.recorded_by == world["facilitator"]
        assert [(h.history_type, h.hours, h.history_user) for h in record.history.order_by("history_date")] == [
            ("+", D("100.00"), world["company"]),
            ("~", D("104.50"), world["facilitator"]),
        ]

    def test_it_removes_the_evidence_on_request(self, world):
        record = record_hours(
            placement=world.placement,
            month=MARCH,
            hours=100,
            evidence=SimpleUploadedFile("b.pdf", PDF),
            by=world["company"],
        )
        update_hours(record=record, hours=100, evidence=False, by=world["company"])
        record.refresh_from_db()
        assert not record.evidence

    def test_it_refuses_to_move_onto_a_month_already_recorded(self, world):
        HoursRecordFactory(placement=world.placement, month=datetime.date(2024, 4, 1))
        record = HoursRecordFactory(placement=world.placement, month=MARCH)
        with pytest.raises(ValidationError) as excinfo:
            update_hours(record=record, month=datetime.date(2024, 4, 1), hours=10, by=world["company"])
        assert "déjà saisies" in errors_of(excinfo)["month"][0]

    def test_it_applies_the_same_rules(self, world):
        record = HoursRecordFactory(placement=world.placement, month=MARCH)
        with pytest.raises(ValidationError) as excinfo:
            update_hours(record=record, hours=221, by=world["company"])
        assert "maximum plausible" in errors_of(excinfo)["hours"][0]

    def test_others_may_not_update(self, world):
        record = HoursRecordFactory(placement=world.placement, month=MARCH)
        with pytest.raises(PermissionDenied):
            update_hours(record=record, hours=10, by=world["other_company"])


# --- The pages ----------------------------------------------------------------------------------------

DECLARERS = ["facilitator", "coordinator", "assistant", "company"]
OUTSIDERS = ["other_company", "manager", "referent", "buyer", "funder", "facilitator_elsewhere"]


class TestAccess:
    @pytest.fixture
    def record(self, world):
        return HoursRecordFactory(
            placement=world.placement, month=MARCH, evidence=SimpleUploadedFile("bulletin.pdf", PDF)
        )

    def urls(self, world, record):
        return [
            reverse("clauses:placement_hours", kwargs={"placement_id": world.placement.pk}),
            reverse("clauses:hours_create", kwargs={"placement_id": world.placement.pk}),
            reverse("clauses:hours_update", kwargs={"record_id": record.pk}),
            reverse("clauses:hours_evidence", kwargs={"record_id": record.pk}),
        ]

    @pytest.mark.parametrize("persona", DECLARERS)
    def test_those_who_declare_reach_the_pages(self, client, world, record, persona):
        client.force_login(world[persona])
        for url in self.urls(world, record):
            response = client.get(url)
            assert response.status_code == 200, url
            if response.streaming:
                b"".join(response.streaming_content)  # read to the end, the test client closes the file
        for name in ("clauses:hours_placements", "clauses:hours_import", "clauses:hours_template"):
            assert client.get(reverse(name)).status_code == 200, name

    @pytest.mark.parametrize("persona", OUTSIDERS)
    def test_others_get_404_as_for_an_unknown_placement(self, client, world, record, persona):
        client.force_login(world[persona])
        for url in self.urls(world, record):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"month": "2024-04", "hours": "10"}).status_code in (404, 405), url
        assert not HoursRecord.objects.exclude(pk=record.pk).exists()

    @pytest.mark.parametrize("persona", ["manager", "referent", "buyer", "funder"])
    def test_users_who_declare_no_hours_get_404_on_the_lists_and_import(self, client, world, persona):
        client.force_login(world[persona])
        for name in ("clauses:hours_placements", "clauses:hours_import", "clauses:hours_template"):
            assert client.get(reverse(name)).status_code == 404, name

    def test_anonymous_visitors_are_sent_to_the_login_page(self, client, world, record):
        for url in self.urls(world, record):
            response = client.get(url)
            assert response.status_code == 302 and "/comptes/" in response["Location"]

    def test_a_company_lists_only_its_own_placements(self, client, world):
        PlacementFactory(person__last_name="Ailleurs", started_on=datetime.date(2026, 1, 1), ended_on=None)
        world.placement.ended_on = None
        world.placement.save()
        client.force_login(world["company"])
        response = client.get(reverse("clauses:hours_placements"))
        assert "Zoé LEFÈVRE" in response.text
        assert "AILLEURS" not in response.text


class TestPages:
    def test_the_form_creates_a_month_with_its_evidence(self, client, world):
        client.force_login(world["company"])
        url = reverse("clauses:hours_create", kwargs={"placement_id": world.placement.pk})
        page = client.get(url)
        assert 'type="month"' in page.text and 'placeholder="AAAA-MM"' in page.text
        response = client.post(
            url,
            {
                "month": "2024-03",
                "hours": "151,67",
                "training_hours": "",
                "subcontracting_amount": "",
                "worked_on": "",
                "evidence": SimpleUploadedFile("bulletin-mars.pdf", PDF, content_type="application/pdf"),
            },
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("clauses:placement_hours", kwargs={"placement_id": world.placement.pk})
        record = HoursRecord.objects.get()
        assert (record.month, record.hours, record.recorded_by) == (MARCH, D("151.67"), world["company"])
        assert record.history.get().history_user == world["company"]
        page = client.get(response["Location"])
        assert "Heures de mars 2024 enregistrées : 151,67 h travaillées." in page.text
        assert "151,67 h travaillées." in page.text  # the explanation of the counted hours
        evidence = client.get(reverse("clauses:hours_evidence", kwargs={"record_id": record.pk}))
        assert b"".join(evidence.streaming_content) == PDF

    def test_errors_are_listed_in_french_and_nothing_is_saved(self, client, world):
        client.force_login(world["facilitator"])
        url = reverse("clauses:hours_create", kwargs={"placement_id": world.placement.pk})
        response = client.post(url, {"month": "2024-01", "hours": "-4"})
        assert response.status_code == 200
        assert "Le formulaire contient des erreurs, rien n'a été enregistré" in response.text
        assert "Les heures travaillées ne peuvent pas être négatives." in response.text
        assert "La mise en emploi commence le 12/02/2024 : pas d&#x27;heures en janvier 2024." in response.text
        assert 'aria-invalid="true"' in response.text
        assert not HoursRecord.objects.exists()

    def test_a_bad_month_is_refused_by_the_form(self, client, world):
        client.force_login(world["facilitator"])
        url = reverse("clauses:hours_create", kwargs={"placement_id": world.placement.pk})
        response = client.post(url, {"month": "2024-13", "hours": "35"})
        assert "Mois invalide : saisissez-le au format AAAA-MM, par exemple 2024-03." in response.text
        assert not HoursRecord.objects.exists()

    def test_a_bad_evidence_is_refused_by_the_form(self, client, world):
        client.force_login(world["facilitator"])
        url = reverse("clauses:hours_create", kwargs={"placement_id": world.placement.pk})
        response = client.post(
            url, {"month": "2024-03", "hours": "35", "evidence": SimpleUploadedFile("virus.pdf", b"MZ")}
        )
        assert response.status_code == 200
        assert "Le justificatif doit être un bulletin de paie ou un relevé en PDF" in response.text
        assert not HoursRecord.objects.exists()

    def test_a_duplicate_month_proposes_to_update_the_existing_one(self, client, world):
        existing = HoursRecordFactory(placement=world.placement, month=MARCH, hours=D("100"))
        client.force_login(world["facilitator"])
        url = reverse("clauses:hours_create", kwargs={"placement_id": world.placement.pk})
        response = client.post(url, {"month": "2024-03", "hours": "35"})
        assert response.status_code == 200
        assert reverse("clauses:hours_update", kwargs={"record_id": existing.pk}) in response.text
        assert "Modifier le relevé de mars 2024" in response.text
        assert HoursRecord.objects.get().hours == D("100")

    def test_hours_worked_elsewhere_are_saved_with_a_warning(self, client, world):
        library = OperationFactory(name="Médiathèque")
        client.force_login(world["coordinator"])
        url = reverse("clauses:hours_create", kwargs={"placement_id": world.placement.pk})
        response = client.post(url, {"month": "2024-03", "hours": "35", "worked_on": library.pk}, follow=True)
        assert "Ce relevé ne comptera pas pour l&#x27;opération « Groupe scolaire Champollion »" in response.text
        assert HoursRecord.objects.get().worked_on == library

    def test_the_update_form_corrects_a_month(self, client, world):
        record = HoursRecordFactory(placement=world.placement, month=MARCH, hours=D("100"))
        client.force_login(world["company"])
        url = reverse("clauses:hours_update", kwargs={"record_id": record.pk})
        assert 'value="100,00"' in client.get(url).text
        response = client.post(url, {"month": "2024-03", "hours": "99,5", "training_hours": "0"})
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.hours == D("99.50")
        assert record.history.latest().history_user == world["company"]

    def test_a_record_of_another_placement_is_not_reachable_through_this_one(self, client, world):
        other = HoursRecordFactory(month=MARCH)
        client.force_login(world["company"])
        assert client.get(reverse("clauses:hours_update", kwargs={"record_id": other.pk})).status_code == 404
        assert client.get(reverse("clauses:hours_evidence", kwargs={"record_id": other.pk})).status_code == 404


class TestAttributaireAndOtherEmployers:
    """A lot's attributaire does not see nor declare the hours of workers another employer employs (a temp
    agency, a subcontractor): a company reads and declares the hours of its own employees only."""

    @pytest.fixture
    def agency_placement(self, world):
        agency = OrganizationFactory(name="Intérim Plus", company=True)
        return PlacementFactory(
            person__last_name="Intérimaire-Ailleurs",
            lot=world.lot,
            employer=agency,
            started_on=datetime.date(2024, 2, 12),
            ended_on=None,
        )

    def test_the_attributaire_does_not_list_another_employers_workers(self, client, world, agency_placement):
        client.force_login(world["company"])
        response = client.get(reverse("clauses:hours_placements") + "?toutes=1")
        assert "Zoé LEFÈVRE" in response.text
        assert "INTÉRIMAIRE-AILLEURS" not in response.text.upper()
        sheet = load_workbook(io.BytesIO(client.get(reverse("clauses:hours_template")).content))["Heures"]
        rows = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert agency_placement.pk not in [row[0] for row in rows]

    def test_the_attributaire_gets_404_on_another_employers_records(self, client, world, agency_placement):
        record = HoursRecordFactory(placement=agency_placement, month=MARCH, hours=D("35"))
        client.force_login(world["company"])
        urls = [
            reverse("clauses:placement_hours", kwargs={"placement_id": agency_placement.pk}),
            reverse("clauses:hours_create", kwargs={"placement_id": agency_placement.pk}),
            reverse("clauses:hours_update", kwargs={"record_id": record.pk}),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"month": "2024-03", "hours": "1"}).status_code in (404, 405), url
        record.refresh_from_db()
        assert record.hours == D("35")
        with pytest.raises(PermissionDenied):
            update_hours(record=record, hours=1, by=world["company"])

    def test_the_employer_declares_its_worker_on_anothers_lot(self, world, agency_placement):
        agency_user = user_with_role(Role.COMPANY, organization=agency_placement.employer)
        record = record_hours(placement=agency_placement, month=MARCH, hours=35, by=agency_user)
        assert record.recorded_by == agency_user


class TestReadsAreLogged:
    def test_the_hours_pages_and_template_log_the_employee(self, client, world):
        from tremplin.people.models import PersonAccess

        world.placement.ended_on = None
        world.placement.save()
        record = HoursRecordFactory(placement=world.placement, month=MARCH)
        company = world["company"]
        client.force_login(company)
        logged = PersonAccess.objects.filter(user=company, person=world.placement.person)
        for url in (
            reverse("clauses:hours_placements"),
            reverse("clauses:placement_hours", kwargs={"placement_id": world.placement.pk}),
            reverse("clauses:hours_create", kwargs={"placement_id": world.placement.pk}),
            reverse("clauses:hours_update", kwargs={"record_id": record.pk}),
            reverse("clauses:hours_template"),
        ):
            before = logged.count()
            assert client.get(url).status_code == 200
            assert logged.count() == before + 1, url
        assert logged.filter(action=PersonAccess.Action.EXPORT).count() == 1
