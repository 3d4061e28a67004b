"""The people a mobility form names are typed and searched, never listed (issue 9, "Choice lists that grow
with the data"): the search answers from the user's scope only and logs whom it names; a posted id outside
the scope is refused exactly as an unknown one."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.mobility.factories import WorkshopSessionFactory
from tremplin.accounts.enums import Role
from tremplin.mobility.models import Prescription, Registration
from tremplin.people.enums import Programme
from tremplin.people.models import PersonAccess
from tremplin.structures.enums import OrganizationKind

pytestmark = pytest.mark.django_db
REFUSED = "Choisissez une personne dans la liste proposée."


def options(response) -> dict[str, str]:
    return dict(re.findall(r'<option value="([^"]+)">([^<]*)</option>', response.content.decode()))


def search(client, text, field="person"):
    return client.get(reverse("mobility:search_people"), {"champ": field, field: text})


@pytest.fixture
def platform():
    platform = OrganizationFactory(name="Creativ'", kind=OrganizationKind.LEAD)
    user_with_role(Role.MOBILITY_ADVISER, organization=platform)
    return platform


@pytest.fixture
def referent():
    return user_with_role(Role.REFERENT)


@pytest.fixture
def people(referent):
    """Two Martins: one followed by the référent's structure, one elsewhere."""
    ours = PersonFactory(first_name="Inès", last_name="Martin", birth_date=datetime.date(1990, 6, 12))
    FollowUpFactory(person=ours, organization=referent.primary_membership.organization, programme=Programme.PLIE)
    theirs = PersonFactory(first_name="Iris", last_name="Martin")
    FollowUpFactory(person=theirs, programme=Programme.PLIE)
    return ours, theirs


def test_a_referent_s_search_finds_only_their_structure_s_people_and_logs_whom_it_names(client, referent, people):
    ours, theirs = people
    client.force_login(referent)
    found = options(search(client, "martin"))
    assert found == {str(ours.public_id): "Inès MARTIN (12/06/1990)"}
    assert PersonAccess.objects.filter(user=referent, person=ours, action=PersonAccess.Action.LIST).exists()
    assert not PersonAccess.objects.filter(person=theirs).exists()
    assert options(search(client, "iris")) == {}
    # Accents, case and birth dates are searched as in the registry; one letter lists nobody.
    assert set(options(search(client, "INES 12/06/1990"))) == {str(ours.public_id)}
    assert options(search(client, "m")) == {}


def test_the_prescription_form_names_nobody_and_refuses_a_guessed_id_as_an_unknown_one(
    client, referent, people, platform
):
    ours, theirs = people
    client.force_login(referent)
    page = client.get(reverse("mobility:prescription_create")).content.decode()
    assert "MARTIN" not in page and 'hx-get="/mobilite/recherche/personnes/?champ=person"' in page
    data = {"platform": platform.pk, "reason": "Horaires décalés"}
    for guessed in (theirs.public_id, uuid.uuid4(), "12", "pas-un-identifiant"):
        response = client.post(reverse("mobility:prescription_create"), {**data, "person": guessed})
        assert response.status_code == 422
        assert REFUSED in response.content.decode()
        assert "Iris" not in response.content.decode()
    assert not Prescription.objects.exists()
    # Her own person, shown again with another field's error: the field keeps her, named.
    again = client.post(reverse("mobility:prescription_create"), {"person": ours.public_id, "platform": platform.pk})
    assert again.status_code == 422 and "Inès MARTIN (12/06/1990)" in again.content.decode()
    response = client.post(reverse("mobility:prescription_create"), {**data, "person": ours.public_id})
    assert response.status_code == 302 and Prescription.objects.get().person == ours


def test_an_adviser_registers_a_person_of_their_scope_to_a_workshop(client, platform, people):
    ours, theirs = people
    adviser = platform.memberships.get().user
    FollowUpFactory(person=ours, organization=platform, programme=Programme.MOBILITY)
    session = WorkshopSessionFactory()
    client.force_login(adviser)
    assert "MARTIN" not in client.get(session.get_absolute_url()).content.decode()
    assert set(options(search(client, "martin"))) == {str(ours.public_id)}
    url = reverse("mobility:workshop_register", args=[session.pk])
    refused = client.post(url, {"person": theirs.public_id})
    assert refused.status_code == 422 and REFUSED in refused.content.decode()
    assert client.post(url, {"person": ours.public_id}).status_code == 302
    assert Registration.objects.get().person == ours


def test_only_who_writes_a_mobility_form_searches(client, people):
    client.force_login(user_with_role(Role.COORDINATOR))
    assert search(client, "martin").status_code == 403
    client.force_login(user_with_role(Role.BUYER))
    assert search(client, "martin").status_code == 404
