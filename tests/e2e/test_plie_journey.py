"""A PLIE pathway from orientation to positive exit, in a real browser (issue 3)."""

import datetime
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, SituationFactFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.people.enums import FactKind, WorkAuthorisation
from tremplin.plie.enums import PathwayStatus
from tremplin.plie.models import Pathway, add_months
from tremplin.structures.enums import OrganizationKind

PASSWORD = "mot-de-passe-de-test"


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()


def test_a_referent_leads_a_pathway_to_a_positive_exit_validated_by_the_cellule(reference_data, page):
    today = timezone.localdate()
    irfa = OrganizationFactory(name="IRFA", kind=OrganizationKind.OPERATOR)
    OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)
    referent = user_with_role(Role.REFERENT, organization=irfa, email="referente@example.org", first_name="Inès")
    coordinator = user_with_role(Role.COORDINATOR, email="coordination@example.org", first_name="Claire")
    zoe = PersonFactory(first_name="Zoé", last_name="Lefèvre", birth_date=datetime.date(1988, 3, 4))  # Dijon
    FollowUpFactory(person=zoe, organization=irfa, referent=referent, started_on=today - timedelta(days=30))
    SituationFactFactory(person=zoe, kind=FactKind.RSA, started_on=today - timedelta(days=400))
    SituationFactFactory(
        person=zoe,
        kind=FactKind.WORK_AUTHORISATION,
        value=WorkAuthorisation.NATIONAL,
        started_on=datetime.date(2006, 3, 4),
    )

    # The référente orients Zoé from her record and records her presence at the first appointment.
    login(page, referent.email, PASSWORD)
    page.goto(zoe.get_absolute_url())
    page.get_by_role("link", name="Orienter vers le PLIE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orienter Zoé LEFÈVRE vers le PLIE")
    page.locator("#id_prescriber").select_option(label="France Travail Dijon")
    page.get_by_label("Conseiller·ère prescripteur·rice").fill("Marc Garnier")
    page.locator("#id_oriented_on").fill((today - timedelta(days=7)).isoformat())
    page.locator("#id_first_appointment_on").fill(today.isoformat())
    page.get_by_label("Motif de l'orientation").fill("Au RSA depuis plus d'un an, souhaite reprendre un emploi.")
    page.get_by_role("button", name="Enregistrer l'orientation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Orientation de Zoé LEFÈVRE vers le PLIE")
    page.get_by_label("Présent·e").check()
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    expect(page.locator("#appointment-outcome")).to_contain_text("Présent·e")

    # The entry criteria, each with its reason; then the proposal to the cellule.
    page.get_by_role("link", name="Vérifier les critères et proposer l'entrée").click()
    criteria = page.get_by_role("table", name="Les quatre critères d'entrée dans le PLIE")
    expect(criteria).to_contain_text("Réside à Dijon.")
    expect(criteria).to_contain_text("Nationalité française ou européenne.")
    expect(criteria).to_contain_text("bénéficiaire du RSA")
    page.get_by_label("La personne souhaite s'inscrire dans un parcours intégré").check()
    page.get_by_role("button", name="Proposer l'entrée à la cellule").click()
    expect(page.locator("#pathway-status")).to_contain_text("Entrée proposée à la cellule")
    logout(page)

    # The coordinator validates the entry in the cellule.
    login(page, coordinator.email, PASSWORD)
    page.get_by_role("link", name="PLIE", exact=True).click()
    page.get_by_role("link", name="Cellule de suivi").click()
    expect(page.get_by_role("heading", name="Entrées proposées (1)")).to_be_visible()
    page.get_by_role("button", name="Valider l'entrée de Zoé LEFÈVRE").click()
    expect(page.get_by_role("status").filter(has_text="Entrée de Zoé LEFÈVRE validée")).to_be_visible()
    expect(page.get_by_role("heading", name="Entrées proposées (0)")).to_be_visible()
    logout(page)

    # The référente finds Zoé among her participants and records a CDI that started 7 months ago.
    login(page, referent.email, PASSWORD)
    page.get_by_role("link", name="PLIE", exact=True).click()
    page.get_by_label("Rechercher").fill("lefevre zoe")  # live filter (htmx), accents and case ignored
    expect(page.locator("#participants")).to_contain_text("1 parcours")
    page.locator("#participants").get_by_role("link", name="LEFÈVRE Zoé").click()
    expect(page.locator("#pathway-status")).to_contain_text("En parcours")
    expect(page.locator("#current-referent")).to_contain_text(referent.get_full_name())
    page.get_by_role("link", name="Ajouter un contrat").click()
    started_on = add_months(today, -7)
    page.get_by_label("Type de contrat").select_option("cdi")
    page.locator("#id_employer_name").fill("Fromagerie Gaugry")
    page.get_by_label("Poste").fill("Préparatrice")
    page.locator("#id_started_on").fill(started_on.isoformat())
    page.get_by_label("Heures hebdomadaires").fill("35")
    page.get_by_role("button", name="Enregistrer le contrat").click()

    met_on = add_months(started_on, 6) - timedelta(days=1)
    summary = page.locator("#exit-summary")
    expect(summary).to_contain_text(f"Critère rempli le {met_on:%d/%m/%Y} : CDI au terme de 6 mois de présence")
    expect(page.locator("#exit-records")).to_contain_text("CDI chez Fromagerie Gaugry")

    page.get_by_role("link", name="Proposer la sortie").click()
    page.get_by_label("Motif de sortie").select_option("positive_cdi")
    page.get_by_role("button", name="Proposer la sortie à la cellule").click()
    expect(page.locator("#pathway-status")).to_contain_text("Sortie proposée à la cellule")
    logout(page)

    # The coordinator validates the exit: Zoé has left the PLIE with a positive exit.
    login(page, coordinator.email, PASSWORD)
    page.goto("/plie/cellule/")
    expect(page.get_by_role("heading", name="Sorties proposées (1)")).to_be_visible()
    page.get_by_role("button", name="Valider la sortie de Zoé LEFÈVRE").click()
    expect(page.get_by_role("heading", name="Sorties proposées (0)")).to_be_visible()
    pathway = Pathway.objects.get(person=zoe)
    page.goto(pathway.get_absolute_url())
    expect(page.locator("#pathway-status")).to_contain_text("Sorti·e")
    expect(page.get_by_text("Sortie positive – CDI")).to_be_visible()
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.EXITED and pathway.exit_rule == "cdi"
