"""PLIE key figures (plie.*), computed on a small known population, with exact expected values."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    FollowUpFactory,
    OrganizationFactory,
    PersonFactory,
    SituationFactFactory,
    commune,
    user_with_role,
)
from tests.plie.factories import ContractFactory, PathwayFactory, StepFactory
from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.people.enums import REFUSED, FactKind, Sex
from tremplin.plie.enums import (
    Barrier,
    ContractType,
    EmployerKind,
    ExitKind,
    ExitRule,
    PathwayStatus,
    ReportCategory,
    StepKind,
)
from tremplin.plie.indicators import with_six_months_or_more
from tremplin.plie.models import Contract, Pathway, add_months
from tremplin.reports.registry import Period, registry

YEAR_2023 = Period.year(2023)
BEAUNE = "21054"  # outside Dijon Métropole
CHENOVE = "21166"

PLIE_IDS = [indicator.id for indicator in registry if indicator.id.startswith("plie.")]


def d(text):
    return datetime.date.fromisoformat(text)


def _evaluate(indicator_id, user=None, period=YEAR_2023):
    return registry.get(indicator_id).evaluate(period=period, user=user).figure


@pytest.fixture
def mission_locale():
    return OrganizationFactory(name="Mission Locale")


@pytest.fixture
def population(operator, mission_locale):
    """Ten people; `operator` is "IRFA Dijon" (alice's structure).

    Accompanied in 2023 (7): p1 p2 p3 p4 p8 p9 p10 — 4 women, 2 men, 1 non-binary; Dijon 5, Chenôve 1,
    Beaune 1. Not accompanied: p5 (exited on 31/12/2022), p6 (entered in 2024), p7 (entry only proposed).
    Validated exits in 2023 (4): p3 CDI, p4 abandonment, p9 (first pathway) no solution, p10 training.
    """
    irfa, ml = operator, mission_locale
    people, pathways = {}, {}

    def participant(key, org, *, sex=Sex.WOMAN, born="1985-05-05", insee="21231", **pathway):
        person = PersonFactory(sex=sex, birth_date=d(born), commune=commune(insee))
        people[key] = person
        FollowUpFactory(person=person, organization=org)
        pathways[key] = PathwayFactory(person=person, proposed_organization=org, **pathway)
        return person

    # p1: in pathway since 2022, 52 at the start of 2023, RSA, QPV, no diploma.
    p = participant("p1", irfa, born="1970-06-15", entry_date=d("2022-03-01"))
    SituationFactFactory(person=p, kind=FactKind.RSA, started_on=d("2021-01-01"))
    SituationFactFactory(person=p, in_qpv=True, started_on=d("2020-01-01"))
    SituationFactFactory(person=p, kind=FactKind.EDUCATION_LEVEL, value="1-2", started_on=d("2020-01-01"))
    # p2: man in Chenôve, entered on the last day of 2023, the day before his 45th birthday; RSA ended in 2022.
    p = participant("p2", ml, sex=Sex.MAN, born="1979-01-01", insee=CHENOVE, entry_date=d("2023-12-31"))
    SituationFactFactory(person=p, kind=FactKind.RSA, started_on=d("2021-01-01"), ended_on=d("2022-12-31"))
    SituationFactFactory(person=p, kind=FactKind.EDUCATION_LEVEL, value="4", started_on=d("2023-01-01"))
    # p3: lives in Beaune, entered on her 45th birthday, positive exit (CDI); declined RQTH and diploma questions.
    p = participant(
        "p3",
        irfa,
        born="1978-01-15",
        insee=BEAUNE,
        entry_date=d("2023-01-15"),
        status=PathwayStatus.EXITED,
        exit_date=d("2023-11-30"),
        exit_kind=ExitKind.POSITIVE_CDI,
        exit_rule=ExitRule.CDI,
    )
    SituationFactFactory(person=p, kind=FactKind.RQTH, value=REFUSED, started_on=d("2023-01-15"))
    SituationFactFactory(person=p, kind=FactKind.EDUCATION_LEVEL, value=REFUSED, started_on=d("2023-01-15"))
    # p4: non-binary, exited on the first day of 2023 (abandonment), 43 then; RQTH; QPV for one day.
    p = participant(
        "p4",
        ml,
        sex=Sex.NON_BINARY,
        born="1979-01-02",
        entry_date=d("2021-05-01"),
        status=PathwayStatus.EXITED,
        exit_date=d("2023-01-01"),
        exit_kind=ExitKind.ABANDONMENT,
    )
    SituationFactFactory(person=p, kind=FactKind.RQTH, started_on=d("2020-01-01"))
    SituationFactFactory(person=p, in_qpv=True, started_on=d("2023-01-01"), ended_on=d("2023-01-01"))
    SituationFactFactory(person=p, kind=FactKind.EDUCATION_LEVEL, value="3", started_on=d("2020-01-01"))
    SituationFactFactory(person=p, kind=FactKind.EDUCATION_LEVEL, value="4", started_on=d("2024-02-01"))
    # p5: exited on the last day of 2022: not accompanied in 2023.
    p = participant(
        "p5",
        irfa,
        entry_date=d("2021-01-01"),
        status=PathwayStatus.EXITED,
        exit_date=d("2022-12-31"),
        exit_kind=ExitKind.POSITIVE_CDD,
        exit_rule=ExitRule.CDD,
    )
    SituationFactFactory(person=p, kind=FactKind.RSA, started_on=d("2021-01-01"))
    # p6: entered on 1 January 2024.
    participant("p6", ml, sex=Sex.MAN, entry_date=d("2024-01-01"))
    # p7: entry proposed, never validated.
    participant("p7", ml, status=PathwayStatus.ENTRY_PROPOSED, entry_date=None)
    # p8: man, 62, exit proposed but not validated; RSA from the last day of 2023; no education fact.
    p = participant(
        "p8",
        ml,
        sex=Sex.MAN,
        born="1960-05-05",
        entry_date=d("2023-02-01"),
        status=PathwayStatus.EXIT_PROPOSED,
        exit_date=d("2023-10-01"),
        exit_kind=ExitKind.POSITIVE_CDI,
    )
    SituationFactFactory(person=p, kind=FactKind.RSA, started_on=d("2023-12-31"))
    # p9: two pathways, IRFA then Mission Locale; 44 on 1 January 2023 (45 at her second entry).
    p = participant(
        "p9",
        irfa,
        born="1978-04-01",
        entry_date=d("2022-01-10"),
        status=PathwayStatus.EXITED,
        exit_date=d("2023-03-31"),
        exit_kind=ExitKind.NO_SOLUTION,
    )
    FollowUpFactory(person=p, organization=ml)
    pathways["p9b"] = PathwayFactory(person=p, proposed_organization=ml, entry_date=d("2023-06-01"))
    SituationFactFactory(person=p, kind=FactKind.RSA, started_on=d("2024-01-01"))
    SituationFactFactory(person=p, kind=FactKind.EDUCATION_LEVEL, value=REFUSED, started_on=d("2019-01-01"))
    SituationFactFactory(person=p, kind=FactKind.EDUCATION_LEVEL, value="5", started_on=d("2023-06-01"))
    # p10: positive exit (training) on the last day of 2023; declined RQTH, then recognised in June.
    p = participant(
        "p10",
        irfa,
        born="2000-02-29",
        entry_date=d("2023-03-01"),
        status=PathwayStatus.EXITED,
        exit_date=d("2023-12-31"),
        exit_kind=ExitKind.POSITIVE_TRAINING,
        exit_rule=ExitRule.TRAINING,
    )
    SituationFactFactory(person=p, kind=FactKind.RQTH, value=REFUSED, started_on=d("2023-01-01"))
    SituationFactFactory(person=p, kind=FactKind.RQTH, started_on=d("2023-06-01"))
    SituationFactFactory(person=p, kind=FactKind.EDUCATION_LEVEL, value="1-2", started_on=d("2015-01-01"))

    _contracts(pathways)
    _supports(pathways)
    return pathways


def _contracts(pathways):
    """14 contracts started in 2023 on accompanied pathways, and 3 that do not count."""

    def contract(key, contract_type, started, *, kind=EmployerKind.ORDINARY, planned=None, ended=None):
        ContractFactory(
            pathway=pathways[key],
            contract_type=contract_type,
            employer_kind=kind,
            started_on=d(started),
            planned_end_on=d(planned) if planned else None,
            ended_on=d(ended) if ended else None,
        )

    cdd, cddi = ContractType.CDD, ContractType.CDDI
    contract("p1", ContractType.OTHER, "2023-01-01")  # first day of the period
    contract("p1", cdd, "2023-03-01", planned="2023-08-31")  # short: 6 months end on 1 September
    contract("p1", cdd, "2023-08-31", ended="2024-02-29")  # long: 31 Aug + 6 months = 29 Feb 2024
    contract("p1", cdd, "2023-10-01")  # long: no end known
    contract("p1", cdd, "2023-01-31", planned="2023-12-31", ended="2023-07-30")  # short: the actual end counts
    contract("p8", cdd, "2023-08-31", ended="2024-02-28")  # short, one day short of 29 Feb 2024
    contract("p10", cdd, "2023-03-31", planned="2023-09-30")  # long: 31 Mar + 6 months = 30 Sep
    contract("p2", cdd, "2023-12-31", planned="2024-06-30")  # long, started on the last day
    contract("p3", ContractType.CDI, "2023-06-01")
    contract("p8", cddi, "2023-02-15", kind=EmployerKind.ACI)
    contract("p8", cddi, "2023-05-01", kind=EmployerKind.EI)
    contract("p9", ContractType.INTERIM, "2023-07-01")
    contract("p9b", ContractType.CTTI, "2023-09-01", kind=EmployerKind.ETTI)
    contract("p10", ContractType.PROFESSIONALISATION, "2023-04-01")
    # Not counted: started in 2022; pathway not active in 2023 (p5 exited, p6 entered in 2024).
    contract("p4", ContractType.SUBSIDISED, "2022-12-31")
    contract("p5", cdd, "2023-01-05")
    contract("p6", cdd, "2023-12-15")


def _supports(pathways):
    def support(key, barrier, started, kind=StepKind.SPECIFIC_SUPPORT):
        StepFactory(pathway=pathways[key], kind=kind, barrier=barrier, started_on=d(started), title="Étape")

    support("p1", Barrier.HEALTH, "2023-02-01")
    support("p1", Barrier.HEALTH, "2023-12-31")
    support("p3", Barrier.HOUSING, "2023-03-01")
    support("p9b", Barrier.BUDGET, "2023-06-15")
    support("p10", "", "2023-05-01")
    # Not counted: started in 2022; pathway not active in 2023; not a specific support.
    support("p4", Barrier.MOBILITY, "2022-12-31")
    support("p5", Barrier.HEALTH, "2023-01-10")
    support("p8", "", "2023-02-02", kind=StepKind.DIAGNOSTIC)


# Registration


def test_every_plie_indicator_is_registered_with_its_definition():
    assert PLIE_IDS == [
        "plie.age_pyramid",
        "plie.contracts_signed",
        "plie.exits",
        "plie.low_education_share",
        "plie.new_entrants",
        "plie.over_45_share",
        "plie.people_accompanied",
        "plie.positive_exit_rate",
        "plie.positive_exit_rate_accompanied",
        "plie.positive_exits",
        "plie.qpv_share",
        "plie.rqth_share",
        "plie.rsa_share",
        "plie.specific_supports",
        "plie.women_share",
    ]
    for indicator_id in PLIE_IDS:
        indicator = registry.get(indicator_id)
        assert indicator.area == "PLIE"
        assert "période" in indicator.definition
        if indicator.unit == "share":
            assert indicator.denominator


# Counts


def test_people_accompanied(population):
    figure = _evaluate("plie.people_accompanied")
    assert figure.value == 7
    assert figure.breakdown == {
        "Sexe – Femme": 4,
        "Sexe – Homme": 2,
        "Sexe – Non binaire": 1,
        "Commune – Dijon": 5,
        "Commune – Autres communes de la métropole": 1,
        "Commune – Hors métropole": 1,
        # p9 is counted in both structures, once in the total.
        "Structure – IRFA Dijon": 4,
        "Structure – Mission Locale": 4,
    }


def test_people_accompanied_on_a_one_day_period(population):
    # On 1 January 2023: p1, p4 (exit day), p9 (first pathway); p2 enters only on 31 December.
    figure = _evaluate("plie.people_accompanied", period=Period(d("2023-01-01"), d("2023-01-01")))
    assert figure.value == 3
    figure = _evaluate("plie.people_accompanied", period=Period(d("2023-12-31"), d("2023-12-31")))
    assert figure.value == 4  # p1, p2, p9 (second pathway), p10 (exit day)


def test_new_entrants(population):
    figure = _evaluate("plie.new_entrants")
    assert figure.value == 5  # p2 (31/12), p3, p8, p9 (second pathway), p10; not p6 (1/1/2024) nor p7
    assert figure.breakdown == {"Femme": 3, "Homme": 2, "Non binaire": 0}


def test_contracts_signed_by_report_category(population):
    figure = _evaluate("plie.contracts_signed")
    assert figure.value == 14
    assert figure.breakdown == {
        "CDD de moins de 6 mois": 3,
        "CDD de 6 mois et plus": 4,
        "CDI": 1,
        "Intérim": 1,
        "Intérim d'insertion": 1,
        "CDDI": 1,
        "Contrat en ACI": 1,
        "Contrat de professionnalisation": 1,
        "Apprentissage": 0,
        "Contrat aidé": 0,
        "Autre": 1,
    }
    assert list(figure.breakdown) == ReportCategory.labels
    assert sum(figure.breakdown.values()) == figure.value


def test_contract_length_in_sql_matches_the_report_category_of_each_contract():
    """The SQL length test and models.report_category agree around 6 months, on month ends and leap years."""
    pathway = PathwayFactory()
    starts = ["2023-01-31", "2023-02-28", "2023-03-31", "2023-08-29", "2023-08-30", "2023-08-31", "2024-08-31"]
    for start in map(d, starts):
        six_months = add_months(start, 6)
        for offset in (-2, -1, 0, 1, 400):
            end = six_months + datetime.timedelta(days=offset)
            ContractFactory(pathway=pathway, contract_type=ContractType.CDD, started_on=start, ended_on=end)
    ContractFactory(pathway=pathway, contract_type=ContractType.CDD, started_on=d("2023-05-05"))  # no end
    contracts = list(with_six_months_or_more(Contract.objects.all()))
    assert len(contracts) == len(starts) * 5 + 1
    for contract in contracts:
        expected = contract.report_category == ReportCategory.CDD_LONG
        assert contract.is_long is expected, (contract.started_on, contract.planned_or_actual_end)
    assert sum(c.is_long for c in contracts) == len(starts) * 3 + 1


def test_exits(population):
    figure = _evaluate("plie.exits")
    assert figure.value == 4  # p3, p4 (1 Jan), p9 (first pathway), p10 (31 Dec); not p5 (2022), not p8 (proposed)
    expected = dict.fromkeys(ExitKind.labels, 0) | {
        "Sortie positive – CDI": 1,
        "Sortie positive – formation qualifiante": 1,
        "Abandon": 1,
        "Fin de parcours sans solution": 1,
    }
    assert figure.breakdown == expected


def test_positive_exits(population):
    figure = _evaluate("plie.positive_exits")
    assert figure.value == 2
    assert figure.breakdown == dict.fromkeys(ExitRule.labels, 0) | {
        ExitRule.CDI.label: 1,
        ExitRule.TRAINING.label: 1,
    }


def test_positive_exit_rates(population):
    rate = _evaluate("plie.positive_exit_rate")
    assert (rate.value, rate.denominator) == (0.5, 4)
    assert rate.breakdown == dict.fromkeys(ExitRule.labels, 0.0) | {
        ExitRule.CDI.label: 0.25,
        ExitRule.TRAINING.label: 0.25,
    }
    rate = _evaluate("plie.positive_exit_rate_accompanied")
    assert (rate.value, rate.denominator) == (0.2857, 7)


def test_positive_exit_rate_is_none_without_any_exit(population):
    rate = _evaluate("plie.positive_exit_rate", period=Period(d("2023-04-01"), d("2023-10-31")))
    assert (rate.value, rate.denominator) == (None, 0)
    assert set(rate.breakdown.values()) == {None}
    # The same period has people accompanied: the other rate is 0, not None.
    rate = _evaluate("plie.positive_exit_rate_accompanied", period=Period(d("2023-04-01"), d("2023-10-31")))
    assert (rate.value, rate.denominator) == (0.0, 5)  # p1, p3, p8, p9 (second pathway), p10


def test_a_custom_exit_kind_is_shown_as_not_filled_in(population):
    Pathway.objects.filter(pk=population["p4"].pk).update(exit_kind="")
    figure = _evaluate("plie.exits")
    assert figure.value == 4
    assert figure.breakdown["Abandon"] == 0
    assert figure.breakdown["Motif non renseigné"] == 1


def test_specific_supports(population):
    figure = _evaluate("plie.specific_supports")
    assert figure.value == 5
    assert figure.breakdown == dict.fromkeys(Barrier.labels, 0) | {
        Barrier.HEALTH.label: 2,
        Barrier.HOUSING.label: 1,
        Barrier.BUDGET.label: 1,
        "Frein non renseigné": 1,
    }


# Shares over the people accompanied


def test_shares_of_people_accompanied(population):
    women = _evaluate("plie.women_share")
    assert (women.value, women.denominator) == (0.5714, 7)
    rsa = _evaluate("plie.rsa_share")
    assert (rsa.value, rsa.denominator) == (0.2857, 7)  # p1, p8 (from 31 Dec); not p2 (ended 2022), p9 (2024)
    qpv = _evaluate("plie.qpv_share")
    assert (qpv.value, qpv.denominator) == (0.2857, 7)  # p1, p4 (one day, 1 January)
    over_45 = _evaluate("plie.over_45_share")
    assert (over_45.value, over_45.denominator) == (0.4286, 7)  # p1, p3 (birthday at entry), p8


def test_rqth_share_keeps_refusals_apart(population):
    rqth = _evaluate("plie.rqth_share")
    # p4, and p10 who declined before her recognition; p3 only declined.
    assert (rqth.value, rqth.denominator) == (0.2857, 7)
    assert rqth.breakdown == {"RQTH": 0.2857, "Ne souhaite pas répondre": 0.1429}


def test_low_education_share(population):
    figure = _evaluate("plie.low_education_share")
    # p1 (1-2), p4 (3; her level 4 dates from 2024), p10 (1-2) out of 7.
    assert (figure.value, figure.denominator) == (0.4286, 7)
    assert figure.breakdown == {
        "Niveau 3 ou moins (CAP, BEP, sans diplôme)": 0.4286,
        "Niveau 4 et plus": 0.2857,  # p2, p9 (level 5 after a refusal)
        "Ne souhaite pas répondre": 0.1429,  # p3
        "Non renseigné": 0.1429,  # p8
    }


def test_shares_are_none_without_anyone_accompanied():
    for indicator_id in ("plie.women_share", "plie.rsa_share", "plie.low_education_share", "plie.over_45_share"):
        figure = _evaluate(indicator_id)
        assert (figure.value, figure.denominator) == (None, 0), indicator_id


def test_every_count_is_zero_without_data():
    for indicator_id in PLIE_IDS:
        figure = _evaluate(indicator_id)
        if registry.get(indicator_id).unit == "count":
            assert figure.value == 0, indicator_id
        else:
            assert figure.value is None, indicator_id


# Scope of the user


def test_coordinator_counts_everyone(population, coordinator):
    assert _evaluate("plie.people_accompanied", user=coordinator).value == 7
    assert _evaluate("plie.contracts_signed", user=coordinator).value == 14


def test_referent_figures_are_computed_on_her_structure(population, alice):
    # alice (IRFA) follows p1, p3, p5, p9 and p10 (and Zoé, who has no pathway).
    accompanied = _evaluate("plie.people_accompanied", user=alice)
    assert accompanied.value == 4  # p1, p3, p9, p10
    assert accompanied.breakdown["Sexe – Femme"] == 4
    assert accompanied.breakdown["Structure – IRFA Dijon"] == 4
    assert _evaluate("plie.new_entrants", user=alice).value == 3  # p3, p9 (second pathway), p10
    assert _evaluate("plie.exits", user=alice).value == 3  # p3, p9, p10
    assert _evaluate("plie.positive_exit_rate", user=alice).value == 0.6667
    assert _evaluate("plie.contracts_signed", user=alice).value == 10
    assert _evaluate("plie.women_share", user=alice).value == 1.0


def test_referent_of_a_structure_without_participants_gets_zero_and_none(population, charlie):
    assert _evaluate("plie.people_accompanied", user=charlie).value == 0
    assert _evaluate("plie.contracts_signed", user=charlie).value == 0
    rate = _evaluate("plie.positive_exit_rate", user=charlie)
    assert (rate.value, rate.denominator) == (None, 0)
    women = _evaluate("plie.women_share", user=charlie)
    assert (women.value, women.denominator) == (None, 0)


def test_funder_counts_everyone_with_small_cells_hidden(population, funder):
    figure = _evaluate("plie.people_accompanied", user=funder)
    assert figure.value == 7
    # 2 people elsewhere than Dijon are masked; 7 − 5 would give them back: Dijon's 5 are masked too.
    assert figure.breakdown["Commune – Dijon"] is None
    assert figure.breakdown["Sexe – Femme"] is None  # 4 < 5
    # 2 positive exits out of 4: a share over fewer people than the threshold is masked whole.
    rate = _evaluate("plie.positive_exit_rate", user=funder)
    assert (rate.value, rate.denominator) == (None, None) and rate.value_masked and rate.denominator_masked
    assert _evaluate("plie.positive_exit_rate").value == 0.5


def test_staff_without_plie_data_get_no_figure(population):
    facilitator = user_with_role(Role.FACILITATOR)
    for indicator_id in PLIE_IDS:
        figure = _evaluate(indicator_id, user=facilitator)
        assert figure.value is None, indicator_id
        assert figure.breakdown is None


# Cost


def _build(count, offset, operator):
    for n in range(count):
        org = operator if n % 2 else OrganizationFactory(name=f"Structure {offset + n}")
        person = PersonFactory(sex=[Sex.WOMAN, Sex.MAN][n % 2])
        FollowUpFactory(person=person, organization=org)
        pathway = PathwayFactory(
            person=person,
            proposed_organization=org,
            entry_date=d("2023-02-01"),
            status=PathwayStatus.EXITED,
            exit_date=d("2023-11-30"),
            exit_kind=[ExitKind.POSITIVE_CDI, ExitKind.ABANDONMENT][n % 2],
        )
        ContractFactory(pathway=pathway, started_on=d("2023-03-01"), planned_end_on=d("2023-06-30"))
        StepFactory(pathway=pathway, kind=StepKind.SPECIFIC_SUPPORT, barrier=Barrier.HEALTH)
        for kind in (FactKind.RSA, FactKind.RQTH, FactKind.QPV_RESIDENCE):
            SituationFactFactory(person=person, kind=kind, started_on=d("2022-01-01"))
        SituationFactFactory(person=person, kind=FactKind.EDUCATION_LEVEL, value="3", started_on=d("2022-01-01"))


def _queries_for_all_plie_figures(user):
    user = User.objects.get(pk=user.pk) if user else None  # memberships are read again, as in a request
    with CaptureQueriesContext(connection) as context:
        for indicator_id in PLIE_IDS:
            registry.get(indicator_id).evaluate(period=YEAR_2023, user=user)
    return len(context.captured_queries)


@pytest.mark.parametrize("role", [None, Role.COORDINATOR, Role.REFERENT])
def test_query_count_does_not_grow_with_the_population(role, operator, django_assert_max_num_queries):
    user = user_with_role(role, organization=operator) if role else None
    _build(5, 0, operator)
    with django_assert_max_num_queries(30):
        small = _queries_for_all_plie_figures(user)
    _build(20, 100, operator)
    with django_assert_max_num_queries(30):
        large = _queries_for_all_plie_figures(user)
    assert large == small
    assert _evaluate("plie.people_accompanied", user=user).value == (25 if role != Role.REFERENT else 12)
