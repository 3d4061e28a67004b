"""A clause from the operation to the buyer's report, in a real browser (issue 4): a facilitator creates an
operation and a lot, sizes the clause, places a validated person, imports a month of hours, and the
buyer opens its report."""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from tests.clauses.factories import CandidateFactory
from tests.e2e.conftest import login
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses.enums import CandidateStatus, EligiblePublic
from tremplin.clauses.models import HoursRecord, Placement
from tremplin.people.enums import Programme
from tremplin.structures.enums import OrganizationKind

PASSWORD = "mot-de-passe-de-test"
NNBSP = "\u202f"  # French thousands separator


def choose(page, selector, typed, label):
    """A searchable field (tremplin.core.widgets.SearchSelect): type, the server narrows the list, pick."""
    field = page.locator(selector)
    field.fill(typed)
    options = page.locator(f"{selector}-options option")
    expect(options).to_have_count(1)
    expect(options).to_have_text(label)
    field.fill(options.get_attribute("value"))


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()


def test_a_facilitator_places_a_person_and_the_buyer_reads_the_hours(reference_data, page):
    today = timezone.localdate()
    lot_start, lot_end = today - timedelta(days=90), today + timedelta(days=275)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    facilitator = user_with_role(Role.FACILITATOR, email="facilitatrice@example.org", first_name="Fanny")
    buyer_org = OrganizationFactory(name="Grand Dijon Habitat", kind=OrganizationKind.BUYER)
    buyer = user_with_role(Role.BUYER, organization=buyer_org, email="acheteur@example.org", first_name="Bruno")
    OrganizationFactory(name="Bâti Dijon", company=True)
    # Nadia was referred, found eligible and validated at her interview: she is in the pool.
    nadia = PersonFactory(first_name="Nadia", last_name="Benali", birth_date=datetime.date(1990, 6, 12))
    france_travail = OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)
    FollowUpFactory(
        person=nadia,
        organization=facilitator.primary_membership.organization,
        programme=Programme.CLAUSES,
        prescriber=france_travail,
        referent=facilitator,
        started_on=today - timedelta(days=40),
    )
    CandidateFactory(
        person=nadia,
        prescriber=france_travail,
        referred_on=today - timedelta(days=40),
        interview_on=today - timedelta(days=30),
        eligible_public=EligiblePublic.RSA,
        proof_seen="Attestation CAF",
        proof_date=today - timedelta(days=35),
        status=CandidateStatus.VALIDATED,
        decision_reason="Expérience en maçonnerie, disponible.",
    )

    # The facilitator creates the operation.
    login(page, facilitator.email, PASSWORD)
    page.get_by_role("link", name="Clauses d'insertion").click()
    page.get_by_role("link", name="Nouvelle opération").click()
    page.locator("#id_name").fill("Résidence des Tanneries")
    page.locator("#id_buyer").select_option(label="Grand Dijon Habitat")
    page.locator("#id_commune").fill("Dijon (21231)")
    page.locator("#id_sector").select_option("btp")
    page.get_by_label("En quartier prioritaire (QPV)").check()
    page.locator("#id_started_on").fill(lot_start.isoformat())
    page.locator("#id_ended_on").fill(lot_end.isoformat())
    page.get_by_role("button", name="Enregistrer l'opération").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Résidence des Tanneries")

    # A market and its lot, awarded to Bâti Dijon.
    page.get_by_role("link", name="Ajouter un marché").click()
    page.locator("#id_reference").fill("2024-017")
    page.locator("#id_name").fill("Réhabilitation de 120 logements")
    page.get_by_role("button", name="Enregistrer le marché").click()
    page.get_by_role("link", name="ajouter un lot").click()
    page.locator("#id_number").fill("1")
    page.locator("#id_name").fill("Gros œuvre")
    page.locator("#id_legal_basis").select_option("execution_condition")
    page.locator("#id_amount").fill("1000000")
    choose(page, "#id_attributaire", "bati dijon", "Bâti Dijon")
    page.locator("#id_started_on").fill(lot_start.isoformat())
    page.locator("#id_ended_on").fill(lot_end.isoformat())
    page.get_by_role("button", name="Enregistrer le lot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lot 1 – Gros œuvre")

    # The sizing: the computation shows while typing, then the planned hours are saved.
    page.get_by_role("link", name="Dimensionner la clause").click()
    page.locator("#id_labour_share").fill("50")
    page.locator("#id_insertion_rate").fill("5")
    page.locator("#id_hourly_cost").fill("30")
    expect(page.locator("#sizing-computation")).to_have_text(
        f"1{NNBSP}000{NNBSP}000 € × 50 % × 5 % ÷ 30 €/h = 833,33 h"
    )
    page.get_by_role("button", name="Enregistrer les heures prévues").click()
    expect(page.locator("#lot-planned")).to_contain_text("833,33 h")

    # Nadia, from the pool, is hired by Bâti Dijon on the lot.
    page.get_by_role("link", name="Clauses d'insertion").click()
    page.get_by_role("link", name="Vivier").click()
    page.get_by_role("link", name="BENALI Nadia").click()
    page.get_by_role("link", name="Mettre en emploi sur un lot").click()
    choose(page, "#id_lot", "tanneries gros oeuvre", "Résidence des Tanneries – Lot 1 – Gros œuvre")
    page.locator("#id_mode").select_option("direct_hire")
    choose(page, "#id_employer", "bati", "Bâti Dijon")
    page.locator("#id_contract").select_option("cdd")
    page.locator("#id_job_title").fill("Coffreuse")
    page.locator("#id_started_on").fill(lot_start.isoformat())
    page.get_by_role("button", name="Enregistrer la mise en emploi").click()
    expect(page.locator("#evaluation-status")).to_have_text("À faire")
    placement = Placement.objects.get(person=nadia)

    # Last month's hours, imported from the company's statement.
    page.get_by_role("link", name="Clauses d'insertion").click()
    page.get_by_role("link", name="Heures", exact=True).click()
    page.get_by_role("link", name="Importer un relevé mensuel").click()
    statement = (
        "Identifiant de la mise en emploi;Nom;Prénom;Mois (AAAA-MM);Heures travaillées\n"
        f"{placement.pk};Benali;Nadia;{last_month:%Y-%m};151,67\n"
    )
    page.locator("#id_file").set_input_files(
        files=[{"name": "releve.csv", "mimeType": "text/csv", "buffer": statement.encode()}]
    )
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1 relevé créé")
    assert HoursRecord.objects.get(placement=placement).hours == Decimal("151.67")

    # The operation page explains the figure, record by record.
    page.goto(placement.lot.market.operation.get_absolute_url())
    expect(page.locator("#hours-explanation")).to_contain_text("151,67 h comptées sur 1 mise(s) en emploi")
    expect(page.locator("#hours-records")).to_contain_text("Nadia BENALI")
    logout(page)

    # The buyer reads its operation: the hours, never the name.
    login(page, buyer.email, PASSWORD)
    page.get_by_role("link", name="Clauses d'insertion").click()
    page.get_by_role("link", name="Résidence des Tanneries").click()
    expect(page.locator("#operation-progress")).to_contain_text("833,33 h")
    expect(page.locator("#operation-progress")).to_contain_text("151,67 h")
    expect(page.locator("#hours-records")).to_contain_text("Salarié·e n° 1")
    expect(page.locator("main")).not_to_contain_text("Benali", ignore_case=True)

    # And its report (bilan): realised vs planned, by company and mode, anonymous.
    page.get_by_role("link", name="Bilan de l'opération").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Résidence des Tanneries")
    key_figures = page.locator("section", has=page.get_by_role("heading", name="Chiffres clés"))
    expect(key_figures).to_contain_text("151,67 h")
    expect(key_figures).to_contain_text("833,33 h")
    companies = page.locator("section", has=page.get_by_role("heading", name="Heures réalisées par entreprise"))
    expect(companies).to_contain_text("Bâti Dijon")
    expect(page.locator("body")).not_to_contain_text("Benali", ignore_case=True)
