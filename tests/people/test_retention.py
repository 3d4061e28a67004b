import datetime

from django.core.management import call_command

from tests.factories import FollowUpFactory, PersonFactory, SituationFactFactory
from tremplin.people.models import Person
from tremplin.people.retention import anonymise_person, inactive_people

TODAY = datetime.date(2026, 11, 23)


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
