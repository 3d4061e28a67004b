"""The yearly figures of the clauses service, computed on a small known set of operations (2024).

Op BTP "Musée des Beaux-Arts" (buyer Ville de Dijon, no convention: everything counts)
  lot 1 (833.33 h planned, 2024-2025), attributaire "Bâtisseurs" (building):
  - p1 Aline, woman in a QPV: CDI direct hire from 2024-02-01, 100.00 h in Feb, 120.50 h in March,
    and 10.00 h in April worked on the services operation without globalisation (not counted);
  - p2 Bruno, man who left his QPV in 2023: CTTI provided by an ETTI since 2023-11, 50.00 h in Dec 2023
    (outside 2024) and 35.25 h in January;
  - p3 Chloé, woman who declined to answer about QPV: contrat de professionnalisation from 2024-09-01,
    80.00 h worked + 20.00 h of training in September (alternance training counts).
Op services "Nettoyage des parties communes" (buyer Orvitis; convention: staff provision does not count,
a CDI hire is worth 400 h)
  lot 2 (500.00 h planned, 2023-01-01 to 2024-06-30), attributaire "Net'Services" (services):
  - p4 Damien, man in a QPV: interim provided by an AI, 60.00 h in April: mode not admitted, 0 h;
  - p5 Emma, woman: CDI direct hire from 2024-05-01, 151.67 h in May + 400 h of CDI equivalence;
  - p1 Aline again: CDD direct hire from 2024-03-01, 20.00 h in March.
  lot 3, insertion market (no hours): p6 Farid, CDDI at an EI, 90.00 h in June: 0 h.
Op BTP "Groupe scolaire" (Ville de Dijon): lot 4 (1,000 h planned) runs in 2025 only, no hours.

2024: hours 355.75 (BTP) + 571.67 (services) = 927.42; operations 2, buyers 2; employers with hours:
Bâtisseurs, the ETTI, Net'Services (3); employees p1 p2 p3 p5 (4, 3 women, 1 QPV); hires: p1 CDI,
p3 contrat pro, p5 CDI, p1 CDD (4).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.clauses.factories import (
    CountingConventionFactory,
    HoursRecordFactory,
    LotFactory,
    MarketFactory,
    OperationFactory,
    PlacementFactory,
)
from tests.factories import OrganizationFactory, PersonFactory, SituationFactFactory, UserFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses import indicators
from tremplin.clauses.counting import cdi_equivalence_hours, explain_operation_hours
from tremplin.clauses.enums import FulfilmentMode, HireContract, Sector
from tremplin.clauses.models import HoursRecord, Operation, Placement
from tremplin.people.enums import REFUSED, Sex
from tremplin.reports.registry import Period, registry, shared_computations
from tremplin.structures.enums import Activity, OrganizationKind, SiaeType
from tremplin.structures.models import Organization

YEAR = Period.year(2024)
CLAUSES_IDS = {
    "clauses.hours_realised",
    "clauses.hours_planned",
    "clauses.hours_btp_share",
    "clauses.hours_by_mode",
    "clauses.hours_by_contract",
    "clauses.top_operations",
    "clauses.operations",
    "clauses.buyers",
    "clauses.companies",
    "clauses.employees",
    "clauses.women_share",
    "clauses.qpv_share",
    "clauses.hires",
}


def d(text):
    return datetime.date.fromisoformat(text)


def h(text):
    return Decimal(text)


def evaluate(indicator_id, user=None, period=YEAR):
    return registry.get(indicator_id).evaluate(period=period, user=user).figure


def hours(placement, month, worked, **kwargs):
    return HoursRecordFactory(placement=placement, month=d(month), hours=h(worked), **kwargs)


@pytest.fixture
def dijon():
    return OrganizationFactory(name="Ville de Dijon", kind=OrganizationKind.BUYER)


@pytest.fixture
def orvitis():
    return OrganizationFactory(name="Orvitis", kind=OrganizationKind.BUYER)


@pytest.fixture
def clauses(dijon, orvitis):
    builders = OrganizationFactory(name="Bâtisseurs", company=True, activity=Activity.BUILDING)
    cleaners = OrganizationFactory(name="Net'Services", company=True, activity=Activity.SERVICES)
    etti = OrganizationFactory(name="Intérim Insertion", siae=True, siae_type=SiaeType.ETTI)
    ai = OrganizationFactory(name="AI du Dijonnais", siae=True, siae_type=SiaeType.AI)
    ei = OrganizationFactory(name="EI Propreté", siae=True, siae_type=SiaeType.EI)

    museum = OperationFactory(name="Musée des Beaux-Arts", buyer=dijon, sector=Sector.BTP)
    cleaning = OperationFactory(name="Nettoyage des parties communes", buyer=orvitis, sector=Sector.SERVICES)
    CountingConventionFactory(operation=cleaning, count_staff_provision=False, cdi_equivalence_hours=h("400"))
    school = OperationFactory(name="Groupe scolaire", buyer=dijon, sector=Sector.BTP, started_on=d("2025-01-01"))

    lot1 = LotFactory(market=MarketFactory(operation=museum), attributaire=builders, planned_hours=h("833.33"))
    cleaning_market = MarketFactory(operation=cleaning)
    lot2 = LotFactory(
        market=cleaning_market,
        attributaire=cleaners,
        planned_hours=h("500.00"),
        started_on=d("2023-01-01"),
        ended_on=d("2024-06-30"),
    )
    lot3 = LotFactory(market=cleaning_market, attributaire=ei, insertion_market=True)
    LotFactory(
        market=MarketFactory(operation=school),
        planned_hours=h("1000.00"),
        started_on=d("2025-01-01"),
        ended_on=d("2025-12-31"),
    )

    aline = PersonFactory(first_name="Aline", last_name="Quintal", sex=Sex.WOMAN)
    SituationFactFactory(person=aline, in_qpv=True, started_on=d("2022-06-01"))
    bruno = PersonFactory(first_name="Bruno", sex=Sex.MAN)
    SituationFactFactory(person=bruno, in_qpv=True, started_on=d("2021-01-01"), ended_on=d("2023-06-30"))
    chloe = PersonFactory(first_name="Chloé", sex=Sex.WOMAN)
    SituationFactFactory(person=chloe, in_qpv=True, value=REFUSED, started_on=d("2023-01-01"))
    damien = PersonFactory(first_name="Damien", sex=Sex.MAN)
    SituationFactFactory(person=damien, in_qpv=True, started_on=d("2020-01-01"))
    emma = PersonFactory(first_name="Emma", sex=Sex.WOMAN)
    farid = PersonFactory(first_name="Farid", sex=Sex.MAN)

    def place(person, lot, mode, contract, employer, start):
        return PlacementFactory(
            person=person, lot=lot, mode=mode, contract=contract, employer=employer, started_on=d(start)
        )

    p1 = place(aline, lot1, FulfilmentMode.DIRECT_HIRE, HireContract.CDI, builders, "2024-02-01")
    hours(p1, "2024-02-01", "100.00")
    hours(p1, "2024-03-01", "120.50")
    hours(p1, "2024-04-01", "10.00", worked_on=cleaning)
    p2 = place(bruno, lot1, FulfilmentMode.PROVISION_ETTI, HireContract.CTTI, etti, "2023-11-01")
    hours(p2, "2023-12-01", "50.00")
    hours(p2, "2024-01-01", "35.25")
    p3 = place(chloe, lot1, FulfilmentMode.DIRECT_HIRE, HireContract.PROFESSIONALISATION, builders, "2024-09-01")
    hours(p3, "2024-09-01", "80.00", training_hours=h("20.00"))
    p4 = place(damien, lot2, FulfilmentMode.PROVISION_AI, HireContract.INTERIM, ai, "2024-04-01")
    hours(p4, "2024-04-01", "60.00")
    p5 = place(emma, lot2, FulfilmentMode.DIRECT_HIRE, HireContract.CDI, cleaners, "2024-05-01")
    hours(p5, "2024-05-01", "151.67")
    p7 = place(aline, lot2, FulfilmentMode.DIRECT_HIRE, HireContract.CDD, cleaners, "2024-03-01")
    hours(p7, "2024-03-01", "20.00")
    p6 = place(farid, lot3, FulfilmentMode.SUBCONTRACTING_EI, HireContract.CDDI, ei, "2024-01-01")
    hours(p6, "2024-06-01", "90.00")
    return {"museum": museum, "cleaning": cleaning, "school": school}


# Hours ---------------------------------------------------------------------------------------


def test_hours_realised_by_sector(clauses):
    figure = evaluate("clauses.hours_realised")
    assert figure.value == h("927.42")
    assert figure.breakdown == {
        "Bâtiment et travaux publics": h("355.75"),
        "Services": h("571.67"),
        "Prestations intellectuelles": h("0.00"),
    }


def test_hours_realised_equal_the_counting_module_record_by_record(clauses):
    """The SQL figure and the explained computation (record by record, with reasons) agree."""
    explained = sum(
        (explain_operation_hours(op, start=YEAR.start, end=YEAR.end).counted for op in Operation.objects.all()),
        Decimal("0"),
    )
    assert evaluate("clauses.hours_realised").value == explained == h("927.42")


def test_the_figures_add_up_the_counted_hours_kept_on_the_records(clauses):
    """The figures read HoursRecord.counted_hours (kept by the counting module), never recompute it."""
    HoursRecord.objects.filter(month=d("2024-09-01")).update(counted_hours=h("1.00"))  # Chloé: 100.00 h before
    assert evaluate("clauses.hours_realised").value == h("828.42")


def test_hours_add_up_to_the_cent(dijon):
    """Sums of two-decimal hours stay exact, whatever the database returns for them (SQLite: floats)."""
    lot = LotFactory(market=MarketFactory(operation=OperationFactory(buyer=dijon)))
    placement = PlacementFactory(lot=lot, started_on=d("2024-01-01"))
    for month in range(1, 13):
        hours(placement, f"2024-{month:02d}-01", "151.67")
    for _ in range(30):
        hours(PlacementFactory(lot=lot, started_on=d("2024-01-01")), "2024-06-01", "0.10")
    figure = evaluate("clauses.hours_realised")
    assert figure.value == h("1820.04") + h("3.00")
    assert figure.breakdown["Bâtiment et travaux publics"] == figure.value


def test_hours_of_a_partial_period_take_every_month_touched(clauses):
    # 15 February to 10 March: the February and March records (100.00 + 120.50 + 20.00); Aline's CDI
    # started on 1 February, before the period: no CDI equivalence (her operation has none anyway).
    figure = evaluate("clauses.hours_realised", period=Period(d("2024-02-15"), d("2024-03-10")))
    assert figure.value == h("240.50")


def test_btp_share_of_hours(clauses):
    figure = evaluate("clauses.hours_btp_share")
    assert figure.value == 0.3836
    assert figure.denominator == 927.42
    assert figure.breakdown == {
        "Bâtiment et travaux publics": 0.3836,
        "Services": 0.6164,
        "Prestations intellectuelles": 0.0,
    }


def test_btp_share_without_hours_is_null_not_zero():
    figure = evaluate("clauses.hours_btp_share")
    assert figure.value is None
    assert figure.denominator == 0


def test_hours_by_mode(clauses):
    figure = evaluate("clauses.hours_by_mode")
    assert figure.value == h("927.42")
    assert figure.breakdown == {
        "Embauche directe par l'entreprise": h("892.17"),
        "Mise à disposition par une ETTI": h("35.25"),
        "Mise à disposition par une AI": h("0.00"),
        "Mise à disposition par un GEIQ": h("0.00"),
        "Sous-traitance à une EI": h("0.00"),
        "Sous-traitance à un ACI": h("0.00"),
        "Sous-traitance à une EA ou un ESAT": h("0.00"),
    }
    assert sum(figure.breakdown.values()) == figure.value


def test_hours_by_contract(clauses):
    figure = evaluate("clauses.hours_by_contract")
    assert figure.breakdown["CDI"] == h("772.17")  # 220.50 + 151.67 + 400 (CDI equivalence)
    assert figure.breakdown["CDD"] == h("20.00")
    assert figure.breakdown["Contrat de professionnalisation"] == h("100.00")
    assert figure.breakdown["Contrat de travail temporaire d'insertion"] == h("35.25")
    assert figure.breakdown["CDDI"] == h("0.00")
    assert sum(figure.breakdown.values()) == figure.value == h("927.42")


def test_top_operations(clauses):
    figure = evaluate("clauses.top_operations")
    assert figure.value == h("927.42")
    assert list(figure.breakdown.items()) == [
        ("Nettoyage des parties communes (Orvitis)", h("571.67")),
        ("Musée des Beaux-Arts (Ville de Dijon)", h("355.75")),
    ]


def test_top_operations_keeps_ten_and_lets_cdi_equivalences_in(dijon):
    """Twelve operations of 10 to 120 h; the weakest by records has a CDI hire worth 500 h."""
    for n in range(1, 13):
        lot = LotFactory(market=MarketFactory(operation=OperationFactory(name=f"Op {n:02d}", buyer=dijon)))
        hours(PlacementFactory(lot=lot, started_on=d("2023-06-01")), "2024-03-01", f"{n * 10}.00")
    weakest = Operation.objects.get(name="Op 01")
    CountingConventionFactory(operation=weakest, cdi_equivalence_hours=h("500"))
    PlacementFactory(lot=LotFactory(market=MarketFactory(operation=weakest)), contract=HireContract.CDI)
    figure = evaluate("clauses.top_operations")
    labels = [label.split(" (")[0] for label in figure.breakdown]
    assert labels == ["Op 01", "Op 12", "Op 11", "Op 10", "Op 09", "Op 08", "Op 07", "Op 06", "Op 05", "Op 04"]
    assert figure.breakdown["Op 01 (Ville de Dijon)"] == h("510.00")
    assert figure.value == h("510") + sum(h(f"{n * 10}") for n in range(4, 13))


def test_top_operations_labels_stay_distinct(dijon):
    for _ in range(2):
        lot = LotFactory(market=MarketFactory(operation=OperationFactory(name="Voirie", buyer=dijon)))
        hours(PlacementFactory(lot=lot), "2024-03-01", "10.00")
    assert len(evaluate("clauses.top_operations").breakdown) == 2


def test_hours_planned_of_lots_running_in_the_period(clauses):
    figure = evaluate("clauses.hours_planned")
    # lot 1 (833.33) and lot 2 (500, ends 30 June); not the insertion market nor the 2025 lot.
    assert figure.value == h("1333.33")
    assert figure.breakdown == {
        "Bâtiment et travaux publics": h("833.33"),
        "Services": h("500.00"),
        "Prestations intellectuelles": h("0.00"),
    }
    assert evaluate("clauses.hours_planned", period=Period.year(2025)).value == h("1833.33")
    assert evaluate("clauses.hours_planned", period=Period(d("2024-07-01"), d("2024-12-31"))).value == h("833.33")


# Operations, buyers, companies, people ------------------------------------------------------


def test_operations_and_buyers(clauses):
    figure = evaluate("clauses.operations")
    assert figure.value == 2
    assert figure.breakdown == {"Bâtiment et travaux publics": 1, "Services": 1, "Prestations intellectuelles": 0}
    assert evaluate("clauses.buyers").value == 2
    # In 2023, only Bruno's December hours: one operation of one buyer.
    assert evaluate("clauses.operations", period=Period.year(2023)).value == 1
    assert evaluate("clauses.buyers", period=Period.year(2023)).value == 1


def test_companies_by_kind(clauses):
    figure = evaluate("clauses.companies")
    # The AI (hours not admitted) and the EI (insertion market) have no counted hours.
    assert figure.value == 3
    assert figure.breakdown == {
        "Bâtiment": 1,
        "Travaux publics": 0,
        "Services": 1,
        "EI/AI/ACI": 0,
        "ESAT": 0,
        "Entreprise adaptée (EA)": 0,
        "ETTI": 1,
        "GEIQ": 0,
        "Autre ou non renseigné": 0,
    }


def test_company_kind_in_sql_matches_the_organization_property():
    activities = [*Activity.values, ""]
    for activity in activities:
        OrganizationFactory(company=True, activity=activity)
    for siae_type in SiaeType.values:
        OrganizationFactory(siae=True, siae_type=siae_type, activity=Activity.BUILDING)
    rows = Organization.objects.annotate(report_kind=indicators.company_kind()).values_list("pk", "report_kind")
    sql = dict(rows)
    for organization in Organization.objects.all():
        expected = organization.company_kind
        if expected in ("Autre", "Autre activité"):
            expected = indicators.OTHER_KIND
        assert sql[organization.pk] == expected, organization.kind_label


def test_employees_women_and_qpv(clauses):
    employees = evaluate("clauses.employees")
    assert employees.value == 4  # Aline (two placements) counts once
    assert employees.breakdown == {"Femme": 3, "Homme": 1, "Non binaire": 0}
    women = evaluate("clauses.women_share")
    assert (women.value, women.denominator) == (0.75, 4)
    # Aline lives in a QPV; Bruno left his in 2023; Chloé declined to answer; Damien has no counted hours.
    qpv = evaluate("clauses.qpv_share")
    assert (qpv.value, qpv.denominator) == (0.25, 4)


def test_qpv_residence_overlapping_the_period_counts():
    placement = PlacementFactory(person=PersonFactory(sex=Sex.MAN))
    hours(placement, "2024-03-01", "10.00")
    SituationFactFactory(person=placement.person, in_qpv=True, started_on=d("2024-12-31"))
    assert evaluate("clauses.qpv_share").value == 1.0
    assert evaluate("clauses.qpv_share", period=Period(d("2024-01-01"), d("2024-06-30"))).value == 0.0


def test_shares_without_employees_are_null_not_zero():
    for indicator_id in ("clauses.women_share", "clauses.qpv_share"):
        figure = evaluate(indicator_id)
        assert (figure.value, figure.denominator) == (None, 0)


def test_hires_by_contract(clauses):
    figure = evaluate("clauses.hires")
    assert figure.value == 4
    assert figure.breakdown == {
        "CDI": 2,
        "CDD": 1,
        "Contrat de professionnalisation": 1,
        "Contrat d'apprentissage": 0,
        "Formation qualifiante": 0,
    }


def test_a_cdi_hire_valued_by_the_convention_has_hours_without_records(orvitis):
    operation = OperationFactory(buyer=orvitis, sector=Sector.SERVICES)
    CountingConventionFactory(operation=operation, cdi_equivalence_hours=h("300"))
    lot = LotFactory(market=MarketFactory(operation=operation))
    PlacementFactory(lot=lot, contract=HireContract.CDI, started_on=d("2024-10-01"))
    assert evaluate("clauses.hours_realised").value == h("300.00")
    assert evaluate("clauses.operations").value == 1
    assert evaluate("clauses.employees").value == 1
    assert evaluate("clauses.companies").value == 1
    assert evaluate("clauses.hours_realised", period=Period.year(2023)).value == h("0.00")


@pytest.mark.parametrize(
    "convention",
    [
        {},
        {"count_direct_hire": False},
        {"count_staff_provision": False},
        {"count_subcontracting": False},
        {"cdi_equivalence_hours": None},
    ],
)
def test_cdi_valued_hires_mirror_the_counting_module(convention):
    operation = OperationFactory()
    CountingConventionFactory(operation=operation, **({"cdi_equivalence_hours": h("250")} | convention))
    lot = LotFactory(market=MarketFactory(operation=operation))
    for mode in FulfilmentMode.values:
        PlacementFactory(lot=lot, mode=mode, contract=HireContract.CDI)
    PlacementFactory(lot=lot, contract=HireContract.CDD)
    PlacementFactory(contract=HireContract.CDI)  # an operation without convention
    insertion_market = LotFactory(market=MarketFactory(operation=operation), insertion_market=True)
    PlacementFactory(lot=insertion_market, contract=HireContract.CDI)  # insertion markets carry no hours
    placements = Placement.objects.all()
    mirrored = sum(
        (p.lot.market.operation.convention.cdi_equivalence_hours for p in indicators.cdi_valued_hires(placements)),
        Decimal("0.00"),
    )
    assert mirrored == cdi_equivalence_hours(placements)


# Population ----------------------------------------------------------------------------------


def test_a_buyer_counts_only_its_own_operations(clauses, dijon):
    buyer = user_with_role(Role.BUYER, organization=dijon)
    hours_figure = evaluate("clauses.hours_realised", user=buyer)
    assert hours_figure.value == h("355.75")
    assert hours_figure.breakdown["Services"] == h("0.00")
    assert evaluate("clauses.operations", user=buyer).value == 1
    assert evaluate("clauses.buyers", user=buyer).value == 1
    # 3 people and 2 hires: under the threshold (5), masked for a buyer (statistical secrecy).
    assert evaluate("clauses.employees", user=buyer).value is None
    assert evaluate("clauses.employees", user=buyer).value_masked
    assert evaluate("clauses.hires", user=buyer).value is None
    assert evaluate("clauses.hours_planned", user=buyer).value == h("833.33")
    assert list(evaluate("clauses.top_operations", user=buyer).breakdown) == ["Musée des Beaux-Arts (Ville de Dijon)"]
    # A buyer reads aggregates: small cells (under 5 people) are hidden.
    assert evaluate("clauses.companies", user=buyer).breakdown["Bâtiment"] is None


def test_a_buyer_owning_an_operation_counts_it(clauses, orvitis):
    owner = OrganizationFactory(kind=OrganizationKind.BUYER)
    Operation.objects.filter(pk=clauses["museum"].pk).update(owner=owner)
    assert evaluate("clauses.operations", user=user_with_role(Role.BUYER, organization=owner)).value == 1


def test_internal_users_and_funders_count_every_operation(clauses):
    for role in (Role.FACILITATOR, Role.COORDINATOR, Role.REFERENT, Role.FUNDER):
        user = user_with_role(role)
        assert evaluate("clauses.hours_realised", user=user).value == h("927.42"), role
    # People: the clauses team sees the 4 employees; for a référent or a funder these whole-territory figures
    # are masked under the threshold (5).
    for role in (Role.FACILITATOR, Role.COORDINATOR):
        assert evaluate("clauses.employees", user=user_with_role(role)).value == 4, role
    for role in (Role.REFERENT, Role.PRESCRIBER, Role.MOBILITY_ADVISER, Role.FUNDER):
        assert evaluate("clauses.employees", user=user_with_role(role)).value is None, role


def test_a_user_without_role_or_a_company_counts_nothing(clauses):
    company = user_with_role(Role.COMPANY, organization=Organization.objects.get(name="Bâtisseurs"))
    for user in (UserFactory(), company):
        assert evaluate("clauses.hours_realised", user=user).value == h("0.00")
        assert evaluate("clauses.employees", user=user).value == 0
        assert evaluate("clauses.hires", user=user).value == 0


# Registry, cost --------------------------------------------------------------------------------


def test_the_clauses_indicators_are_registered_with_french_definitions():
    registered = {i.id: i for i in registry if i.area == indicators.AREA}
    assert set(registered) == CLAUSES_IDS
    for indicator in registered.values():
        assert indicator.definition and indicator.label
        if indicator.unit == "share":
            assert indicator.denominator


def _queries_per_indicator(user=None):
    counts = {}
    for indicator_id in sorted(CLAUSES_IDS):
        with CaptureQueriesContext(connection) as context:
            evaluate(indicator_id, user=user)
        counts[indicator_id] = len(context.captured_queries)
    return counts


# Queries of each computation, whatever the data: the pass is 1 query (records summed by placement and CDI
# valued hires, described, then grouped by each dimension in the database, QPV residents included).
QUERIES = dict.fromkeys(CLAUSES_IDS, 1) | {
    "clauses.top_operations": 2,  # + the names of the ten operations
    "clauses.hours_planned": 1,
    "clauses.hires": 1,
}


def test_query_count_does_not_grow_with_the_data(clauses, dijon):
    assert _queries_per_indicator() == QUERIES
    # Ten more operations with people, hours every month, CDI equivalences.
    for _ in range(10):
        operation = OperationFactory(buyer=dijon, sector=Sector.SERVICES)
        CountingConventionFactory(operation=operation, cdi_equivalence_hours=h("100"))
        lot = LotFactory(market=MarketFactory(operation=operation))
        for contract in (HireContract.CDI, HireContract.CDD):
            placement = PlacementFactory(lot=lot, contract=contract, started_on=d("2024-01-01"))
            for month in range(1, 13):
                hours(placement, f"2024-{month:02d}-01", "12.50")
    assert _queries_per_indicator() == QUERIES
    buyer = user_with_role(Role.BUYER, organization=dijon)
    buyer.active_memberships  # noqa: B018 (loaded once per user)
    assert _queries_per_indicator(buyer) == BUYER_QUERIES


# A buyer's figures are masked: the figures of one population (clauses.employees and the two shares over it) are
# checked together (reports/masking.py, `cross_check`), so each, evaluated alone, also computes the other two (one
# query each; a page or a report shares them, `shared_computations`).
BUYER_QUERIES = QUERIES | dict.fromkeys(("clauses.employees", "clauses.women_share", "clauses.qpv_share"), 4)


def test_a_page_of_figures_computes_each_pass_once(clauses):
    with shared_computations(), CaptureQueriesContext(connection) as context:
        results = [registry.get(i).evaluate(period=YEAR) for i in sorted(CLAUSES_IDS)]
    # the pass (1) + names of the top ten (1) + planned hours (1) + hires (1)
    assert len(context.captured_queries) == 4
    assert {r.indicator.id: r.figure.value for r in results}["clauses.hours_realised"] == h("927.42")
    # Outside the block, each figure computes again: new records count.
    hours(PlacementFactory(lot=clauses["museum"].markets.get().lots.get()), "2024-10-01", "10.00")
    assert evaluate("clauses.hours_realised").value == h("937.42")


def test_the_activity_report_computes_the_pass_once(clauses):
    """The command line evaluates the figures together: one pass over the hours records per period (the year
    and the previous year it is compared with), and one look at the months recorded (the partial-data flag)."""
    with CaptureQueriesContext(connection) as context:
        call_command("activity_report", year=2024, format="json", stdout=io.StringIO())
    assert sum('"clauses_hoursrecord"' in q["sql"] for q in context.captured_queries) == 3
    with CaptureQueriesContext(connection) as context:
        call_command("activity_report", year=2024, format="text", stdout=io.StringIO())
    assert sum('"clauses_hoursrecord"' in q["sql"] for q in context.captured_queries) == 1


def test_a_request_shares_the_passes_and_the_next_one_sees_new_data(client, clauses):
    """The figures page of a coordinator: the clauses section, then fresh figures on the next request."""
    client.force_login(user_with_role(Role.COORDINATOR))
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("reports:figures"), {"year": 2024})
    assert response.status_code == 200
    # One pass over the hours records per period for the whole page (the year, and the previous year it is
    # compared with), and one look at the months recorded (the partial-data flag).
    assert sum('"clauses_hoursrecord"' in q["sql"] for q in context.captured_queries) == 3
    content = response.content.decode()
    assert "Clauses d&#x27;insertion" in content or "Clauses d'insertion" in content
    assert "927,42" in content
    hours(PlacementFactory(lot=clauses["museum"].markets.get().lots.get()), "2024-10-01", "10.00")
    assert "937,42" in client.get(reverse("reports:figures"), {"year": 2024}).content.decode()
    # After the request, nothing is shared any more.
    hours(PlacementFactory(lot=clauses["museum"].markets.get().lots.get()), "2024-11-01", "10.00")
    assert evaluate("clauses.hours_realised").value == h("947.42")
