import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.factories import FollowUpFactory, PersonFactory, SituationFactFactory
from tremplin.people.enums import Programme
from tremplin.people.models import Person
from tremplin.people.retention import anonymise_person, fse_archive_end, inactive_people, last_activity

TODAY = datetime.date(2026, 11, 23)
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_people_followed_within_the_retention_period_are_kept(person):
    old = PersonFactory(registered_on=datetime.date(2020, 1, 1))
    FollowUpFactory(person=old, started_on=datetime.date(2020, 2, 1), ended_on=datetime.date(2024, 12, 1))
    assert list(inactive_people(today=TODAY)) == []


def test_people_without_follow_up_for_two_years_are_inactive():
    stale = PersonFactory(registered_on=datetime.date(2020, 1, 1))
    FollowUpFactory(person=stale, started_on=datetime.date(2020, 2, 1), ended_on=datetime.date(2024, 11, 22))
    never_followed = PersonFactory(registered_on=datetime.date(2023, 1, 1))
    still_open = PersonFactory(registered_on=datetime.date(2019, 1, 1))
    FollowUpFactory(person=still_open, started_on=datetime.date(2019, 2, 1))
    assert set(inactive_people(today=TODAY)) == {stale, never_followed}


def test_anonymisation_removes_identity_everywhere_but_keeps_statistics():
    person = PersonFactory(
        first_name="Zoé",
        last_name="Lefèvre",
        email="zoe@example.org",
        phone="0612345678",
        birth_date=datetime.date(1980, 6, 17),
        address="3 rue des Godrans",
    )
    SituationFactFactory(person=person, source="Attestation CAF n° 123")
    person.last_name = "Lefèvre-Martin"
    person.save()
    anonymise_person(person=person)
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert (person.first_name, person.email, person.phone, person.address) == ("Anonyme", "", "", "")
    # Year and month kept for age bands; the day is blurred to the smallest one that changes no age computed
    # on the person's dated events or on a month's first or last day (here: the 2nd, as on 1 June she was
    # still one year younger).
    assert person.birth_date == datetime.date(1980, 6, 2)
    assert person.commune.insee_code == "21231"
    assert person.facts.get().source == ""
    history_text = " ".join(f"{h.first_name} {h.last_name} {h.email}" for h in person.history.all())
    assert "Lefèvre" not in history_text and "zoe@" not in history_text
    assert not Person.objects.in_registry().filter(pk=person.pk).exists()
    assert Person.objects.registered_by(TODAY).filter(pk=person.pk).exists()  # still counted in figures


def test_command_is_a_dry_run_unless_wet_run():
    PersonFactory(registered_on=datetime.date(2015, 1, 1), first_name="Oubliée")
    call_command("anonymize_inactive_people")
    assert Person.objects.filter(first_name="Oubliée").exists()
    call_command("anonymize_inactive_people", "--wet-run")
    assert not Person.objects.filter(first_name="Oubliée").exists()


# The restricted archive is held for the FSE+ archive duty, then anonymised ------------------------------


@pytest.fixture
def archived(settings):
    """A record restricted on 15/07/2019 whose last activity (the end of its follow-up) is 30/06/2019: with a
    5-year duty, the archive holds it until 31/12/2024."""
    settings.TREMPLIN_FSE_ARCHIVE_YEARS = 5
    person = PersonFactory(first_name="Archivée", registered_on=datetime.date(2018, 3, 1))
    FollowUpFactory(person=person, started_on=datetime.date(2018, 3, 1), ended_on=datetime.date(2019, 6, 30))
    person.restricted_at = timezone.make_aware(datetime.datetime(2019, 7, 15, 10, 0))
    person.restriction_reason = "Demande d'effacement de Mme Archivée par courrier"
    person.save()
    return person


def run(day, *args):
    out = io.StringIO()
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=PARIS), tick=False):
        call_command("anonymize_inactive_people", *args, stdout=out)
    return out.getvalue()


def test_the_archive_duty_ends_on_the_31st_of_december_five_years_after_the_last_activity(archived):
    assert last_activity(archived) == datetime.date(2019, 6, 30)
    assert fse_archive_end(archived) == datetime.date(2024, 12, 31)


@pytest.mark.parametrize("day", [datetime.date(2024, 12, 30), datetime.date(2024, 12, 31)])
def test_a_restricted_record_is_held_while_the_archive_duty_holds(archived, day):
    # Long past the 2-year retention: the archive duty holds it all the same.
    assert archived not in inactive_people(today=day)
    output = run(day, "--wet-run")
    assert f"Personne n° {archived.pk} : conservée" in output
    assert "obligation d'archivage FSE+ jusqu'au 31/12/2024" in output
    archived.refresh_from_db()
    assert archived.first_name == "Archivée" and archived.anonymised_at is None
    assert Person.objects.restricted().filter(pk=archived.pk).exists()


def test_a_restricted_record_is_anonymised_the_day_after_the_archive_duty(archived):
    output = run(datetime.date(2025, 1, 1), "--wet-run")
    assert f"Personne n° {archived.pk} : à anonymiser" in output
    assert "obligation d'archivage FSE+ échue le 31/12/2024" in output
    archived.refresh_from_db()
    assert archived.anonymised_at is not None and archived.first_name == "Anonyme"
    assert not Person.objects.restricted().filter(pk=archived.pk).exists()  # out of the archive list
    # Its reason stays, with dates only: the request's text may name people.
    assert archived.restriction_reason.startswith("Limitation demandée le 15/07/2019 ; fiche anonymisée le 01/01/2025")
    assert "Archivée" not in archived.restriction_reason
    assert not any("Archivée" in (h.restriction_reason + h.first_name) for h in archived.history.all())


def test_the_dry_run_lists_what_it_would_do_and_why(archived):
    stale = PersonFactory(first_name="Oubliée", registered_on=datetime.date(2015, 1, 1))
    output = run(datetime.date(2025, 1, 1))
    assert f"Personne n° {stale.pk} : à anonymiser – aucun suivi depuis le 01/01/2015" in output
    assert f"Personne n° {archived.pk} : à anonymiser – archive restreinte depuis le 15/07/2019" in output
    assert "2 personne(s) à anonymiser, 0 à placer dans l'archive restreinte, 0 conservée(s)" in output
    assert "Simulation" in output
    assert "Oubliée" not in output and "Archivée" not in output  # ids, never names
    assert Person.objects.filter(first_name__in=["Oubliée", "Archivée"]).count() == 2


def test_an_open_follow_up_counts_until_the_restriction(settings):
    settings.TREMPLIN_FSE_ARCHIVE_YEARS = 5
    person = PersonFactory(registered_on=datetime.date(2018, 3, 1))
    FollowUpFactory(person=person, started_on=datetime.date(2018, 3, 1))
    person.restricted_at = timezone.make_aware(datetime.datetime(2020, 2, 3, 10, 0))
    person.save()
    assert fse_archive_end(person) == datetime.date(2025, 12, 31)


# The end of the active period: the intermediate archive for the FSE+ audit (../shared/domain.md §9) --------


@pytest.fixture
def plie_inactive(settings):
    """A PLIE participant whose follow-up ended on 30/06/2024: inactive for 2 years from 01/07/2026; the FSE+
    audit may ask for the record until 31/12/2029."""
    settings.TREMPLIN_FSE_ARCHIVE_YEARS = 5
    person = PersonFactory(first_name="Suivie", registered_on=datetime.date(2023, 3, 1))
    FollowUpFactory(
        person=person,
        programme=Programme.PLIE,
        started_on=datetime.date(2023, 3, 1),
        ended_on=datetime.date(2024, 6, 30),
    )
    return person


def test_at_the_end_of_the_active_period_a_plie_participant_goes_to_the_intermediate_archive(
    plie_inactive, coordinator
):
    output = run(TODAY, "--wet-run")
    assert f"Personne n° {plie_inactive.pk} : à placer dans l'archive restreinte – aucun suivi depuis le " in output
    assert "suivi cofinancé par le FSE+ : archive intermédiaire jusqu'au 31/12/2029" in output
    assert "0 personne(s) anonymisée(s), 1 placée(s) dans l'archive restreinte" in output
    plie_inactive.refresh_from_db()
    assert plie_inactive.anonymised_at is None and plie_inactive.first_name == "Suivie"
    assert plie_inactive.restriction_reason == (
        "Conservation active échue le 23/11/2026 : archive intermédiaire pour l'audit FSE+."
    )
    # Out of every list, still counted in figures.
    assert Person.objects.restricted().filter(pk=plie_inactive.pk).exists()
    assert not Person.objects.visible_to(coordinator).filter(pk=plie_inactive.pk).exists()
    assert Person.objects.registered_by(TODAY).filter(pk=plie_inactive.pk).exists()
    # The next night holds it, as every restricted record, until the duty ends.
    assert f"Personne n° {plie_inactive.pk} : conservée" in run(datetime.date(2029, 12, 31), "--wet-run")
    output = run(datetime.date(2030, 1, 1), "--wet-run")
    assert f"Personne n° {plie_inactive.pk} : à anonymiser" in output
    plie_inactive.refresh_from_db()
    assert plie_inactive.anonymised_at is not None
    assert plie_inactive.restriction_reason == (
        "Archive intermédiaire depuis le 23/11/2026 ; fiche anonymisée le 01/01/2030 à la fin de l'obligation "
        "d'archivage FSE+."
    )


def test_the_dry_run_archives_nothing(plie_inactive):
    output = run(TODAY)
    assert "1 à placer dans l'archive restreinte" in output and "Simulation" in output
    plie_inactive.refresh_from_db()
    assert plie_inactive.restricted_at is None


def test_people_followed_outside_the_fse_programmes_are_anonymised_at_the_end_of_the_active_period(settings):
    settings.TREMPLIN_FSE_ARCHIVE_YEARS = 5
    person = PersonFactory(first_name="Candidate", registered_on=datetime.date(2023, 3, 1))
    FollowUpFactory(
        person=person,
        programme=Programme.CLAUSES,
        started_on=datetime.date(2023, 3, 1),
        ended_on=datetime.date(2024, 6, 30),
    )
    output = run(TODAY, "--wet-run")
    assert f"Personne n° {person.pk} : à anonymiser" in output
    person.refresh_from_db()
    assert person.anonymised_at is not None and person.restricted_at is None


def test_a_plie_record_past_its_archive_duty_is_anonymised_at_once(settings):
    settings.TREMPLIN_FSE_ARCHIVE_YEARS = 5
    person = PersonFactory(registered_on=datetime.date(2015, 3, 1))
    FollowUpFactory(
        person=person,
        programme=Programme.PLIE,
        started_on=datetime.date(2015, 3, 1),
        ended_on=datetime.date(2016, 6, 30),
    )
    output = run(TODAY, "--wet-run")
    assert f"Personne n° {person.pk} : à anonymiser" in output
    assert "obligation d'archivage FSE+ échue le 31/12/2021" in output
    person.refresh_from_db()
    assert person.anonymised_at is not None
