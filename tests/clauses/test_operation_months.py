"""A big operation's page sums its hours month by month and lists one month's records at a time, paginated
(issue 9: 1,146 hour rows on one page). The months' totals come from the same rows as the detail."""

import datetime
from decimal import Decimal

import pytest

from tests.clauses.factories import HoursRecordFactory, LotFactory, PlacementFactory
from tests.clauses.test_views import text
from tests.factories import PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses import selectors
from tremplin.clauses.views import operations

MARCH, APRIL, MAY = (datetime.date(2024, month, 1) for month in (3, 4, 5))


@pytest.fixture
def lot():
    lot = LotFactory()
    for n, months in enumerate(([MARCH, APRIL, MAY], [MARCH, MAY], [MAY])):
        placement = PlacementFactory(lot=lot, person=PersonFactory(first_name="Salomé", last_name=f"Girard{n}"))
        for month in months:
            HoursRecordFactory(placement=placement, month=month, hours=Decimal("10.50") * (n + 1))
    return lot


def test_hours_by_month_sums_the_rows_the_user_sees(lot):
    coordinator = user_with_role(Role.COORDINATOR)
    _, rows = selectors.operation_hours(user=coordinator, operation=lot.market.operation)
    months = selectors.hours_by_month(rows)
    assert [(m.month, m.records, m.counted) for m in months] == [
        (MAY, 3, Decimal("63.00")),
        (APRIL, 1, Decimal("10.50")),
        (MARCH, 2, Decimal("31.50")),
    ]
    assert sum(m.records for m in months) == len(rows)
    assert sum(m.counted for m in months) == sum(r.counted for r in rows)


def test_the_page_shows_months_and_the_records_of_one_month(client, lot):
    client.force_login(user_with_role(Role.COORDINATOR))
    url = lot.market.operation.get_absolute_url()
    page = text(client.get(url))
    assert "6 relevés sur 3 mois" in page
    assert "Relevés de mai 2024 (3)" in page and "Salomé GIRARD2" in page
    april = text(client.get(url, {"mois": "2024-04"}))
    assert "Relevés de avril 2024 (1)" in april
    assert "Salomé GIRARD0" in april and "Salomé GIRARD1" not in april and "Salomé GIRARD2" not in april
    assert "Relevés de mai 2024" in text(client.get(url, {"mois": "1999-01"}))  # unknown month: the latest


def test_a_month_paginates(client, lot, monkeypatch):
    monkeypatch.setattr(operations, "PAGE_SIZE", 2)
    client.force_login(user_with_role(Role.COORDINATOR))
    url = lot.market.operation.get_absolute_url()
    first, second = text(client.get(url, {"mois": "2024-05"})), text(client.get(url, {"mois": "2024-05", "page": 2}))
    assert "Page 1 sur 2" in first and "Page 2 sur 2" in second
    assert "?mois=2024-05&amp;page=2" in client.get(url, {"mois": "2024-05"}).content.decode()
    names = [f"Salomé GIRARD{n}" for n in range(3)]
    assert sum(name in first for name in names) == 2 and sum(name in second for name in names) == 1
