"""The activity report page, the reworked "Indicateurs" page and a figure's own page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import OrganizationFactory, user_with_role
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.reports.registry import registry

REPORT = reverse("reports:report")


@pytest.fixture
def pathways():
    """Two entries in 2023, one in 2022: new entrants 2 in 2023 against 1 in 2022 (+100 %)."""
    PathwayFactory(entry_date=datetime.date(2022, 5, 2))
    PathwayFactory(entry_date=datetime.date(2023, 1, 1))
    PathwayFactory(entry_date=datetime.date(2023, 12, 31))


def _without_definitions(content: str) -> str:
    return re.sub(r"<details.*?</details>", "", content, flags=re.S)


def test_the_report_has_a_cover_a_summary_and_a_section_per_area(client, coordinator, pathways):
    client.force_login(coordinator)
    response = client.get(REPORT, {"annee": "2023"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Rapport d'activité – année 2023" in content
    assert 'href="#chiffres-cles"' in content
    report = response.context["report"]
    for section in report.sections:
        assert f'href="#{section.slug}"' in content
        assert f'id="{section.slug}"' in content
    new_entrants = next(c for c in report.comparisons if c.indicator.id == "plie.new_entrants")
    assert (new_entrants.value, new_entrants.previous_value, new_entrants.change) == (2, 1, 1.0)
    assert "+100,0 %" in content
    # Labels first: the internal identifiers only appear inside the « Définition » disclosures.
    visible = _without_definitions(content)
    for indicator in registry:
        assert indicator.label in content
        assert f"<code>{indicator.id}</code>" not in visible


def test_the_report_takes_a_free_period(client, coordinator, pathways):
    client.force_login(coordinator)
    response = client.get(REPORT, {"du": "2023-01-01", "au": "2023-06-30"})
    assert response.context["period"].end == datetime.date(2023, 6, 30)
    assert response.context["report"].previous.start == datetime.date(2022, 7, 1)
    assert "Rapport d'activité – du 01/01/2023 au 30/06/2023" in response.content.decode()


def test_the_management_home_leads_to_the_report(client, manager):
    client.force_login(manager)
    content = client.get(reverse("home")).content.decode()
    assert f'href="{REPORT}">Voir les indicateurs et le rapport d' in content


def test_users_without_aggregates_do_not_find_the_report(client):
    user = user_with_role(Role.COMPANY, organization=OrganizationFactory(company=True))
    client.force_login(user)
    assert client.get(REPORT).status_code == 404
    assert client.get(reverse("reports:figure", args=["plie.new_entrants"])).status_code == 404


def test_the_figures_page_has_one_section_per_area_with_an_anchor_menu(client, coordinator, pathways):
    client.force_login(coordinator)
    content = client.get(reverse("reports:figures"), {"year": "2023"}).content.decode()
    assert 'aria-label="Domaines"' in content
    for area in {i.area for i in registry}:
        assert f">{escape(area)}</h2>" in content
    visible = _without_definitions(content)
    assert "<code>plie.new_entrants</code>" not in visible


def test_a_figure_page_shows_definition_period_denominator_and_breakdown(client, coordinator, pathways):
    client.force_login(coordinator)
    url = reverse("reports:figure", args=["plie.new_entrants"])
    response = client.get(url, {"annee": "2023"})
    assert response.status_code == 200
    content = response.content.decode()
    indicator = registry.get("plie.new_entrants")
    assert escape(indicator.definition) in content
    assert "du 01/01/2023 au 31/12/2023" in content
    assert "Ventilation" in content
    assert client.get(reverse("reports:figure", args=["nope.unknown"])).status_code == 404
