"""The clauses services (issue 4): sizing, insertion markets, referral without duplicates, eligibility,
the motivated decision, placement checks and the tripartite evaluation."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.clauses.factories import (
    CandidateFactory,
    LotFactory,
    MarketFactory,
    OperationFactory,
    PlacementFactory,
)
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, commune, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses import services
from tremplin.clauses.enums import CandidateStatus, EligiblePublic, EvaluationStatus, FulfilmentMode, LegalBasis
from tremplin.clauses.models import Candidate, CountingConvention, Lot, Operation, Placement
from tremplin.people.enums import Programme, Sex
from tremplin.people.models import FollowUp, Person
from tremplin.structures.enums import Activity, OrganizationKind, SiaeType
from tremplin.territory.models import RomeCode

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def facilitator():
    return user_with_role(Role.FACILITATOR, email="facilitatrice@example.org", first_name="Fanny")


@pytest.fixture
def france_travail():
    return OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)


@pytest.fixture
def running_lot():
    """A lot running from a year ago to a year ahead, sized 833.33 h."""
    return LotFactory(started_on=TODAY - timedelta(days=365), ended_on=TODAY + timedelta(days=365))


@pytest.fixture
def candidate(facilitator, france_travail):
    """Validated after an interview last week, followed by the facilitator's structure."""
    person = PersonFactory(first_name="Nadia", last_name="Benali")
    FollowUpFactory(
        person=person,
        organization=facilitator.primary_membership.organization,
        programme=Programme.CLAUSES,
        prescriber=france_travail,
    )
    return CandidateFactory(
        person=person,
        prescriber=france_travail,
        referred_on=TODAY - timedelta(days=30),
        interview_on=TODAY - timedelta(days=7),
        eligible_public=EligiblePublic.RSA,
        proof_seen="Attestation CAF",
        proof_date=TODAY - timedelta(days=40),
        status=CandidateStatus.VALIDATED,
        decision_reason="Motivée, expérience en maçonnerie.",
    )


def referral(**overrides):
    data = {
        "referred_on": TODAY - timedelta(days=2),
        "reason": "Souhaite travailler dans le bâtiment.",
        "prescriber_contact": "Marc Garnier",
        "prescriber_email": "marc.garnier@example.org",
    }
    return {**data, **overrides}


def new_person_data(**overrides):
    data = {
        "first_name": "Yanis",
        "last_name": "Morel",
        "sex": Sex.MAN,
        "birth_date": datetime.date(1995, 4, 2),
        "commune": commune(),
    }
    return {**data, **overrides}


# --- Operations, lots and sizing -------------------------------------------------------------------


class TestOperations:
    def test_it_creates_an_operation_with_its_history_user(self, facilitator):
        buyer = OrganizationFactory(name="Grand Dijon Habitat", kind=OrganizationKind.BUYER)
        operation = services.create_operation(
            by=facilitator,
            name="Résidence des Grésilles",
            buyer=buyer,
            commune=commune(),
            in_qpv=True,
            sector="btp",
            started_on=datetime.date(2024, 1, 1),
            facilitator=facilitator,
        )
        assert operation.history.get().history_user == facilitator
        assert operation.in_qpv

    def test_the_buyer_must_be_a_buyer(self, facilitator):
        company = OrganizationFactory(company=True, name="Bâti Dijon")
        with pytest.raises(ValidationError) as error:
            services.create_operation(
                by=facilitator,
                name="Opération",
                buyer=company,
                commune=commune(),
                sector="btp",
                started_on=datetime.date(2024, 1, 1),
            )
        assert "Bâti Dijon n'est pas enregistrée comme donneur d'ordre." in error.value.message_dict["buyer"]
        assert not Operation.objects.exists()

    def test_the_end_cannot_precede_the_start_and_the_facilitator_must_be_one(self, facilitator):
        referent = user_with_role(Role.REFERENT, first_name="Rémi", last_name="Roux")
        with pytest.raises(ValidationError) as error:
            services.create_operation(
                by=facilitator,
                name="Opération",
                buyer=OrganizationFactory(kind=OrganizationKind.BUYER),
                commune=commune(),
                sector="btp",
                started_on=datetime.date(2024, 1, 1),
                ended_on=datetime.date(2023, 1, 1),
                facilitator=referent,
            )
        assert error.value.message_dict["ended_on"] == ["La fin prévue de l'opération ne peut pas précéder son début."]
        assert error.value.message_dict["facilitator"] == [
            "Rémi Roux n'est pas facilitateur·rice des clauses d'insertion."
        ]


class TestLotsAndSizing:
    def _lot(self, facilitator, **data):
        values = {
            "name": "Gros œuvre",
            "number": "1",
            "legal_basis": LegalBasis.EXECUTION_CONDITION,
            "amount": Decimal("1000000"),
            "attributaire": OrganizationFactory(company=True),
            "started_on": datetime.date(2024, 1, 1),
            "ended_on": datetime.date(2024, 12, 31),
        }
        return services.create_lot(market=MarketFactory(), by=facilitator, **{**values, **data})

    def test_sizing_proposes_the_formula_and_explains_it(self, facilitator):
        lot = self._lot(facilitator)
        assert lot.planned_hours == 0
        services.size_lot(
            lot=lot,
            labour_share=Decimal("0.5"),
            insertion_rate=Decimal("0.05"),
            hourly_cost=Decimal("30"),
            by=facilitator,
        )
        lot.refresh_from_db()
        assert lot.planned_hours == Decimal("833.33")
        assert lot.planned_hours_reason == ""
        assert (
            services.sizing_explanation(
                amount=lot.amount, labour_share=lot.labour_share, insertion_rate=lot.insertion_rate, hourly_cost=30
            )
            == "1\u202f000\u202f000 € × 50 % × 5 % ÷ 30 €/h = 833,33 h"
        )

    def test_overriding_the_planned_hours_needs_a_written_reason(self, facilitator):
        lot = self._lot(facilitator)
        with pytest.raises(ValidationError) as error:
            services.size_lot(
                lot=lot,
                labour_share=Decimal("0.5"),
                insertion_rate=Decimal("0.05"),
                hourly_cost=Decimal("30"),
                planned_hours=Decimal("1000"),
                reason="   ",
                by=facilitator,
            )
        assert error.value.message_dict["planned_hours_reason"] == [
            "Expliquez pourquoi les heures prévues diffèrent du calcul (le calcul donne 833,33 h)."
        ]
        lot.refresh_from_db()
        assert lot.planned_hours == 0 and lot.labour_share is None

        services.size_lot(
            lot=lot,
            labour_share=Decimal("0.5"),
            insertion_rate=Decimal("0.05"),
            hourly_cost=Decimal("30"),
            planned_hours=Decimal("1000"),
            reason="Le cahier des charges fixe 1 000 heures.",
            by=facilitator,
        )
        lot.refresh_from_db()
        assert lot.planned_hours == Decimal("1000.00")
        assert lot.planned_hours_reason == "Le cahier des charges fixe 1 000 heures."
        assert lot.sized_hours == Decimal("833.33")

    def test_typing_the_computed_figure_is_not_an_override(self, facilitator):
        lot = self._lot(facilitator)
        services.size_lot(
            lot=lot,
            labour_share=Decimal("0.5"),
            insertion_rate=Decimal("0.05"),
            hourly_cost=Decimal("30"),
            planned_hours=Decimal("833.33"),
            by=facilitator,
        )
        assert lot.planned_hours == Decimal("833.33") and lot.planned_hours_reason == ""

    def test_planned_hours_without_the_formula_need_a_reason(self, facilitator):
        lot = self._lot(facilitator)
        with pytest.raises(ValidationError) as error:
            services.size_lot(lot=lot, planned_hours=Decimal("500"), by=facilitator)
        assert "aucun calcul n'est renseigné" in error.value.message_dict["planned_hours_reason"][0]

    def test_the_three_inputs_go_together(self, facilitator):
        lot = self._lot(facilitator)
        with pytest.raises(ValidationError) as error:
            services.size_lot(lot=lot, labour_share=Decimal("0.5"), by=facilitator)
        assert error.value.message_dict["hourly_cost"] == ["Renseignez les trois éléments du calcul, ou aucun."]
        assert error.value.message_dict["insertion_rate"] == ["Renseignez les trois éléments du calcul, ou aucun."]

    def test_an_insertion_market_carries_no_hours(self, facilitator):
        lot = self._lot(facilitator, legal_basis=LegalBasis.INSERTION_MARKET)
        assert lot.planned_hours == 0 and not lot.carries_hours
        with pytest.raises(ValidationError) as error:
            services.size_lot(
                lot=lot, labour_share=Decimal("0.5"), insertion_rate=Decimal("0.05"), hourly_cost=30, by=facilitator
            )
        assert "suivi qualitatif" in error.value.messages[0]
        assert Lot.objects.get(pk=lot.pk).planned_hours == 0

    def test_a_lot_turned_into_an_insertion_market_loses_its_hours(self, facilitator):
        lot = LotFactory()
        assert lot.planned_hours == Decimal("833.33")
        services.update_lot(lot=lot, legal_basis=LegalBasis.INSERTION_MARKET, by=facilitator)
        lot.refresh_from_db()
        assert lot.planned_hours == 0
        assert lot.labour_share is None and lot.planned_hours_reason == ""

    def test_a_sized_lot_follows_its_amount_unless_overridden(self, facilitator):
        lot = LotFactory()
        services.update_lot(lot=lot, amount=Decimal("2000000"), by=facilitator)
        assert Lot.objects.get(pk=lot.pk).planned_hours == Decimal("1666.67")
        lot.planned_hours, lot.planned_hours_reason = Decimal("100"), "Fixé par le marché."
        lot.save()
        services.update_lot(lot=lot, amount=Decimal("3000000"), by=facilitator)
        assert Lot.objects.get(pk=lot.pk).planned_hours == Decimal("100")

    def test_the_attributaire_must_be_a_company_or_an_siae(self, facilitator):
        prescriber = OrganizationFactory(kind=OrganizationKind.PRESCRIBER, name="Mission locale")
        with pytest.raises(ValidationError) as error:
            self._lot(facilitator, attributaire=prescriber)
        assert "Mission locale n'est ni une entreprise ni une SIAE" in error.value.message_dict["attributaire"][0]


class TestConventionAndGlobalisation:
    def test_a_convention_needs_its_provenance(self, facilitator):
        operation = OperationFactory()
        with pytest.raises(ValidationError) as error:
            services.set_counting_convention(operation=operation, provenance=" ", by=facilitator)
        assert "provenance" in error.value.message_dict
        services.set_counting_convention(
            operation=operation,
            provenance="Charte locale 2021, article 4",
            count_staff_provision=False,
            cdi_equivalence_hours=Decimal("455"),
            by=facilitator,
        )
        services.set_counting_convention(operation=operation, provenance="Charte locale 2024", by=facilitator)
        convention = CountingConvention.objects.get(operation=operation)
        assert convention.provenance == "Charte locale 2024"
        assert convention.count_staff_provision is False
        assert convention.cdi_equivalence_hours == Decimal("455")

    def test_a_globalisation_joins_at_least_two_operations_with_its_origin(self, facilitator):
        first, second = OperationFactory(), OperationFactory()
        with pytest.raises(ValidationError) as error:
            services.save_globalisation(
                by=facilitator, name="Accord", operations=[first], started_on=TODAY, provenance=""
            )
        assert set(error.value.message_dict) == {"operations", "provenance"}
        agreement = services.save_globalisation(
            by=facilitator,
            name="Accord métropolitain",
            operations=[first, second],
            started_on=datetime.date(2024, 1, 1),
            provenance="Convention du 12/01/2024",
        )
        assert set(agreement.operations.all()) == {first, second}


# --- Referral ----------------------------------------------------------------------------------------


class TestReferral:
    def test_a_new_person_enters_the_clauses_service_followed_by_the_facilitators_structure(
        self, facilitator, france_travail
    ):
        candidate = services.refer_candidate(
            by=facilitator,
            prescriber=france_travail,
            facilitator=facilitator,
            new_person=new_person_data(),
            **referral(),
        )
        assert candidate.status == CandidateStatus.REFERRED
        follow_up = FollowUp.objects.get(person=candidate.person, programme=Programme.CLAUSES)
        assert follow_up.organization == facilitator.primary_membership.organization
        assert follow_up.prescriber == france_travail
        assert follow_up.referent == facilitator
        assert follow_up.ended_on is None
        assert Person.objects.visible_to(facilitator).filter(pk=candidate.person.pk).exists()
        assert candidate.history.get().history_user == facilitator

    def test_a_person_followed_by_the_plie_is_the_same_record(self, facilitator, france_travail):
        zoe = PersonFactory(first_name="Zoé", last_name="Lefèvre", birth_date=datetime.date(1988, 3, 4))
        FollowUpFactory(person=zoe, programme=Programme.PLIE)
        coordinator = user_with_role(Role.COORDINATOR)  # sees her: the match is offered, never recreated
        with pytest.raises(ValidationError) as error:
            services.refer_candidate(
                by=coordinator,
                prescriber=france_travail,
                facilitator=facilitator,
                new_person=new_person_data(first_name="zoe", last_name="LEFEVRE", birth_date=zoe.birth_date),
                **referral(),
            )
        assert "semble déjà inscrite au registre" in error.value.messages[0]
        assert Person.objects.count() == 1 and not Candidate.objects.exists()

        candidate = services.refer_candidate(
            by=coordinator, prescriber=france_travail, facilitator=facilitator, person=zoe, **referral()
        )
        assert candidate.person == zoe and Person.objects.count() == 1
        assert set(zoe.follow_ups.values_list("programme", flat=True)) == {Programme.PLIE, Programme.CLAUSES}

    def test_a_confirmed_homonym_is_registered(self, facilitator, france_travail):
        PersonFactory(first_name="Yanis", last_name="Morel", birth_date=datetime.date(1995, 4, 2))
        services.refer_candidate(
            by=facilitator,
            prescriber=france_travail,
            facilitator=facilitator,
            new_person=new_person_data(),
            confirmed_new=True,
            **referral(),
        )
        assert Person.objects.filter(last_name="Morel").count() == 2

    def test_a_person_has_one_open_candidacy(self, facilitator, france_travail, candidate):
        with pytest.raises(ValidationError) as error:
            services.refer_candidate(
                by=facilitator,
                prescriber=france_travail,
                facilitator=facilitator,
                person=candidate.person,
                **referral(),
            )
        assert "Nadia BENALI a déjà une candidature en cours" in error.value.messages[0]

    def test_the_referral_is_checked(self, facilitator, france_travail):
        company = OrganizationFactory(company=True, name="Bâti Dijon")
        with pytest.raises(ValidationError) as error:
            services.refer_candidate(
                by=facilitator,
                prescriber=company,
                facilitator=facilitator,
                new_person=new_person_data(),
                **referral(referred_on=TODAY + timedelta(days=3), reason=""),
            )
        assert error.value.message_dict == {
            "referred_on": ["La date d'orientation ne peut pas être dans le futur."],
            "reason": ["Indiquez le motif de l'orientation."],
            "prescriber": ["Bâti Dijon n'est pas enregistrée comme prescripteur."],
        }
        assert not Person.objects.exists()

    @pytest.mark.parametrize(
        "name,content,message",
        [
            ("cv.pdf", PDF + b"0" * (5 * 1024 * 1024), "Le CV dépasse 5 Mo (5.0 Mo)."),
            ("cv.docx", b"PK\x03\x04 word", "Le CV doit être un fichier PDF."),
            ("cv.pdf", b"<html>not a pdf</html>", "Le CV doit être un fichier PDF."),
        ],
    )
    def test_the_cv_is_a_pdf_of_at_most_5_mb(self, facilitator, france_travail, name, content, message):
        with pytest.raises(ValidationError) as error:
            services.refer_candidate(
                by=facilitator,
                prescriber=france_travail,
                facilitator=facilitator,
                new_person=new_person_data(),
                cv=SimpleUploadedFile(name, content),
                **referral(),
            )
        assert error.value.message_dict["cv"] == [message]

    def test_the_cv_is_stored(self, facilitator, france_travail, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        candidate = services.refer_candidate(
            by=facilitator,
            prescriber=france_travail,
            facilitator=facilitator,
            new_person=new_person_data(),
            cv=SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
            **referral(),
        )
        with candidate.cv.open("rb") as stored:
            assert stored.read() == PDF

    def test_the_facilitator_must_be_one(self, facilitator, france_travail):
        referent = user_with_role(Role.REFERENT)
        with pytest.raises(ValidationError) as error:
            services.refer_candidate(
                by=facilitator,
                prescriber=france_travail,
                facilitator=referent,
                new_person=new_person_data(),
                **referral(),
            )
        assert "facilitator" in error.value.message_dict
        assert not Person.objects.exists()


# --- Eligibility, interview, decision ------------------------------------------------------------------


@pytest.fixture
def referred(candidate):
    Candidate.objects.filter(pk=candidate.pk).update(
        status=CandidateStatus.REFERRED, eligible_public="", proof_seen="", proof_date=None, decision_reason=""
    )
    candidate.refresh_from_db()
    return candidate


class TestEligibilityAndDecision:
    def test_eligibility_records_the_public_the_proof_and_its_date(self, facilitator, referred):
        with pytest.raises(ValidationError) as error:
            services.record_eligibility(
                candidate=referred,
                eligible_public="unknown",
                proof_seen="",
                proof_date=TODAY + timedelta(days=1),
                by=facilitator,
            )
        assert set(error.value.message_dict) == {"eligible_public", "proof_seen", "proof_date"}
        services.record_eligibility(
            candidate=referred,
            eligible_public=EligiblePublic.DELD,
            proof_seen="Attestation d'inscription France Travail",
            proof_date=TODAY - timedelta(days=3),
            by=facilitator,
        )
        referred.refresh_from_db()
        assert referred.eligible_public == EligiblePublic.DELD
        assert services.is_eligibility_recorded(referred)

    def test_the_interview_cannot_precede_the_referral(self, facilitator, referred):
        with pytest.raises(ValidationError) as error:
            services.schedule_interview(
                candidate=referred, interview_on=referred.referred_on - timedelta(days=1), by=facilitator
            )
        assert error.value.message_dict == {"interview_on": ["L'entretien ne peut pas précéder l'orientation."]}

    def test_a_refusal_must_be_motivated(self, facilitator, referred):
        with pytest.raises(ValidationError) as error:
            services.decide_candidacy(candidate=referred, status=CandidateStatus.REFUSED, reason=" ", by=facilitator)
        assert error.value.message_dict == {
            "decision_reason": ["Motivez le refus : l'avis est transmis au prescripteur."]
        }
        assert Candidate.objects.get(pk=referred.pk).status == CandidateStatus.REFERRED

    def test_a_refusal_closes_the_clauses_follow_up(self, facilitator, referred):
        services.decide_candidacy(
            candidate=referred,
            status=CandidateStatus.REFUSED,
            reason="Projet professionnel hors du bâtiment.",
            by=facilitator,
        )
        referred.refresh_from_db()
        assert referred.status == CandidateStatus.REFUSED
        assert referred.decided_by == facilitator
        follow_up = FollowUp.objects.get(person=referred.person, programme=Programme.CLAUSES)
        assert follow_up.ended_on == TODAY
        # Read-only afterwards: the facilitator still sees the record.
        assert Person.objects.visible_to(facilitator).filter(pk=referred.person.pk).exists()

    def test_a_validation_needs_the_eligibility_and_the_interview_held(self, facilitator, referred):
        Candidate.objects.filter(pk=referred.pk).update(interview_on=TODAY + timedelta(days=2))
        referred.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            services.decide_candidacy(
                candidate=referred, status=CandidateStatus.VALIDATED, reason="Très motivé.", by=facilitator
            )
        assert error.value.message_dict == {
            "interview_on": [
                f"L'entretien de validation est prévu le {TODAY + timedelta(days=2):%d/%m/%Y} : décidez après "
                "l'entretien."
            ],
            "eligible_public": ["Vérifiez d'abord l'éligibilité : public, justificatif vu et sa date."],
        }

    def test_a_validated_candidate_enters_the_pool_with_the_jobs_sought(self, facilitator, referred):
        services.record_eligibility(
            candidate=referred,
            eligible_public=EligiblePublic.RSA,
            proof_seen="Attestation CAF",
            proof_date=TODAY - timedelta(days=10),
            by=facilitator,
        )
        masonry = RomeCode.objects.get(code="F1703")
        services.decide_candidacy(
            candidate=referred,
            status=CandidateStatus.VALIDATED,
            reason="Expérience en maçonnerie, disponible.",
            jobs_sought=[masonry],
            by=facilitator,
        )
        referred.refresh_from_db()
        assert referred.status == CandidateStatus.VALIDATED
        assert list(referred.jobs_sought.all()) == [masonry]
        assert Candidate.objects.pool().filter(pk=referred.pk).exists()
        with pytest.raises(ValidationError, match="déjà prise"):
            services.decide_candidacy(
                candidate=referred, status=CandidateStatus.REFUSED, reason="Changement d'avis", by=facilitator
            )

    def test_leaving_the_pool_needs_a_reason(self, facilitator, candidate):
        with pytest.raises(ValidationError):
            services.withdraw_candidate(candidate=candidate, reason="", by=facilitator)
        services.withdraw_candidate(candidate=candidate, reason="A trouvé un CDI hors clause.", by=facilitator)
        candidate.refresh_from_db()
        assert candidate.status == CandidateStatus.WITHDRAWN
        assert "A trouvé un CDI hors clause." in candidate.decision_reason


# --- Placement and evaluation ------------------------------------------------------------------------


def siae(siae_type, name):
    return OrganizationFactory(siae=True, siae_type=siae_type, name=name)


class TestPlacement:
    def place(self, candidate, lot, by, **data):
        values = {
            "mode": FulfilmentMode.DIRECT_HIRE,
            "contract": "cdd",
            "employer": lot.attributaire,
            "started_on": TODAY - timedelta(days=10),
            "ended_on": TODAY + timedelta(days=100),
        }
        return services.place_candidate(candidate=candidate, lot=lot, by=by, **{**values, **data})

    def test_a_pool_candidate_is_placed_and_an_evaluation_is_due(self, facilitator, candidate, running_lot):
        placement = self.place(candidate, running_lot, facilitator, job_title="Maçonne")
        assert placement.person == candidate.person
        assert placement.evaluation_status == EvaluationStatus.TO_DO
        assert placement.history.get().history_user == facilitator

    def test_only_a_validated_person_is_placed(self, facilitator, candidate, running_lot):
        Candidate.objects.filter(pk=candidate.pk).update(status=CandidateStatus.REFERRED)
        candidate.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            self.place(candidate, running_lot, facilitator)
        assert "Nadia BENALI n'est pas dans le vivier" in error.value.messages[0]
        assert not Placement.objects.exists()

    @pytest.mark.parametrize(
        "mode,employer,message",
        [
            (
                FulfilmentMode.PROVISION_ETTI,
                lambda: OrganizationFactory(company=True, name="Bâti Dijon"),
                "« Mise à disposition par une ETTI » : l'employeur doit être une ETTI – entreprise de travail "
                "temporaire d'insertion, or Bâti Dijon est « Entreprise ».",
            ),
            (
                FulfilmentMode.SUBCONTRACTING_EI,
                lambda: siae(SiaeType.ACI, "Chantier Vert"),
                "« Sous-traitance à une EI » : l'employeur doit être une EI – entreprise d'insertion, or Chantier "
                "Vert est « SIAE (insertion par l'activité économique) – ACI ».",
            ),
            (
                FulfilmentMode.DIRECT_HIRE,
                lambda: OrganizationFactory(kind=OrganizationKind.PRESCRIBER, name="Mission locale"),
                "Une embauche directe se fait par une entreprise ou une SIAE : Mission locale n'en est pas une.",
            ),
            (
                FulfilmentMode.SUBCONTRACTING_EA,
                lambda: OrganizationFactory(company=True, name="Bâti Dijon", activity=Activity.BUILDING),
                "La sous-traitance à une EA ou un ESAT suppose une entreprise adaptée ou un ESAT : Bâti Dijon n'en "
                "est pas un·e (activité à renseigner dans l'annuaire des structures).",
            ),
        ],
    )
    def test_the_employer_fits_the_fulfilment_mode(self, facilitator, candidate, running_lot, mode, employer, message):
        with pytest.raises(ValidationError) as error:
            self.place(candidate, running_lot, facilitator, mode=mode, employer=employer())
        assert error.value.message_dict["employer"] == [message]

    @pytest.mark.parametrize(
        "mode,employer,contract",
        [
            (FulfilmentMode.PROVISION_ETTI, lambda: siae(SiaeType.ETTI, "ETTI Dijon"), "ctti"),
            (FulfilmentMode.PROVISION_AI, lambda: siae(SiaeType.AI, "AI Dijon"), "cdd"),
            (FulfilmentMode.PROVISION_GEIQ, lambda: siae(SiaeType.GEIQ, "GEIQ BTP"), "professionalisation"),
            (FulfilmentMode.SUBCONTRACTING_ACI, lambda: siae(SiaeType.ACI, "Chantier Vert"), "cddi"),
            (
                FulfilmentMode.SUBCONTRACTING_EA,
                lambda: OrganizationFactory(company=True, activity=Activity.ADAPTED),
                "cdi",
            ),
        ],
    )
    def test_coherent_modes_are_accepted(self, facilitator, candidate, running_lot, mode, employer, contract):
        placement = self.place(candidate, running_lot, facilitator, mode=mode, employer=employer(), contract=contract)
        assert placement.pk

    def test_insertion_contracts_belong_to_their_structures(self, facilitator, candidate, running_lot):
        with pytest.raises(ValidationError) as error:
            self.place(candidate, running_lot, facilitator, contract="ctti")
        assert error.value.message_dict["contract"] == [
            "Le contrat de travail temporaire d'insertion (CTTI) est celui des ETTI."
        ]

    def test_the_dates_fall_within_the_lot(self, facilitator, candidate, running_lot):
        with pytest.raises(ValidationError) as error:
            self.place(
                candidate,
                running_lot,
                facilitator,
                started_on=running_lot.started_on - timedelta(days=1),
                ended_on=running_lot.ended_on + timedelta(days=1),
            )
        assert error.value.message_dict == {
            "started_on": [
                f"Le début doit être compris dans l'exécution du lot, du {running_lot.started_on:%d/%m/%Y} au "
                f"{running_lot.ended_on:%d/%m/%Y}."
            ],
            "ended_on": [f"La fin dépasse la fin d'exécution du lot ({running_lot.ended_on:%d/%m/%Y})."],
        }

    def test_the_tripartite_evaluation_is_recorded_once(self, facilitator, candidate, running_lot):
        placement = self.place(candidate, running_lot, facilitator)
        with pytest.raises(ValidationError) as error:
            services.record_evaluation(
                placement=placement, evaluated_on=placement.started_on - timedelta(days=1), notes="", by=facilitator
            )
        assert set(error.value.message_dict) == {"evaluated_on", "evaluation_notes"}
        services.record_evaluation(
            placement=placement,
            evaluated_on=TODAY,
            notes="Bonne intégration dans l'équipe ; sécurité à revoir.",
            by=facilitator,
        )
        placement.refresh_from_db()
        assert placement.evaluation_status == EvaluationStatus.DONE
        assert placement.evaluated_on == TODAY
        with pytest.raises(ValidationError, match="déjà enregistrée"):
            services.record_evaluation(placement=placement, evaluated_on=TODAY, notes="Encore", by=facilitator)

    def test_a_placement_keeps_the_person_in_the_service_when_leaving_the_pool(
        self, facilitator, candidate, running_lot
    ):
        self.place(candidate, running_lot, facilitator)
        services.withdraw_candidate(candidate=candidate, reason="En emploi.", by=facilitator)
        assert FollowUp.objects.open().filter(person=candidate.person, programme=Programme.CLAUSES).exists()

    def test_the_end_of_a_placement_cannot_precede_its_start(self, facilitator):
        placement = PlacementFactory()
        with pytest.raises(ValidationError):
            services.end_placement(
                placement=placement, ended_on=placement.started_on - timedelta(days=1), by=facilitator
            )
        services.end_placement(placement=placement, ended_on=datetime.date(2024, 6, 30), by=facilitator)
        assert Placement.objects.get(pk=placement.pk).ended_on == datetime.date(2024, 6, 30)
