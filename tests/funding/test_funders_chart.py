"""The funders chart: the amounts granted by each rubrique of the funders table (funding.total), drawn once for
the page and the PDF, with its text alternative and its data table."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.funding import test_indicators
from tremplin.reports.charts import format_value
from tremplin.reports.registry import Period, Unit
from tremplin.reports.report import build_report

pytestmark = pytest.mark.django_db
lines = test_indicators.lines  # the hand-built funding lines of 2023
TODAY = datetime.date(2024, 6, 15)


def funders_chart(user):
    report = build_report(period=Period.year(2023), user=user, today=TODAY, with_charts=True)
    charts = [chart for section in report.sections for chart in section.charts]
    return next(chart for chart in charts if chart.indicator_id == "funding.total")


def test_the_chart_draws_the_funders_table(lines, coordinator):
    chart = funders_chart(coordinator)
    rows = dict(chart.rows)
    assert rows["Dijon Métropole"] == Decimal("336000.00") and rows["FSE+"] == Decimal("200000.01")
    assert sum(rows.values()) == Decimal("536000.01")
    assert "<svg" in chart.svg
    assert f"FSE+ : {format_value(Decimal('200000.01'), Unit.AMOUNT)}" in chart.alt
    assert chart.title.startswith("Financements accordés aux projets de la structure porteuse")


def test_a_funder_sees_the_same_chart(lines, funder, coordinator):
    assert funders_chart(funder).rows == funders_chart(coordinator).rows


def test_the_report_page_shows_it_with_its_data_table(client, lines, coordinator):
    client.force_login(coordinator)
    content = client.get(reverse("reports:report"), {"annee": "2023"}).content.decode()
    chart = funders_chart(coordinator)
    assert chart.data_uri in content
    assert format_value(Decimal("336000.00"), Unit.AMOUNT) in content
