"""The buyer's operation report (bilan): its numbers, its access, its formats, and no names for buyers.

Operation "Réhabilitation Grésilles" (BTP, buyer Grand Dijon Habitat, from 2024-01-01; convention
"Charte locale 2021, article 4": staff provision does not count, a CDI hire is worth 300 h):
  lot 1 gros œuvre (800.00 h planned), attributaire Bâtir21 (building):
  - Aline Quintal-Zéphyrin, woman, 24 when hired, in a QPV: CDI at Bâtir21 from 2024-03-01, 120.00 h in
    March and 130.50 h in April, + 300 h of CDI equivalence;
  - Bruno Ératostène, man, 52: CDD at Bâtir21 from 2024-04-01, 60.25 h in April and 40.00 h in May;
  lot 2 second œuvre (400.00 h planned), attributaire Peinture & Co (building):
  - Chloé Cassiopée, woman: CTTI provided by an ETTI from 2024-05-01, 70.00 h in May: not counted;
  - Bruno again: contrat de professionnalisation provided by a GEIQ from 2024-06-01, 50.00 h worked and
    15.00 h of training in June: not counted either (staff provision).
Realised: 550.50 (Aline) + 100.25 (Bruno's CDD) = 650.75 h, all on lot 1; 2 people employed; 3 hires.
"""

import datetime
import io
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.clauses.factories import (
    CountingConventionFactory,
    HoursRecordFactory,
    LotFactory,
    MarketFactory,
    OperationFactory,
    PlacementFactory,
)
from tests.factories import (
    FollowUpFactory,
    OrganizationFactory,
    PersonFactory,
    SituationFactFactory,
    user_with_role,
)
from tremplin.accounts.enums import Role
from tremplin.clauses import reports as reports_module
from tremplin.clauses.counting import explain_operation_hours
from tremplin.clauses.enums import FulfilmentMode, HireContract, Sector
from tremplin.clauses.reports import operation_report
from tremplin.clauses.views import reports as report_views
from tremplin.people.enums import Programme, Sex
from tremplin.structures.enums import Activity, OrganizationKind, SiaeType

NAMES = ["Quintal-Zéphyrin", "Ératostène", "Cassiopée"]
TODAY = datetime.date(2024, 12, 31)


def d(text):
    return datetime.date.fromisoformat(text)


def h(text):
    return Decimal(text)


@pytest.fixture
def habitat():
    return OrganizationFactory(name="Grand Dijon Habitat", kind=OrganizationKind.BUYER)


@pytest.fixture
def operation(habitat):
    builders = OrganizationFactory(name="Bâtir21", company=True, activity=Activity.BUILDING)
    painters = OrganizationFactory(name="Peinture & Co", company=True, activity=Activity.BUILDING)
    etti = OrganizationFactory(name="Intérim Insertion", siae=True, siae_type=SiaeType.ETTI)
    geiq = OrganizationFactory(name="GEIQ BTP 21", siae=True, siae_type=SiaeType.GEIQ)
    operation = OperationFactory(
        name="Réhabilitation Grésilles", buyer=habitat, sector=Sector.BTP, started_on=d("2024-01-01")
    )
    CountingConventionFactory(
        operation=operation,
        provenance="Charte locale 2021, article 4",
        count_staff_provision=False,
        cdi_equivalence_hours=h("300"),
    )
    market = MarketFactory(operation=operation, reference="2024-07", name="Réhabilitation")
    lot1 = LotFactory(market=market, number="1", name="Gros œuvre", attributaire=builders, planned_hours=h("800"))
    lot2 = LotFactory(market=market, number="2", name="Second œuvre", attributaire=painters, planned_hours=h("400"))

    aline = PersonFactory(last_name=NAMES[0], first_name="Aline", sex=Sex.WOMAN, birth_date=d("1999-06-15"))
    SituationFactFactory(person=aline, in_qpv=True, started_on=d("2020-01-01"))
    bruno = PersonFactory(last_name=NAMES[1], first_name="Bruno", sex=Sex.MAN, birth_date=d("1972-01-10"))
    chloe = PersonFactory(last_name=NAMES[2], first_name="Chloé", sex=Sex.WOMAN, birth_date=d("1989-02-01"))

    def place(person, lot, mode, contract, employer, start):
        return PlacementFactory(
            person=person, lot=lot, mode=mode, contract=contract, employer=employer, started_on=d(start)
        )

    p1 = place(aline, lot1, FulfilmentMode.DIRECT_HIRE, HireContract.CDI, builders, "2024-03-01")
    HoursRecordFactory(placement=p1, month=d("2024-03-01"), hours=h("120.00"))
    HoursRecordFactory(placement=p1, month=d("2024-04-01"), hours=h("130.50"))
    p2 = place(bruno, lot1, FulfilmentMode.DIRECT_HIRE, HireContract.CDD, builders, "2024-04-01")
    HoursRecordFactory(placement=p2, month=d("2024-04-01"), hours=h("60.25"))
    HoursRecordFactory(placement=p2, month=d("2024-05-01"), hours=h("40.00"))
    p3 = place(chloe, lot2, FulfilmentMode.PROVISION_ETTI, HireContract.CTTI, etti, "2024-05-01")
    HoursRecordFactory(placement=p3, month=d("2024-05-01"), hours=h("70.00"))
    p4 = place(bruno, lot2, FulfilmentMode.PROVISION_GEIQ, HireContract.PROFESSIONALISATION, geiq, "2024-06-01")
    # GEIQ provision does not count either under this convention: Bruno's June hours are not counted.
    HoursRecordFactory(placement=p4, month=d("2024-06-01"), hours=h("50.00"), training_hours=h("15.00"))
    return operation


@pytest.fixture
def report(operation):
    return operation_report(operation, today=TODAY)


# Numbers ---------------------------------------------------------------------------------------


def test_realised_equals_the_counting_module(operation, report):
    explained = explain_operation_hours(operation, end=TODAY)
    # 120 + 130.50 + 300 (CDI) + 60.25 + 40 = 650.75; the ETTI and GEIQ provisions do not count.
    assert report.realised == explained.counted == h("650.75")
    assert report.explanation == explained.explanation
    assert sum(line.hours for line in report.lots) == report.realised
    assert sum(line.hours for line in report.companies) == report.realised
    assert sum(line.hours for line in report.modes) == report.realised
    assert sum(line.hours for line in report.contracts) == report.realised


def test_realised_and_planned_per_lot(report):
    assert report.planned == h("1200.00")
    assert report.progress == 0.5423
    lot1, lot2 = report.lots
    assert (lot1.label, lot1.planned, lot1.hours, lot1.people, lot1.progress) == (
        "2024-07 Réhabilitation – Lot 1 – Gros œuvre",
        h("800.00"),
        h("650.75"),
        2,
        0.8134,
    )
    assert "attributaire : Bâtir21" in lot1.detail
    assert (lot2.planned, lot2.hours, lot2.people, lot2.progress) == (h("400.00"), h("0.00"), 0, 0.0)


def test_by_company_mode_and_contract(report):
    assert [(c.label, c.detail, c.hours, c.people) for c in report.companies] == [
        ("Bâtir21", "Bâtiment", h("650.75"), 2),
        ("GEIQ BTP 21", "GEIQ", h("0.00"), 0),
        ("Intérim Insertion", "ETTI", h("0.00"), 0),
    ]
    assert [(m.label, m.hours, m.people) for m in report.modes] == [
        ("Embauche directe par l'entreprise", h("650.75"), 2),
        ("Mise à disposition par une ETTI", h("0.00"), 0),
        ("Mise à disposition par un GEIQ", h("0.00"), 0),
    ]
    assert {c.label: c.hours for c in report.contracts} == {
        "CDI": h("550.50"),
        "CDD": h("100.25"),
        "Contrat de professionnalisation": h("0.00"),
        "Contrat de travail temporaire d'insertion": h("0.00"),
    }


def test_people_employed_as_anonymous_counts(report):
    # Aline and Bruno have counted hours; Chloé's are not counted.
    assert report.people_total == 2
    counts = {c.label: (c.count, c.part) for c in report.people}
    assert counts["Sexe : Femme"] == (1, 0.5)
    assert counts["Sexe : Homme"] == (1, 0.5)
    assert counts["Sexe : Non binaire"] == (0, 0.0)
    assert counts["Résidant en quartier prioritaire (QPV)"] == (1, 0.5)
    # Aline is 24 when she starts, Bruno 52.
    assert counts["Âge : Moins de 26 ans"] == (1, 0.5)
    assert counts["Âge : 26 à 49 ans"] == (0, 0.0)
    assert counts["Âge : 50 ans et plus"] == (1, 0.5)


def test_hires_by_contract(report):
    # Aline's CDI, Bruno's CDD and his contrat de professionnalisation; not Chloé's CTTI.
    assert report.hires_total == 3
    assert {c.label: c.count for c in report.hires} == {
        "CDI": 1,
        "CDD": 1,
        "Contrat de professionnalisation": 1,
        "Contrat d'apprentissage": 0,
        "Formation qualifiante": 0,
    }


def test_records_without_counted_hours_are_explained_by_reason(report):
    assert [(line.label, line.people, line.hours) for line in report.not_counted] == [
        ("modalité « Mise à disposition par un GEIQ » non retenue par la convention.", 1, h("65.00")),
        ("modalité « Mise à disposition par une ETTI » non retenue par la convention.", 1, h("70.00")),
    ]


def test_convention_and_its_provenance(report):
    assert report.convention_provenance == "Charte locale 2021, article 4"
    assert not report.convention_is_default
    assert "Mises à disposition (ETTI, AI, GEIQ) comptées : non" in report.convention_rules
    assert "Une embauche en CDI vaut 300,00 h, comptées le mois de son début" in report.convention_rules


def test_a_period_keeps_its_months_and_hires(operation):
    report = operation_report(operation, start=d("2024-04-01"), end=d("2024-04-30"), today=TODAY)
    # April: 130.50 + 60.25; Aline's CDI started in March, so no CDI equivalence.
    assert report.realised == h("190.75")
    assert report.hires_total == 1  # Bruno's CDD
    assert report.period_label == "du 01/04/2024 au 30/04/2024"


def test_an_operation_without_convention_says_so():
    lot = LotFactory()
    HoursRecordFactory(placement=PlacementFactory(lot=lot), hours=h("10.00"))
    report = operation_report(lot.market.operation, today=TODAY)
    assert report.convention_is_default
    assert report.realised == h("10.00")


def test_no_names_unless_asked_by_an_entitled_internal_user(operation, habitat):
    buyer = user_with_role(Role.BUYER, organization=habitat)
    assert operation_report(operation, user=buyer, names=True, today=TODAY).named is None
    coordinator = user_with_role(Role.COORDINATOR)
    named = operation_report(operation, user=coordinator, names=True, today=TODAY).named
    assert [(line.who, line.hours) for line in named] == [
        ("Aline QUINTAL-ZÉPHYRIN", h("550.50")),
        ("Bruno ÉRATOSTÈNE", h("100.25")),
    ]


def test_a_facilitator_names_only_the_people_of_its_structure(operation):
    facilitator = user_with_role(Role.FACILITATOR)
    aline = operation.markets.get().lots.get(number="1").placements.get(contract=HireContract.CDI).person
    FollowUpFactory(
        person=aline, organization=facilitator.primary_membership.organization, programme=Programme.CLAUSES
    )
    named = operation_report(operation, user=facilitator, names=True, today=TODAY).named
    assert [line.who for line in named] == ["Aline QUINTAL-ZÉPHYRIN", "Salarié·e n° 2"]


# Views -----------------------------------------------------------------------------------------

URLS = ["clauses:operation_report", "clauses:operation_report_pdf", "clauses:operation_report_xlsx"]


def url(name, operation, **query):
    base = reverse(name, kwargs={"operation_id": operation.pk})
    return f"{base}?{urlencode(query)}" if query else base


@pytest.fixture
def buyer(habitat):
    return user_with_role(Role.BUYER, organization=habitat)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(report_views.timezone, "localdate", lambda: TODAY)


def test_the_buyer_reads_its_report(client, buyer, operation):
    client.force_login(buyer)
    response = client.get(url("clauses:operation_report", operation))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Réhabilitation Grésilles" in content
    assert "650,75 h" in content
    assert "Charte locale 2021, article 4" in content
    for name in NAMES:
        assert name.upper() not in content.upper()
    assert "Annexe nominative" not in content


def test_the_buyer_never_gets_names_even_when_asking(client, buyer, operation, monkeypatch):
    client.force_login(buyer)
    captured = {}

    def fake_pdf(html):
        captured["html"] = html
        return b"%PDF-fake"

    monkeypatch.setattr(report_views, "render_pdf", fake_pdf)
    for name in URLS:
        client.get(url(name, operation, noms="1"))
    html = client.get(url("clauses:operation_report", operation, noms="1")).content.decode()
    workbook = load_workbook(io.BytesIO(client.get(url("clauses:operation_report_xlsx", operation, noms="1")).content))
    cells = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row if c.value is not None)
    for text in (html, captured["html"], cells):
        for name in NAMES:
            assert name.upper() not in text.upper()


@pytest.mark.parametrize("name", URLS)
def test_others_get_404(client, operation, name):
    other_buyer = user_with_role(Role.BUYER)
    OperationFactory(buyer=other_buyer.primary_membership.organization)
    company = user_with_role(Role.COMPANY, organization=operation.markets.get().lots.get(number="1").attributaire)
    for user in (other_buyer, company, user_with_role(Role.REFERENT), user_with_role(Role.FUNDER)):
        client.force_login(user)
        assert client.get(url(name, operation)).status_code == 404, user.primary_role
    client.logout()
    assert client.get(url(name, operation)).status_code == 302


def test_pdf(client, buyer, operation):
    client.force_login(buyer)
    response = client.get(url("clauses:operation_report_pdf", operation))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="bilan-clauses-rehabilitation-gresilles-debut-20241231.pdf"' in response["Content-Disposition"]


def _xlsx_table(client, operation):
    response = client.get(url("clauses:operation_report_xlsx", operation, start="2024-01-01", end="2024-12-31"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Bilan des clauses d'insertion – Réhabilitation Grésilles"
    header = rows.index(next(r for r in rows if r[0] == "Rubrique"))
    return rows, [dict(zip(rows[header], row, strict=True)) for row in rows[header + 1 :]]


def test_xlsx_holds_the_report_numbers(client, buyer, operation):
    client.force_login(user_with_role(Role.COORDINATOR))
    _, table = _xlsx_table(client, operation)
    total = next(r for r in table if r["Rubrique"] == "Opération")
    assert total["Heures réalisées (comptées)"] == 650.75
    assert total["Heures prévues"] == 1200
    assert total["Effectif"] == 2
    lot1 = next(r for r in table if r["Rubrique"] == "Lot" and "Gros œuvre" in r["Libellé"])
    assert (lot1["Heures réalisées (comptées)"], lot1["Avancement"]) == (650.75, 0.8134)
    women = next(r for r in table if r["Libellé"] == "Sexe : Femme")
    assert (women["Effectif"], women["Part de l'effectif"]) == (1, 0.5)
    hires = {r["Libellé"]: r["Effectif"] for r in table if r["Rubrique"] == "Embauches"}
    assert hires["Total"] == 3


def test_a_buyers_xlsx_masks_small_counts_of_people(client, buyer, operation):
    client.force_login(buyer)
    rows, table = _xlsx_table(client, operation)
    assert any(row[0] and row[0].startswith("Secret statistique") for row in rows)
    total = next(r for r in table if r["Rubrique"] == "Opération")
    assert total["Heures réalisées (comptées)"] == 650.75  # hours are not counts of people
    # 2 people, 3 hires: under the threshold (5), masked with every count that would give them back.
    assert total["Effectif"] is None
    assert all(r["Effectif"] is None for r in table if r["Rubrique"] in ("Lot", "Personnes employées"))
    women = next(r for r in table if r["Libellé"] == "Sexe : Femme")
    assert (women["Effectif"], women["Part de l'effectif"]) == (None, None)
    assert all(r["Effectif"] is None for r in table if r["Rubrique"] == "Embauches")


def test_the_clauses_team_opens_the_report_and_its_named_annex(client, operation):
    client.force_login(user_with_role(Role.COORDINATOR))
    anonymous = client.get(url("clauses:operation_report", operation)).content.decode()
    assert "Quintal-Zéphyrin".upper() not in anonymous.upper()
    named = client.get(url("clauses:operation_report", operation, noms="1")).content.decode()
    assert "Annexe nominative" in named
    assert "QUINTAL-ZÉPHYRIN" in named


def test_an_invalid_period_is_reported_and_the_default_used(client, buyer, operation):
    client.force_login(buyer)
    response = client.get(url("clauses:operation_report", operation, start="2024-05-01", end="2024-04-01"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "La date de fin doit suivre la date de début." in content
    assert "650,75 h" in content


# Home pages ------------------------------------------------------------------------------------


def test_the_buyer_home_lists_its_operations_with_their_reports(client, buyer, operation):
    other = OperationFactory(name="Opération d'un autre donneur d'ordre")
    client.force_login(buyer)
    content = client.get(reverse("home")).content.decode()
    assert "Réhabilitation Grésilles" in content
    assert reverse("clauses:operation_report", kwargs={"operation_id": operation.pk}) in content
    assert reverse("clauses:operation_report_pdf", kwargs={"operation_id": operation.pk}) in content
    assert other.name not in content
    for name in NAMES:
        assert name.upper() not in content.upper()


def test_the_company_home_links_to_its_hours(client, operation):
    company = user_with_role(Role.COMPANY, organization=operation.markets.get().lots.get(number="1").attributaire)
    client.force_login(company)
    content = client.get(reverse("home")).content.decode()
    assert "Vos déclarations d'heures d'insertion" in content
    assert reverse("clauses:hours_placements") in content
    assert "Vos opérations avec clause" not in content


def test_reportable_operations(operation, buyer):
    assert list(reports_module.reportable_operations(buyer)) == [operation]
    assert list(reports_module.reportable_operations(user_with_role(Role.FACILITATOR))) == [operation]
    assert not reports_module.reportable_operations(user_with_role(Role.COMPANY)).exists()


def test_the_named_annex_logs_each_person_it_names(client, operation):
    from tremplin.people.models import PersonAccess

    coordinator = user_with_role(Role.COORDINATOR)
    client.force_login(coordinator)
    client.get(url("clauses:operation_report", operation))
    client.get(url("clauses:operation_report_xlsx", operation))
    assert not PersonAccess.objects.exists()  # the anonymous report names nobody
    client.get(url("clauses:operation_report", operation, noms="1"))
    shown = PersonAccess.objects.filter(user=coordinator, action=PersonAccess.Action.LIST)
    # Aline and Bruno have counted hours: the annex names them; Chloé has none and is not listed.
    assert sorted(a.person.last_name for a in shown) == sorted(NAMES[:2])
    client.get(url("clauses:operation_report_xlsx", operation, noms="1"))
    exported = PersonAccess.objects.filter(user=coordinator, action=PersonAccess.Action.EXPORT)
    assert sorted(a.person.last_name for a in exported) == sorted(NAMES[:2])
