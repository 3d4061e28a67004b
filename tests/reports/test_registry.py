"""The indicator registry: registration rules, periods, rounding, small cells, serialisation."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tremplin.reports.registry import (
    Figure,
    Indicator,
    Period,
    PeriodKind,
    Registry,
    Result,
    Unit,
    registry,
    share,
)

PERIOD = Period(date(2023, 1, 1), date(2023, 12, 31))


def _indicator(indicator_id="test.figure", unit=Unit.COUNT, figure=None, **kwargs):
    figure = figure if figure is not None else Figure(value=1)
    kwargs.setdefault("denominator", "personnes du test" if unit == Unit.SHARE else "")
    return Indicator(
        id=indicator_id,
        label="Indicateur de test",
        definition="Une valeur fixe, pour les tests.",
        unit=unit,
        compute=lambda *, period, user: figure,
        **kwargs,
    )


# Registration


def test_registering_a_duplicate_id_fails():
    fresh = Registry()
    fresh.register(_indicator("test.one"))
    with pytest.raises(ValueError, match="test.one est déjà enregistré"):
        fresh.register(_indicator("test.one"))
    assert len(fresh) == 1


def test_decorator_registers_and_returns_the_function():
    fresh = Registry()

    @fresh.indicator(id="test.deco", label="Décoré", definition="…", unit=Unit.COUNT)
    def compute(*, period, user):
        return Figure(value=3)

    assert fresh.get("test.deco").compute is compute
    assert fresh.get("test.deco").evaluate(period=PERIOD).figure.value == 3
    with pytest.raises(ValueError):
        fresh.indicator(id="test.deco", label="Encore", definition="…", unit=Unit.COUNT)(compute)


def test_a_share_without_denominator_description_fails():
    fresh = Registry()
    with pytest.raises(ValueError, match="dénominateur doit être décrit"):
        fresh.register(_indicator("test.share", unit=Unit.SHARE, denominator=""))
    assert len(fresh) == 0


def test_an_unknown_unit_fails():
    with pytest.raises(ValueError, match="Unité inconnue"):
        Registry().register(_indicator("test.unit", unit="percent"))


def test_registry_iterates_in_id_order():
    fresh = Registry()
    for indicator_id in ("b.second", "c.third", "a.first"):
        fresh.register(_indicator(indicator_id))
    assert [i.id for i in fresh] == ["a.first", "b.second", "c.third"]


def test_unknown_id_raises_key_error():
    with pytest.raises(KeyError):
        Registry().get("nope")


def test_global_registry_holds_the_people_indicators():
    ids = {indicator.id for indicator in registry}
    assert {"people.count", "people.qpv_share"} <= ids
    qpv_share = registry.get("people.qpv_share")
    assert qpv_share.unit == Unit.SHARE
    assert qpv_share.denominator
    assert qpv_share.period_kind == PeriodKind.SNAPSHOT
    assert registry.get("people.count").breakdowns == ("sexe",)


# Periods


def test_period_year():
    period = Period.year(2023)
    assert (period.start, period.end) == (date(2023, 1, 1), date(2023, 12, 31))
    assert period.label == "année 2023"
    assert period.as_dict() == {"from": "2023-01-01", "to": "2023-12-31"}


def test_period_month_handles_leap_years():
    assert Period.month(2024, 2).end == date(2024, 2, 29)
    assert Period.month(2023, 2).end == date(2023, 2, 28)


def test_free_period_label():
    assert Period(date(2023, 3, 1), date(2023, 6, 30)).label == "du 01/03/2023 au 30/06/2023"


def test_one_day_period_is_allowed():
    assert Period(date(2023, 3, 1), date(2023, 3, 1)).start == date(2023, 3, 1)


def test_period_ending_before_it_starts_fails():
    with pytest.raises(ValueError, match="La fin de la période doit suivre son début."):
        Period(date(2023, 6, 30), date(2023, 3, 1))


# Shares and rounding


def test_share_is_none_when_the_denominator_is_zero():
    assert share(0, 0) is None
    assert share(3, 0) is None
    assert share(0, 5) == 0.0  # zero people out of five is 0, not "not computable"


def test_share_rounds_to_four_decimals():
    assert share(1, 3) == 0.3333
    assert share(2, 3) == 0.6667
    assert share(1, 7) == 0.1429
    assert share(5, 5) == 1.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (Decimal("2.345"), Decimal("2.35")),
        (10, Decimal("10.00")),
        (Decimal("7.5"), Decimal("7.50")),
        # Floats (sums of FloatFields…) round half up on their decimal writing, not on their binary value.
        (1.005, Decimal("1.01")),
        (2.675, Decimal("2.68")),
        (0.125, Decimal("0.13")),
    ],
)
def test_hours_are_quantized_to_two_decimals(raw, expected):
    fresh = Registry()
    indicator = fresh.register(
        _indicator(
            "test.hours", unit=Unit.HOURS, figure=Figure(value=raw, breakdown={"BTP": raw}), breakdowns=("secteur",)
        )
    )
    result = indicator.evaluate(period=PERIOD)
    assert result.figure.value == expected
    assert str(result.figure.value) == str(expected)
    assert result.figure.breakdown == {"BTP": expected}


def test_none_stays_none_for_every_unit():
    for unit in Unit.values:
        result = _indicator(f"test.{unit}", unit=unit, figure=Figure(value=None)).evaluate(period=PERIOD)
        assert result.figure.value is None


def test_share_values_are_rounded_to_four_decimals():
    result = _indicator("test.share", unit=Unit.SHARE, figure=Figure(value=0.123456, denominator=10)).evaluate(
        period=PERIOD
    )
    assert result.figure.value == 0.1235


def test_evaluate_passes_period_and_user_to_the_computation():
    seen = {}

    def compute(*, period, user):
        seen.update(period=period, user=user)
        return Figure(value=0)

    user = UserFactory()
    Indicator(id="t", label="t", definition="t", unit=Unit.COUNT, compute=compute).evaluate(period=PERIOD, user=user)
    assert seen == {"period": PERIOD, "user": user}


# Small cells


def _count_with_breakdown():
    return _indicator(
        "test.count",
        figure=Figure(value=20, breakdown={"Femme": 12, "Homme": 4, "Non binaire": 0, "Autre": 5}),
        breakdowns=("sexe",),
    )


def test_small_cells_are_hidden_for_an_aggregate_only_user(funder):
    result = _count_with_breakdown().evaluate(period=PERIOD, user=funder)
    # 4 is under the threshold (5): hidden; 20 − 12 − 0 − 5 would give it back, so the next smallest
    # cell (5) is hidden too; 0 reveals nobody and stays; the total stays.
    assert result.figure.breakdown == {"Femme": 12, "Homme": None, "Non binaire": 0, "Autre": None}
    assert result.figure.value == 20
    assert result.figure.masked == {"Homme", "Autre"}


def test_small_cells_are_shown_to_a_coordinator(coordinator):
    result = _count_with_breakdown().evaluate(period=PERIOD, user=coordinator)
    assert result.figure.breakdown == {"Femme": 12, "Homme": 4, "Non binaire": 0, "Autre": 5}


def test_small_cells_are_shown_to_the_command_line():
    assert _count_with_breakdown().evaluate(period=PERIOD, user=None).figure.breakdown["Homme"] == 4


def test_small_cells_follow_the_threshold_setting(funder, settings):
    settings.TREMPLIN_SMALL_CELL_THRESHOLD = 13
    result = _count_with_breakdown().evaluate(period=PERIOD, user=funder)
    assert result.figure.breakdown == {"Femme": None, "Homme": None, "Non binaire": 0, "Autre": None}


def test_small_share_cells_are_hidden_by_the_people_they_count(funder):
    indicator = _indicator(
        "test.share",
        unit=Unit.SHARE,
        # Out of 40 people: 0.075 is 3 people (hidden); 0.25 is 10 people, but 13 − 10 would give the 3
        # back: hidden too. The share itself (13 people of 40) stays.
        figure=Figure(
            value=0.325,
            denominator=40,
            breakdown={"Grésilles": 0.075, "Fontaine d'Ouche": 0.25, "Le Mail": 0.0},
        ),
        breakdowns=("quartier",),
    )
    result = indicator.evaluate(period=PERIOD, user=funder)
    assert result.figure.breakdown == {"Grésilles": None, "Fontaine d'Ouche": None, "Le Mail": 0.0}
    assert (result.figure.value, result.figure.denominator) == (0.325, 40)


# Serialisation


def test_as_dict_of_a_count_with_breakdown(coordinator):
    data = _count_with_breakdown().evaluate(period=PERIOD, user=coordinator).as_dict()
    assert data["id"] == "test.count"
    assert data["label"] == "Indicateur de test"
    assert data["value"] == 20
    assert data["period"] == {"from": "2023-01-01", "to": "2023-12-31"}
    assert data["breakdown"] == {"Femme": 12, "Homme": 4, "Non binaire": 0, "Autre": 5}
    assert "denominator" not in data


def test_as_dict_of_a_share_has_its_denominator():
    data = _indicator("test.share", unit=Unit.SHARE, figure=Figure(value=None, denominator=0)).evaluate(period=PERIOD)
    data = data.as_dict()
    assert data["value"] is None
    assert data["denominator"] == 0
    assert "breakdown" not in data


def test_as_dict_has_an_empty_breakdown_when_declared_but_not_computed():
    data = _indicator("test.count", breakdowns=("sexe",)).evaluate(period=PERIOD).as_dict()
    assert data["breakdown"] == {}


def test_as_dict_turns_decimals_into_numbers():
    result = Result(
        indicator=_indicator("test.hours", unit=Unit.HOURS, breakdowns=("secteur",)),
        period=PERIOD,
        figure=Figure(value=Decimal("12.50"), breakdown={"BTP": Decimal("2.25")}),
    )
    data = result.as_dict()
    assert data["value"] == 12.5 and isinstance(data["value"], float)
    assert data["breakdown"] == {"BTP": 2.25}
