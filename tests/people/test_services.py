import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import (
    FollowUpFactory,
    OrganizationFactory,
    PersonFactory,
    SituationFactFactory,
    commune,
    user_with_role,
)
from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.core.dates import future_date_message
from tremplin.people import services
from tremplin.people.enums import REFUSED, EducationLevel, FactKind, Programme, Sex
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.structures.enums import OrganizationKind
from tremplin.territory.models import Qpv


def fresh(user):
    return User.objects.get(pk=user.pk)


def years_ago(years, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def data(**overrides):
    values = {
        "first_name": "Zoé",
        "last_name": "Lefèvre",
        "sex": Sex.WOMAN,
        "birth_date": datetime.date(1990, 5, 17),
        "email": "zoe.lefevre@example.org",
        "phone": "0612345678",
        "postcode": "21000",
        "commune": commune("21231"),
    }
    values.update(overrides)
    return values


class TestCreatePerson:
    def test_by_a_referent_opens_a_plie_follow_up_in_their_structure(self, alice, operator):
        person = services.create_person(by=fresh(alice), **data())
        follow_up = person.follow_ups.get()
        assert follow_up.organization == operator
        assert follow_up.programme == Programme.PLIE
        assert follow_up.referent == alice
        assert follow_up.ended_on is None
        assert person.created_by == alice
        # ... so that the référente keeps seeing the person she registered.
        assert person in Person.objects.visible_to(fresh(alice))

    def test_by_a_facilitator_opens_a_clauses_follow_up(self):
        lead = OrganizationFactory(kind=OrganizationKind.LEAD)
        facilitator = user_with_role(Role.FACILITATOR, organization=lead)
        person = services.create_person(by=fresh(facilitator), **data())
        assert list(person.follow_ups.values_list("organization", "programme")) == [(lead.pk, Programme.CLAUSES)]

    def test_by_a_coordinator_opens_no_follow_up(self, coordinator):
        person = services.create_person(by=fresh(coordinator), **data())
        assert not person.follow_ups.exists()
        assert person in Person.objects.visible_to(fresh(coordinator))

    def test_saves_the_person_with_search_fields_and_history(self, coordinator):
        person = services.create_person(by=fresh(coordinator), **data(email="Zoe.Lefevre@Example.ORG"))
        person.refresh_from_db()
        assert person.email == "zoe.lefevre@example.org"
        assert person.name_key == "lefevre|zoe"
        assert "lefevre" in person.search_text and "dijon" in person.search_text
        record = person.history.get()
        assert record.history_type == "+"
        assert record.history_user == coordinator

    def test_duplicate_email_is_refused_on_the_email_field(self, coordinator):
        PersonFactory(email="zoe.lefevre@example.org")
        with pytest.raises(ValidationError) as excinfo:
            services.create_person(by=fresh(coordinator), **data(first_name="Autre", email="ZOE.Lefevre@example.org"))
        assert excinfo.value.message_dict == {
            "email": ["Cette adresse e-mail est déjà celle d'une autre personne du registre."]
        }
        assert Person.objects.count() == 1

    def test_nothing_is_saved_when_refused_for_a_referent(self, alice, operator):
        # The e-mail of someone of her scope: refused (outside it, it would confirm that person exists).
        FollowUpFactory(person=PersonFactory(email="zoe.lefevre@example.org"), organization=operator)
        with pytest.raises(ValidationError):
            services.create_person(by=fresh(alice), **data())
        assert Person.objects.count() == 1
        assert FollowUp.objects.count() == 1  # only the existing person's

    def test_several_people_without_email(self, coordinator):
        services.create_person(by=fresh(coordinator), **data(email="", phone=""))
        services.create_person(by=fresh(coordinator), **data(first_name="Léa", email="", phone=""))
        assert Person.objects.filter(email="").count() == 2

    @pytest.mark.parametrize(
        ("birth_date", "message"),
        [
            (
                timezone.localdate() + datetime.timedelta(days=1),
                future_date_message("La date de naissance"),
            ),
            (years_ago(14, days=-1), "Date de naissance peu plausible : la personne aurait moins de 14 ans."),
            (years_ago(101), "Date de naissance peu plausible : la personne aurait plus de 100 ans."),
        ],
    )
    def test_impossible_birth_dates_are_refused(self, coordinator, birth_date, message):
        with pytest.raises(ValidationError) as excinfo:
            services.create_person(by=fresh(coordinator), **data(birth_date=birth_date))
        assert excinfo.value.message_dict["birth_date"] == [message]
        assert not Person.objects.exists()

    @pytest.mark.parametrize("birth_date", [years_ago(14), years_ago(100)])
    def test_limit_ages_are_accepted(self, coordinator, birth_date):
        person = services.create_person(by=fresh(coordinator), **data(birth_date=birth_date))
        assert person.pk

    def test_postcode_not_matching_the_commune_is_refused(self, coordinator):
        with pytest.raises(ValidationError) as excinfo:
            services.create_person(by=fresh(coordinator), **data(postcode="21300"))
        assert excinfo.value.message_dict["postcode"] == ["Le code postal 21300 ne correspond pas à la commune Dijon."]
        assert not Person.objects.exists()

    def test_postcode_matching_another_metropole_commune(self, coordinator):
        person = services.create_person(by=fresh(coordinator), **data(postcode="21300", commune=commune("21166")))
        assert person.commune.name == "Chenôve"

    def test_invalid_postcode_is_refused(self, coordinator):
        with pytest.raises(ValidationError) as excinfo:
            services.create_person(by=fresh(coordinator), **data(postcode="99000"))
        assert "postcode" in excinfo.value.message_dict
        assert not Person.objects.exists()

    @pytest.mark.parametrize("phone", ["06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "+33612345678"])
    def test_phone_is_normalised(self, coordinator, phone):
        person = services.create_person(by=fresh(coordinator), **data(phone=phone))
        person.refresh_from_db()
        assert person.phone == "0612345678"
        assert person.phone_display == "06 12 34 56 78"

    @pytest.mark.parametrize("phone", ["06 12 34 56", "+44 20 7946 0958", "06 12 AB 56 78"])
    def test_invalid_phone_is_refused_with_a_french_message(self, coordinator, phone):
        with pytest.raises(ValidationError) as excinfo:
            services.create_person(by=fresh(coordinator), **data(phone=phone))
        messages = excinfo.value.message_dict["phone"]
        assert len(messages) == 1
        assert "numéro" in messages[0].lower()
        assert not Person.objects.exists()


class TestUpdatePerson:
    def test_saves_only_when_something_changed(self, alice, person):
        versions = person.history.count()
        same = {"first_name": person.first_name, "last_name": person.last_name, "commune": person.commune}
        services.update_person(person=person, by=fresh(alice), **same)
        assert person.history.count() == versions

        services.update_person(person=person, by=fresh(alice), phone="0380123456")
        person.refresh_from_db()
        assert person.phone == "0380123456"
        assert person.history.count() == versions + 1
        assert person.history.first().history_user == alice

    def test_refreshes_search_fields(self, alice, person):
        services.update_person(person=person, by=fresh(alice), last_name="Dupré", commune=commune("21166"))
        person.refresh_from_db()
        assert person.name_key == "dupre|zoe"
        assert "chenove" in person.search_text
        assert "lefevre" not in person.search_text

    def test_email_of_someone_else_is_refused(self, alice, person, operator):
        FollowUpFactory(person=PersonFactory(email="pris@example.org"), organization=operator)
        with pytest.raises(ValidationError) as excinfo:
            services.update_person(person=person, by=fresh(alice), email="PRIS@example.org")
        assert "email" in excinfo.value.message_dict
        person.refresh_from_db()
        assert person.email == ""

    def test_own_email_is_accepted(self, alice, person):
        services.update_person(person=person, by=fresh(alice), email="zoe@example.org")
        services.update_person(person=person, by=fresh(alice), email="zoe@example.org", first_name="Zoë")
        person.refresh_from_db()
        assert (person.email, person.first_name) == ("zoe@example.org", "Zoë")

    def test_impossible_change_is_refused_and_not_saved(self, alice, person):
        birth_date = person.birth_date
        with pytest.raises(ValidationError):
            services.update_person(
                person=person, by=fresh(alice), birth_date=timezone.localdate() + datetime.timedelta(days=3)
            )
        person.refresh_from_db()
        assert person.birth_date == birth_date


class TestRecordFact:
    def test_closes_the_previous_open_fact_of_the_same_kind_the_day_before(self, alice, person):
        old = services.record_fact(
            person=person,
            kind=FactKind.EDUCATION_LEVEL,
            value=EducationLevel.LEVEL_3,
            started_on=datetime.date(2020, 1, 1),
            by=fresh(alice),
        )
        other_kind = services.record_fact(
            person=person, kind=FactKind.RSA, started_on=datetime.date(2021, 1, 1), by=fresh(alice)
        )
        new = services.record_fact(
            person=person,
            kind=FactKind.EDUCATION_LEVEL,
            value=EducationLevel.LEVEL_4,
            started_on=datetime.date(2024, 9, 1),
            by=fresh(alice),
        )
        old.refresh_from_db()
        other_kind.refresh_from_db()
        assert old.ended_on == datetime.date(2024, 8, 31)
        assert new.ended_on is None
        assert other_kind.ended_on is None
        assert list(person.facts.at(datetime.date(2024, 8, 31)).filter(kind=FactKind.EDUCATION_LEVEL)) == [old]
        assert list(person.facts.at(datetime.date(2024, 9, 1)).filter(kind=FactKind.EDUCATION_LEVEL)) == [new]
        assert old.history.first().history_user == alice

    def test_already_closed_facts_are_left_alone(self, alice, person):
        old = SituationFactFactory(
            person=person, started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2020, 12, 31)
        )
        services.record_fact(person=person, kind=FactKind.RSA, started_on=datetime.date(2024, 1, 1), by=fresh(alice))
        old.refresh_from_db()
        assert old.ended_on == datetime.date(2020, 12, 31)

    def test_recorded_by_and_default_value(self, alice, person):
        fact = services.record_fact(
            person=person, kind=FactKind.RSA, value="", started_on=datetime.date(2024, 1, 1), by=fresh(alice)
        )
        assert (fact.value, fact.recorded_by, fact.value_label) == ("yes", alice, "Oui")

    def test_refused_is_accepted_for_refusable_kinds(self, alice, person):
        fact = services.record_fact(
            person=person, kind=FactKind.RQTH, value=REFUSED, started_on=datetime.date(2024, 1, 1), by=fresh(alice)
        )
        assert fact.value_label == "Ne souhaite pas répondre"

    @pytest.mark.parametrize("kind", [FactKind.RSA, FactKind.JOB_SEEKER, FactKind.QPV_RESIDENCE])
    def test_refused_is_refused_for_other_kinds(self, alice, person, kind):
        with pytest.raises(ValidationError) as excinfo:
            services.record_fact(
                person=person, kind=kind, value=REFUSED, started_on=datetime.date(2024, 1, 1), by=fresh(alice)
            )
        assert excinfo.value.message_dict["value"] == [
            "« Ne souhaite pas répondre » n'est pas possible pour cette situation."
        ]
        assert not person.facts.exists()

    def test_valued_fact_needs_a_value_from_the_list(self, alice, person):
        with pytest.raises(ValidationError) as excinfo:
            services.record_fact(
                person=person, kind=FactKind.EDUCATION_LEVEL, started_on=datetime.date(2024, 1, 1), by=fresh(alice)
            )
        assert "value" in excinfo.value.message_dict

    def test_qpv_of_the_commune_is_accepted(self, alice, person):
        qpv = Qpv.objects.get(commune__insee_code="21231", name="Grésilles")
        fact = services.record_fact(
            person=person, kind=FactKind.QPV_RESIDENCE, qpv=qpv, started_on=datetime.date(2024, 1, 1), by=fresh(alice)
        )
        assert fact.value_label == "Grésilles"

    def test_qpv_of_another_commune_is_refused(self, alice, person):
        qpv = Qpv.objects.get(commune__insee_code="21166", name="Le Mail")
        with pytest.raises(ValidationError) as excinfo:
            services.record_fact(
                person=person,
                kind=FactKind.QPV_RESIDENCE,
                qpv=qpv,
                started_on=datetime.date(2024, 1, 1),
                by=fresh(alice),
            )
        assert excinfo.value.message_dict["qpv"] == [
            "Ce quartier n'est pas à Dijon, commune de résidence de la personne."
        ]
        assert not person.facts.exists()

    def test_qpv_residence_needs_a_qpv(self, alice, person):
        with pytest.raises(ValidationError) as excinfo:
            services.record_fact(
                person=person, kind=FactKind.QPV_RESIDENCE, started_on=datetime.date(2024, 1, 1), by=fresh(alice)
            )
        assert "qpv" in excinfo.value.message_dict

    def test_end_before_start_is_refused(self, alice, person):
        with pytest.raises(ValidationError) as excinfo:
            services.record_fact(
                person=person,
                kind=FactKind.RSA,
                started_on=datetime.date(2024, 5, 1),
                ended_on=datetime.date(2024, 4, 30),
                by=fresh(alice),
            )
        assert excinfo.value.message_dict["ended_on"] == ["La date de fin ne peut pas précéder la date de début."]
        assert not person.facts.exists()

    def test_refused_fact_does_not_close_the_previous_one(self, alice, person):
        old = SituationFactFactory(person=person, kind=FactKind.RSA, started_on=datetime.date(2020, 1, 1))
        with pytest.raises(ValidationError):
            services.record_fact(
                person=person, kind=FactKind.RSA, value=REFUSED, started_on=datetime.date(2024, 1, 1), by=fresh(alice)
            )
        old.refresh_from_db()
        assert old.ended_on is None

    def test_start_before_birth_is_refused(self, alice, person):
        with pytest.raises(ValidationError) as excinfo:
            services.record_fact(
                person=person,
                kind=FactKind.RSA,
                started_on=person.birth_date - datetime.timedelta(days=1),
                by=fresh(alice),
            )
        assert "started_on" in excinfo.value.message_dict


class TestEndFact:
    def test_ends_an_open_fact(self, alice, person):
        fact = SituationFactFactory(person=person, started_on=datetime.date(2022, 6, 1))
        services.end_fact(fact=fact, ended_on=datetime.date(2024, 2, 29), by=fresh(alice))
        fact.refresh_from_db()
        assert fact.ended_on == datetime.date(2024, 2, 29)
        assert fact.history.first().history_user == alice

    def test_end_on_the_start_day_is_accepted(self, alice, person):
        fact = SituationFactFactory(person=person, started_on=datetime.date(2022, 6, 1))
        services.end_fact(fact=fact, ended_on=datetime.date(2022, 6, 1), by=fresh(alice))
        assert SituationFact.objects.get(pk=fact.pk).ended_on == datetime.date(2022, 6, 1)

    def test_end_before_start_is_refused(self, alice, person):
        fact = SituationFactFactory(person=person, started_on=datetime.date(2022, 6, 1))
        with pytest.raises(ValidationError):
            services.end_fact(fact=fact, ended_on=datetime.date(2022, 5, 31), by=fresh(alice))
        fact.refresh_from_db()
        assert fact.ended_on is None

    def test_already_ended_fact_is_refused(self, alice, person):
        fact = SituationFactFactory(
            person=person, started_on=datetime.date(2022, 6, 1), ended_on=datetime.date(2023, 1, 1)
        )
        with pytest.raises(ValidationError) as excinfo:
            services.end_fact(fact=fact, ended_on=datetime.date(2024, 1, 1), by=fresh(alice))
        assert excinfo.value.messages == ["Cette situation est déjà terminée."]
        fact.refresh_from_db()
        assert fact.ended_on == datetime.date(2023, 1, 1)


class TestFollowUps:
    def test_second_open_follow_up_for_the_same_structure_and_programme_is_refused(
        self, coordinator, person, operator
    ):
        with pytest.raises(ValidationError) as excinfo:
            services.start_follow_up(person=person, organization=operator, programme=Programme.PLIE, by=coordinator)
        assert excinfo.value.messages == ["Cette structure suit déjà cette personne dans ce dispositif."]
        assert person.follow_ups.count() == 1

    def test_other_programme_or_structure_is_accepted(self, coordinator, person, operator):
        services.start_follow_up(person=person, organization=operator, programme=Programme.MOBILITY, by=coordinator)
        services.start_follow_up(
            person=person, organization=OrganizationFactory(), programme=Programme.PLIE, by=coordinator
        )
        assert person.follow_ups.count() == 3

    def test_again_after_the_previous_one_ended(self, coordinator, operator):
        person = PersonFactory()
        first = FollowUpFactory(person=person, organization=operator)
        services.end_follow_up(follow_up=first, ended_on=datetime.date(2024, 1, 31), by=coordinator)
        second = services.start_follow_up(
            person=person,
            organization=operator,
            programme=Programme.PLIE,
            started_on=datetime.date(2024, 6, 1),
            by=coordinator,
        )
        assert second.started_on == datetime.date(2024, 6, 1)
        assert list(person.follow_ups.open()) == [second]

    def test_end_follow_up_before_start_is_refused(self, coordinator, person):
        follow_up = person.follow_ups.get()
        with pytest.raises(ValidationError):
            services.end_follow_up(
                follow_up=follow_up, ended_on=follow_up.started_on - datetime.timedelta(days=1), by=coordinator
            )
        follow_up.refresh_from_db()
        assert follow_up.ended_on is None
