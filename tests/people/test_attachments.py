"""Duplicate detection reveals nothing outside the user's scope (issue 7, hole 1).

A référent of another structure, or a facilitator, who types the phone number, the e-mail or the identity
of someone they cannot see gets exactly the screens they get when nobody matches: the person is registered
as new, and a « demande de rattachement » goes, unseen by them, to the coordination and to the structures
that follow the existing person, who accept or refuse it."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.clauses.test_views import referral_data
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.people.test_views import form_data
from tremplin.accounts.enums import Role
from tremplin.clauses.models import Candidate
from tremplin.people.enums import Programme
from tremplin.people.models import AttachmentRequest, FollowUp, Person
from tremplin.structures.enums import OrganizationKind

HIDDEN_NAME = "Quasimodo-Vérane"


@pytest.fixture
def followers():
    return OrganizationFactory(name="CESAM")


@pytest.fixture
def hidden(followers):
    """Followed by CESAM in the PLIE: outside the scope of IRFA's référent and of the facilitator."""
    person = PersonFactory(
        first_name="Lou",
        last_name=HIDDEN_NAME,
        birth_date=datetime.date(1991, 2, 3),
        phone="0611223344",
        email="lou.cache@example.org",
    )
    FollowUpFactory(person=person, organization=followers, programme=Programme.PLIE)
    return person


@pytest.fixture
def referent():
    return user_with_role(Role.REFERENT, organization=OrganizationFactory(name="IRFA"))


def scrub(html: str) -> str:
    """A page without what differs from one request to the next (tokens, ids, the typed values)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", html)


def create_and_follow(client, data):
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 302, response.content.decode()
    page = client.get(response["Location"])
    return response, scrub(page.content.decode())


@pytest.mark.parametrize(
    "match",
    [
        {"phone": "06 11 22 33 44"},
        {"email": "lou.cache@example.org"},
        {"last_name": HIDDEN_NAME, "first_name": "Lou", "birth_date": "1991-02-03"},
    ],
    ids=["phone", "email", "identity"],
)
def test_registering_someone_like_a_hidden_person_looks_the_same_as_no_match(client, referent, hidden, match):
    client.force_login(referent)
    # Without a match: a fresh person whose values match nobody.
    control = form_data(last_name="Témoin", phone="06 99 88 77 66", email="temoin@example.org")
    _, without = create_and_follow(client, control)
    assert not AttachmentRequest.objects.exists()
    typed = form_data(**{"last_name": "Martin", "phone": "06 77 66 55 44", "email": "martin@example.org", **match})
    response, with_match = create_and_follow(client, typed)
    # Same answer: a redirect to the new record, which holds nothing of the hidden person.
    assert response["Location"].startswith("/personnes/")
    assert str(hidden.public_id) not in response["Location"] + with_match
    assert HIDDEN_NAME.upper() not in with_match.upper() or "last_name" in match
    assert "rattachement" not in with_match and "hors de votre périmètre" not in with_match
    assert without.count("alert") == with_match.count("alert")
    new = Person.objects.exclude(pk=hidden.pk).latest("created_at")
    assert new.follow_ups.get().organization == referent.primary_membership.organization
    assert not FollowUp.objects.filter(person=hidden).exclude(organization__name="CESAM").exists()
    attachment = AttachmentRequest.objects.get()
    assert (attachment.person, attachment.target, attachment.requested_by) == (new, hidden, referent)
    assert attachment.status == AttachmentRequest.Status.PENDING
    assert attachment.history.get().history_user == referent


def test_the_form_before_creation_shows_no_hidden_match(client, referent, hidden):
    client.force_login(user_with_role(Role.REFERENT, organization=OrganizationFactory()))
    visible = PersonFactory(first_name="Vue", last_name="Visible", phone="0655443322")
    # A match of the user's scope stops them with its name; a hidden one never does.
    client.force_login(referent)
    FollowUpFactory(person=visible, organization=referent.primary_membership.organization)
    page = client.post(reverse("people:create"), form_data(phone="06 55 44 33 22", email="")).content.decode()
    assert "VISIBLE" in page
    response = client.post(reverse("people:create"), form_data(phone="06 11 22 33 44", email=""))
    assert response.status_code == 302


def test_a_harvested_id_does_not_attach_through_the_candidacy_form(client, hidden):
    clauses_service = OrganizationFactory(name="Clauses")
    facilitator = user_with_role(Role.FACILITATOR, organization=clauses_service)
    prescriber = OrganizationFactory(kind=OrganizationKind.PRESCRIBER)
    client.force_login(facilitator)
    typed = {"person-last_name": "Inventé", "person-first_name": "Nom", "person-phone": "06 11 22 33 44"}
    data = referral_data(prescriber, facilitator, **typed)
    control = referral_data(prescriber, facilitator, **{**typed, "person-phone": "06 99 88 77 66"})
    # A guessed or harvested id is ignored exactly like an unknown one.
    for existing in (str(hidden.public_id), "00000000-0000-0000-0000-000000000000"):
        # Each time a facilitator of another structure, who does not see the record typed the time before.
        facilitator = user_with_role(Role.FACILITATOR, organization=OrganizationFactory())
        data = referral_data(prescriber, facilitator, **typed)
        client.force_login(facilitator)
        Candidate.objects.all().delete()
        response = client.post(reverse("clauses:referral_create"), {**data, "existing_person": existing})
        assert response.status_code == 302
        candidate = Candidate.objects.get()
        assert candidate.person != hidden
        page = client.get(response["Location"]).content.decode()
        assert str(hidden.public_id) not in page and HIDDEN_NAME.upper() not in page.upper()
    assert not Candidate.objects.filter(person=hidden).exists()
    assert not FollowUp.objects.filter(person=hidden, programme=Programme.CLAUSES).exists()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    requests = AttachmentRequest.objects.filter(target=hidden)
    assert requests.count() == 2 and {r.programme for r in requests} == {Programme.CLAUSES}
    Candidate.objects.all().delete()
    client.force_login(user_with_role(Role.FACILITATOR, organization=OrganizationFactory()))
    response = client.post(reverse("clauses:referral_create"), control)
    assert response.status_code == 302  # the same answer without any match
    assert requests.count() == 2


def test_the_followers_and_the_coordination_decide(client, referent, hidden, followers):
    client.force_login(referent)
    client.post(reverse("people:create"), form_data(phone="06 11 22 33 44", email=""))
    attachment = AttachmentRequest.objects.get()
    url = reverse("people:attachment_decide", kwargs={"attachment_id": attachment.pk})
    # The requester never reaches it: 404 as for an unknown id.
    assert client.get(url).status_code == 404
    assert client.get(reverse("people:attachment_decide", kwargs={"attachment_id": 999_999})).status_code == 404
    assert HIDDEN_NAME.upper() not in client.get(reverse("people:attachments")).content.decode().upper()

    cesam = user_with_role(Role.REFERENT, organization=followers)
    client.force_login(cesam)
    listing = client.get(reverse("people:attachments")).content.decode()
    assert HIDDEN_NAME.upper() in listing.upper()
    response = client.post(url, {"decision": "refuse", "decision_reason": ""})
    assert response.status_code == 422 and "Indiquez le motif du refus." in response.content.decode()
    assert client.post(url, {"decision": "accept"}).status_code == 302
    attachment.refresh_from_db()
    assert (attachment.status, attachment.decided_by) == (AttachmentRequest.Status.ACCEPTED, cesam)
    assert FollowUp.objects.open().filter(person=hidden, organization=referent.primary_membership.organization)
    client.force_login(referent)
    assert client.get(hidden.get_absolute_url()).status_code == 200

    # A refusal by the coordination, with its reason.
    other = user_with_role(Role.REFERENT, organization=OrganizationFactory())
    client.force_login(other)
    client.post(reverse("people:create"), form_data(phone="06 11 22 33 44", email="", last_name="Autre"))
    second = AttachmentRequest.objects.pending().get(target=hidden)
    client.force_login(user_with_role(Role.COORDINATOR))
    url = reverse("people:attachment_decide", kwargs={"attachment_id": second.pk})
    assert client.post(url, {"decision": "refuse", "decision_reason": "Homonyme."}).status_code == 302
    second.refresh_from_db()
    assert (second.status, second.decision_reason) == (AttachmentRequest.Status.REFUSED, "Homonyme.")
    assert second.history.latest().history_user.roles & {Role.COORDINATOR}


def test_the_deciders_find_the_requests_from_the_registry(client, referent, hidden, followers):
    client.force_login(referent)
    client.post(reverse("people:create"), form_data(phone="06 11 22 33 44", email=""))
    assert "Demandes de rattachement" not in client.get(reverse("people:list")).content.decode()
    client.force_login(user_with_role(Role.REFERENT, organization=followers))
    assert "Demandes de rattachement (1)" in client.get(reverse("people:list")).content.decode()
