"""Retention (GDPR): people no structure has followed for TREMPLIN_RETENTION_YEARS are anonymised.

Anonymisation keeps what statistics need (sex, year and month of birth, commune, dated situation
categories, follow-ups and pathways) and removes identity, contact details and free text, also
from the change history, so that past reports stay reproducible.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from tremplin.people.gdpr import run_anonymisers
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


@transaction.atomic
def anonymise_person(*, person: Person, by=None) -> Person:
    person.history.all().delete()
    person.first_name = "Anonyme"
    person.last_name = f"ANONYME-{person.pk}"
    person.birth_name = ""
    person.birth_date = person.birth_date.replace(day=1)
    person.email = ""
    person.phone = ""
    person.address = ""
    person.anonymised_at = timezone.now()
    person._history_user = by
    person.save()
    run_anonymisers(person)
    return person
