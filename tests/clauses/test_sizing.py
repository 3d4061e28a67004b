"""Sizing of the clause: amount × labour share × insertion rate ÷ loaded hourly cost (domain spec §4)."""

from decimal import Decimal

import pytest

from tests.clauses.factories import LotFactory
from tremplin.clauses.enums import LegalBasis
from tremplin.clauses.models import Lot, sized_hours


def test_the_worked_example_of_the_domain_spec_gives_833_33_hours():
    hours = sized_hours(
        amount=Decimal("1000000"), labour_share=Decimal("0.50"), insertion_rate=Decimal("0.05"), hourly_cost=30
    )
    assert hours == Decimal("833.33")


def test_it_rounds_half_up_to_the_cent():
    # 1,000 × 1 × 1 ÷ 8 = 125 exactly; 1,001 ÷ 8 = 125.125 -> 125.13
    assert sized_hours(amount=1001, labour_share=1, insertion_rate=1, hourly_cost=8) == Decimal("125.13")


def test_it_accepts_strings_as_read_from_a_form():
    assert sized_hours(amount="1000000.00", labour_share="0.5", insertion_rate="0.05", hourly_cost="30") == Decimal(
        "833.33"
    )


def test_a_lot_proposes_its_sized_hours():
    lot = LotFactory(amount=Decimal("1000000"), labour_share=Decimal("0.5"), insertion_rate=Decimal("0.05"))
    assert lot.sized_hours == Decimal("833.33")
    assert Lot.objects.get(pk=lot.pk).sized_hours == Decimal("833.33")


@pytest.mark.parametrize(
    "basis,expected",
    [
        (LegalBasis.EXECUTION_CONDITION, Decimal("833.33")),
        (LegalBasis.EXECUTION_AND_AWARD, Decimal("833.33")),
        (LegalBasis.RESERVED_MARKET, Decimal("833.33")),
        (LegalBasis.INSERTION_MARKET, None),
    ],
)
def test_insertion_markets_carry_no_hours(basis, expected):
    lot = LotFactory(legal_basis=basis)
    assert lot.sized_hours == expected
    assert lot.carries_hours is (expected is not None)


def test_an_insertion_market_lot_is_left_out_of_lots_with_hours():
    with_hours = LotFactory()
    LotFactory(insertion_market=True)
    assert list(Lot.objects.with_hours()) == [with_hours]


@pytest.mark.parametrize("missing", ["labour_share", "insertion_rate", "hourly_cost"])
def test_a_lot_without_every_sizing_input_proposes_nothing(missing):
    lot = LotFactory(**{missing: None})
    assert lot.sized_hours is None
