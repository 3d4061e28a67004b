"""Every figure traced to its records: each indicator lists its records or says why it cannot, the records
follow the user's scope, aggregate-only users get no list."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.clauses.factories import HoursRecordFactory, PlacementFactory
from tests.factories import PersonFactory
from tests.plie.factories import PathwayFactory
from tremplin.reports.registry import Period, registry

YEAR = {"annee": "2023"}


def test_every_indicator_lists_its_records_or_says_why_not():
    undecided = [i.id for i in registry if i.records is None and not i.aggregate_only]
    assert undecided == [], "Déclarez records=… (et record_columns) ou aggregate_only=« pourquoi » : " + ", ".join(
        undecided
    )
    assert not [i.id for i in registry if i.records is not None and i.aggregate_only]


@pytest.fixture
def entrants():
    """Two entrants in 2023, one on 31 December; one on 1 January 2024 (next year)."""
    return [
        PathwayFactory(person=PersonFactory(last_name="Arnaud"), entry_date=datetime.date(2023, 3, 1)),
        PathwayFactory(person=PersonFactory(last_name="Bernard"), entry_date=datetime.date(2023, 12, 31)),
        PathwayFactory(person=PersonFactory(last_name="Charles"), entry_date=datetime.date(2024, 1, 1)),
    ]


def test_the_records_of_a_figure_are_the_rows_it_counts(entrants):
    indicator = registry.get("plie.new_entrants")
    period = Period.year(2023)
    records = list(indicator.records(period=period, user=None))
    assert records == entrants[:2]
    assert indicator.evaluate(period=period).figure.value == len(records)


def test_a_coordinator_reaches_the_records_from_the_figure(client, coordinator, entrants):
    client.force_login(coordinator)
    response = client.get(reverse("reports:figure", args=["plie.new_entrants"]), YEAR)
    content = response.content.decode()
    assert "2 enregistrements" in content
    assert entrants[0].person.full_name in content and entrants[1].person.full_name in content
    assert entrants[2].person.full_name not in content
    assert entrants[0].person.get_absolute_url() in content


def test_a_funder_gets_the_aggregates_only(client, funder, entrants):
    client.force_login(funder)
    response = client.get(reverse("reports:figure", args=["plie.new_entrants"]), YEAR)
    assert response.status_code == 200
    content = response.content.decode()
    assert "la liste des enregistrements n'est pas accessible" in content
    assert entrants[0].person.full_name not in content
    assert response.context["records_page"] is None


def test_a_referent_lists_only_the_people_she_follows(client, alice, person):
    PersonFactory(last_name="Inconnue", registered_on=datetime.date(2023, 1, 5))
    client.force_login(alice)
    response = client.get(reverse("reports:figure", args=["people.count"]), YEAR)
    content = response.content.decode()
    assert person.full_name in content
    assert "INCONNUE" not in content.upper().replace(person.full_name.upper(), "")


def test_sensitive_fse_figures_are_aggregate_only(client, coordinator):
    assert registry.get("fse.disability").records is None
    client.force_login(coordinator)
    content = client.get(reverse("reports:figure", args=["fse.disability"]), YEAR).content.decode()
    assert "article 9 du RGPD" in content


def test_clause_hours_list_the_placements_with_hours_in_the_period():
    counted = PlacementFactory(person=PersonFactory(last_name="Heures"))
    HoursRecordFactory(placement=counted, month=datetime.date(2024, 3, 1), hours=Decimal("100.00"))
    HoursRecordFactory(placement=counted, month=datetime.date(2023, 12, 1), hours=Decimal("7.00"))
    earlier = PlacementFactory(person=PersonFactory(last_name="Avant"))
    HoursRecordFactory(placement=earlier, month=datetime.date(2023, 5, 1), hours=Decimal("20.00"))
    records = list(registry.get("clauses.hours_realised").records(period=Period.year(2024), user=None))
    assert records == [counted]
    assert records[0].period_hours == Decimal("100.00")
