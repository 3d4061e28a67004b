"""French formatting in one place: the same text, byte for byte, as the four copies it replaced."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given, settings, strategies as st

from tremplin.core import formatting

THIN = "\u202f"


# The copies as they were (clauses/counting._fr, clauses/hours._fr, clauses/reports.fr_number,
# clauses/views/hours._h; clauses/services.french_number; the number and percent filters).
def old_two_decimals(value):
    return f"{Decimal(value):,.2f}".replace(",", "\u202f").replace(".", ",")


def old_french_number(value, *, decimals=None):
    value = Decimal(value)
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    elif value == value.to_integral_value():
        text = f"{int(value):,}"
    else:
        text = f"{value.normalize():,f}"
    return text.replace(",", "\u202f").replace(".", ",")


def old_percent(value):
    return "non calculable" if value is None else f"{value * 100:.1f} %".replace(".", ",")


decimals = st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=100, derandomize=True)
@given(value=decimals, places=st.sampled_from([None, 0, 1, 2]))
def test_numbers_are_byte_identical_to_the_copies_they_replace(value, places):
    assert formatting.decimal2(value) == old_two_decimals(value)
    assert formatting.number(value, decimals=places) == old_french_number(value, decimals=places)


@settings(max_examples=100, derandomize=True)
@given(ratio=st.one_of(st.none(), st.floats(min_value=0, max_value=10), st.fractions(0, 10).map(float)))
def test_percentages_are_byte_identical_to_the_filter_they_replace(ratio):
    assert formatting.percent(ratio) == old_percent(ratio)


@pytest.mark.parametrize(
    "value,expected",
    [
        (formatting.number(1_234_567), f"1{THIN}234{THIN}567"),
        (formatting.number(Decimal("0.5")), "0,5"),
        (formatting.decimal2(Decimal("1234.5")), f"1{THIN}234,50"),
        (formatting.hours(Decimal("151.67")), "151,67 h"),
        (formatting.euros(Decimal("100000")), f"100{THIN}000,00 €"),
        (formatting.euros(1234.4, decimals=0), f"1{THIN}234 €"),
        (formatting.percent(0.2857), "28,6 %"),
        (formatting.file_size(5_976_883), "5,7 Mo"),
        (formatting.file_size(2_048), "2 ko"),
        (formatting.month_label(datetime.date(2024, 3, 1)), "mars 2024"),
        (formatting.of_month(datetime.date(2024, 10, 1)), "d'octobre 2024"),
        (formatting.of_month(datetime.date(2024, 4, 1)), "d'avril 2024"),
        (formatting.of_month(datetime.date(2024, 8, 1), year=False), "d'août"),
        (formatting.of_month(datetime.date(2024, 3, 1)), "de mars 2024"),
    ],
)
def test_french_spellings(value, expected):
    assert value == expected


def test_the_template_filters():
    template = Template(
        "{% load tremplin_tags %}{{ n|number }}|{{ d|number }}|{{ h|hours }}|{{ e|euros }}|{{ r|percent }}|"
        "{{ m|month_label }}|{{ m|of_month }}|{{ s|file_size }}|{{ none|number }}"
    )
    context = Context(
        {
            "n": 1500,
            "d": Decimal("1500.5"),
            "h": Decimal("35"),
            "e": Decimal("12.3"),
            "r": 0.5,
            "m": datetime.date(2025, 10, 1),
            "s": 6 * 1024 * 1024,
            "none": None,
        }
    )
    assert template.render(context) == (
        f"1{THIN}500|1{THIN}500,50|35,00 h|12,30 €|50,0 %|octobre 2025|d&#x27;octobre 2025|6,0 Mo|—"
    )
