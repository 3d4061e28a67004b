import datetime
import html

import pytest
from django.urls import reverse

from tests.factories import FollowUpFactory, OrganizationFactory, SituationFactFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.people import services
from tremplin.people.enums import FactKind, Programme
from tremplin.people.models import PersonAccess
from tremplin.structures.enums import OrganizationKind


def text(response) -> str:
    return html.unescape(response.content.decode())


def edit_data(person, **overrides) -> dict:
    values = {
        "last_name": person.last_name,
        "birth_name": person.birth_name,
        "first_name": person.first_name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "postcode": person.postcode,
        "commune": f"{person.commune.name} ({person.commune.insee_code})",
    }
    values.update(overrides)
    return values


@pytest.fixture
def edited(client, alice, person):
    """Alice gives `person` a phone number, then changes it, through the edit page."""
    person.phone = "0380123456"
    person.save()
    client.force_login(alice)
    response = client.post(reverse("people:edit", args=[person.public_id]), edit_data(person, phone="06 12 34 56 78"))
    assert response.status_code == 302
    person.refresh_from_db()
    return person


def test_edit_through_the_view_is_stamped_with_the_editor(edited, alice):
    assert edited.phone == "0612345678"
    latest = edited.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == alice
    assert latest.phone == "0612345678"
    assert latest.prev_record.phone == "0380123456"


def test_saving_the_form_unchanged_adds_no_history(client, alice, person):
    client.force_login(alice)
    versions = person.history.count()
    response = client.post(reverse("people:edit", args=[person.public_id]), edit_data(person))
    assert response.status_code == 302
    assert person.history.count() == versions


def test_history_page_lists_the_change_with_before_and_after(client, edited, alice):
    response = client.get(reverse("people:history", args=[edited.public_id]))
    assert response.status_code == 200
    content = text(response)
    assert "Historique de la fiche de Zoé LEFÈVRE" in content
    assert "0380123456 → 0612345678" in content
    changes = response.context["changes"]
    edit = changes[0]
    assert edit.action == "Modification"
    assert edit.what == "Identité et coordonnées"
    assert edit.user == alice
    assert edit.fields == [("téléphone", "0380123456", "0612345678")]
    assert "Création" in [c.action for c in changes]


def test_history_page_names_the_editor(client, edited, alice, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("people:history", args=[edited.public_id]))
    assert response.status_code == 200
    assert str(alice) in text(response)


def test_history_page_logs_a_history_access(client, edited, alice):
    assert not PersonAccess.objects.filter(action=PersonAccess.Action.HISTORY).exists()
    client.get(reverse("people:history", args=[edited.public_id]))
    access = PersonAccess.objects.get(action=PersonAccess.Action.HISTORY)
    assert (access.person, access.user) == (edited, alice)
    # The page lists the accesses too, this one included.
    response = client.get(reverse("people:history", args=[edited.public_id]))
    assert "Consultation de l'historique" in text(response)
    assert PersonAccess.objects.filter(action=PersonAccess.Action.HISTORY).count() == 2


def test_history_lists_fact_and_follow_up_changes(client, alice, coordinator, person):
    fact = services.record_fact(person=person, kind=FactKind.RSA, started_on=datetime.date(2024, 1, 1), by=alice)
    services.end_fact(fact=fact, ended_on=datetime.date(2024, 6, 30), by=alice)
    services.start_follow_up(
        person=person, organization=OrganizationFactory(), programme=Programme.MOBILITY, by=coordinator
    )
    client.force_login(alice)
    response = client.get(reverse("people:history", args=[person.public_id]))
    changes = response.context["changes"]
    whats = [c.what for c in changes]
    assert "Situation : Bénéficiaire du RSA" in whats
    assert "Suivi : Plateforme mobilité" in whats
    ended = next(c for c in changes if c.what.startswith("Situation") and c.action == "Modification")
    assert ended.user == alice
    assert ended.fields == [("jusqu'au", "—", "2024-06-30")]


def test_facilitator_gets_403_on_the_history_of_a_person_they_see(client, person):
    lead = OrganizationFactory(kind=OrganizationKind.LEAD)
    FollowUpFactory(person=person, organization=lead, programme=Programme.CLAUSES)
    facilitator = user_with_role(Role.FACILITATOR, organization=lead)
    client.force_login(facilitator)
    assert client.get(reverse("people:detail", args=[person.public_id])).status_code == 200
    response = client.get(reverse("people:history", args=[person.public_id]))
    assert response.status_code == 403
    assert not PersonAccess.objects.filter(action=PersonAccess.Action.HISTORY).exists()


def test_prescriber_gets_403_on_the_history(client, operator, person):
    prescriber_org = OrganizationFactory(kind=OrganizationKind.PRESCRIBER)
    person.follow_ups.update(prescriber=prescriber_org)
    client.force_login(user_with_role(Role.PRESCRIBER, organization=prescriber_org))
    assert client.get(reverse("people:detail", args=[person.public_id])).status_code == 200
    assert client.get(reverse("people:history", args=[person.public_id])).status_code == 403


def test_manager_reads_the_history(client, manager, edited):
    client.force_login(manager)
    response = client.get(reverse("people:history", args=[edited.public_id]))
    assert response.status_code == 200
    assert PersonAccess.objects.filter(user=manager, action=PersonAccess.Action.HISTORY).exists()


def test_sensitive_facts_stay_out_of_reach(client, person):
    # A facilitator cannot open the history at all; the selector hides sensitive facts anyway.
    from tremplin.people.selectors import person_history

    SituationFactFactory(person=person, kind=FactKind.RQTH)
    SituationFactFactory(person=person, kind=FactKind.RSA)
    facilitator = user_with_role(Role.FACILITATOR)
    whats = [c.what for c in person_history(person=person, user=facilitator)]
    assert "Situation : Bénéficiaire du RSA" in whats
    assert not any("RQTH" in w for w in whats)
