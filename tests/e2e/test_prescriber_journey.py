"""A prescriber orients someone to the PLIE and the cellule receives it, in a real browser (issue 9, item 1)."""

import datetime

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.people.enums import Programme
from tremplin.plie.models import Orientation
from tremplin.structures.enums import OrganizationKind

PASSWORD = "mot-de-passe-de-test"


def test_a_prescriber_orients_and_the_cellule_receives(reference_data, page):
    OrganizationFactory(name="Créativ'", kind=OrganizationKind.LEAD)
    france_travail = OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)
    prescriber = user_with_role(
        Role.PRESCRIBER, organization=france_travail, email="prescripteur@example.org", first_name="Marc"
    )
    coordinator = user_with_role(Role.COORDINATOR, email="coordination@example.org", first_name="Claire")
    # Someone the prescriber cannot see has the phone number typed: nothing of her may show.
    hidden = PersonFactory(
        first_name="Lou", last_name="Cachée", phone="0655443322", birth_date=datetime.date(1990, 1, 1)
    )
    FollowUpFactory(person=hidden, programme=Programme.PLIE)

    login(page, prescriber.email, PASSWORD)
    page.goto("/personnes/nouvelle/")
    page.get_by_role("link", name="Vers le PLIE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer une orientation vers le PLIE")
    page.get_by_label("Nom d'usage").fill("Morel")
    page.get_by_label("Prénom").fill("Yanis")
    page.get_by_label("Homme").check()
    page.get_by_label("Date de naissance").fill("1995-04-02")
    page.get_by_label("Téléphone").fill("06 55 44 33 22")
    page.get_by_label("Commune de résidence").fill("Dijon (21231)")
    page.get_by_label("Motif de l'orientation").fill("Demandeur d'emploi depuis 18 mois.")
    page.get_by_role("button", name="Envoyer l'orientation au PLIE").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Orientation de Yanis MOREL vers le PLIE")
    expect(page.locator("main")).not_to_contain_text("Cachée")
    orientation = Orientation.objects.get()
    assert orientation.person != hidden and orientation.prescriber == france_travail

    page.get_by_role("button", name="Se déconnecter").click()
    login(page, coordinator.email, PASSWORD)
    page.goto("/plie/orientations/")
    row = page.get_by_role("link", name="MOREL Yanis")
    expect(row).to_be_visible()
    row.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orientation de Yanis MOREL vers le PLIE")
    expect(page.locator("main")).to_contain_text("France Travail Dijon")
