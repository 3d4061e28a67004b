"""What the PLIE registers for the shared pages (tremplin/plie/registry.py): its menu entry, its home panel on the
home pages of the PLIE roles, its tabs."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, OrganizationFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.core.modules import modules

PANEL = "plie/_home_panel.html"


@pytest.mark.parametrize(
    "role,shown",
    [
        (Role.COORDINATOR, True),
        (Role.ASSISTANT, True),
        (Role.MANAGER, True),
        (Role.REFERENT, True),
        (Role.PRESCRIBER, True),
        (Role.FACILITATOR, False),
        (Role.MOBILITY_ADVISER, False),
        (Role.BUYER, False),
        (Role.FUNDER, False),
    ],
)
def test_the_plie_panel_is_on_the_home_of_the_plie_roles(client, role, shown):
    user = user_with_role(role)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert (PANEL in dict(response.context["module_panels"])) is shown
    assert ("Ouvrir l'espace PLIE" in response.content.decode()) is shown
    assert (("PLIE", reverse("plie:workspace")) in modules.menu_for(user)) is shown


def test_the_home_of_another_role_has_no_plie_panel_even_with_a_plie_membership(client):
    # The facilitator's home page never showed the PLIE block.
    # Her first membership (by structure name) makes her home page the facilitator's.
    facilitator = user_with_role(Role.FACILITATOR, organization=OrganizationFactory(name="Aa Creativ'"))
    MembershipFactory(user=facilitator, role=Role.REFERENT, organization=OrganizationFactory(name="Zz IRFA"))
    assert facilitator.primary_role == Role.FACILITATOR
    client.force_login(facilitator)
    assert PANEL not in dict(client.get(reverse("home")).context["module_panels"])


def test_an_administrator_without_a_role_gets_the_plie_panel(client):
    admin = user_with_role(Role.COORDINATOR)
    admin.memberships.all().delete()
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert PANEL in dict(client.get(reverse("home")).context["module_panels"])


@pytest.mark.parametrize("role,shown", [(Role.COORDINATOR, True), (Role.ASSISTANT, True), (Role.REFERENT, False)])
def test_the_cellule_tab_is_for_its_members(client, role, shown):
    client.force_login(user_with_role(role))
    content = client.get(reverse("plie:workspace")).content.decode()
    assert "Mes participants" in content
    assert (f'href="{reverse("plie:cell")}"' in content) is shown
