"""The pages of the load scenario (benchmarks/load/locustfile.py) cost a number of queries that does not grow
with the data they show: each page is read once with a little data, then again with several times more, and may
not cost more queries the second time. Their speed is measured by benchmarks/load/page_costs.py, not here."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.clauses.factories import (
    HoursRecordFactory,
    LotFactory,
    MarketFactory,
    OperationFactory,
    PlacementFactory,
    hours_world,
)
from tests.factories import FollowUpFactory, PersonFactory
from tests.plie.factories import ContractFactory, PathwayFactory, StepFactory
from tremplin.clauses.models import Placement
from tremplin.people.enums import Programme
from tremplin.plie.enums import ContractType, ExitKind, PathwayStatus
from tremplin.plie.models import add_months

TODAY = timezone.localdate()


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def assert_constant(client, url, grow, django_assert_max_num_queries):
    """The page costs no more queries once `grow()` has added several times the data it shows."""
    first = queries_of(client, url)
    grow()
    with django_assert_max_num_queries(first):
        assert client.get(url).status_code == 200


# PLIE: référent and cellule


def followed_pathway(operator, alice, **kwargs):
    pathway = PathwayFactory(proposed_organization=operator, entry_date=TODAY - timedelta(days=300), **kwargs)
    FollowUpFactory(person=pathway.person, organization=operator, referent=alice, started_on=pathway.entry_date)
    ContractFactory(
        pathway=pathway,
        contract_type=ContractType.CDI,
        started_on=add_months(TODAY, -6) - timedelta(days=5),
        weekly_hours=Decimal("35"),
    )
    StepFactory(pathway=pathway)
    return pathway


def test_the_referent_home_page(client, alice, operator, django_assert_max_num_queries):
    followed_pathway(operator, alice)
    client.force_login(alice)
    assert_constant(
        client,
        reverse("home"),
        lambda: [followed_pathway(operator, alice) for _ in range(5)],
        django_assert_max_num_queries,
    )


def test_the_coordination_home_page(client, coordinator, operator, alice, django_assert_max_num_queries):
    followed_pathway(operator, alice)
    client.force_login(coordinator)
    assert_constant(
        client,
        reverse("home"),
        lambda: [followed_pathway(operator, alice) for _ in range(5)] + [PersonFactory() for _ in range(10)],
        django_assert_max_num_queries,
    )


def test_the_workspace_with_its_worklists(client, alice, operator, django_assert_max_num_queries):
    followed_pathway(operator, alice)
    client.force_login(alice)
    assert_constant(
        client,
        reverse("plie:workspace"),
        lambda: [followed_pathway(operator, alice) for _ in range(5)],
        django_assert_max_num_queries,
    )


def test_the_cellule_with_positive_exits_to_validate(
    client, coordinator, operator, alice, django_assert_max_num_queries
):
    def exit_proposed():
        pathway = followed_pathway(operator, alice)
        pathway.status, pathway.exit_date, pathway.exit_kind = (
            PathwayStatus.EXIT_PROPOSED,
            TODAY,
            ExitKind.POSITIVE_CDI,
        )
        pathway.exit_proposed_on = TODAY
        pathway.save()

    exit_proposed()
    client.force_login(coordinator)
    assert_constant(
        client, reverse("plie:cell"), lambda: [exit_proposed() for _ in range(5)], django_assert_max_num_queries
    )


def test_a_pathway_page(client, alice, operator, django_assert_max_num_queries):
    pathway = followed_pathway(operator, alice)
    client.force_login(alice)

    def grow():
        for _ in range(5):
            StepFactory(pathway=pathway)
            ContractFactory(pathway=pathway, started_on=TODAY - timedelta(days=60), weekly_hours=Decimal("20"))

    assert_constant(client, pathway.get_absolute_url(), grow, django_assert_max_num_queries)


def test_the_people_list(client, alice, operator, django_assert_max_num_queries):
    FollowUpFactory(organization=operator, referent=alice)
    client.force_login(alice)
    assert_constant(
        client,
        reverse("people:list"),
        lambda: [FollowUpFactory(organization=operator, referent=alice) for _ in range(8)],
        django_assert_max_num_queries,
    )


# Clauses: the facilitator


@pytest.fixture
def world():
    return hours_world()


def placed(world, lot):
    """A running placement on the lot, of a person the clauses service follows, with two months recorded."""
    person = PersonFactory()
    FollowUpFactory(
        person=person, organization=world.placement.person.follow_ups.get().organization, programme=Programme.CLAUSES
    )
    placement = PlacementFactory(person=person, lot=lot, employer=lot.attributaire, ended_on=None)
    for month in (datetime.date(2024, 3, 1), datetime.date(2024, 4, 1)):
        HoursRecordFactory(placement=placement, month=month, hours=Decimal("70"))
    return placement


def new_operation(world):
    operation = OperationFactory(facilitator=world["facilitator"])
    for _ in range(2):
        placed(world, LotFactory(market=MarketFactory(operation=operation)))
    return operation


def test_the_operations_list(client, world, django_assert_max_num_queries):
    new_operation(world)
    client.force_login(world["facilitator"])
    assert_constant(
        client,
        reverse("clauses:operation_list"),
        lambda: [new_operation(world) for _ in range(5)],
        django_assert_max_num_queries,
    )


def test_an_operation_page(client, world, django_assert_max_num_queries):
    operation = new_operation(world)
    client.force_login(world["facilitator"])

    def grow():
        for _ in range(4):
            placed(world, LotFactory(market=MarketFactory(operation=operation)))

    assert_constant(client, operation.get_absolute_url(), grow, django_assert_max_num_queries)


def test_the_hours_list(client, world, django_assert_max_num_queries):
    placed(world, world.lot)
    client.force_login(world["facilitator"])
    assert_constant(
        client,
        reverse("clauses:hours_placements"),
        lambda: [placed(world, world.lot) for _ in range(8)],
        django_assert_max_num_queries,
    )
    assert Placement.objects.count() == 10
