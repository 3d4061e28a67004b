"""What the clauses register for the shared pages (tremplin/clauses/registry.py): their menu entry, the facilitator's
and the external home panels, their tabs."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, OrganizationFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.core.modules import modules

LABEL = "Clauses d'insertion"


@pytest.mark.parametrize(
    "role,url_name",
    [
        (Role.FACILITATOR, "clauses:operation_list"),
        (Role.COORDINATOR, "clauses:operation_list"),
        (Role.BUYER, "clauses:operation_list"),
        (Role.COMPANY, "clauses:operation_list"),
        (Role.REFERENT, "clauses:candidate_list"),
        (Role.PRESCRIBER, "clauses:candidate_list"),
        (Role.MOBILITY_ADVISER, None),
        (Role.FUNDER, None),
    ],
)
def test_the_menu_leads_each_role_to_its_clauses_page(role, url_name):
    entries = dict(modules.menu_for(user_with_role(role)))
    assert entries.get(LABEL) == (reverse(url_name) if url_name else None)


@pytest.mark.parametrize(
    "role,panel",
    [
        (Role.FACILITATOR, "clauses/_home_panel.html"),
        (Role.BUYER, "clauses/_external_home_panel.html"),
        (Role.COMPANY, "clauses/_external_home_panel.html"),
        (Role.FUNDER, None),  # the external home, with nothing of the clauses for a funder
        (Role.COORDINATOR, None),
        (Role.REFERENT, None),
    ],
)
def test_the_clauses_panels_are_on_their_roles_home(client, role, panel):
    client.force_login(user_with_role(role))
    panels = dict(client.get(reverse("home")).context["module_panels"])
    assert [name for name in panels if name.startswith("clauses/")] == ([panel] if panel else [])


def test_a_facilitator_with_a_referent_membership_keeps_her_worklist(client):
    # Her first membership (by structure name) makes her home page the facilitator's.
    facilitator = user_with_role(Role.FACILITATOR, organization=OrganizationFactory(name="Aa Creativ'"))
    MembershipFactory(user=facilitator, role=Role.REFERENT, organization=OrganizationFactory(name="Zz IRFA"))
    assert facilitator.primary_role == Role.FACILITATOR
    client.force_login(facilitator)
    content = client.get(reverse("home")).content.decode()
    assert "Lots en retard" in content and "Orientations à recevoir" in content


@pytest.mark.parametrize(
    "role,tabs,hidden",
    [
        (Role.FACILITATOR, ["Opérations", "Candidatures", "Réalisé / prévu", "Globalisation"], []),
        (Role.REFERENT, ["Candidatures", "Vivier"], ["Opérations", "Réalisé / prévu"]),
        (Role.BUYER, ["Opérations"], ["Candidatures", "Globalisation"]),
    ],
)
def test_the_tabs_follow_what_each_role_may_read(client, role, tabs, hidden):
    client.force_login(user_with_role(role))
    url = reverse("clauses:candidate_list" if role == Role.REFERENT else "clauses:operation_list")
    content = client.get(url).content.decode()
    nav = content[content.index('aria-label="Rubriques des clauses') :]
    nav = nav[: nav.index("</nav>")]
    for tab in tabs:
        assert f">{tab}</a>" in nav, tab
    for tab in hidden:
        assert f">{tab}</a>" not in nav, tab
