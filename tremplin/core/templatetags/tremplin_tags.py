from django import forms, template

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
    if value is None:
        return "non calculable"
    return f"{value * 100:.1f} %".replace(".", ",")


@register.filter
def number(value):
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
