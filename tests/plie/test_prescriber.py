"""Prescribers orient people (issue 9, item 1): they propose an orientation to the PLIE or a candidacy to
the clauses pool for a person they enter, with a duplicate detection that reveals nothing outside their
scope, then follow the status; the cellule or the facilitator receives it in their list."""

import pytest
from django.urls import reverse

from tests.clauses.test_views import referral_data
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses.models import Candidate
from tremplin.people.enums import Programme
from tremplin.people.models import AttachmentRequest, FollowUp, Person
from tremplin.plie.models import Orientation
from tremplin.structures.enums import OrganizationKind

PROPOSE = "/plie/orientations/proposer/"


@pytest.fixture
def lead():
    return OrganizationFactory(name="Créativ'", kind=OrganizationKind.LEAD)


@pytest.fixture
def france_travail():
    return OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)


@pytest.fixture
def prescriber(france_travail):
    return user_with_role(Role.PRESCRIBER, organization=france_travail, first_name="Marc", last_name="Garnier")


def proposal(**overrides):
    data = {
        "person-last_name": "Morel",
        "person-first_name": "Yanis",
        "person-sex": "M",
        "person-birth_date": "1995-04-02",
        "person-phone": "06 55 44 33 22",
        "person-commune": "Dijon (21231)",
        "reason": "Demandeur d'emploi depuis 18 mois, souhaite un accompagnement.",
    }
    return {**data, **overrides}


def test_the_prescriber_is_offered_the_two_orientations_instead_of_a_403(client, prescriber):
    client.force_login(prescriber)
    page = client.get(reverse("people:create"))
    assert page.status_code == 200
    assert PROPOSE in page.content.decode() and reverse("clauses:referral_create") in page.content.decode()
    assert client.get(reverse("plie:orientation_start"))["Location"] == PROPOSE


def test_the_prescriber_orients_and_the_cellule_receives(client, prescriber, lead, france_travail):
    client.force_login(prescriber)
    assert client.get(PROPOSE).status_code == 200
    response = client.post(PROPOSE, proposal())
    orientation = Orientation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plie:orientation_detail", kwargs={"orientation_id": orientation.pk})
    assert (orientation.prescriber, orientation.created_by) == (france_travail, prescriber)
    assert orientation.adviser_name == "Marc Garnier"
    follow_up = FollowUp.objects.get(person=orientation.person)
    assert (follow_up.organization, follow_up.programme, follow_up.prescriber) == (
        lead,
        Programme.PLIE,
        france_travail,
    )
    # The prescriber follows the status; the cellule has it in its list of orientations to receive.
    assert client.get(response["Location"]).status_code == 200
    client.force_login(user_with_role(Role.COORDINATOR))
    assert "MOREL" in client.get(reverse("plie:orientation_list")).content.decode()
    # Another prescriber sees nothing of it.
    client.force_login(user_with_role(Role.PRESCRIBER))
    assert client.get(response["Location"]).status_code == 404


def test_a_match_outside_the_prescribers_scope_is_never_shown(client, prescriber, lead):
    hidden = PersonFactory(first_name="Lou", last_name="Cachée", phone="0655443322")
    FollowUpFactory(person=hidden, programme=Programme.PLIE)
    client.force_login(prescriber)
    response = client.post(PROPOSE, proposal())
    assert response.status_code == 302
    orientation = Orientation.objects.get()
    assert orientation.person != hidden
    page = client.get(response["Location"]).content.decode()
    assert str(hidden.public_id) not in page and "CACHÉE" not in page.upper()
    assert AttachmentRequest.objects.get().target == hidden
    # Its own earlier referral is a match it sees: shown, and chosen rather than duplicated.
    page = client.post(PROPOSE, proposal(**{"person-phone": "", "person-email": ""}))
    assert page.status_code == 200 and "MOREL" in page.content.decode()
    assert Person.objects.filter(last_name="Morel").count() == 1


def test_the_prescriber_refers_to_the_clauses_pool_for_its_own_structure(client, prescriber, france_travail):
    facilitator = user_with_role(Role.FACILITATOR, organization=OrganizationFactory(name="Clauses"))
    other = OrganizationFactory(kind=OrganizationKind.PRESCRIBER, name="Mission locale Beaune")
    client.force_login(prescriber)
    form = client.get(reverse("clauses:referral_create")).content.decode()
    assert "France Travail Dijon" in form and "Mission locale Beaune" not in form
    response = client.post(reverse("clauses:referral_create"), referral_data(other, facilitator))
    assert response.status_code == 422 and not Candidate.objects.exists()
    response = client.post(reverse("clauses:referral_create"), referral_data(france_travail, facilitator))
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.prescriber == france_travail
    assert client.get(response["Location"]).status_code == 200
    # The facilitator receives it in the team's worklist.
    client.force_login(facilitator)
    assert "MOREL" in client.get(reverse("clauses:candidate_list")).content.decode().upper()


def test_a_referent_still_gets_403_on_the_prescribers_page(client):
    client.force_login(user_with_role(Role.REFERENT))
    assert client.get(PROPOSE).status_code == 403
    assert not Orientation.objects.exists()
