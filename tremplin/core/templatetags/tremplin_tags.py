from django import forms, template

from tremplin.core import formatting

register = template.Library()


@register.filter
def bootstrap_widget(field):
    """Render a form field's widget with Bootstrap classes and its accessible descriptions."""
    widget = field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-help")
    if field.errors:
        described_by.append(f"{field.auto_id}-errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def percent(value):
    """0.2857 -> "28,6 %"; None -> "non calculable"."""
    return formatting.percent(value)


@register.filter
def number(value):
    """1234 -> "1 234"; 1234.5 -> "1 234,50"; None -> "—"."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return formatting.number(value)
    return formatting.decimal2(value)


@register.filter
def hours(value):
    """151.67 -> "151,67 h"."""
    return "—" if value is None else formatting.hours(value)


@register.filter
def euros(value):
    """1234.5 -> "1 234,50 €"."""
    return "—" if value is None else formatting.euros(value)


@register.filter
def month_label(value):
    """date(2024, 3, 1) -> "mars 2024"."""
    return formatting.month_label(value)


@register.filter
def of_month(value):
    """date(2024, 10, 1) -> "d'octobre 2024"; date(2024, 3, 1) -> "de mars 2024"."""
    return formatting.of_month(value)


@register.filter
def file_size(value):
    """5_976_883 -> "5,7 Mo"."""
    return formatting.file_size(value)
