"""The home page's counts agree with the lists they summarise (issue 9): a person followed twice is one person
and two follow-ups, said so; "Mes suivis en cours" shows 15 and links to the full list, whose count comes
from the same selector."""

import html
import re

from django.urls import reverse

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.people import selectors
from tremplin.people.enums import Programme


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_two_follow_ups_of_one_person_are_said_as_such(client):
    facilitator = user_with_role(Role.FACILITATOR)
    organization = facilitator.primary_membership.organization
    twice = PersonFactory()
    FollowUpFactory(person=twice, organization=organization, programme=Programme.CLAUSES)
    FollowUpFactory(person=twice, organization=OrganizationFactory(), programme=Programme.PLIE)
    FollowUpFactory(organization=organization, programme=Programme.CLAUSES)
    client.force_login(facilitator)
    page = text(client.get(reverse("home")))
    assert "3 suivis en cours pour 2 personnes" in page
    assert "2 personnes dans votre registre" in page
    people_list = text(client.get(reverse("people:list")))
    assert "2 personnes" in people_list


def test_my_follow_ups_show_15_and_link_to_the_full_list(client):
    operator = OrganizationFactory(name="IRFA")
    alice = user_with_role(Role.REFERENT, organization=operator)
    colleague = user_with_role(Role.REFERENT, organization=operator)
    mine = [PersonFactory(last_name=f"Suivie{n:02d}") for n in range(16)]
    for person in mine:
        FollowUpFactory(person=person, organization=operator, referent=alice)
    FollowUpFactory(person=mine[0], organization=operator, referent=alice, programme=Programme.CLAUSES)
    FollowUpFactory(person=PersonFactory(last_name="Collegue"), organization=operator, referent=colleague)
    FollowUpFactory(
        person=PersonFactory(last_name="Terminee"), organization=operator, referent=alice, ended_on="2024-01-31"
    )

    client.force_login(alice)
    home = client.get(reverse("home"))
    page = text(home)
    assert len(home.context["my_follow_ups"]) == 15
    assert "15 suivis affichés sur 17" in page
    assert "Voir la liste de mes suivis en cours : 16 personnes" in page
    assert 'href="/personnes/?suivis=mes"' in home.content.decode()

    full = text(client.get(reverse("people:list"), {"suivis": "mes"}))
    assert "16 personnes que vous suivez actuellement" in full
    assert "COLLEGUE" not in full and "TERMINEE" not in full
    assert selectors.people_of(selectors.my_open_follow_ups(alice)).count() == 16
    registry = home.context["people_count"]
    assert registry >= 17 and f"{registry} personnes dans votre registre" in page
    assert f"{registry} personnes" in text(client.get(reverse("people:list")))
