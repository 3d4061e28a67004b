"""French formatting of figures, in one place: templates (filters of tremplin_tags), PDFs, messages, commands.

Thousands are separated by a narrow no-break space (U+202F), decimals by a comma: 1234.5 -> "1 234,50".
"""

from datetime import date
from decimal import Decimal

THIN = "\u202f"  # narrow no-break space, the thousands separator

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _french(text: str) -> str:
    """A number Python formatted with "," thousands and "." decimals, in French."""
    return text.replace(",", THIN).replace(".", ",")


def number(value, *, decimals=None) -> str:
    """1000000 -> "1 000 000"; 0.5 -> "0,5"; with decimals=2: 833.333 -> "833,33"."""
    value = Decimal(value)
    if decimals is not None:
        return _french(f"{value:,.{decimals}f}")
    if value == value.to_integral_value():
        return _french(f"{int(value):,}")
    return _french(f"{value.normalize():,f}")


def decimal2(value) -> str:
    """Two decimals, always: 1234.5 -> "1 234,50" (hours and amounts of the ledger and the reports)."""
    return _french(f"{Decimal(value):,.2f}")


def hours(value) -> str:
    """151.67 -> "151,67 h"."""
    return f"{decimal2(value)} h"


def euros(value, *, decimals=2) -> str:
    """1234.5 -> "1 234,50 €"; with decimals=0: "1 235 €"."""
    return f"{number(value, decimals=decimals)} €"


def percent(ratio, *, decimals=1) -> str:
    """0.2857 -> "28,6 %" (a ratio, not a percentage); None -> "non calculable"."""
    if ratio is None:
        return "non calculable"
    return f"{ratio * 100:.{decimals}f} %".replace(".", ",")


def file_size(size: int) -> str:
    """5_976_883 -> "5,7 Mo"; below a megabyte in ko: 2048 -> "2 ko"."""
    if size < 1024 * 1024:
        return f"{number(round(size / 1024))} ko"
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")


def month_name(month: date) -> str:
    return MONTHS[month.month - 1]


def month_label(month: date) -> str:
    """date(2024, 3, 1) -> "mars 2024"."""
    return f"{month_name(month)} {month.year}"


def of_month(month: date, *, year=True) -> str:
    """With the elision: "d'octobre 2024", "d'avril", "d'août", "de mars 2024"."""
    name = month_name(month)
    text = f"d'{name}" if name[0] in "aeiouyéèêàâîôû" else f"de {name}"
    return f"{text} {month.year}" if year else text
