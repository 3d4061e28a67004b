"""PLIE entry criteria (domain spec §3.2-3.3): all four, each answered with its reason."""

import datetime

import pytest

from tests.factories import PersonFactory, SituationFactFactory, commune
from tremplin.people.enums import REFUSED, FactKind, Sex, WorkAuthorisation
from tremplin.plie.eligibility import check_eligibility

D = datetime.date
AT = D(2024, 6, 15)
SINCE_2020 = D(2020, 1, 1)


@pytest.fixture
def adult():
    """A man of 39 in Dijon: neither young, senior nor a woman, so no target public by himself."""
    return PersonFactory(sex=Sex.MAN, birth_date=D(1985, 4, 12), commune=commune("21231"))


def criterion(eligibility, code):
    return next(c for c in eligibility.criteria if c.code == code)


def eligible_person(**person_kwargs):
    person = PersonFactory(**{"sex": Sex.MAN, "birth_date": D(1985, 4, 12), **person_kwargs})
    SituationFactFactory(person=person, kind=FactKind.RSA, started_on=D(2023, 1, 1))
    SituationFactFactory(
        person=person, kind=FactKind.WORK_AUTHORISATION, value=WorkAuthorisation.NATIONAL, started_on=D(1985, 4, 12)
    )
    return person


class TestTerritory:
    def test_commune_of_the_metropole(self, adult):
        territory = criterion(check_eligibility(adult, AT), "territory")
        assert territory.met is True
        assert territory.reason == "Réside à Dijon."

    def test_commune_outside_the_23(self):
        outside = commune("21001")
        assert not outside.is_metropole
        person = eligible_person(commune=outside)
        eligibility = check_eligibility(person, AT, wants_pathway=True)
        territory = criterion(eligibility, "territory")
        assert territory.met is False
        assert territory.reason == f"Réside à {outside.name}, hors de Dijon Métropole."
        assert not eligibility.eligible

    @pytest.mark.parametrize("insee_code", ["21166", "21452", "21617"])
    def test_other_communes_of_the_metropole(self, insee_code):
        person = eligible_person(commune=commune(insee_code))
        assert criterion(check_eligibility(person, AT), "territory").met is True


class TestWorkAuthorisation:
    def authorisation(self, person, value, started_on=SINCE_2020, ended_on=None):
        return SituationFactFactory(
            person=person, kind=FactKind.WORK_AUTHORISATION, value=value, started_on=started_on, ended_on=ended_on
        )

    def test_missing_is_unknown(self, adult):
        work = criterion(check_eligibility(adult, AT), "work")
        assert work.met is None
        assert work.reason == "Autorisation de travail non renseignée."

    def test_refusal_to_answer_is_unknown(self, adult):
        self.authorisation(adult, REFUSED)
        work = criterion(check_eligibility(adult, AT), "work")
        assert work.met is None
        assert "non renseignée" in work.reason

    def test_none_is_not_met(self, adult):
        self.authorisation(adult, WorkAuthorisation.NONE)
        work = criterion(check_eligibility(adult, AT), "work")
        assert work.met is False
        assert work.reason == "Pas d'autorisation de travail."

    @pytest.mark.parametrize("value", [WorkAuthorisation.NATIONAL, WorkAuthorisation.PERMIT])
    def test_national_or_permit_is_met(self, adult, value):
        self.authorisation(adult, value)
        work = criterion(check_eligibility(adult, AT), "work")
        assert work.met is True
        assert work.reason == f"{WorkAuthorisation(value).label}."

    def test_expired_permit_is_unknown(self, adult):
        self.authorisation(adult, WorkAuthorisation.PERMIT, ended_on=D(2024, 6, 14))
        assert criterion(check_eligibility(adult, AT), "work").met is None
        assert criterion(check_eligibility(adult, D(2024, 6, 14)), "work").met is True

    def test_latest_fact_at_the_date_wins(self, adult):
        self.authorisation(adult, WorkAuthorisation.PERMIT, started_on=D(2020, 1, 1))
        self.authorisation(adult, WorkAuthorisation.NONE, started_on=D(2024, 1, 1))
        assert criterion(check_eligibility(adult, AT), "work").met is False
        assert criterion(check_eligibility(adult, D(2023, 12, 31)), "work").met is True


class TestDifficulties:
    def test_no_difficulty(self, adult):
        difficulties = criterion(check_eligibility(adult, AT), "difficulties")
        assert difficulties.met is False
        assert difficulties.reason == "Aucune difficulté d'insertion enregistrée."

    def test_young_woman_alone_is_not_enough(self):
        person = PersonFactory(sex=Sex.WOMAN, birth_date=D(2002, 1, 1))
        eligibility = check_eligibility(person, AT)
        assert criterion(eligibility, "difficulties").met is False
        assert eligibility.difficulties == ["femme", "jeune de 25 ans ou moins"]

    @pytest.mark.parametrize(
        ("kind", "public"),
        [
            (FactKind.RSA, "bénéficiaire du RSA"),
            (FactKind.RQTH, "travailleur·se handicapé·e (RQTH)"),
        ],
    )
    def test_public_from_a_fact(self, adult, kind, public):
        SituationFactFactory(person=adult, kind=kind, started_on=D(2023, 1, 1))
        difficulties = criterion(check_eligibility(adult, AT), "difficulties")
        assert difficulties.met is True
        assert difficulties.reason == f"Publics cibles : {public}."

    def test_qpv_resident(self, adult):
        SituationFactFactory(person=adult, in_qpv=True, started_on=D(2023, 1, 1))
        difficulties = criterion(check_eligibility(adult, AT), "difficulties")
        assert difficulties.met is True
        assert "habitant·e d'un quartier prioritaire" in difficulties.reason

    def test_fact_ended_before_the_date_does_not_count(self, adult):
        SituationFactFactory(person=adult, kind=FactKind.RSA, started_on=D(2022, 1, 1), ended_on=D(2024, 6, 14))
        assert criterion(check_eligibility(adult, AT), "difficulties").met is False

    def test_refused_answer_is_not_a_difficulty(self, adult):
        SituationFactFactory(person=adult, kind=FactKind.RQTH, value=REFUSED, started_on=D(2023, 1, 1))
        assert criterion(check_eligibility(adult, AT), "difficulties").met is False

    @pytest.mark.parametrize(
        ("registered_on", "long_term"),
        [(D(2023, 6, 15), True), (D(2023, 6, 16), False), (D(2021, 2, 1), True)],
        ids=["exactly-12-months", "one-day-short", "years"],
    )
    def test_long_term_job_seeker(self, adult, registered_on, long_term):
        SituationFactFactory(person=adult, kind=FactKind.JOB_SEEKER, started_on=registered_on)
        difficulties = criterion(check_eligibility(adult, AT), "difficulties")
        assert difficulties.met is long_term
        assert ("demandeur·se d'emploi de longue durée" in difficulties.reason) is long_term

    def test_several_publics_are_all_named(self):
        person = PersonFactory(sex=Sex.WOMAN, birth_date=D(1970, 3, 1))
        SituationFactFactory(person=person, kind=FactKind.RSA, started_on=D(2023, 1, 1))
        SituationFactFactory(person=person, kind=FactKind.RQTH, started_on=D(2023, 1, 1))
        difficulties = criterion(check_eligibility(person, AT), "difficulties")
        assert difficulties.reason == (
            "Publics cibles : bénéficiaire du RSA, femme, senior de 50 ans ou plus, travailleur·se handicapé·e (RQTH)."
        )


class TestWantsPathway:
    @pytest.mark.parametrize(
        ("wants", "reason"),
        [
            (None, "À confirmer avec la personne."),
            (False, "La personne ne le souhaite pas."),
            (True, "Confirmé lors du premier rendez-vous."),
        ],
    )
    def test_answer_and_reason(self, wants, reason):
        eligibility = check_eligibility(eligible_person(), AT, wants_pathway=wants)
        motivation = criterion(eligibility, "wants_pathway")
        assert (motivation.met, motivation.reason) == (wants, reason)
        # The three other criteria are met: the answer decides.
        assert eligibility.eligible is (wants is True)


def test_as_dict_lists_every_criterion():
    data = check_eligibility(eligible_person(), AT, wants_pathway=True).as_dict()
    assert data["at"] == "2024-06-15"
    assert data["eligible"] is True
    assert [c["code"] for c in data["criteria"]] == ["territory", "work", "difficulties", "wants_pathway"]
    assert all(c["met"] is True for c in data["criteria"])
    assert data["difficulties"] == ["bénéficiaire du RSA"]
