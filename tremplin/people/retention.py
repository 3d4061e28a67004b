"""Retention (GDPR, ../shared/domain.md §9): active records, then an intermediate archive, then anonymisation.

- People no structure has followed for TREMPLIN_RETENTION_YEARS leave the active records. Those followed under a
  programme co-financed by the FSE+ (TREMPLIN_FSE_PROGRAMMES: the PLIE) move to the restricted archive, the
  intermediate archive kept for the FSE+ audit; the others are anonymised.
- A record in the restricted archive (moved there at the end of the active period, or because the person asked
  for erasure or restriction) is held until the duty ends: 31 December of the TREMPLIN_FSE_ARCHIVE_YEARS-th year
  after its last activity (`fse_archive_end`); it is anonymised the day after, and leaves the archive with a
  non-personal reason.

Anonymisation keeps what statistics need (sex, year and month of birth, commune, dated situation
categories, follow-ups and pathways) and removes identity, contact details and free text, also
from the change history, so that past reports stay reproducible.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from tremplin.people.gdpr import dates_of, run_anonymisers
from tremplin.people.models import FollowUp, Person
from tremplin.people.services import restrict_person

# The reason written on a record the retention run moves to the intermediate archive (no personal data).
ARCHIVED_AT_END_OF_ACTIVE_PERIOD = "Conservation active échue"


def retention_cutoff(today: date, years: int | None = None) -> date:
    years = settings.TREMPLIN_RETENTION_YEARS if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def inactive_people(*, today: date, years: int | None = None):
    """People with no open follow-up whose last follow-up (or registration) ended before the cutoff. The
    restricted archive is not among them: it is held for the FSE+ archive duty (`restricted_past_archive`)."""
    cutoff = retention_cutoff(today, years)
    return (
        Person.objects.filter(
            anonymised_at__isnull=True, erased_at__isnull=True, restricted_at__isnull=True, registered_on__lt=cutoff
        )
        .annotate(
            has_open_follow_up=Exists(FollowUp.objects.open().filter(person=OuterRef("pk"))),
            last_follow_up=Max(Coalesce("follow_ups__ended_on", "follow_ups__started_on")),
        )
        .filter(has_open_follow_up=False)
        .filter(Q(last_follow_up__isnull=True) | Q(last_follow_up__lt=cutoff))
    )


def last_activity(person) -> date:
    """The last date of the record: registration, follow-ups, situations and every event the modules register
    (orientation, entry, exit, contracts, steps, candidacies, placements); while a follow-up is still open, the
    restriction date, which ended the processing."""
    days = dates_of(person)
    if person.restricted_at and person.follow_ups.open().exists():
        days.append(timezone.localtime(person.restricted_at).date())
    return max(days)


def fse_archive_end(person, years: int | None = None) -> date:
    """The last day the FSE+ archive duty holds a restricted record: 31 December of the N-th year after the
    year of its last activity (N = TREMPLIN_FSE_ARCHIVE_YEARS)."""
    years = settings.TREMPLIN_FSE_ARCHIVE_YEARS if years is None else years
    return date(last_activity(person).year + years, 12, 31)


def fse_followed():
    """Whether a structure followed the person under a programme co-financed by the FSE+ (TREMPLIN_FSE_PROGRAMMES):
    the FSE+ audit may then ask for the record after the active period. An annotation of people."""
    return Exists(FollowUp.objects.filter(person=OuterRef("pk"), programme__in=settings.TREMPLIN_FSE_PROGRAMMES))


@dataclass(frozen=True)
class Decision:
    """What the retention run does with one record, and why (French, with no personal data: it goes to logs):
    anonymise it, move it to the restricted archive (`archive`), or hold it there (neither)."""

    person: Person
    anonymise: bool
    reason: str
    archive: bool = False

    def describe(self) -> str:
        if self.anonymise:
            what = "à anonymiser"
        elif self.archive:
            what = "à placer dans l'archive restreinte"
        else:
            what = "conservée"
        return f"Personne n° {self.person.pk} : {what} – {self.reason}"


def retention_plan(*, today: date, years: int | None = None) -> list[Decision]:
    """Every record the retention run anonymises, and every restricted record it holds, with the reason."""
    years_kept = settings.TREMPLIN_RETENTION_YEARS if years is None else years
    cutoff = retention_cutoff(today, years)
    archive_years = settings.TREMPLIN_FSE_ARCHIVE_YEARS
    plan = []
    for person in inactive_people(today=today, years=years).annotate(fse_followed=fse_followed()).order_by("pk"):
        reason = (
            f"aucun suivi depuis le {(person.last_follow_up or person.registered_on):%d/%m/%Y} "
            f"(conservation {years_kept} ans : avant le {cutoff:%d/%m/%Y})"
        )
        if person.fse_followed:
            end = fse_archive_end(person)
            if today <= end:
                reason += f", suivi cofinancé par le FSE+ : archive intermédiaire jusqu'au {end:%d/%m/%Y}"
                plan.append(Decision(person=person, anonymise=False, archive=True, reason=reason))
                continue
            reason += f", obligation d'archivage FSE+ échue le {end:%d/%m/%Y} ({archive_years} ans)"
        plan.append(Decision(person=person, anonymise=True, reason=reason))
    for person in Person.objects.restricted().order_by("pk"):
        end = fse_archive_end(person)
        since = f"archive restreinte depuis le {timezone.localtime(person.restricted_at):%d/%m/%Y}"
        if today > end:
            reason = f"{since}, obligation d'archivage FSE+ échue le {end:%d/%m/%Y} ({archive_years} ans)"
        else:
            reason = f"{since}, obligation d'archivage FSE+ jusqu'au {end:%d/%m/%Y} ({archive_years} ans)"
        plan.append(Decision(person=person, anonymise=today > end, reason=reason))
    return plan


def archive_person(*, person: Person, today: date, by=None) -> Person:
    """The end of the active period of a record the FSE+ audit may ask for: it moves to the restricted archive
    (no list, page nor search; still counted in figures), with a reason that names no one."""
    return restrict_person(
        person=person,
        reason=f"{ARCHIVED_AT_END_OF_ACTIVE_PERIOD} le {today:%d/%m/%Y} : archive intermédiaire pour l'audit FSE+.",
        by=by,
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
    if person.restricted_at:
        # The reason was written for the person's request and may name people: only its dates stay.
        since = f"{timezone.localtime(person.restricted_at):%d/%m/%Y}"
        if person.restriction_reason.startswith(ARCHIVED_AT_END_OF_ACTIVE_PERIOD):
            since = f"Archive intermédiaire depuis le {since}"
        else:
            since = f"Limitation demandée le {since}"
        person.restriction_reason = (
            f"{since} ; fiche anonymisée le {timezone.localtime(person.anonymised_at):%d/%m/%Y} à la fin de "
            "l'obligation d'archivage FSE+."
        )
    person._history_user = by
    person.save()
    run_anonymisers(person)
    return person
