import json

import pytest
from django.urls import reverse

from tests.factories import SituationFactFactory
from tremplin.people.enums import FactKind
from tremplin.people.models import PersonAccess


def test_coordinator_exports_everything_held_about_a_person(client, coordinator, person):
    SituationFactFactory(person=person, kind=FactKind.RSA, source="Attestation CAF")
    client.force_login(coordinator)
    response = client.get(reverse("people:export", args=[person.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert f"donnees-personnelles-{person.public_id}.json" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["Identité et coordonnées"]["last_name"] == "Lefèvre"
    assert data["Situations"][0]["situation"] == "Bénéficiaire du RSA"
    assert data["Situations"][0]["source"] == "Attestation CAF"
    assert data["Suivis"][0]["structure"] == "IRFA Dijon"
    assert PersonAccess.objects.filter(person=person, user=coordinator, action="export").exists()


@pytest.mark.parametrize("persona,status", [("alice", 403), ("manager", 403), ("charlie", 404), ("funder", 404)])
def test_only_the_coordination_exports(client, request, person, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("people:export", args=[person.public_id]))
    assert response.status_code == status
    assert not PersonAccess.objects.filter(action="export").exists()
