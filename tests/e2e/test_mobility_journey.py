"""A rental at the Plateforme mobilité, in a real browser (issue 10): the adviser books a scooter for a
prescribed person, sees an overlapping booking refused with its French message, records the departure,
finds the late return in the morning list, records the return and prints the contract."""

import datetime
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import choose, login
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.mobility.factories import PrescriptionFactory, TariffFactory, VehicleFactory
from tremplin.accounts.enums import Role
from tremplin.mobility.enums import RentalStatus, VehicleKind
from tremplin.mobility.models import Prescription, Rental
from tremplin.people.enums import Programme
from tremplin.structures.enums import OrganizationKind

PASSWORD = "mot-de-passe-de-test"


def test_an_adviser_books_a_scooter_and_finds_the_late_return(reference_data, page):
    today = timezone.localdate()
    start, end = today - timedelta(days=20), today - timedelta(days=3)
    creativ = OrganizationFactory(name="Creativ'", kind=OrganizationKind.LEAD)
    adviser = user_with_role(Role.MOBILITY_ADVISER, organization=creativ, email="mobilite@example.org")
    france_travail = OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)
    nadia = PersonFactory(first_name="Nadia", last_name="Benali", birth_date=datetime.date(1990, 6, 12))
    yanis = PersonFactory(first_name="Yanis", last_name="Morel", birth_date=datetime.date(1985, 2, 3))
    PrescriptionFactory(person=nadia, platform=creativ, prescriber=france_travail, prescribed_on=start)
    PrescriptionFactory(person=yanis, platform=creativ, prescriber=france_travail, prescribed_on=start)
    VehicleFactory(kind=VehicleKind.SCOOTER, identifier="SCO-007", model_name="Peugeot Kisbee 50")
    TariffFactory(vehicle_kind=VehicleKind.SCOOTER, name="Solidaire", valid_from=datetime.date(2020, 1, 1))

    login(page, adviser.email, PASSWORD)
    page.get_by_role("link", name="Mobilité", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plateforme mobilité")

    def book(person_name, first, last):
        page.get_by_role("link", name="Prescriptions", exact=True).click()
        page.get_by_role("link", name=person_name).click()
        page.get_by_role("link", name="Réserver un véhicule").click()
        page.locator("#id_vehicle").select_option(label="Scooter SCO-007 (Peugeot Kisbee 50)")
        page.locator("#id_tariff").select_option(index=1)
        page.locator("#id_starts_on").fill(first.isoformat())
        page.locator("#id_ends_on").fill(last.isoformat())
        page.locator("#id_deposit_status").select_option(label="Reçue")
        page.get_by_role("button", name="Réserver").click()

    # Nadia's booking.
    book("Nadia BENALI", start, end)
    rental = Rental.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Location {rental.reference} – Réservée")

    # Yanis wants the same scooter over part of those days: refused, the booking in the way is named.
    book("Yanis MOREL", end - timedelta(days=2), end + timedelta(days=10))
    expect(page.get_by_role("alert")).to_contain_text(
        f"est déjà réservé du {start:%d/%m/%Y} au {end:%d/%m/%Y} (location {rental.reference})"
    )
    assert Rental.objects.count() == 1

    # Nadia left with it on the first day and has not brought it back: late in the morning list.
    page.goto(rental.get_absolute_url())
    page.get_by_role("link", name="Départ du véhicule").click()
    page.locator("#id_on").fill(start.isoformat())
    page.locator("#id_mileage").fill("1200")
    page.locator("#id_energy").fill("100")
    page.get_by_role("button", name="Enregistrer le départ").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "Départ du véhicule enregistré"
    )
    page.get_by_role("link", name="Retards").first.click()
    late_row = page.get_by_role("row").filter(has_text="Nadia BENALI")
    expect(late_row).to_contain_text("3 jours")

    # She brings it back today, three days late.
    late_row.get_by_role("link", name=rental.reference).click()
    page.get_by_role("link", name="Retour du véhicule").click()
    page.locator("#id_on").fill(today.isoformat())
    page.locator("#id_mileage").fill("1350")
    page.locator("#id_energy").fill("50")
    page.get_by_role("button", name="Enregistrer le retour").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Location {rental.reference} – Rendue")
    rental.refresh_from_db()
    assert (rental.status, rental.returned_on, rental.billed_days) == (RentalStatus.RETURNED, today, 21)

    # The contract prints as a PDF.
    href = page.get_by_role("link", name="Contrat de location (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_a_referent_finds_her_participant_by_typing_and_prescribes(reference_data, page):
    """The person of a prescription is typed and searched in the référente's scope (issue 9): the page lists
    nobody, the search finds her participant and not a namesake followed elsewhere."""
    irfa = OrganizationFactory(name="IRFA")
    referent = user_with_role(Role.REFERENT, organization=irfa, email="referente@example.org")
    creativ = OrganizationFactory(name="Creativ'", kind=OrganizationKind.LEAD)
    user_with_role(Role.MOBILITY_ADVISER, organization=creativ)
    nadia = PersonFactory(first_name="Nadia", last_name="Benali", birth_date=datetime.date(1990, 6, 12))
    FollowUpFactory(person=nadia, organization=irfa, programme=Programme.PLIE)
    namesake = PersonFactory(first_name="Nora", last_name="Benali")
    FollowUpFactory(person=namesake, programme=Programme.PLIE)

    login(page, referent.email, PASSWORD)
    page.goto("/mobilite/prescriptions/nouvelle/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prescrire un accompagnement mobilité")
    choose(page, "#id_person", "benali", "Nadia BENALI (12/06/1990)")
    page.locator("#id_platform").select_option(label="Creativ'")
    page.locator("#id_reason").fill("Horaires décalés à Longvic")
    page.get_by_role("button", name="Envoyer la prescription").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text("Prescription envoyée")
    assert Prescription.objects.get().person == nadia
