"""people.count and people.qpv_share, computed on a small known population."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, SituationFactFactory, commune
from tremplin.people.enums import REFUSED, FactKind, Sex
from tremplin.reports.registry import Period, registry
from tremplin.territory.models import Qpv

YEAR_2023 = Period.year(2023)
FIRST_HALF_2023 = Period(datetime.date(2023, 1, 1), datetime.date(2023, 6, 30))

FONTAINE = "Fontaine d'Ouche (Dijon)"
GRESILLES = "Grésilles (Dijon)"
LE_MAIL = "Le Mail (Chenôve)"


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def population(operator):
    """Ten people; `operator` (alice's structure) follows p1, p5, p6 and p7.

    At 2023-12-31, counted: p1 p2 p3 p4 p5 p8 p9 p10 (8: 5 women, 2 men, 1 non-binary);
    in a QPV then: p1 and p9 (Fontaine d'Ouche), p2 (Grésilles), p10 (Le Mail, Chenôve).
    """
    gresilles = Qpv.objects.get(name="Grésilles")
    people = {}

    # Woman, registered in January, in Fontaine d'Ouche since 2022.
    people["p1"] = p = PersonFactory(sex=Sex.WOMAN, registered_on=d("2023-01-15"))
    SituationFactFactory(person=p, in_qpv=True, started_on=d("2022-06-01"))
    # Man, in Grésilles since March 2023.
    people["p2"] = p = PersonFactory(sex=Sex.MAN, registered_on=d("2023-05-01"))
    SituationFactFactory(person=p, kind=FactKind.QPV_RESIDENCE, qpv=gresilles, started_on=d("2023-03-01"))
    # Woman who left Fontaine d'Ouche on 31 October: not a resident at the end of the year.
    people["p3"] = p = PersonFactory(sex=Sex.WOMAN, registered_on=d("2023-06-01"))
    SituationFactFactory(person=p, in_qpv=True, started_on=d("2023-01-01"), ended_on=d("2023-10-31"))
    # Woman who declined to answer.
    people["p4"] = p = PersonFactory(sex=Sex.WOMAN, registered_on=d("2023-02-01"))
    SituationFactFactory(person=p, in_qpv=True, value=REFUSED, started_on=d("2023-02-01"))
    SituationFactFactory(person=p, kind=FactKind.QPV_RESIDENCE, value=REFUSED, qpv=None, started_on=d("2023-02-01"))
    # Non-binary person, other facts only.
    people["p5"] = p = PersonFactory(sex=Sex.NON_BINARY, registered_on=d("2023-07-01"))
    SituationFactFactory(person=p, kind=FactKind.RSA, started_on=d("2022-01-01"))
    # Registered after the end of 2023.
    people["p6"] = p = PersonFactory(sex=Sex.MAN, registered_on=d("2024-02-01"))
    SituationFactFactory(person=p, in_qpv=True, started_on=d("2023-01-01"))
    # Erased (GDPR): never counted again.
    people["p7"] = p = PersonFactory(sex=Sex.WOMAN, registered_on=d("2022-01-01"), erased_at=timezone.now())
    SituationFactFactory(person=p, in_qpv=True, started_on=d("2022-01-01"))
    # Registered on the last day; moves into a QPV only in 2024.
    people["p8"] = p = PersonFactory(sex=Sex.MAN, registered_on=d("2023-12-31"))
    SituationFactFactory(person=p, in_qpv=True, started_on=d("2024-01-10"))
    # Fact ending on the last day of the period: still current then.
    people["p9"] = p = PersonFactory(sex=Sex.WOMAN, registered_on=d("2023-03-01"))
    SituationFactFactory(person=p, in_qpv=True, started_on=d("2023-01-01"), ended_on=d("2023-12-31"))
    # Another commune, another QPV.
    people["p10"] = p = PersonFactory(sex=Sex.WOMAN, registered_on=d("2023-01-15"), commune=commune("21166"))
    SituationFactFactory(person=p, in_qpv=True, started_on=d("2021-01-01"))

    for key in ("p1", "p5", "p6", "p7"):
        FollowUpFactory(person=people[key], organization=operator)
    FollowUpFactory(person=people["p2"], organization=OrganizationFactory(name="Ailleurs"))
    return people


def _evaluate(indicator_id, period=YEAR_2023, user=None):
    return registry.get(indicator_id).evaluate(period=period, user=user)


# people.count


def test_count_at_the_end_of_the_year(population):
    result = _evaluate("people.count")
    assert result.figure.value == 8
    assert result.figure.denominator is None
    assert result.figure.breakdown == {"Femme": 5, "Homme": 2, "Non binaire": 1}


def test_count_at_the_end_of_a_free_period(population):
    # p1, p2, p3, p4, p9, p10 are registered by 30 June; p5 (July) and p8 (December) are not.
    result = _evaluate("people.count", FIRST_HALF_2023)
    assert result.figure.value == 6
    assert result.figure.breakdown == {"Femme": 5, "Homme": 1, "Non binaire": 0}


def test_count_excludes_erased_people_even_for_past_periods(population):
    result = _evaluate("people.count", Period.year(2022))
    assert result.figure.value == 0  # p7, the only one registered in 2022, is erased


def test_count_of_an_empty_registry_is_zero():
    result = _evaluate("people.count")
    assert result.figure.value == 0
    assert result.figure.breakdown == {"Femme": 0, "Homme": 0, "Non binaire": 0}


def test_coordinator_counts_everyone(population, coordinator):
    assert _evaluate("people.count", user=coordinator).figure.value == 8


# people.qpv_share


def test_qpv_share_at_the_end_of_the_year(population):
    result = _evaluate("people.qpv_share")
    assert result.figure.denominator == 8
    assert result.figure.value == 0.5  # p1, p2, p9, p10
    assert result.figure.breakdown == {FONTAINE: 0.25, GRESILLES: 0.125, LE_MAIL: 0.125}
    assert list(result.figure.breakdown) == [FONTAINE, GRESILLES, LE_MAIL]


def test_qpv_share_at_the_end_of_a_free_period(population):
    # At 30 June p3 still lives in Fontaine d'Ouche: p1, p2, p3, p9, p10 out of 6.
    result = _evaluate("people.qpv_share", FIRST_HALF_2023)
    assert result.figure.denominator == 6
    assert result.figure.value == 0.8333
    assert result.figure.breakdown == {FONTAINE: 0.5, GRESILLES: 0.1667, LE_MAIL: 0.1667}


def test_qpv_share_counts_a_person_once_even_with_two_current_facts(population):
    gresilles = Qpv.objects.get(name="Grésilles")
    SituationFactFactory(
        person=population["p1"], kind=FactKind.QPV_RESIDENCE, qpv=gresilles, started_on=d("2023-09-01")
    )
    result = _evaluate("people.qpv_share")
    assert result.figure.value == 0.5
    assert result.figure.breakdown == {FONTAINE: 0.25, GRESILLES: 0.25, LE_MAIL: 0.125}


def test_qpv_share_is_none_not_zero_without_anyone_registered():
    result = _evaluate("people.qpv_share")
    assert result.figure.value is None
    assert result.figure.denominator == 0
    assert result.figure.breakdown == {}
    assert result.as_dict()["value"] is None


def test_qpv_share_is_zero_when_nobody_lives_in_a_qpv():
    PersonFactory(registered_on=d("2023-01-15"))
    result = _evaluate("people.qpv_share")
    assert result.figure.value == 0.0
    assert result.figure.denominator == 1


# Scope of the user


def test_referent_figures_are_computed_on_her_scope(population, person, alice):
    # alice's structure follows `person` (Zoé, woman, no fact), p1, p5, p6 (registered in 2024)
    # and p7 (erased): 3 people counted, among whom p1 in Fontaine d'Ouche.
    count = _evaluate("people.count", user=alice)
    assert count.figure.value == 3
    assert count.figure.breakdown == {"Femme": 2, "Homme": 0, "Non binaire": 1}
    qpv = _evaluate("people.qpv_share", user=alice)
    assert qpv.figure.denominator == 3
    assert qpv.figure.value == 0.3333
    assert qpv.figure.breakdown == {FONTAINE: 0.3333}


def test_referent_of_another_structure_sees_nothing(population, charlie):
    assert _evaluate("people.count", user=charlie).figure.value == 0
    qpv = _evaluate("people.qpv_share", user=charlie)
    assert (qpv.figure.value, qpv.figure.denominator) == (None, 0)


def test_funder_figures_are_computed_on_everyone_with_small_cells_hidden(population, funder):
    count = _evaluate("people.count", user=funder)
    assert count.figure.value == 8
    # 2 men and 1 non-binary person are masked; 5 women would give them back (8 − 5 = 3): masked too.
    assert count.figure.breakdown == {"Femme": None, "Homme": None, "Non binaire": None}
    qpv = _evaluate("people.qpv_share", user=funder)
    # 4 residents out of 8: 4 people, and the 4 others, are under the threshold.
    assert (qpv.figure.value, qpv.figure.denominator) == (None, 8)
    assert qpv.figure.value_masked
    assert qpv.figure.breakdown == {FONTAINE: None, GRESILLES: None, LE_MAIL: None}


def test_funder_sees_cells_at_or_above_the_threshold(population, funder, settings):
    settings.TREMPLIN_SMALL_CELL_THRESHOLD = 2
    count = _evaluate("people.count", user=funder)
    # The non-binary person is masked, and the 2 men with them, so that 8 − 5 tells nothing.
    assert count.figure.breakdown == {"Femme": 5, "Homme": None, "Non binaire": None}
    qpv = _evaluate("people.qpv_share", user=funder)
    assert (qpv.figure.value, qpv.figure.denominator) == (0.5, 8)
    # 1 + 1 masked would be recovered as "1 each" from 4 − 2: the 2 of Fontaine d'Ouche are masked too.
    assert qpv.figure.breakdown == {FONTAINE: None, GRESILLES: None, LE_MAIL: None}
