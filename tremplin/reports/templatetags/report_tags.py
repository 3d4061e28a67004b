from django import template

from tremplin.core import formatting
from tremplin.core.templatetags.tremplin_tags import number, percent

register = template.Library()


@register.filter
def figure_value(value, unit):
    """A figure in its unit, in French: 28,6 % ; 1 234 ; 12 345,50 h ; 1 000,00 €. None -> « non calculable »."""
    if value is None:
        return "non calculable"
    if unit == "share":
        return percent(value)
    if unit == "hours":
        return f"{number(value)} h"
    if unit == "amount":
        return f"{number(value)} €"
    return number(value)


@register.filter
def signed_change(value):
    """0.2 -> « +20,0 % » ; -0.25 -> « −25,0 % » ; None -> « — »."""
    if value is None:
        return "—"
    text = formatting.percent(abs(value))
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"\u2212{text}"
    return text
