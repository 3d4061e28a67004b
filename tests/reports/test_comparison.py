"""The previous period, the change (N - N-1) / N-1, the partial-data flag and the report's sections."""

from datetime import date

import pytest

from tests.plie.factories import PathwayFactory
from tremplin.core.modules import Module, modules
from tremplin.reports.registry import (
    Figure,
    Indicator,
    Period,
    PeriodKind,
    Unit,
    change,
    partial_data,
    registry,
)
from tremplin.reports.report import build_report, sections

TODAY = date(2024, 6, 15)


def _indicator(indicator_id, *, values, area="Essai", coverage=None, key=False, **kwargs):
    """An indicator whose value is values[period.start.year]."""
    return Indicator(
        id=indicator_id,
        label=f"Libellé {indicator_id}",
        definition="Pour les tests.",
        unit=Unit.COUNT,
        compute=lambda *, period, user: Figure(value=values.get(period.start.year)),
        area=area,
        coverage=coverage,
        key=key,
        **kwargs,
    )


# The previous period


def test_the_previous_period_of_a_year_is_the_year_before():
    assert Period.year(2023).previous() == Period.year(2022)
    assert Period.year(2025).previous() == Period.year(2024)  # 2024 is a leap year: still a calendar year


def test_the_previous_period_of_whole_months_is_as_many_months_just_before():
    # Seed 004 announced January-September: the comparison is the nine months before, not a year.
    assert Period(date(2017, 1, 1), date(2017, 9, 30)).previous() == Period(date(2016, 4, 1), date(2016, 12, 31))
    assert Period.month(2024, 3).previous() == Period.month(2024, 2)
    assert Period(date(2024, 2, 1), date(2024, 2, 29)).previous() == Period(date(2024, 1, 1), date(2024, 1, 31))


def test_the_previous_period_of_a_free_period_has_the_same_number_of_days():
    period = Period(date(2023, 3, 10), date(2023, 3, 19))
    assert period.previous() == Period(date(2023, 2, 28), date(2023, 3, 9))
    one_day = Period(date(2023, 1, 1), date(2023, 1, 1))
    assert one_day.previous() == Period(date(2022, 12, 31), date(2022, 12, 31))


# The change


def test_change_divides_by_the_previous_period_not_the_current_one():
    # Seed 001 divided by N: 120 after 100 is +20 %, not +16.7 %.
    assert change(120, 100) == 0.2
    assert change(75, 100) == -0.25
    assert change(0, 4) == -1.0


def test_change_is_not_computable_without_a_previous_value():
    assert change(10, 0) is None
    assert change(10, None) is None
    assert change(None, 10) is None


# Partial data


def test_a_period_running_beyond_today_is_partial():
    assert partial_data(Period.year(2024), (date(2010, 1, 1), None), today=TODAY) == (
        "période en cours : données jusqu'au 15/06/2024"
    )
    assert partial_data(Period.year(2023), (date(2010, 1, 1), None), today=TODAY) == ""


def test_a_period_starting_before_the_first_record_is_partial():
    coverage = (date(2023, 3, 1), None)
    assert partial_data(Period.year(2023), coverage, today=TODAY) == "données enregistrées à partir du 01/03/2023"
    assert partial_data(Period.year(2022), coverage, today=TODAY) == "données enregistrées à partir du 01/03/2023"
    assert partial_data(Period(date(2023, 3, 1), date(2023, 12, 31)), coverage, today=TODAY) == ""
    # A figure at the end of the period only needs its end covered.
    assert partial_data(Period.year(2023), coverage, today=TODAY, period_kind=PeriodKind.SNAPSHOT) == ""
    assert partial_data(Period.year(2022), coverage, today=TODAY, period_kind=PeriodKind.SNAPSHOT) != ""


def test_a_period_ending_after_the_last_record_is_partial():
    coverage = (date(2020, 1, 1), date(2023, 10, 31))
    assert partial_data(Period.year(2023), coverage, today=TODAY) == "données enregistrées jusqu'au 31/10/2023"
    assert partial_data(Period(date(2023, 1, 1), date(2023, 10, 31)), coverage, today=TODAY) == ""


def test_no_record_at_all_is_partial_and_no_coverage_declared_is_not():
    assert partial_data(Period.year(2023), (None, None), today=TODAY) == "aucune donnée enregistrée"
    assert partial_data(Period.year(2023), None, today=TODAY) == ""


def test_a_comparison_holds_both_values_the_change_and_the_flags():
    indicator = _indicator(
        "essai.count", values={2023: 120, 2022: 100}, coverage=lambda user: (date(2022, 6, 1), None)
    )
    comparison = indicator.compare(period=Period.year(2023), today=TODAY)
    assert (comparison.value, comparison.previous_value, comparison.change) == (120, 100, 0.2)
    assert comparison.previous.period == Period.year(2022)
    assert comparison.partial == ""
    assert comparison.previous_partial == "données enregistrées à partir du 01/06/2022"
    assert not comparison.previous_missing  # 100 was counted: shown, with its flag
    data = comparison.as_dict()
    assert data["previous"] == {
        "period": {"from": "2022-01-01", "to": "2022-12-31"},
        "value": 100,
        "partial": "données enregistrées à partir du 01/06/2022",
    }
    assert data["change"] == 0.2
    assert data["partial"] is None


def test_a_zero_in_a_partial_period_is_missing_not_zero():
    indicator = _indicator("essai.count", values={2023: 0, 2022: 0}, coverage=lambda user: (date(2023, 1, 1), None))
    comparison = indicator.compare(period=Period.year(2023), today=TODAY)
    assert not comparison.missing  # 2023 is covered: its 0 is a real 0
    assert comparison.previous_missing  # 2022 has no data: « données partielles »
    assert comparison.change is None


def test_plie_figures_before_the_first_entry_are_partial():
    PathwayFactory(entry_date=date(2023, 2, 1))
    comparison = registry.get("plie.new_entrants").compare(period=Period.year(2023), today=TODAY)
    assert comparison.value == 1
    assert comparison.partial == "données enregistrées à partir du 01/02/2023"
    assert comparison.previous_missing
    assert (
        registry.get("plie.new_entrants")
        .compare(period=Period(date(2023, 2, 1), date(2023, 12, 31)), today=TODAY)
        .partial
        == ""
    )


# Sections


@pytest.fixture
def two_modules():
    modules.register(Module(name="zzfirst", label="Premier module", order=1))
    modules.register(Module(name="zzsecond", label="Second module", order=2))
    yield
    modules._modules.pop("zzfirst")
    modules._modules.pop("zzsecond")


def test_sections_follow_the_modules_order_and_keep_each_area_together(two_modules):
    indicators = [
        _indicator("zzsecond.a", values={2023: 1}, area="Second"),
        _indicator("nomodule.a", values={2023: 1}, area="Sans module"),
        _indicator("zzfirst.a", values={2023: 1}, area="Premier", key=True),
        _indicator("annexe.b", values={2023: 1}, area="Annexe du premier", module="zzfirst"),
        _indicator("zzfirst.c", values={2023: 1}, area="Premier"),
    ]
    comparisons = [i.compare(period=Period.year(2023), today=TODAY) for i in indicators]
    result = sections(comparisons)
    # A module's own area (ids "zzfirst.*") first, then the areas it also feeds, whatever their names.
    assert [s.title for s in result] == ["Premier", "Annexe du premier", "Second", "Sans module"]
    assert [c.indicator.id for c in result[0].comparisons] == ["zzfirst.a", "zzfirst.c"]
    assert [c.indicator.id for c in result[0].key_figures] == ["zzfirst.a"]
    assert result[0].slug == "premier"
    assert result[0].module_label == "Premier module"


def test_the_report_has_a_section_per_registered_area_and_the_key_figures():
    report = build_report(period=Period.year(2023), user=None, today=TODAY)
    assert {s.title for s in report.sections} == {i.area for i in registry}
    assert report.previous == Period.year(2022)
    assert {c.indicator.id for _, c in report.key_figures} == {i.id for i in registry if i.key}
    titles = [s.title for s in report.sections]
    assert titles.index("PLIE") < titles.index("Clauses d'insertion") < titles.index("Registre des personnes")


def test_key_figures_follow_their_declared_rank():
    indicators = [
        _indicator("zz.a", values={2023: 1}, key=2),
        _indicator("zz.b", values={2023: 1}, key=1),
        _indicator("zz.c", values={2023: 1}),
        _indicator("zz.d", values={2023: 1}, key=3),
    ]
    (section,) = sections([i.compare(period=Period.year(2023), today=TODAY) for i in indicators])
    assert [c.indicator.id for c in section.key_figures] == ["zz.b", "zz.a", "zz.d"]
    report = build_report(period=Period.year(2023), user=None, today=TODAY)
    plie = [c.indicator.id for section, c in report.key_figures if section.title == "PLIE"]
    assert plie[:2] == ["plie.people_accompanied", "plie.new_entrants"]
