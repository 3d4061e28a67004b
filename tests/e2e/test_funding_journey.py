"""A call for projects from publication to the refused third renewal, in a real browser (issue 12): the
coordination publishes a call, an operator answers before the deadline and downloads its deposit receipt,
the committee accepts the answer, the convention is created with its first avenant, renewed twice, and
a third renewal is refused."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import OrganizationFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.funding.models import Answer, Convention

PASSWORD = "mot-de-passe-de-test"


def logout(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()


def test_from_the_call_to_the_refused_third_renewal(reference_data, page):
    today = timezone.localdate()
    coordinator = user_with_role(Role.COORDINATOR, email="coordination@example.org", first_name="Claire")
    irfa = OrganizationFactory(name="IRFA")
    referent = user_with_role(Role.REFERENT, organization=irfa, email="referente.irfa@example.org")

    # The coordination creates the call, its action and its grid, then publishes it.
    login(page, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Programmation").first.click()
    page.get_by_role("link", name="Appels à projets").first.click()
    page.get_by_role("link", name="Nouvel appel à projets").click()
    page.locator("#id_title").fill("Appel à projets PLIE")
    page.locator("#id_year").fill(str(today.year + 1))
    page.locator("#id_deadline_day").fill((today + timedelta(days=10)).isoformat())
    page.locator("#id_committee_on").fill((today + timedelta(days=15)).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appel à projets PLIE")
    page.get_by_role("link", name="Ajouter une action").click()
    page.locator("#id_title").fill("Accompagnement des participants des clauses BTP")
    page.locator("#id_people_target").fill("90")
    page.locator("#id_positive_exit_target").fill("25")
    page.locator("#id_plie_ceiling").fill("21201")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Ajouter un critère à la grille").click()
    page.locator("#id_label").fill("Méthode")
    page.locator("#id_max_points").fill("20")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Publier l'appel à projets").click()
    expect(page.get_by_text("Appel à projets publié")).to_be_visible()
    call_url = page.url
    logout(page)

    # The operator answers before the deadline and downloads its receipt.
    login(page, referent.email, PASSWORD)
    page.goto(call_url)
    page.get_by_role("link", name="Répondre à l'appel à projets").click()
    page.locator("#id_action").select_option(label="Accompagnement des participants des clauses BTP")
    page.locator("#id_summary").fill("Modules métiers du BTP, mise en relation, suivi de chantier.")
    page.locator("#id_people_planned").fill("90")
    page.locator("#id_positive_exit_planned").fill("25")
    page.locator("#id_amount_plie").fill("21000")
    page.locator("#id_amount_fse").fill("12000")
    page.locator("#id_total_budget").fill("40000")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Déposer la réponse").click()
    expect(page.get_by_text("Réponse déposée le")).to_be_visible()
    answer = Answer.objects.get()
    assert answer.submitted_at is not None
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'attestation de dépôt (PDF)").click()
    assert download.value.suggested_filename == f"attestation-depot-{answer.receipt_number.lower()}.pdf"
    with open(download.value.path(), "rb") as receipt:
        assert receipt.read(5) == b"%PDF-"
    logout(page)

    # The coordination scores the answer; the committee accepts it; the convention and its first avenant.
    login(page, coordinator.email, PASSWORD)
    page.goto(answer.get_absolute_url())
    page.get_by_role("link", name="Noter").click()
    page.get_by_label("Méthode (sur 20)").fill("16")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Décision du comité de pilotage").click()
    page.locator("#id_outcome").select_option("accepted")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Retenue")).to_be_visible()
    page.get_by_role("link", name="Créer la convention").click()
    page.locator("#id_number").fill("PLIE-01")
    page.locator("#id_starts_on").fill(today.replace(month=1, day=1).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Convention PLIE-01")
    page.get_by_role("link", name="Ajouter un avenant").click()
    page.locator("#id_purpose").fill("Prolongation de deux mois")
    page.locator("#id_committee_validated_on").fill(today.isoformat())
    page.locator("#id_new_ends_on").fill(today.replace(year=today.year + 1, month=2, day=28).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Avenant n° 1")).to_be_visible()

    # Two renewals, then the third is refused.
    for number in ("PLIE-02", "PLIE-03"):
        page.get_by_role("link", name="Renouveler").click()
        page.locator("#id_number").fill(number)
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Convention {number}")
    page.get_by_role("link", name="Renouveler").click()
    page.locator("#id_number").fill("PLIE-04")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-danger")).first).to_contain_text(
        "ne peut pas être renouvelée plus de 2 fois"
    )
    assert Convention.objects.count() == 3
