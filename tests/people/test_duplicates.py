import datetime

import pytest
from django.utils import timezone

from tests.factories import PersonFactory
from tremplin.people.services import find_likely_duplicates

BIRTH = datetime.date(1990, 5, 17)
NAME_REASON = "même nom, même prénom et même date de naissance"


@pytest.fixture
def lefevre():
    return PersonFactory(
        first_name="Jean-Pierre",
        last_name="Lefèvre",
        birth_date=BIRTH,
        email="jp.lefevre@example.org",
        phone="0612345678",
    )


def find(**kwargs):
    kwargs.setdefault("birth_date", BIRTH)
    return find_likely_duplicates(**kwargs)


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [
        ("Jean-Pierre", "Lefèvre"),
        ("jean pierre", "LEFEVRE"),
        ("JEAN PIERRE", "lefevre"),
        ("Jean Pierre", "Le-Fèvre"),
        ("  jean-pierre ", " Lefevre "),
    ],
)
def test_same_name_and_birth_date_whatever_the_spelling(lefevre, first_name, last_name):
    duplicates = find(first_name=first_name, last_name=last_name)
    assert [d.person for d in duplicates] == [lefevre]
    assert duplicates[0].reasons == [NAME_REASON]


def test_first_and_last_names_swapped(lefevre):
    duplicates = find(first_name="LEFEVRE", last_name="jean-pierre")
    assert [d.person for d in duplicates] == [lefevre]
    assert duplicates[0].reasons == [NAME_REASON]


def test_same_name_but_other_birth_date_is_not_a_duplicate(lefevre):
    assert find(first_name="Jean-Pierre", last_name="Lefèvre", birth_date=datetime.date(1990, 5, 18)) == []


def test_other_name_same_birth_date_is_not_a_duplicate(lefevre):
    assert find(first_name="Jean-Paul", last_name="Lefèvre") == []
    assert find(first_name="Jean-Pierre", last_name="Lefebvre") == []


def test_same_email_whatever_the_case(lefevre):
    duplicates = find(
        first_name="Zoé", last_name="Martin", birth_date=datetime.date(2000, 1, 1), email="JP.Lefevre@Example.org"
    )
    assert [d.person for d in duplicates] == [lefevre]
    assert duplicates[0].reasons == ["même adresse e-mail"]


def test_same_phone(lefevre):
    duplicates = find(first_name="Zoé", last_name="Martin", birth_date=datetime.date(2000, 1, 1), phone="0612345678")
    assert [d.person for d in duplicates] == [lefevre]
    assert duplicates[0].reasons == ["même numéro de téléphone"]


def test_other_email_and_phone_are_not_duplicates(lefevre):
    assert (
        find(
            first_name="Zoé",
            last_name="Martin",
            birth_date=datetime.date(2000, 1, 1),
            email="zoe.martin@example.org",
            phone="0699999999",
        )
        == []
    )


def test_empty_email_and_phone_match_nobody(lefevre):
    PersonFactory(email="", phone="")
    assert find(first_name="Zoé", last_name="Martin", email="", phone="") == []


def test_all_reasons_are_listed(lefevre):
    duplicates = find(
        first_name="jean pierre", last_name="LEFEVRE", email="jp.lefevre@example.org", phone="0612345678"
    )
    assert len(duplicates) == 1
    assert duplicates[0].reasons == [NAME_REASON, "même adresse e-mail", "même numéro de téléphone"]


def test_several_people_each_with_its_reason(lefevre):
    other = PersonFactory(first_name="Zoé", last_name="Martin", phone="0380123456")
    duplicates = find(first_name="Jean-Pierre", last_name="LEFÈVRE", phone="0380123456")
    reasons = {d.person: d.reasons for d in duplicates}
    assert reasons == {lefevre: [NAME_REASON], other: ["même numéro de téléphone"]}


def test_exclude_leaves_out_the_person_being_edited(lefevre):
    kwargs = {"first_name": "Jean-Pierre", "last_name": "Lefèvre", "email": "jp.lefevre@example.org"}
    assert find(**kwargs)
    assert find(exclude=lefevre, **kwargs) == []


def test_exclude_keeps_the_others(lefevre):
    twin = PersonFactory(first_name="Jean Pierre", last_name="LEFEVRE", birth_date=BIRTH)
    assert [d.person for d in find(first_name="Jean-Pierre", last_name="Lefèvre", exclude=lefevre)] == [twin]


def test_erased_people_are_not_reported(lefevre):
    lefevre.erased_at = timezone.now()
    lefevre.save()
    assert find(first_name="Jean-Pierre", last_name="Lefèvre", email="jp.lefevre@example.org") == []
