import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.companies.factories import EventFactory, OfferFactory, ProposalFactory, RegistrationFactory
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.companies import services
from tremplin.companies.enums import (
    Attendance,
    CommitteeDecision,
    ContractType,
    EventKind,
    OfferStatus,
    ProposalOutcome,
    Public,
    RelaisChannel,
    RelaisOutcome,
    RelaisSubject,
)
from tremplin.companies.models import Hire, RelaisContact

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 20)


@pytest.fixture
def officer():
    return user_with_role(Role.PROJECT_OFFICER)


def test_the_thirteenth_registration_to_a_sas_is_refused(officer):
    sas = EventFactory(kind=EventKind.SAS, title="SAS de mars", capacity=None)
    for _ in range(12):
        services.register(event=sas, person=PersonFactory(), public=Public.QPV_RESIDENT, by=officer)
    thirteenth = PersonFactory(first_name="Treize", last_name="Dupont")
    with pytest.raises(ValidationError) as error:
        services.register(event=sas, person=thirteenth, public=Public.QPV_RESIDENT, by=officer)
    assert error.value.message_dict["person"] == [
        "Le SAS « SAS de mars » est complet : un SAS 100 Chances accueille au plus 12 personnes. "
        "Treize DUPONT n'est pas inscrit·e."
    ]
    assert sas.registrations.count() == 12


def test_a_sas_cannot_be_given_more_than_twelve_places():
    sas = EventFactory.build(kind=EventKind.SAS, capacity=15)
    with pytest.raises(ValidationError) as error:
        sas.full_clean()
    assert "au plus 12 personnes" in error.value.message_dict["capacity"][0]


def test_other_events_are_full_at_their_capacity(officer):
    workshop = EventFactory(kind=EventKind.WORKSHOP, title="Atelier CV", capacity=1)
    services.register(event=workshop, person=PersonFactory(), public=Public.JOB_SEEKER, by=officer)
    with pytest.raises(ValidationError, match="complet"):
        services.register(event=workshop, person=PersonFactory(), public=Public.JOB_SEEKER, by=officer)


def test_a_person_registers_once(officer):
    registration = RegistrationFactory()
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.register(event=registration.event, person=registration.person, public=Public.PUPIL, by=officer)


def test_committee_decisions_after_a_sas(officer):
    sas = EventFactory(kind=EventKind.SAS, starts_on=datetime.date(2024, 3, 4), ends_on=datetime.date(2024, 3, 8))
    present = RegistrationFactory(event=sas, attendance=Attendance.PRESENT)
    absent = RegistrationFactory(event=sas, attendance=Attendance.ABSENT)
    services.record_committee_decision(registration=present, decision=CommitteeDecision.IMMEDIATE, by=officer, on=DAY)
    present.refresh_from_db()
    assert (present.decision, present.decided_on) == (CommitteeDecision.IMMEDIATE, DAY)
    assert present.history.first().history_user == officer
    with pytest.raises(ValidationError, match="absent"):
        services.record_committee_decision(
            registration=absent, decision=CommitteeDecision.DEFERRED, by=officer, on=DAY
        )
    services.record_committee_decision(registration=absent, decision=CommitteeDecision.DROPPED_OUT, by=officer, on=DAY)
    with pytest.raises(ValidationError, match="après le début"):
        services.record_committee_decision(
            registration=present, decision=CommitteeDecision.REFUSED, by=officer, on=datetime.date(2024, 3, 1)
        )
    fair = RegistrationFactory(event=EventFactory(kind=EventKind.JOB_FAIR))
    with pytest.raises(ValidationError, match="Seul un SAS"):
        services.record_committee_decision(registration=fair, decision=CommitteeDecision.IMMEDIATE, by=officer, on=DAY)


def test_proposals_put_the_offer_in_progress_and_a_hire_fills_it(officer):
    offer = OfferFactory(posts=1, received_on=datetime.date(2024, 3, 1))
    first, second = PersonFactory(), PersonFactory()
    proposal = services.propose(offer=offer, person=first, by=officer, on=DAY, score=80)
    services.propose(offer=offer, person=second, by=officer, on=DAY)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.IN_PROGRESS
    with pytest.raises(ValidationError, match="déjà été proposé"):
        services.propose(offer=offer, person=first, by=officer, on=DAY)
    with pytest.raises(ValidationError) as error:
        services.record_proposal_outcome(proposal=proposal, outcome=ProposalOutcome.HIRED, by=officer, on=DAY)
    assert set(error.value.message_dict) == {"started_on", "contract_type"}
    services.record_proposal_outcome(
        proposal=proposal,
        outcome=ProposalOutcome.HIRED,
        by=officer,
        on=DAY,
        started_on=datetime.date(2024, 4, 2),
        contract_type=ContractType.CDD,
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.FILLED_BY_US
    assert Hire.objects.get().person == first
    with pytest.raises(ValidationError, match="déjà connue"):
        services.record_proposal_outcome(proposal=proposal, outcome=ProposalOutcome.DECLINED, by=officer, on=DAY)
    with pytest.raises(ValidationError, match="on n'y propose plus"):
        services.propose(offer=offer, person=PersonFactory(), by=officer, on=DAY)


def test_an_offer_with_two_posts_stays_in_progress_after_one_hire(officer):
    offer = OfferFactory(posts=2, status=OfferStatus.IN_PROGRESS)
    proposal = ProposalFactory(offer=offer, proposed_on=DAY)
    services.record_proposal_outcome(
        proposal=proposal, outcome=ProposalOutcome.HIRED, by=officer, on=DAY, started_on=DAY, contract_type="cdi"
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.IN_PROGRESS


def test_offer_status_transitions(officer):
    offer = OfferFactory()
    services.change_offer_status(offer=offer, status=OfferStatus.CANCELLED, by=officer, on=DAY)
    offer.refresh_from_db()
    assert (offer.status, offer.status_changed_on) == (OfferStatus.CANCELLED, DAY)
    with pytest.raises(ValidationError) as error:
        services.change_offer_status(offer=offer, status=OfferStatus.FILLED_OTHERWISE, by=officer)
    assert error.value.message_dict["status"] == [
        "Une offre « Annulée » ne peut pas passer au statut « Pourvue par ailleurs »."
    ]
    services.change_offer_status(offer=offer, status=OfferStatus.OPEN, by=officer)
    with pytest.raises(ValidationError, match="enregistrez l'embauche"):
        services.change_offer_status(offer=offer, status=OfferStatus.FILLED_BY_US, by=officer)
    services.change_offer_status(offer=offer, status=OfferStatus.FILLED_OTHERWISE, by=officer)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.FILLED_OTHERWISE
    assert offer.history.first().history_user == officer


def test_an_offer_belongs_to_a_company(officer):
    with pytest.raises(ValidationError, match="n'est pas une entreprise"):
        services.create_offer(by=officer, company=OrganizationFactory(), title="X")


def test_points_relais_contact_in_seconds():
    user = UserFactory()
    point = OrganizationFactory(name="Point Relais Grésilles")
    partner = OrganizationFactory(name="Mission Locale")
    services.record_relais_contact(
        organization=point,
        channel=RelaisChannel.WALK_IN,
        subject=RelaisSubject.JOB,
        outcome=RelaisOutcome.DIRECT,
        by=user,
    )
    with pytest.raises(ValidationError) as error:
        services.record_relais_contact(
            organization=point,
            channel=RelaisChannel.PHONE,
            subject=RelaisSubject.TRAINING,
            outcome=RelaisOutcome.REFERRAL,
            by=user,
        )
    assert error.value.message_dict["referred_to"] == ["Indiquez le partenaire vers lequel la personne est orientée."]
    services.record_relais_contact(
        organization=point,
        channel=RelaisChannel.PHONE,
        subject=RelaisSubject.TRAINING,
        outcome=RelaisOutcome.REFERRAL,
        referred_to=partner,
        by=user,
    )
    assert RelaisContact.objects.filter(referred_to=partner).count() == 1
