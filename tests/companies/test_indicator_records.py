"""The records behind the companies, events and Points Relais figures (tests/companies/test_indicators.py's data,
year 2024): the rows listed are the rows counted, within what the user may read."""

import pytest
from django.urls import reverse

from tests.companies import test_indicators
from tests.factories import user_with_role
from tremplin.accounts.enums import Role
from tremplin.reports.registry import registry

pytestmark = pytest.mark.django_db
Y2024, Y2025, value = test_indicators.Y2024, test_indicators.Y2025, test_indicators.value
data = test_indicators.data  # the hand-built companies, offers, people and events


def records(indicator_id, period=Y2024, user=None):
    return list(registry.get(indicator_id).records(period=period, user=user))


def column(indicator_id, label, rows):
    found = next(c for c in registry.get(indicator_id).record_columns if c.label == label)
    return [found.value(row) for row in rows]


@pytest.mark.parametrize(
    "indicator_id,period",
    [
        ("companies.companies_met", Y2024),
        ("companies.companies_met_since_launch", Y2024),
        ("companies.interactions", Y2024),
        ("companies.interactions_since_launch", Y2025),
        ("companies.offers", Y2024),
        ("companies.offers_since_launch", Y2024),
        ("companies.proposals", Y2024),
        ("companies.proposals_since_launch", Y2025),
        ("companies.hires", Y2024),
        ("companies.hires_since_launch", Y2025),
        ("companies.immersions", Y2024),
        ("events.registrations", Y2024),
        ("events.registrations_since_launch", Y2025),
        ("events.interests", Y2024),
        ("events.funnel", Y2024),
        ("relais.contacts", Y2024),
        ("relais.contacts_since_launch", Y2025),
    ],
)
def test_the_records_listed_are_those_counted(data, indicator_id, period):
    assert len(records(indicator_id, period)) == value(indicator_id, period).value


def test_posts_add_up_from_the_offers_listed(data):
    assert sum(column("companies.posts", "Postes", records("companies.posts"))) == value("companies.posts").value == 6
    filled = records("companies.posts_filled")
    assert sum(column("companies.posts_filled", "Postes", filled)) == value("companies.posts_filled").value == 5
    assert sum(column("companies.companies_met", "Échanges", records("companies.companies_met"))) == 3


def test_the_funnel_lists_the_people_registered_with_their_stages(data):
    rows = records("events.funnel_rates")
    assert len(rows) == value("events.funnel_rates").denominator == 3
    stages = {p.first_name: (p.funnel_present, p.funnel_interest, p.funnel_proposal, p.funnel_hire) for p in rows}
    assert stages == {
        "Pia": (True, True, True, True),
        "Quentin": (True, True, True, False),
        "Rose": (False, False, False, False),
    }


def test_a_referent_lists_her_own_people_only(data):
    referent = user_with_role(Role.REFERENT, organization=data["irfa"])
    proposals = records("companies.proposals", user=referent)
    assert [p.person.first_name for p in proposals] == ["Pia"]
    assert len(proposals) == value("companies.proposals", user=referent).value
    assert [r.person.first_name for r in records("events.registrations", user=referent)] == ["Pia"]
    assert [p.first_name for p in records("events.funnel", user=referent)] == ["Pia"]


def test_a_company_user_lists_nothing(data):
    company_user = user_with_role(Role.COMPANY, organization=records("companies.offers")[0].company)
    assert records("companies.proposals", user=company_user) == []
    assert records("events.registrations", user=company_user) == []
    assert records("relais.contacts", user=company_user) == []


def test_a_funder_gets_the_figure_without_the_list(client, data, funder):
    client.force_login(funder)
    response = client.get(reverse("reports:figure", args=["companies.hires"]), {"annee": "2024"})
    assert response.status_code == 200
    assert response.context["records_page"] is None


def test_the_coordination_reaches_the_hires(client, data, coordinator):
    hire = records("companies.hires")[0]
    client.force_login(coordinator)
    content = client.get(reverse("reports:figure", args=["companies.hires"]), {"annee": "2024"}).content.decode()
    assert "1 enregistrement" in content and hire.person.full_name in content
    assert hire.offer.get_absolute_url() in content
