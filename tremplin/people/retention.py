"""Retention (GDPR): people no structure has followed for TREMPLIN_RETENTION_YEARS are anonymised.

Anonymisation keeps what statistics need (sex, year and month of birth, commune, dated situation
categories, follow-ups and pathways) and removes identity, contact details and free text, also
from the change history, so that past reports stay reproducible.
"""

import calendar
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from tremplin.people.gdpr import dates_of, run_anonymisers
from tremplin.people.models import FollowUp, Person


def retention_cutoff(today: date, years: int | None = None) -> date:
    years = settings.TREMPLIN_RETENTION_YEARS if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def inactive_people(*, today: date, years: int | None = None):
    """People with no open follow-up whose last follow-up (or registration) ended before the cutoff."""
    cutoff = retention_cutoff(today, years)
    return (
        Person.objects.filter(anonymised_at__isnull=True, erased_at__isnull=True, registered_on__lt=cutoff)
        .annotate(
            has_open_follow_up=Exists(FollowUp.objects.open().filter(person=OuterRef("pk"))),
            last_follow_up=Max(Coalesce("follow_ups__ended_on", "follow_ups__started_on")),
        )
        .filter(has_open_follow_up=False)
        .filter(Q(last_follow_up__isnull=True) | Q(last_follow_up__lt=cutoff))
    )


def blurred_birth_date(person) -> date:
    """The birth date with its day replaced, keeping the year and month (age bands) and every age that a
    figure computes: the smallest day that leaves the person's age unchanged on each of their dated events
    (registered by the modules) and on the first and last day of every month (period boundaries)."""
    born = person.birth_date
    last = calendar.monthrange(born.year, born.month)[1]
    # Days of the birth month on which an age is computed: before `born.day` the person was one year younger.
    days = {1, last} | {day.day for day in dates_of(person) if day.month == born.month}
    earlier = [day for day in days if day < born.day]
    new_day = max(earlier) + 1 if earlier else 1
    try:
        return born.replace(day=new_day)
    except ValueError:  # 29 February of a common year cannot happen: born.replace keeps born's year
        return born


@transaction.atomic
def anonymise_person(*, person: Person, by=None) -> Person:
    person.history.all().delete()
    person.first_name = "Anonyme"
    person.last_name = f"ANONYME-{person.pk}"
    person.birth_name = ""
    person.birth_date = blurred_birth_date(person)
    person.email = ""
    person.phone = ""
    person.address = ""
    person.anonymised_at = timezone.now()
    person._history_user = by
    person.save()
    run_anonymisers(person)
    return person
