"""The prescriber and the PLIE référent are told by e-mail at each step of a clauses candidacy (issue 4).

E-mails leave once the transaction is committed: `django_capture_on_commit_callbacks(execute=True)`
plays the commit that pytest-django's test transaction never makes."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.clauses.factories import CandidateFactory, LotFactory
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, commune, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses import services
from tremplin.clauses.enums import CandidateStatus, EligiblePublic, FulfilmentMode
from tremplin.people.enums import Programme, Sex
from tremplin.structures.enums import OrganizationKind

TODAY = timezone.localdate()


@pytest.fixture
def facilitator():
    return user_with_role(Role.FACILITATOR)


@pytest.fixture
def referent():
    return user_with_role(Role.REFERENT, email="ines.referente@example.org")


@pytest.fixture
def person(referent):
    """Zoé, followed by the PLIE: her référente is told too."""
    zoe = PersonFactory(first_name="Zoé", last_name="Lefèvre")
    FollowUpFactory(
        person=zoe, organization=referent.primary_membership.organization, programme=Programme.PLIE, referent=referent
    )
    return zoe


@pytest.fixture
def candidate(person, facilitator):
    FollowUpFactory(
        person=person, organization=facilitator.primary_membership.organization, programme=Programme.CLAUSES
    )
    return CandidateFactory(
        person=person,
        prescriber=OrganizationFactory(kind=OrganizationKind.PRESCRIBER, name="France Travail Dijon"),
        prescriber_email="marc.garnier@example.org",
        referred_on=TODAY - timedelta(days=20),
        status=CandidateStatus.REFERRED,
        eligible_public=EligiblePublic.RSA,
        proof_seen="Attestation CAF",
        proof_date=TODAY - timedelta(days=25),
    )


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_the_referral_is_acknowledged_to_the_prescriber_and_the_plie_referent(
    person, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.refer_candidate(
            by=facilitator,
            person=person,
            prescriber=OrganizationFactory(kind=OrganizationKind.PRESCRIBER, name="Mission locale"),
            prescriber_email="Conseiller@Example.org",
            referred_on=TODAY,
            reason="Souhaite travailler dans l'entretien d'espaces verts.",
            facilitator=facilitator,
        )
    # One message each: neither learns the other's address.
    assert [message.to for message in mailoutbox] == [["conseiller@example.org"], ["ines.referente@example.org"]]
    message = mailoutbox[0]
    assert message.subject == "Clauses d'insertion : orientation de Zoé LEFÈVRE reçue"
    assert "faite par Mission locale le" in message.body
    assert "Motif de l'orientation : Souhaite travailler dans l'entretien d'espaces verts." in message.body
    assert "&#x27;" not in message.body


def test_nothing_is_sent_before_the_commit(person, facilitator, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.refer_candidate(
            by=facilitator,
            new_person={
                "first_name": "Yanis",
                "last_name": "Morel",
                "sex": Sex.MAN,
                "birth_date": datetime.date(1995, 4, 2),
                "commune": commune(),
            },
            prescriber=OrganizationFactory(kind=OrganizationKind.PRESCRIBER),
            prescriber_email="conseiller@example.org",
            referred_on=TODAY,
            reason="Orientation.",
            facilitator=facilitator,
        )
    assert len(callbacks) == 1 and mailoutbox == []


def test_a_refused_write_sends_nothing(candidate, facilitator, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.decide_candidacy(candidate=candidate, status=CandidateStatus.REFUSED, reason="", by=facilitator)
    assert mailoutbox == []


def test_a_person_without_plie_referent_is_reported_to_the_prescriber_only(
    facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(
        status=CandidateStatus.REFERRED, prescriber_email="conseiller@example.org", referred_on=TODAY
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_interview(candidate=candidate, interview_on=TODAY + timedelta(days=3), by=facilitator)
    assert recipients(mailoutbox) == ["conseiller@example.org"]


def test_the_same_address_is_written_to_once(
    candidate, referent, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    candidate.prescriber_email = referent.email
    candidate.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_interview(candidate=candidate, interview_on=TODAY + timedelta(days=3), by=facilitator)
    assert recipients(mailoutbox) == ["ines.referente@example.org"]


def test_a_closed_plie_follow_up_is_not_notified(
    candidate, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    candidate.person.follow_ups.filter(programme=Programme.PLIE).update(ended_on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_interview(candidate=candidate, interview_on=TODAY + timedelta(days=3), by=facilitator)
    assert recipients(mailoutbox) == ["marc.garnier@example.org"]


def test_the_interview_is_announced(candidate, facilitator, mailoutbox, django_capture_on_commit_callbacks):
    day = TODAY + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_interview(candidate=candidate, interview_on=day, by=facilitator)
    assert recipients(mailoutbox) == ["ines.referente@example.org", "marc.garnier@example.org"]
    assert mailoutbox[0].subject == f"Clauses d'insertion : entretien de validation de Zoé LEFÈVRE le {day:%d/%m/%Y}"
    assert "est convoqué·e à un entretien de validation" in mailoutbox[0].body


@pytest.mark.parametrize(
    "status,subject,sentence",
    [
        (CandidateStatus.VALIDATED, "candidature de Zoé LEFÈVRE validée", "entre dans le vivier"),
        (CandidateStatus.REFUSED, "candidature de Zoé LEFÈVRE non retenue", "n'est pas retenue"),
    ],
)
def test_the_decision_and_its_reason_are_sent(
    candidate, facilitator, mailoutbox, django_capture_on_commit_callbacks, status, subject, sentence
):
    candidate.interview_on = TODAY - timedelta(days=1)
    candidate.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_candidacy(
            candidate=candidate, status=status, reason="Avis de l'entretien : motivée, mobile.", by=facilitator
        )
    assert len(mailoutbox) == 2
    assert mailoutbox[0].subject == f"Clauses d'insertion : {subject}"
    assert sentence in mailoutbox[0].body
    assert "Avis motivé : Avis de l'entretien : motivée, mobile." in mailoutbox[0].body


def test_the_placement_and_the_evaluation_are_sent(
    candidate, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    candidate.status = CandidateStatus.VALIDATED
    candidate.save()
    lot = LotFactory(
        started_on=TODAY - timedelta(days=100),
        ended_on=TODAY + timedelta(days=100),
        attributaire=OrganizationFactory(company=True, name="Bâti Dijon"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        placement = services.place_candidate(
            candidate=candidate,
            lot=lot,
            mode=FulfilmentMode.DIRECT_HIRE,
            contract="cdd",
            employer=lot.attributaire,
            job_title="Coffreuse",
            started_on=TODAY - timedelta(days=5),
            by=facilitator,
        )
    assert len(mailoutbox) == 2
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "Clauses d'insertion : mise en emploi de Zoé LEFÈVRE"
    assert f"Opération : {lot.market.operation.name}" in body
    assert "Employeur : Bâti Dijon" in body and "Poste : Coffreuse" in body
    assert "évaluation tripartite" in body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_evaluation(placement=placement, evaluated_on=TODAY, notes="Bonne intégration.", by=facilitator)
    assert recipients(mailoutbox) == ["ines.referente@example.org", "marc.garnier@example.org"]
    assert mailoutbox[0].subject == "Clauses d'insertion : évaluation tripartite de Zoé LEFÈVRE"
    assert "Compte rendu : Bonne intégration." in mailoutbox[0].body
