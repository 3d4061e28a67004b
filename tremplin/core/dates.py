"""Dates of facts that have happened (an entry, an exit, an end of contract, a month of hours): never in the
future. One rule for the forms, the services and the importers."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone


def future_date_message(what: str, today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{what} ne peut pas être dans le futur (nous sommes le {today:%d/%m/%Y})."


def refuse_future(day: date | None, *, field: str, what: str) -> None:
    """Raise a ValidationError on `field` if `day` is after today (Europe/Paris)."""
    today = timezone.localdate()
    if day is not None and day > today:
        raise ValidationError({field: future_date_message(what, today)})
