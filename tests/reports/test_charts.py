"""Charts: one SVG drawing per chart, with its text alternative and its data table, cached."""

import base64
import datetime

from django.core.cache import cache
from django.urls import reverse

from tests.plie.factories import PathwayFactory
from tremplin.reports.charts import Chart, breakdown_chart, years_chart
from tremplin.reports.registry import Period, Unit, registry

TODAY = datetime.date(2024, 6, 15)


def _chart(rows, unit=Unit.COUNT):
    return Chart("essai.count", "breakdown", "Contrats par catégorie", unit, Period.year(2023), rows, "Valeur")


def test_a_chart_is_an_svg_with_a_text_alternative():
    chart = _chart([("CDI", 12), ("CDD de 6 mois et plus", 3), ("Petit effectif", None)])
    assert chart.svg.lstrip().startswith("<?xml")
    assert "<svg" in chart.svg
    assert (
        chart.alt
        == "Contrats par catégorie. CDI : 12; CDD de 6 mois et plus : 3; Petit effectif : masqué (petit effectif)."
    )
    assert chart.drawn_rows == [("CDI", 12), ("CDD de 6 mois et plus", 3)]
    assert base64.b64decode(chart.data_uri.split(",", 1)[1]).decode() == chart.svg


def test_the_drawing_is_cached_under_its_data():
    chart = _chart([("CDI", 12), ("CDD", 3)])
    cache.delete(chart.cache_key)
    svg = chart.svg
    assert cache.get(chart.cache_key) == svg
    assert _chart([("CDI", 13), ("CDD", 3)]).cache_key != chart.cache_key


def test_shares_and_hours_are_written_in_french():
    assert _chart([("a", 0.25), ("b", 0.75)], unit=Unit.SHARE).formatted_rows() == [("a", "25,0 %"), ("b", "75,0 %")]
    assert _chart([("a", 1234.5)], unit=Unit.HOURS).formatted_rows() == [("a", "1\u202f234,50 h")]


def test_breakdown_and_years_charts_of_the_registered_figures():
    PathwayFactory(
        entry_date=datetime.date(2021, 3, 1),
        status="exited",
        exit_date=datetime.date(2023, 5, 2),
        exit_kind="positive_cdi",
    )
    PathwayFactory(entry_date=datetime.date(2023, 3, 1))
    exits = registry.get("plie.exits").compare(period=Period.year(2023), today=TODAY)
    chart = breakdown_chart(exits)
    assert sum(v for _, v in chart.rows) == 1
    accompanied = registry.get("plie.people_accompanied").compare(period=Period.year(2023), today=TODAY)
    chart = years_chart(accompanied, user=None, today=TODAY)
    # From the first entry (2021), not before: missing years are left out rather than drawn as 0.
    assert chart.rows == [("2021", 1), ("2022", 1), ("2023", 2)]


def test_the_report_page_shows_the_charts_with_their_tables(client, coordinator):
    PathwayFactory(entry_date=datetime.date(2022, 3, 1))
    client.force_login(coordinator)
    content = client.get(reverse("reports:report"), {"annee": "2023"}).content.decode()
    assert 'src="data:image/svg+xml;base64,' in content
    assert "Données du graphique : Personnes accompagnées par le PLIE, année par année" in content
