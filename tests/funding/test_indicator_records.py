"""The records behind the programmation and funding figures (tests/funding/test_indicators.py's lines, 2023):
the lines listed add up to the amount, within what the user may read (a funder: the aggregates only)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.factories import OrganizationFactory, user_with_role
from tests.funding import test_indicators
from tests.funding.factories import ConventionFactory, ObligationFactory
from tremplin.accounts.enums import Role
from tremplin.reports.registry import registry

pytestmark = pytest.mark.django_db
Y2023, value = test_indicators.Y2023, test_indicators.value
lines = test_indicators.lines  # the hand-built funding lines


def records(indicator_id, period=Y2023, user=None):
    return list(registry.get(indicator_id).records(period=period, user=user))


def total(indicator_id, label, rows):
    found = next(c for c in registry.get(indicator_id).record_columns if c.label == label)
    return sum((found.value(row) for row in rows), start=Decimal("0"))


@pytest.mark.parametrize(
    "indicator_id,label",
    [
        ("funding.total", "Montant accordé (€)"),
        ("funding.granted", "Montant accordé (€)"),
        ("funding.received", "Montant reçu (€)"),
        ("programmation.amount", "Montant accordé (€)"),
    ],
)
def test_the_lines_listed_add_up_to_the_amount(lines, indicator_id, label):
    assert total(indicator_id, label, records(indicator_id)) == value(indicator_id).value


def test_the_fse_share_lists_its_denominators_lines(lines):
    rows = records("funding.fse_share")
    assert float(total("funding.fse_share", "Montant accordé (€)", rows)) == value("funding.fse_share").denominator


def test_the_programmation_lists_its_actions(lines):
    rows = records("programmation.actions")
    assert [project.code for project in rows] == ["211", "221"]
    assert len(rows) == value("programmation.actions").value


def test_an_operator_lists_its_own_programmation_only(lines):
    referent = user_with_role(Role.REFERENT, organization=lines)
    own = records("programmation.amount", user=referent)
    assert {line.project.code for line in own} == {"221"}
    assert (
        total("programmation.amount", "Montant accordé (€)", own) == value("programmation.amount", user=referent).value
    )
    # The association's own funding lines are not hers to list.
    assert records("funding.total", user=referent) == []


def test_a_funder_gets_the_figure_without_the_lines(client, lines, funder):
    assert records("funding.total", user=funder) == []
    client.force_login(funder)
    response = client.get(reverse("reports:figure", args=["funding.total"]), {"annee": "2023"})
    assert response.status_code == 200
    assert response.context["records_page"] is None


def test_the_coordination_reaches_the_lines(client, lines, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("reports:figure", args=["funding.granted"]), {"annee": "2023"})
    content = response.content.decode()
    assert "4 enregistrements" in content and "IRFA" in content


@time_machine.travel(datetime.date(2024, 2, 1))
def test_late_obligations_and_ended_conventions_are_listed():
    irfa, cesam = OrganizationFactory(name="IRFA"), OrganizationFactory(name="CESAM")
    mine = ConventionFactory(operator=irfa, starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31))
    theirs = ConventionFactory(
        operator=cesam, starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31)
    )
    late = ObligationFactory(convention=mine, due_on=datetime.date(2023, 7, 30))
    ObligationFactory(convention=theirs, due_on=datetime.date(2023, 7, 30))
    ObligationFactory(convention=mine, due_on=datetime.date(2023, 3, 9), done_on=datetime.date(2023, 3, 9))
    assert len(records("conventions.obligations_late")) == value("conventions.obligations_late").value == 2
    referent = user_with_role(Role.REFERENT, organization=irfa)
    assert records("conventions.obligations_late", user=referent) == [late]
    ended = records("conventions.targets_met")
    assert len(ended) == value("conventions.targets_met").denominator == 2
    assert [c.pk for c in records("conventions.targets_met", user=referent)] == [mine.pk]


def test_the_staff_cost_split_says_why_it_lists_nothing():
    indicator = registry.get("funding.analytic_split")
    assert indicator.records is None and "donnée personnelle" in indicator.aggregate_only
