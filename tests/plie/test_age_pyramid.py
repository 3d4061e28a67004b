"""plie.age_pyramid: the accompanied people by sex and age band on the last day of the period."""

import datetime

from tests.factories import PersonFactory
from tests.plie.factories import PathwayFactory
from tremplin.people.enums import Sex
from tremplin.reports.charts import breakdown_chart
from tremplin.reports.registry import Period, registry

YEAR = Period.year(2023)


def _accompanied(sex, born, **pathway):
    pathway.setdefault("entry_date", datetime.date(2023, 2, 1))
    return PathwayFactory(person=PersonFactory(sex=sex, birth_date=born), **pathway)


def test_each_person_counts_in_one_band_by_age_on_the_last_day():
    _accompanied(Sex.WOMAN, datetime.date(1998, 1, 1))  # 25 on 31/12/2023
    _accompanied(Sex.WOMAN, datetime.date(1997, 12, 31))  # 26 that very day
    _accompanied(Sex.MAN, datetime.date(1979, 1, 1))  # 44
    _accompanied(Sex.MAN, datetime.date(1978, 12, 31))  # 45
    _accompanied(Sex.WOMAN, datetime.date(1968, 12, 31))  # 55
    # Exited on 1 January 2023: one day of pathway in 2023, counted.
    _accompanied(
        Sex.NON_BINARY,
        datetime.date(1990, 6, 1),
        entry_date=datetime.date(2022, 3, 1),
        status="exited",
        exit_date=datetime.date(2023, 1, 1),
        exit_kind="no_solution",
    )
    _accompanied(Sex.MAN, datetime.date(1990, 6, 1), entry_date=datetime.date(2024, 1, 1))  # 2024: not counted
    figure = registry.get("plie.age_pyramid").evaluate(period=YEAR).figure
    assert figure.value == 6
    cells = {label: n for label, n in figure.breakdown.items() if n}
    assert cells == {
        "Femme – moins de 26 ans": 1,
        "Femme – 26 à 44 ans": 1,
        "Femme – 55 ans et plus": 1,
        "Homme – 26 à 44 ans": 1,
        "Homme – 45 à 54 ans": 1,
        "Non binaire – 26 à 44 ans": 1,
    }
    assert len(figure.breakdown) == 12  # every cell, even at 0
    assert figure.value == registry.get("plie.people_accompanied").evaluate(period=YEAR).figure.value


def test_the_pyramid_chart_draws_men_and_women_and_keeps_every_cell_in_its_table():
    _accompanied(Sex.WOMAN, datetime.date(1998, 1, 1))
    _accompanied(Sex.MAN, datetime.date(1970, 1, 1))
    comparison = registry.get("plie.age_pyramid").compare(period=YEAR, today=datetime.date(2024, 6, 1))
    chart = breakdown_chart(comparison, kind="pyramid")
    assert "<svg" in chart.svg
    assert ("Non binaire – 26 à 44 ans", 0) in chart.rows
