"""The programmation's growing choice lists (projects, every structure for an FSE+ operation) are typed and
searched, not picked in a select of them all (issue 9, "Choice lists that grow with the data")."""

import re

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, user_with_role
from tests.funding.factories import ProjectFactory
from tremplin.accounts.enums import Role
from tremplin.funding.forms import AllocationForm, CallActionForm, FseOperationForm, FundingLineForm

pytestmark = pytest.mark.django_db


def options(response) -> dict[str, str]:
    return dict(re.findall(r'<option value="(\d+)">([^<]*)</option>', response.content.decode()))


def test_a_project_is_searched_by_its_code_or_title_among_the_forms_projects(client):
    garage = ProjectFactory(code="PLIE-07", title="Garage solidaire")
    ProjectFactory(code="CITE-02", title="Cité de l'emploi")
    client.force_login(user_with_role(Role.COORDINATOR))
    url = reverse("funding:search_projects")
    assert options(client.get(url, {"champ": "project", "project": "garage"})) == {
        str(garage.pk): "PLIE-07 – Garage solidaire"
    }
    assert set(options(client.get(url, {"champ": "project", "project": "plie-07"}))) == {str(garage.pk)}
    for form in (FundingLineForm(), AllocationForm(), CallActionForm(), FseOperationForm()):
        html = str(form["project"])
        assert "<select" not in html and f'hx-get="{url}?champ=project"' in html


def test_an_fse_operation_s_structure_is_searched_and_an_unknown_one_refused(client):
    irfa = OrganizationFactory(name="IRFA Bourgogne")
    client.force_login(user_with_role(Role.COORDINATOR))
    url = reverse("funding:search_organizations")
    assert options(client.get(url, {"champ": "organization", "organization": "irfa"})) == {str(irfa.pk): irfa.name}
    form = FseOperationForm({"organization": "999999", "project": "x"})
    assert form.errors["organization"] == ["Choisissez une structure dans la liste proposée."]
    assert form.errors["project"] == ["Choisissez un projet dans la liste proposée."]


def test_only_the_programmation_s_managers_search(client):
    client.force_login(user_with_role(Role.FUNDER))
    assert client.get(reverse("funding:search_projects")).status_code == 403
    client.force_login(user_with_role(Role.BUYER))
    assert client.get(reverse("funding:search_organizations")).status_code == 404
