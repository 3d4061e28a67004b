"""The clauses screens (issue 4): who reaches what, French errors that name their field, nothing saved on error."""

import datetime
import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tests.clauses.factories import (
    CandidateFactory,
    HoursRecordFactory,
    LotFactory,
    OperationFactory,
    PlacementFactory,
)
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses.enums import CandidateStatus, EligiblePublic, EvaluationStatus, FulfilmentMode, LegalBasis
from tremplin.clauses.models import Candidate, Lot, Market, Operation, Placement
from tremplin.people.enums import Programme
from tremplin.people.models import Person
from tremplin.structures.enums import OrganizationKind, SiaeType

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n%%EOF\n"


def text(response) -> str:
    return html.unescape(response.content.decode())


def error_summary(response) -> str:
    """The list of errors above the form, as read by a screen reader."""
    content = response.content.decode()
    start = content.index('id="form-errors"')
    return html.unescape(strip_tags(content[start : content.index("</div>", start)]))


@pytest.fixture
def facilitator():
    return user_with_role(Role.FACILITATOR, email="fanny@example.org", first_name="Fanny", last_name="Girard")


@pytest.fixture
def buyer_org():
    return OrganizationFactory(kind=OrganizationKind.BUYER, name="Grand Dijon Habitat")


@pytest.fixture
def lot(buyer_org):
    operation = OperationFactory(
        name="Résidence des Grésilles",
        buyer=buyer_org,
        started_on=TODAY - timedelta(days=200),
        ended_on=TODAY + timedelta(days=200),
    )
    return LotFactory(
        market__operation=operation,
        attributaire=OrganizationFactory(company=True, name="Bâti Dijon"),
        started_on=TODAY - timedelta(days=100),
        ended_on=TODAY + timedelta(days=100),
    )


@pytest.fixture
def prescriber():
    return OrganizationFactory(kind=OrganizationKind.PRESCRIBER, name="France Travail Dijon")


@pytest.fixture
def candidate(facilitator, prescriber):
    """Nadia, in the pool, followed by the facilitator's structure in the clauses service."""
    person = PersonFactory(first_name="Nadia", last_name="Benali")
    FollowUpFactory(
        person=person,
        organization=facilitator.primary_membership.organization,
        programme=Programme.CLAUSES,
        prescriber=prescriber,
    )
    return CandidateFactory(
        person=person,
        prescriber=prescriber,
        referred_on=TODAY - timedelta(days=30),
        interview_on=TODAY - timedelta(days=7),
        eligible_public=EligiblePublic.RSA,
        proof_seen="Attestation CAF",
        proof_date=TODAY - timedelta(days=40),
        status=CandidateStatus.VALIDATED,
    )


# --- Operations and lots ---------------------------------------------------------------------------


class TestOperationPages:
    def test_a_facilitator_creates_an_operation(self, client, facilitator, buyer_org):
        client.force_login(facilitator)
        response = client.get(reverse("clauses:operation_create"))
        assert response.status_code == 200
        assert f'<option value="{facilitator.pk}" selected>' in response.content.decode()
        response = client.post(
            reverse("clauses:operation_create"),
            {
                "name": "Groupe scolaire Champollion",
                "buyer": buyer_org.pk,
                "commune": "Dijon (21231)",
                "in_qpv": "on",
                "sector": "btp",
                "started_on": "2024-03-01",
                "ended_on": "2025-06-30",
                "facilitator": facilitator.pk,
            },
        )
        operation = Operation.objects.get()
        assert response.status_code == 302 and response["Location"] == operation.get_absolute_url()
        assert operation.in_qpv and operation.facilitator == facilitator and operation.commune.name == "Dijon"

    def test_errors_name_their_fields_and_nothing_is_saved(self, client, facilitator, buyer_org):
        client.force_login(facilitator)
        response = client.post(
            reverse("clauses:operation_create"),
            {
                "name": "",
                "buyer": buyer_org.pk,
                "commune": "Atlantide",
                "started_on": "2024-03-01",
                "ended_on": "2023-01-01",
            },
        )
        assert response.status_code == 422
        summary = error_summary(response)
        assert "Nom de l'opération : Ce champ est obligatoire." in summary
        assert "Secteur : Ce champ est obligatoire." in summary
        assert "Commune : Commune inconnue : « Atlantide »." in summary
        assert "Fin prévue : La fin prévue de l'opération ne peut pas précéder son début." in summary
        assert not Operation.objects.exists()

    def test_the_operation_page_explains_its_hours(self, client, lot):
        placement = PlacementFactory(lot=lot, person=PersonFactory(first_name="Nadia", last_name="Benali"))
        HoursRecordFactory(placement=placement, month=(TODAY.replace(day=1) - timedelta(days=1)).replace(day=1))
        client.force_login(user_with_role(Role.COORDINATOR))
        response = client.get(lot.market.operation.get_absolute_url())
        content = text(response)
        assert response.status_code == 200
        assert "100,00 h comptées sur 1 mise(s) en emploi, selon la convention : Convention par défaut" in content
        assert "Nadia BENALI" in content and "100,00 h travaillées." in content
        assert "833,33 h" in content

    def test_the_buyer_reads_its_operation_without_names_and_cannot_edit_it(self, client, lot, buyer_org):
        placement = PlacementFactory(lot=lot, person=PersonFactory(first_name="Nadia", last_name="Benali"))
        HoursRecordFactory(placement=placement, month=(TODAY.replace(day=1) - timedelta(days=1)).replace(day=1))
        operation = lot.market.operation
        client.force_login(user_with_role(Role.BUYER, organization=buyer_org))
        response = client.get(operation.get_absolute_url())
        assert response.status_code == 200
        content = text(response)
        assert "Benali" not in content and "BENALI" not in content
        assert "Salarié·e n° 1" in content
        assert "Modifier l'opération" not in content
        assert reverse("clauses:operation_report", kwargs={"operation_id": operation.pk}) in content
        assert client.get(reverse("clauses:lot_detail", kwargs={"lot_id": lot.pk})).status_code == 200
        assert "Benali" not in text(client.get(reverse("clauses:lot_detail", kwargs={"lot_id": lot.pk})))
        assert client.get(reverse("clauses:operation_edit", args=[operation.pk])).status_code == 403
        assert client.post(reverse("clauses:lot_sizing", kwargs={"lot_id": lot.pk})).status_code == 403

    def test_another_buyer_and_another_company_get_404(self, client, lot):
        operation = lot.market.operation
        for user in (user_with_role(Role.BUYER), user_with_role(Role.COMPANY)):
            client.force_login(user)
            assert client.get(operation.get_absolute_url()).status_code == 404
            assert client.get(reverse("clauses:lot_detail", kwargs={"lot_id": lot.pk})).status_code == 404
            assert "Résidence des Grésilles" not in text(client.get(reverse("clauses:operation_list")))

    def test_a_company_sees_its_own_lot_only(self, client, lot):
        other_lot = LotFactory(market=lot.market, name="Peinture")
        client.force_login(user_with_role(Role.COMPANY, organization=lot.attributaire))
        response = client.get(lot.market.operation.get_absolute_url())
        assert response.status_code == 200
        assert "Peinture" not in text(response)
        assert "Bilan de l'opération" not in text(response)  # the report is the buyer's
        assert client.get(reverse("clauses:lot_detail", kwargs={"lot_id": other_lot.pk})).status_code == 404

    def test_roles_without_clauses_get_404(self, client, lot):
        for role in (Role.MOBILITY_ADVISER, Role.FUNDER):
            client.force_login(user_with_role(role))
            assert client.get(reverse("clauses:operation_list")).status_code == 404
            assert client.get(lot.market.operation.get_absolute_url()).status_code == 404
            assert client.get(reverse("clauses:pool")).status_code == 404


class TestLotPages:
    def test_a_lot_is_added_to_a_market(self, client, facilitator, lot):
        client.force_login(facilitator)
        market = lot.market
        response = client.post(
            reverse("clauses:lot_create", kwargs={"market_id": market.pk}),
            {
                "number": "7",
                "name": "Espaces verts",
                "legal_basis": LegalBasis.INSERTION_MARKET,
                "amount": "120 000,50",
                "attributaire": lot.attributaire.pk,
                "started_on": "2024-01-01",
                "ended_on": "2024-12-31",
            },
        )
        new_lot = Lot.objects.get(name="Espaces verts")
        assert response.status_code == 302
        assert response["Location"] == reverse("clauses:lot_detail", kwargs={"lot_id": new_lot.pk})
        assert new_lot.planned_hours == 0 and new_lot.amount == Decimal("120000.50")
        page = text(client.get(response["Location"]))
        assert "suivi qualitatif" in page and "Dimensionner la clause" not in page

    def test_a_market_is_added_to_an_operation(self, client, facilitator, lot):
        client.force_login(facilitator)
        operation = lot.market.operation
        response = client.post(
            reverse("clauses:market_create", kwargs={"operation_id": operation.pk}),
            {"reference": "2024-017", "name": "Réhabilitation"},
        )
        assert response.status_code == 302
        assert Market.objects.filter(operation=operation, reference="2024-017").exists()

    def test_the_sizing_page_shows_the_computation(self, client, facilitator, lot):
        client.force_login(facilitator)
        url = reverse("clauses:lot_sizing", kwargs={"lot_id": lot.pk})
        response = client.get(url)
        assert "1\u202f000\u202f000 € × 50 % × 5 % ÷ 30 €/h = 833,33 h" in text(response)
        preview = client.get(
            url, {"labour_share": "40", "insertion_rate": "7", "hourly_cost": "35"}, headers={"HX-Request": "true"}
        )
        assert text(preview).strip().startswith('<p id="sizing-computation"')
        assert "1\u202f000\u202f000 € × 40 % × 7 % ÷ 35 €/h = 800,00 h" in text(preview)

    def test_an_override_without_reason_is_refused_and_nothing_changes(self, client, facilitator, lot):
        client.force_login(facilitator)
        url = reverse("clauses:lot_sizing", kwargs={"lot_id": lot.pk})
        data = {"labour_share": "50", "insertion_rate": "5", "hourly_cost": "30", "planned_hours": "1000"}
        response = client.post(url, data)
        assert response.status_code == 422
        assert (
            "Motif de l'ajustement : Expliquez pourquoi les heures prévues diffèrent du calcul (le calcul donne "
            "833,33 h)." in error_summary(response)
        )
        lot.refresh_from_db()
        assert lot.planned_hours == Decimal("833.33") and lot.planned_hours_reason == ""

        response = client.post(url, {**data, "planned_hours_reason": "Chiffre du cahier des charges."})
        assert response.status_code == 302
        lot.refresh_from_db()
        assert lot.planned_hours == Decimal("1000.00")
        assert "Chiffre du cahier des charges." in text(client.get(response["Location"]))

    def test_sizing_from_percentages(self, client, facilitator, lot):
        lot.labour_share = lot.insertion_rate = lot.hourly_cost = None
        lot.planned_hours = 0
        lot.save()
        client.force_login(facilitator)
        url = reverse("clauses:lot_sizing", kwargs={"lot_id": lot.pk})
        response = client.post(url, {"labour_share": "50", "insertion_rate": "5", "hourly_cost": "30"})
        assert response.status_code == 302
        lot.refresh_from_db()
        assert (lot.labour_share, lot.insertion_rate, lot.planned_hours) == (
            Decimal("0.5"),
            Decimal("0.05"),
            Decimal("833.33"),
        )
        page = client.get(url).content.decode()
        assert 'name="labour_share" value="50"' in page and 'name="insertion_rate" value="5"' in page
        response = client.post(url, {"labour_share": "150", "insertion_rate": "5", "hourly_cost": "30"})
        assert response.status_code == 422
        assert "Part de main-d'œuvre (%) : Assurez-vous que cette valeur est inférieure ou égale à 100." in (
            error_summary(response)
        )
        # Numbers typed the French way.
        response = client.post(url, {"labour_share": "42,5", "insertion_rate": "5", "hourly_cost": "32,50"})
        assert response.status_code == 302
        lot.refresh_from_db()
        assert (lot.labour_share, lot.hourly_cost) == (Decimal("0.425"), Decimal("32.5"))
        assert "42,5 %" in text(client.get(url))

    def test_the_convention_is_set_with_its_provenance(self, client, facilitator, lot):
        client.force_login(facilitator)
        operation = lot.market.operation
        url = reverse("clauses:convention_edit", kwargs={"operation_id": operation.pk})
        response = client.post(url, {"count_direct_hire": "on"})
        assert response.status_code == 422
        assert "Origine de la convention : Ce champ est obligatoire." in error_summary(response)
        response = client.post(
            url, {"provenance": "Charte locale 2021", "count_direct_hire": "on", "cdi_equivalence_hours": "455"}
        )
        assert response.status_code == 302
        convention = operation.convention
        assert not convention.count_staff_provision and convention.cdi_equivalence_hours == Decimal("455")

    def test_a_globalisation_agreement(self, client, facilitator, lot):
        client.force_login(facilitator)
        other = OperationFactory(name="Groupe scolaire")
        url = reverse("clauses:globalisation_create")
        response = client.post(
            url, {"name": "Accord", "operations": [other.pk], "started_on": "2024-01-01", "provenance": "Convention"}
        )
        assert response.status_code == 422
        assert "Opérations : Un accord de globalisation réunit au moins deux opérations." in error_summary(response)
        response = client.post(
            url,
            {
                "name": "Accord NPNRU",
                "operations": [other.pk, lot.market.operation.pk],
                "started_on": "2024-01-01",
                "provenance": "Convention du 12/01/2024",
            },
        )
        assert response.status_code == 302
        assert "Accord NPNRU" in text(client.get(response["Location"]))

    def test_the_progress_page(self, client, facilitator, lot):
        client.force_login(facilitator)
        response = client.get(reverse("clauses:progress"))
        assert response.status_code == 200
        content = text(response)
        assert "Grand Dijon Habitat" in content and "Bâti Dijon" in content
        assert "Lots en retard (1)" in content  # nothing realised after 101 days


# --- People ----------------------------------------------------------------------------------------


def referral_data(prescriber, facilitator, **overrides):
    data = {
        "person-last_name": "Morel",
        "person-first_name": "Yanis",
        "person-sex": "M",
        "person-birth_date": "1995-04-02",
        "person-commune": "Dijon (21231)",
        "prescriber": prescriber.pk,
        "prescriber_contact": "Marc Garnier",
        "prescriber_email": "marc.garnier@example.org",
        "referred_on": TODAY.isoformat(),
        "reason": "Souhaite travailler dans le bâtiment.",
        "facilitator": facilitator.pk,
    }
    return {**data, **overrides}


class TestReferralPage:
    def test_a_new_person_is_referred(self, client, facilitator, prescriber, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        client.force_login(facilitator)
        response = client.post(
            reverse("clauses:referral_create"),
            {**referral_data(prescriber, facilitator), "cv": SimpleUploadedFile("cv.pdf", PDF)},
        )
        candidate = Candidate.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("clauses:candidate_detail", kwargs={"candidate_id": candidate.pk})
        assert candidate.person.full_name == "Yanis MOREL"
        page = client.get(response["Location"])
        assert "Orienté·e, à recevoir" in text(page)
        cv = client.get(reverse("clauses:candidate_cv", kwargs={"candidate_id": candidate.pk}))
        assert b"".join(cv.streaming_content) == PDF
        cv.close()

    def test_a_person_of_the_registry_is_picked_never_duplicated(self, client, facilitator, prescriber):
        zoe = PersonFactory(first_name="Zoé", last_name="Lefèvre", birth_date=datetime.date(1988, 3, 4))
        FollowUpFactory(person=zoe, organization=facilitator.primary_membership.organization, programme="clauses")
        client.force_login(facilitator)
        data = referral_data(
            prescriber,
            facilitator,
            **{"person-last_name": "LEFEVRE", "person-first_name": "zoe", "person-birth_date": "1988-03-04"},
        )
        response = client.post(reverse("clauses:referral_create"), data)
        assert response.status_code == 200
        content = text(response)
        assert "Cette personne est peut-être déjà inscrite au registre" in content
        assert f'value="{zoe.public_id}"' in content
        assert "C'est Zoé LEFÈVRE, né·e le 04/03/1988" in content
        assert not Candidate.objects.exists() and Person.objects.count() == 1

        response = client.post(reverse("clauses:referral_create"), {**data, "existing_person": str(zoe.public_id)})
        assert response.status_code == 302
        assert Candidate.objects.get().person == zoe and Person.objects.count() == 1

    def test_a_person_is_referred_from_their_record(self, client, facilitator, prescriber):
        zoe = PersonFactory(first_name="Zoé", last_name="Lefèvre", birth_date=datetime.date(1988, 3, 4))
        client.force_login(user_with_role(Role.COORDINATOR))
        url = reverse("clauses:referral_create")
        page = client.get(url, {"personne": str(zoe.public_id)}).content.decode()
        assert 'value="Lefèvre"' in page and 'value="1988-03-04"' in page
        assert f'name="existing_person" value="{zoe.public_id}"' in page
        data = referral_data(
            prescriber,
            facilitator,
            **{"person-last_name": "Lefèvre", "person-first_name": "Zoé", "person-birth_date": "1988-03-04"},
        )
        response = client.post(url, {**data, "existing_person": str(zoe.public_id)})
        assert response.status_code == 302
        assert Candidate.objects.get().person == zoe and Person.objects.count() == 1
        # Someone outside the user's scope is not prefilled.
        client.force_login(user_with_role(Role.FACILITATOR))
        assert "Lefèvre" not in client.get(url, {"personne": str(zoe.public_id)}).content.decode()
        assert client.get(url, {"personne": "pas-un-uuid"}).status_code == 200

    def test_a_cv_that_is_not_a_pdf_is_refused_and_nothing_is_saved(self, client, facilitator, prescriber):
        client.force_login(facilitator)
        response = client.post(
            reverse("clauses:referral_create"),
            {**referral_data(prescriber, facilitator, reason=""), "cv": SimpleUploadedFile("cv.docx", b"PK\x03\x04")},
        )
        assert response.status_code == 422
        summary = error_summary(response)
        assert "CV (PDF, 5 Mo au plus) : Le CV doit être un fichier PDF." in summary
        assert "Motif de l'orientation : Ce champ est obligatoire." in summary
        assert not Person.objects.exists() and not Candidate.objects.exists()

    def test_identity_errors_are_shown_on_the_identity(self, client, facilitator, prescriber):
        client.force_login(facilitator)
        response = client.post(
            reverse("clauses:referral_create"),
            referral_data(prescriber, facilitator, **{"person-birth_date": "2020-01-01"}),
        )
        assert response.status_code == 422
        assert "Date de naissance : Date de naissance peu plausible" in error_summary(response)
        assert not Person.objects.exists() and not Candidate.objects.exists()

    def test_referents_read_but_do_not_refer(self, client):
        client.force_login(user_with_role(Role.REFERENT))
        assert client.get(reverse("clauses:referral_create")).status_code == 403
        client.force_login(user_with_role(Role.BUYER))
        assert client.get(reverse("clauses:referral_create")).status_code == 404


class TestCandidacyPages:
    def test_a_refusal_without_reason_names_the_field(self, client, facilitator, candidate):
        Candidate.objects.filter(pk=candidate.pk).update(status=CandidateStatus.REFERRED)
        client.force_login(facilitator)
        url = reverse("clauses:candidate_decision", kwargs={"candidate_id": candidate.pk})
        response = client.post(url, {"status": CandidateStatus.REFUSED, "decision_reason": ""})
        assert response.status_code == 422
        assert "Avis motivé : Motivez la décision : l'avis est transmis au prescripteur." in error_summary(response)
        assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.REFERRED

    def test_a_validation_with_jobs_sought(self, client, facilitator, candidate):
        Candidate.objects.filter(pk=candidate.pk).update(status=CandidateStatus.REFERRED)
        client.force_login(facilitator)
        url = reverse("clauses:candidate_decision", kwargs={"candidate_id": candidate.pk})
        response = client.post(
            url, {"status": CandidateStatus.VALIDATED, "decision_reason": "Motivée.", "jobs_sought": "F1703, F9999"}
        )
        assert response.status_code == 422
        assert "Métiers recherchés : Code ROME inconnu : F9999." in error_summary(response)
        response = client.post(
            url, {"status": CandidateStatus.VALIDATED, "decision_reason": "Motivée.", "jobs_sought": "f1703 k2204"}
        )
        assert response.status_code == 302
        candidate.refresh_from_db()
        assert candidate.status == CandidateStatus.VALIDATED
        assert sorted(candidate.jobs_sought.values_list("code", flat=True)) == ["F1703", "K2204"]
        pool = text(client.get(reverse("clauses:pool"), {"job": "F1703"}))
        assert "BENALI Nadia" in pool

    def test_the_eligibility_form(self, client, facilitator, candidate):
        client.force_login(facilitator)
        url = reverse("clauses:candidate_eligibility", kwargs={"candidate_id": candidate.pk})
        response = client.post(
            url,
            {
                "eligible_public": EligiblePublic.DELD,
                "proof_seen": "",
                "proof_date": (TODAY + timedelta(1)).isoformat(),
            },
        )
        assert response.status_code == 422
        summary = error_summary(response)
        assert "Justificatif vu : Ce champ est obligatoire." in summary
        assert (
            "Date du justificatif : La date du justificatif ne peut pas être dans le futur (nous sommes le" in summary
        )
        assert Candidate.objects.get(pk=candidate.pk).eligible_public == EligiblePublic.RSA

    def test_the_referent_of_the_person_reads_the_candidacy_but_cannot_decide(self, client, candidate):
        irfa = OrganizationFactory(name="IRFA")
        FollowUpFactory(person=candidate.person, organization=irfa, programme=Programme.PLIE)
        referent = user_with_role(Role.REFERENT, organization=irfa)
        client.force_login(referent)
        response = client.get(reverse("clauses:candidate_detail", kwargs={"candidate_id": candidate.pk}))
        assert response.status_code == 200
        assert "Mettre en emploi" not in text(response)
        url = reverse("clauses:candidate_withdraw", kwargs={"candidate_id": candidate.pk})
        assert client.post(url, {"reason": "x"}).status_code == 403
        client.force_login(user_with_role(Role.REFERENT))
        assert (
            client.get(reverse("clauses:candidate_detail", kwargs={"candidate_id": candidate.pk})).status_code == 404
        )

    def test_the_prescriber_follows_its_referrals(self, client, candidate, prescriber):
        client.force_login(user_with_role(Role.PRESCRIBER, organization=prescriber))
        response = client.get(reverse("clauses:candidate_list"))
        assert "BENALI Nadia" in text(response)


class TestPlacementPages:
    def test_placing_with_an_incoherent_employer_names_the_field(self, client, facilitator, candidate, lot):
        client.force_login(facilitator)
        url = reverse("clauses:placement_create", kwargs={"candidate_id": candidate.pk})
        data = {
            "lot": lot.pk,
            "mode": FulfilmentMode.PROVISION_ETTI,
            "employer": lot.attributaire.pk,
            "contract": "ctti",
            "started_on": (TODAY - timedelta(days=5)).isoformat(),
        }
        response = client.post(url, data)
        assert response.status_code == 422
        summary = error_summary(response)
        assert "Employeur : « Mise à disposition par une ETTI » : l'employeur doit être une ETTI" in summary
        assert "Contrat : Le contrat de travail temporaire d'insertion (CTTI) est celui des ETTI." in summary
        assert not Placement.objects.exists()

        etti = OrganizationFactory(siae=True, siae_type=SiaeType.ETTI, name="ETTI Dijon")
        response = client.post(url, {**data, "employer": etti.pk})
        placement = Placement.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("clauses:placement_detail", kwargs={"placement_id": placement.pk})
        assert "Nadia BENALI" in text(client.get(reverse("clauses:evaluation_list")))

    def test_the_evaluation_is_recorded_from_the_placement_page(self, client, facilitator, candidate, lot):
        placement = PlacementFactory(
            person=candidate.person, candidate=candidate, lot=lot, started_on=TODAY - timedelta(days=20), ended_on=None
        )
        client.force_login(facilitator)
        page = text(client.get(reverse("clauses:placement_detail", kwargs={"placement_id": placement.pk})))
        assert "Enregistrer l'évaluation" in page
        url = reverse("clauses:evaluation_record", kwargs={"placement_id": placement.pk})
        response = client.post(url, {"evaluated_on": TODAY.isoformat(), "evaluation_notes": ""})
        assert response.status_code == 422
        assert "Compte rendu : Résumez l'évaluation" in error_summary(response)
        response = client.post(url, {"evaluated_on": TODAY.isoformat(), "evaluation_notes": "Bonne intégration."})
        assert response.status_code == 302
        placement.refresh_from_db()
        assert placement.evaluation_status == EvaluationStatus.DONE

    def test_a_person_not_in_the_pool_is_not_placed(self, client, facilitator, candidate):
        Candidate.objects.filter(pk=candidate.pk).update(status=CandidateStatus.REFERRED)
        client.force_login(facilitator)
        url = reverse("clauses:placement_create", kwargs={"candidate_id": candidate.pk})
        response = client.get(url)
        assert response.status_code == 302
        assert "Seule une personne du vivier" in text(client.get(response["Location"]))


# --- Home page and navigation --------------------------------------------------------------------


def test_the_facilitators_home_lists_the_lots_falling_behind(client, facilitator, lot):
    client.force_login(facilitator)
    response = client.get(reverse("home"))
    content = text(response)
    assert "Lots en retard (1)" in content
    assert "Résidence des Grésilles" in content and str(lot) in content


@pytest.mark.parametrize(
    "role,shown",
    [
        (Role.FACILITATOR, True),
        (Role.COORDINATOR, True),
        (Role.BUYER, True),
        (Role.COMPANY, True),
        (Role.REFERENT, True),
        (Role.MOBILITY_ADVISER, False),
        (Role.FUNDER, False),
    ],
)
def test_the_navigation_shows_the_clauses_to_those_who_use_them(client, role, shown):
    client.force_login(user_with_role(role))
    assert ("Clauses d'insertion</a>" in text(client.get(reverse("home")))) is shown
