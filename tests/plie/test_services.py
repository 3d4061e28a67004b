"""Writes on PLIE pathways (domain spec §3.4): orientation, entry, référent, exit, FSE+ and interviews."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import OrganizationFactory, PersonFactory, SituationFactFactory, user_with_role
from tests.plie.factories import ContractFactory, OrientationFactory, PathwayFactory, StepFactory
from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.people import services as people_services
from tremplin.people.enums import FactKind, Programme, Sex, WorkAuthorisation
from tremplin.people.models import FollowUp
from tremplin.plie import services
from tremplin.plie.enums import (
    AppointmentOutcome,
    ContractType,
    ExitKind,
    ExitRule,
    FseMoment,
    OrientationStatus,
    PathwayStatus,
    StepKind,
)
from tremplin.plie.models import Interview, Orientation, Pathway
from tremplin.structures.enums import OrganizationKind

D = datetime.date


def fresh(user):
    """Roles and memberships are cached on the user: read them again as a new request would."""
    return User.objects.get(pk=user.pk)


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def make_orientation(person, **kw):
    """An orientation as orient_person records it (the factory leaves created_by empty)."""
    kw.setdefault("created_by", user_with_role(Role.PRESCRIBER))
    return OrientationFactory(person=person, **kw)


def eligible(person):
    SituationFactFactory(person=person, kind=FactKind.RSA, started_on=D(2022, 1, 1))
    SituationFactFactory(
        person=person, kind=FactKind.WORK_AUTHORISATION, value=WorkAuthorisation.NATIONAL, started_on=D(2000, 1, 1)
    )
    return person


@pytest.fixture
def newcomer():
    """An eligible person no structure follows yet."""
    return eligible(PersonFactory(sex=Sex.MAN, birth_date=D(1985, 4, 12)))


@pytest.fixture
def prescriber():
    return OrganizationFactory(kind=OrganizationKind.PRESCRIBER, name="France Travail Dijon Est")


@pytest.fixture
def assistant():
    return user_with_role(Role.ASSISTANT, email="assistance@example.org")


@pytest.fixture
def active(person, operator, alice):
    """An active pathway of `person`, followed by `operator` (conftest) with alice as référente."""
    follow_up = person.follow_ups.get()
    follow_up.referent = alice
    follow_up.save()
    return PathwayFactory(
        person=person, proposed_organization=operator, proposed_referent=alice, entry_proposed_by=alice
    )


def cdi(pathway, start):
    return ContractFactory(
        pathway=pathway, contract_type=ContractType.CDI, started_on=start, weekly_hours=Decimal("35")
    )


class TestOrientation:
    def test_orient_person_records_the_orientation(self, newcomer, prescriber, alice):
        orientation = services.orient_person(
            person=newcomer,
            prescriber=prescriber,
            oriented_on=D(2024, 3, 4),
            reason="Bénéficiaire du RSA depuis deux ans.",
            adviser_name="M. Roux",
            first_appointment_on=D(2024, 3, 11),
            by=alice,
        )
        orientation.refresh_from_db()
        assert (orientation.person, orientation.prescriber, orientation.adviser_name) == (
            newcomer,
            prescriber,
            "M. Roux",
        )
        assert orientation.status == OrientationStatus.OPEN
        assert orientation.appointment_outcome == AppointmentOutcome.SCHEDULED
        assert orientation.created_by == alice
        assert orientation.history.get().history_user == alice

    def test_orientation_in_the_future_is_refused(self, newcomer, prescriber, alice):
        with pytest.raises(ValidationError) as error:
            services.orient_person(
                person=newcomer,
                prescriber=prescriber,
                oriented_on=timezone.localdate() + datetime.timedelta(days=2),
                reason="Orientation",
                by=alice,
            )
        assert "futur" in messages(error.value)
        assert not Orientation.objects.exists()

    def test_absent_at_the_first_appointment_until_reached(self, newcomer, alice):
        orientation = make_orientation(person=newcomer, first_appointment_on=D(2024, 3, 11))
        other = make_orientation(PersonFactory())
        services.record_first_appointment(orientation=orientation, outcome=AppointmentOutcome.ABSENT, by=alice)
        services.record_first_appointment(orientation=other, outcome=AppointmentOutcome.PRESENT, by=alice)
        assert list(Orientation.objects.missed_first_appointment()) == [orientation]

        services.record_outreach(orientation=orientation, on=D(2024, 3, 14), notes="Appel, nouveau RDV.", by=alice)
        assert not Orientation.objects.missed_first_appointment().exists()
        orientation.refresh_from_db()
        assert (orientation.outreach_on, orientation.outreach_notes) == (D(2024, 3, 14), "Appel, nouveau RDV.")

    def test_outreach_only_for_absent_people(self, newcomer, alice):
        orientation = make_orientation(person=newcomer)
        services.record_first_appointment(orientation=orientation, outcome=AppointmentOutcome.PRESENT, by=alice)
        with pytest.raises(ValidationError):
            services.record_outreach(orientation=orientation, on=D(2024, 3, 14), notes="Appel", by=alice)

    def test_closed_orientation_leaves_the_outreach_list(self, newcomer, alice):
        orientation = make_orientation(person=newcomer)
        services.record_first_appointment(orientation=orientation, outcome=AppointmentOutcome.ABSENT, by=alice)
        services.close_orientation(orientation=orientation, by=alice)
        assert not Orientation.objects.missed_first_appointment().exists()
        with pytest.raises(ValidationError):
            services.record_first_appointment(orientation=orientation, outcome=AppointmentOutcome.PRESENT, by=alice)


class TestProposeEntry:
    def propose(self, person, operator, referent, by, **kw):
        return services.propose_entry(
            person=person, organization=operator, referent=referent, proposed_on=D(2024, 3, 11), by=by, **kw
        )

    def test_proposes_with_the_criteria_checked(self, newcomer, operator, alice):
        orientation = make_orientation(person=newcomer)
        pathway = self.propose(newcomer, operator, alice, alice, orientation=orientation)
        pathway.refresh_from_db()
        assert pathway.status == PathwayStatus.ENTRY_PROPOSED
        assert (pathway.proposed_organization, pathway.proposed_referent) == (operator, alice)
        assert (pathway.entry_proposed_by, pathway.orientation) == (alice, orientation)
        assert pathway.entry_date is None
        assert pathway.eligibility["eligible"] is True
        assert [c["met"] for c in pathway.eligibility["criteria"]] == [True, True, True, True]

    def test_refused_when_criteria_are_not_met(self, operator, alice):
        person = PersonFactory(sex=Sex.MAN, birth_date=D(1985, 4, 12))
        with pytest.raises(ValidationError) as error:
            self.propose(person, operator, alice, alice)
        text = error.value.messages
        assert text[0] == "Critères d'entrée non remplis."
        assert "Dispose d'une autorisation de travailler : Autorisation de travail non renseignée." in text
        assert (
            "Présente des difficultés d'insertion sociale et professionnelle (public cible) : "
            "Aucune difficulté d'insertion enregistrée." in text
        )
        # Met criteria are not listed.
        assert not any("Dijon Métropole" in m for m in text)
        assert not Pathway.objects.exists()

    def test_refused_when_the_person_does_not_want_a_pathway(self, newcomer, operator, alice):
        with pytest.raises(ValidationError) as error:
            self.propose(newcomer, operator, alice, alice, wants_pathway=False)
        assert "La personne ne le souhaite pas." in messages(error.value)

    @pytest.mark.parametrize(
        "status", [PathwayStatus.ENTRY_PROPOSED, PathwayStatus.ACTIVE, PathwayStatus.EXIT_PROPOSED]
    )
    def test_refused_when_a_pathway_is_open(self, newcomer, operator, alice, status):
        PathwayFactory(person=newcomer, status=status)
        with pytest.raises(ValidationError) as error:
            self.propose(newcomer, operator, alice, alice)
        assert messages(error.value) == "Cette personne a déjà un parcours PLIE en cours."
        assert Pathway.objects.count() == 1

    def test_a_new_pathway_after_an_exit(self, newcomer, operator, alice):
        PathwayFactory(person=newcomer, exited=True)
        self.propose(newcomer, operator, alice, alice)
        assert Pathway.objects.filter(person=newcomer).count() == 2

    def test_referent_must_be_member_of_the_structure(self, newcomer, operator, charlie, coordinator):
        with pytest.raises(ValidationError) as error:
            self.propose(newcomer, operator, charlie, coordinator)
        assert error.value.message_dict["referent"] == [f"{charlie} n'est pas membre de {operator}."]
        assert not Pathway.objects.exists()


class TestValidateEntry:
    @pytest.fixture
    def proposed(self, newcomer, operator, alice, prescriber):
        orientation = make_orientation(person=newcomer, prescriber=prescriber, oriented_on=D(2024, 3, 1))
        return services.propose_entry(
            person=newcomer,
            organization=operator,
            referent=alice,
            proposed_on=D(2024, 3, 11),
            by=alice,
            orientation=orientation,
        )

    def test_a_referent_cannot_validate(self, proposed, alice):
        with pytest.raises(PermissionDenied):
            services.validate_entry(pathway=proposed, entry_date=D(2024, 3, 20), by=fresh(alice))
        proposed.refresh_from_db()
        assert proposed.status == PathwayStatus.ENTRY_PROPOSED

    @pytest.mark.parametrize("cell", ["coordinator", "assistant"])
    def test_the_cell_validates_and_the_structure_follows(self, request, proposed, operator, alice, prescriber, cell):
        member = fresh(request.getfixturevalue(cell))
        services.validate_entry(pathway=proposed, entry_date=D(2024, 3, 20), by=member, notes="Avis favorable")
        proposed.refresh_from_db()
        assert proposed.status == PathwayStatus.ACTIVE
        assert (proposed.entry_date, proposed.entry_decided_by) == (D(2024, 3, 20), member)
        follow_up = FollowUp.objects.get(person=proposed.person)
        assert (follow_up.organization, follow_up.referent, follow_up.prescriber) == (operator, alice, prescriber)
        assert (follow_up.programme, follow_up.started_on, follow_up.ended_on) == (
            Programme.PLIE,
            D(2024, 3, 20),
            None,
        )
        proposed.orientation.refresh_from_db()
        assert proposed.orientation.status == OrientationStatus.ENTERED

    def test_structure_that_already_follows_keeps_its_follow_up_and_records_the_prescriber(
        self, operator, alice, coordinator, prescriber
    ):
        # Registered by alice: her structure follows the person under the PLIE from that day.
        person = people_services.create_person(
            by=fresh(alice),
            first_name="Inès",
            last_name="Bernard",
            sex=Sex.WOMAN,
            birth_date=D(1980, 2, 3),
            commune=PersonFactory.commune.function(),
        )
        eligible(person)
        orientation = make_orientation(person=person, prescriber=prescriber, oriented_on=D(2024, 3, 1))
        pathway = services.propose_entry(
            person=person,
            organization=operator,
            referent=alice,
            proposed_on=D(2024, 3, 11),
            by=alice,
            orientation=orientation,
        )
        services.validate_entry(pathway=pathway, entry_date=D(2024, 3, 20), by=fresh(coordinator))
        follow_up = FollowUp.objects.get(person=person)
        assert (follow_up.organization, follow_up.referent, follow_up.prescriber) == (operator, alice, prescriber)

    def test_entry_before_the_proposal_is_refused(self, proposed, coordinator):
        with pytest.raises(ValidationError):
            services.validate_entry(pathway=proposed, entry_date=D(2024, 3, 10), by=fresh(coordinator))

    def test_only_a_proposed_entry_is_validated(self, proposed, coordinator):
        services.validate_entry(pathway=proposed, entry_date=D(2024, 3, 20), by=fresh(coordinator))
        with pytest.raises(ValidationError):
            services.validate_entry(pathway=proposed, entry_date=D(2024, 3, 21), by=fresh(coordinator))

    def test_refuse_entry_requires_a_reason_and_the_cell(self, proposed, alice, coordinator):
        with pytest.raises(PermissionDenied):
            services.refuse_entry(pathway=proposed, by=fresh(alice), notes="Non")
        with pytest.raises(ValidationError):
            services.refuse_entry(pathway=proposed, by=fresh(coordinator), notes="  ")
        services.refuse_entry(pathway=proposed, by=fresh(coordinator), notes="Relève d'un autre dispositif.")
        proposed.refresh_from_db()
        assert proposed.status == PathwayStatus.ENTRY_REFUSED


class TestAssignReferent:
    def test_changing_structure_ends_the_old_follow_up_the_day_before(self, active, operator, coordinator):
        cesam = OrganizationFactory(name="CESAM")
        bruno = user_with_role(Role.REFERENT, organization=cesam)
        old = services.current_follow_up(active)
        new = services.assign_referent(
            pathway=active, organization=cesam, referent=bruno, on=D(2024, 5, 2), by=coordinator
        )
        old.refresh_from_db()
        assert old.ended_on == D(2024, 5, 1)
        assert (new.organization, new.referent, new.started_on, new.ended_on) == (cesam, bruno, D(2024, 5, 2), None)
        assert services.current_follow_up(active) == new
        assert FollowUp.objects.filter(person=active.person, programme=Programme.PLIE).count() == 2

    def test_changing_only_the_person_updates_the_follow_up(self, active, operator, alice, coordinator):
        follow_up = services.current_follow_up(active)
        versions = follow_up.history.count()
        colleague = user_with_role(Role.REFERENT, organization=operator)
        same = services.assign_referent(
            pathway=active, organization=operator, referent=colleague, on=D(2024, 5, 2), by=coordinator
        )
        assert same.pk == follow_up.pk
        follow_up.refresh_from_db()
        assert (follow_up.referent, follow_up.ended_on) == (colleague, None)
        assert follow_up.history.count() == versions + 1
        latest = follow_up.history.first()
        assert (latest.history_type, latest.history_user, latest.referent_id) == ("~", coordinator, colleague.pk)
        assert latest.prev_record.referent_id == alice.pk


class TestProposeExit:
    def test_positive_exit_refused_when_no_criterion_is_met(self, active, alice):
        cdi(active, D(2024, 1, 1))
        with pytest.raises(ValidationError) as error:
            services.propose_exit(pathway=active, exit_date=D(2024, 6, 29), exit_kind=ExitKind.POSITIVE_CDI, by=alice)
        assert error.value.message_dict["exit_kind"] == ["Aucun critère de sortie positive rempli au 29/06/2024."]
        active.refresh_from_db()
        assert (active.status, active.exit_date) == (PathwayStatus.ACTIVE, None)

    def test_positive_exit_refused_when_the_kind_is_not_the_rule_met(self, active, alice):
        cdi(active, D(2024, 1, 1))
        with pytest.raises(ValidationError) as error:
            services.propose_exit(pathway=active, exit_date=D(2024, 6, 30), exit_kind=ExitKind.POSITIVE_CDD, by=alice)
        text = messages(error.value)
        assert "Ce motif ne correspond pas au critère rempli." in text
        assert "Critère rempli le 30/06/2024 : CDI au terme de 6 mois de présence dans l'entreprise" in text

    def test_positive_exit_accepted_with_its_rule_and_explanation(self, active, alice):
        cdi(active, D(2024, 1, 1))
        services.propose_exit(
            pathway=active,
            exit_date=D(2024, 6, 30),
            exit_kind=ExitKind.POSITIVE_CDI,
            by=alice,
            explanation="Embauche confirmée par l'employeur.",
        )
        active.refresh_from_db()
        assert active.status == PathwayStatus.EXIT_PROPOSED
        assert (active.exit_date, active.exit_kind, active.exit_rule) == (
            D(2024, 6, 30),
            ExitKind.POSITIVE_CDI,
            ExitRule.CDI,
        )
        first_line, summary = active.exit_explanation.split("\n")
        assert first_line == "Embauche confirmée par l'employeur."
        assert summary.startswith("Critère rempli le 30/06/2024 : CDI au terme de 6 mois de présence")
        assert (active.exit_proposed_by, active.exit_proposed_on) == (alice, timezone.localdate())

    def test_explanation_is_that_of_the_rule_chosen(self, active, alice):
        # A training validated in March, then a CDI: both are met, the référent proposes the CDI.
        StepFactory(
            pathway=active,
            kind=StepKind.TRAINING_CERTIFYING,
            title="CACES R489",
            started_on=D(2024, 1, 8),
            ended_on=D(2024, 3, 8),
            certification_obtained=True,
        )
        cdi(active, D(2024, 1, 1))
        services.propose_exit(pathway=active, exit_date=D(2024, 7, 1), exit_kind=ExitKind.POSITIVE_CDI, by=alice)
        active.refresh_from_db()
        assert active.exit_rule == ExitRule.CDI
        assert active.exit_explanation.startswith("Critère rempli le 30/06/2024 : CDI au terme")
        assert "CACES" not in active.exit_explanation

    def test_other_exit_requires_an_explanation(self, active, alice):
        with pytest.raises(ValidationError) as error:
            services.propose_exit(pathway=active, exit_date=D(2024, 6, 30), exit_kind=ExitKind.MOVED, by=alice)
        assert "exit_explanation" in error.value.message_dict
        services.propose_exit(
            pathway=active, exit_date=D(2024, 6, 30), exit_kind=ExitKind.MOVED, by=alice, explanation="Parti à Lyon."
        )
        active.refresh_from_db()
        assert (active.status, active.exit_rule, active.exit_explanation) == (
            PathwayStatus.EXIT_PROPOSED,
            "",
            "Parti à Lyon.",
        )

    def test_exit_before_entry_or_in_the_future_is_refused(self, active, alice):
        kwargs = {"pathway": active, "exit_kind": ExitKind.MOVED, "by": alice, "explanation": "Parti."}
        with pytest.raises(ValidationError):
            services.propose_exit(exit_date=active.entry_date - datetime.timedelta(days=1), **kwargs)
        with pytest.raises(ValidationError) as error:
            services.propose_exit(exit_date=timezone.localdate() + datetime.timedelta(days=1), **kwargs)
        assert "futur" in messages(error.value)

    def test_only_an_active_pathway(self, alice):
        pathway = PathwayFactory(proposed=True)
        with pytest.raises(ValidationError):
            services.propose_exit(
                pathway=pathway, exit_date=D(2024, 6, 30), exit_kind=ExitKind.MOVED, by=alice, explanation="Parti."
            )


class TestExitDecision:
    @pytest.fixture
    def exit_proposed(self, active, alice):
        cdi(active, D(2024, 1, 1))
        return services.propose_exit(
            pathway=active, exit_date=D(2024, 7, 5), exit_kind=ExitKind.POSITIVE_CDI, by=alice
        )

    def test_only_the_cell_validates(self, exit_proposed, alice):
        with pytest.raises(PermissionDenied):
            services.validate_exit(pathway=exit_proposed, by=fresh(alice))

    def test_validation_ends_the_follow_up_on_the_exit_date(self, exit_proposed, coordinator):
        follow_up = services.current_follow_up(exit_proposed)
        services.validate_exit(pathway=exit_proposed, by=fresh(coordinator))
        exit_proposed.refresh_from_db()
        assert (exit_proposed.status, exit_proposed.exit_validated_by) == (PathwayStatus.EXITED, coordinator)
        follow_up.refresh_from_db()
        assert follow_up.ended_on == D(2024, 7, 5)
        assert services.current_follow_up(exit_proposed) is None

    def test_rejection_returns_to_the_pathway(self, exit_proposed, alice, coordinator):
        with pytest.raises(PermissionDenied):
            services.reject_exit(pathway=exit_proposed, by=fresh(alice), notes="Non")
        services.reject_exit(pathway=exit_proposed, by=fresh(coordinator), notes="Période d'essai en cours.")
        exit_proposed.refresh_from_db()
        assert exit_proposed.status == PathwayStatus.ACTIVE
        assert (exit_proposed.exit_date, exit_proposed.exit_kind, exit_proposed.exit_rule) == (None, "", "")
        assert exit_proposed.exit_explanation == "Sortie refusée par la cellule : Période d'essai en cours."
        assert services.current_follow_up(exit_proposed).ended_on is None


class TestFseQuestionnaire:
    def test_one_questionnaire_per_moment(self, active, alice):
        services.record_fse_questionnaire(
            pathway=active, moment=FseMoment.ENTRY, collected_on=D(2023, 2, 10), by=alice, household="single_adult"
        )
        with pytest.raises(ValidationError) as error:
            services.record_fse_questionnaire(
                pathway=active, moment=FseMoment.ENTRY, collected_on=D(2023, 2, 11), by=alice
            )
        assert messages(error.value) == "Ce questionnaire FSE+ a déjà été recueilli pour ce parcours."
        assert active.fse_questionnaires.get().household == "single_adult"

    def test_entry_questionnaire_after_the_entry(self, alice):
        with pytest.raises(ValidationError):
            services.record_fse_questionnaire(
                pathway=PathwayFactory(proposed=True), moment=FseMoment.ENTRY, collected_on=D(2023, 2, 10), by=alice
            )

    @pytest.mark.parametrize("moment", [FseMoment.EXIT, FseMoment.SIX_MONTHS])
    def test_exit_questionnaires_after_the_validated_exit(self, active, alice, coordinator, moment):
        services.propose_exit(
            pathway=active, exit_date=D(2024, 3, 29), exit_kind=ExitKind.MOVED, by=alice, explanation="Parti."
        )
        with pytest.raises(ValidationError):
            services.record_fse_questionnaire(pathway=active, moment=moment, collected_on=D(2024, 3, 29), by=alice)
        services.validate_exit(pathway=active, by=fresh(coordinator))
        # The exit questionnaire at the exit; the 6-month situation in its window (29/09/2024 ± 30/90 days).
        collected_on = D(2024, 3, 29) if moment == FseMoment.EXIT else D(2024, 10, 2)
        services.record_fse_questionnaire(pathway=active, moment=moment, collected_on=collected_on, by=alice)
        assert active.fse_questionnaires.get().moment == moment

    def test_the_six_month_situation_is_collected_in_its_window(self, active, alice, coordinator):
        services.propose_exit(
            pathway=active, exit_date=D(2024, 3, 29), exit_kind=ExitKind.MOVED, by=alice, explanation="Parti."
        )
        services.validate_exit(pathway=active, by=fresh(coordinator))
        # Due on 29/09/2024: from 30/08/2024 to 28/12/2024.
        for too_early_or_late in (D(2024, 8, 29), D(2024, 12, 29)):
            with pytest.raises(ValidationError) as error:
                services.record_fse_questionnaire(
                    pathway=active, moment=FseMoment.SIX_MONTHS, collected_on=too_early_or_late, by=alice
                )
            assert "du 30/08/2024 au 28/12/2024" in str(error.value)
        services.record_fse_questionnaire(
            pathway=active, moment=FseMoment.SIX_MONTHS, collected_on=D(2024, 12, 28), by=alice
        )


class TestInterview:
    def test_notes_stay_in_the_authors_structure(self, active, operator, alice, charlie, coordinator):
        interview = services.add_interview(
            pathway=active, held_on=D(2024, 4, 2), notes="Point sur la recherche de logement.", by=fresh(alice)
        )
        assert (interview.organization, interview.author) == (operator, alice)
        assert list(Interview.objects.readable_by(fresh(alice))) == [interview]
        colleague = user_with_role(Role.REFERENT, organization=operator)
        assert list(Interview.objects.readable_by(fresh(colleague))) == [interview]
        assert not Interview.objects.readable_by(fresh(charlie)).exists()
        assert not Interview.objects.readable_by(fresh(coordinator)).exists()

    def test_author_without_structure_is_refused(self, active):
        orphan = User.objects.create_user("sans.structure@example.org", "mot-de-passe-de-test")
        with pytest.raises(PermissionDenied):
            services.add_interview(pathway=active, held_on=D(2024, 4, 2), notes="Notes", by=orphan)

    def test_only_on_a_pathway_in_progress(self, alice):
        with pytest.raises(ValidationError):
            services.add_interview(
                pathway=PathwayFactory(exited=True), held_on=D(2024, 4, 2), notes="Notes", by=fresh(alice)
            )
