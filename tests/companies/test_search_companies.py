"""An offer's or an immersion's company is typed and searched among the companies and SIAE, not picked in a
select of them all (issue 9, "Choice lists that grow with the data")."""

import re

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.companies.forms import ImmersionForm, OfferForm, RelaisContactForm
from tremplin.structures.enums import OrganizationKind

pytestmark = pytest.mark.django_db


def options(response) -> dict[str, str]:
    return dict(re.findall(r'<option value="(\d+)">([^<]*)</option>', response.content.decode()))


def search(client, text):
    return client.get(reverse("companies:search_companies"), {"champ": "company", "company": text})


def test_the_search_offers_the_forms_companies_and_siae_only(client):
    company = OrganizationFactory(name="Propreté Bourguignonne", company=True)
    siae = OrganizationFactory(name="Propre et Solidaire", siae=True)
    OrganizationFactory(name="Propriétés France Travail", kind=OrganizationKind.PRESCRIBER)
    client.force_login(user_with_role(Role.REFERENT))
    assert options(search(client, "PROPRE")) == {str(company.pk): company.name, str(siae.pk): siae.name}
    assert options(search(client, "solidaire")) == {str(siae.pk): siae.name}
    form_companies = {str(pk) for pk in OfferForm().fields["company"].queryset.values_list("pk", flat=True)}
    assert set(options(search(client, ""))) == form_companies


def test_the_forms_render_a_searchable_field_and_refuse_a_structure_that_is_not_a_company():
    company = OrganizationFactory(name="Propreté Bourguignonne", company=True)
    prescriber = OrganizationFactory(kind=OrganizationKind.PRESCRIBER)
    html = str(OfferForm()["company"])
    assert "<select" not in html and 'hx-get="/entreprises/recherche/?champ=company"' in html
    assert f'<option value="{company.pk}">Propreté Bourguignonne</option>' in html
    form = ImmersionForm({"company": prescriber.pk})
    assert form.errors["company"] == ["Choisissez une entreprise ou une SIAE dans la liste proposée."]
    assert ImmersionForm({"company": "n'importe quoi"}).errors["company"] == form.errors["company"]


def test_who_has_no_companies_pages_does_not_search(client):
    client.force_login(user_with_role(Role.FUNDER))
    assert search(client, "propre").status_code == 404
    client.force_login(user_with_role(Role.COMPANY, organization=OrganizationFactory(company=True)))
    assert search(client, "propre").status_code == 404


def test_a_point_relais_searches_the_partner_it_refers_to_but_never_a_company(client):
    mission_locale = OrganizationFactory(name="Mission locale de Dijon", kind=OrganizationKind.PRESCRIBER)
    OrganizationFactory(name="Mission Nettoyage", company=True)
    client.force_login(user_with_role(Role.REFERENT))
    found = client.get(reverse("companies:search_partners"), {"champ": "referred_to", "referred_to": "mission"})
    assert options(found) == {str(mission_locale.pk): "Mission locale de Dijon"}
    company = OrganizationFactory(company=True)
    form = RelaisContactForm(
        {"channel": "walk_in", "subject": "job", "outcome": "referral", "referred_to": company.pk}
    )
    assert "Choisissez une structure partenaire dans la liste proposée." in form.errors["referred_to"]
