"""`manage.py demo` prints the clauses hours of last year as the indicators page counts them (issue 9: the demo
printed 465 855 h for a year whose figures said 468 854,95 h)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.clauses.factories import HoursRecordFactory, LotFactory, PlacementFactory
from tremplin.clauses.demo import summary
from tremplin.reports.registry import Period, registry


def test_the_demo_summary_prints_the_registered_hours_figure():
    today = timezone.localdate()
    year = today.year - 1
    lot = LotFactory(started_on=datetime.date(year, 1, 1), ended_on=datetime.date(year, 12, 31))
    placement = PlacementFactory(lot=lot, started_on=datetime.date(year, 1, 2), ended_on=datetime.date(year, 12, 31))
    for month, hours in ((2, "120.45"), (3, "99.50"), (11, "134.00")):
        HoursRecordFactory(placement=placement, month=datetime.date(year, month, 1), hours=Decimal(hours))
    figure = registry.get("clauses.hours_realised").evaluate(period=Period.year(year)).figure.value
    assert figure == Decimal("353.95")
    line = next(line for line in summary(today) if line.startswith(f"Clauses en {year} : "))
    assert line.startswith(f"Clauses en {year} : 353,95 heures comptées (BTP 100 %")
