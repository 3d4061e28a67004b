"""Companies, offers and events in a real browser (issue 11): a chargée de projet creates an offer, ranks the
candidates, proposes two, records one hire and finds it in the figures; then she registers people to a
100 Chances SAS, the 13th is refused, and she records the committee's decisions."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.companies.factories import JobSearchProfileFactory, rome
from tests.e2e.conftest import choose, login
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.companies.enums import ProposalOutcome
from tremplin.companies.models import Event, Hire, Proposal, Registration
from tremplin.people.enums import Programme
from tremplin.structures.enums import OrganizationKind
from tremplin.territory.models import Commune

PASSWORD = "mot-de-passe-de-test"


def test_an_offer_from_ranking_to_hire_and_a_sas_of_twelve(reference_data, page):
    today = timezone.localdate()
    lead = OrganizationFactory(name="Creativ'", kind=OrganizationKind.LEAD)
    officer = user_with_role(Role.PROJECT_OFFICER, organization=lead, email="chargee@example.org", first_name="Chloé")
    OrganizationFactory(name="Propreté Bourguignonne", company=True)
    dijon = Commune.objects.get(insee_code="21231")
    # Three job seekers followed by her structure; Nadia and Karim look for cleaning jobs.
    for first_name, code in (("Nadia", "K2204"), ("Karim", "K2202"), ("Lucie", "F1703")):
        person = PersonFactory(first_name=first_name, last_name="Martin", commune=dijon)
        FollowUpFactory(person=person, organization=lead, programme=Programme.CITE, started_on=today)
        JobSearchProfileFactory(person=person, rome_1=rome(code), has_licence=True, available_from=today)

    login(page, officer.email, PASSWORD)
    page.get_by_role("link", name="Entreprises et offres").first.click()
    page.get_by_role("link", name="Offres", exact=True).click()
    page.get_by_role("link", name="Nouvelle offre").click()
    choose(page, "#id_company", "proprete", "Propreté Bourguignonne")
    page.locator("#id_title").fill("Agent·e de propreté")
    page.locator("#id_rome").select_option("K2204")
    page.locator("#id_contract_type").select_option("cdd")
    page.locator("#id_weekly_hours").fill("24")
    page.locator("#id_qualification").select_option("unqualified")
    page.locator("#id_commune").select_option(str(dijon.pk))
    page.locator("#id_posts").fill("1")
    page.locator("#id_starts_on").fill(today.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agent·e de propreté")

    # The ranking, explained; she proposes Nadia and Karim.
    page.get_by_role("link", name="Classer les candidat·es").click()
    rows = page.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Nadia MARTIN")
    expect(rows.nth(0)).to_contain_text("même code ROME K2204 (+40)")
    expect(rows.nth(1)).to_contain_text("Karim MARTIN")
    expect(rows.nth(1)).to_contain_text("même groupe de métiers (K22) (+25)")
    page.get_by_role("button", name="Proposer Nadia MARTIN").click()
    expect(page.get_by_role("status")).to_contain_text("Nadia MARTIN est proposé·e à Propreté Bourguignonne")
    page.get_by_role("button", name="Proposer Karim MARTIN").click()
    expect(page.locator("tbody tr").nth(1)).to_contain_text("Déjà proposé·e")
    assert Proposal.objects.count() == 2

    # Nadia is hired.
    page.get_by_role("link", name="Agent·e de propreté").click()
    page.get_by_role("link", name="Enregistrer la suite pour Nadia MARTIN").click()
    page.locator("#id_outcome").select_option(ProposalOutcome.HIRED.value)
    page.locator("#id_started_on").fill(today.isoformat())
    page.locator("#id_contract_type").select_option("cdd")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".badge")).to_have_text("Pourvue par nos soins")
    assert Hire.objects.get().person.first_name == "Nadia"

    # The hire is in the figures of the year.
    page.goto(f"/indicateurs/?year={today.year}")
    row = page.locator("tr", has=page.locator("code", has_text=re.compile(r"^companies\.hires$")))
    expect(row.locator(".figure-value")).to_have_text("1")

    # A 100 Chances SAS: twelve places.
    for i in range(13):
        person = PersonFactory(first_name=f"Candidat{i:02d}", last_name="Sas", commune=dijon)
        FollowUpFactory(person=person, organization=lead, programme=Programme.CITE, started_on=today)
    page.goto("/entreprises/evenements/")
    page.get_by_role("link", name="Nouvel événement").click()
    page.locator("#id_kind").select_option("sas")
    page.locator("#id_title").fill("SAS de printemps")
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_ends_on").fill(today.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SAS de printemps")
    for i in range(13):
        page.locator("#id_q").fill("Sas")
        page.get_by_role("button", name="Chercher").click()
        page.get_by_role("button", name=re.compile(r"^Inscrire ")).first.click()
        if i < 12:
            expect(page.get_by_role("status")).to_contain_text("est inscrit·e")
    expect(page.get_by_role("alert")).to_contain_text("un SAS 100 Chances accueille au plus 12 personnes")
    assert Registration.objects.count() == 12

    # The committee's decisions.
    page.goto(Event.objects.get(title="SAS de printemps").get_absolute_url())
    page.get_by_label("Décision pour Candidat00 SAS").select_option("immediate")
    page.get_by_role("button", name="Décider pour Candidat00 SAS").click()
    expect(page.get_by_role("status")).to_contain_text("Décision du comité enregistrée pour Candidat00 SAS")
    page.get_by_label("Décision pour Candidat01 SAS").select_option("refused")
    page.get_by_role("button", name="Décider pour Candidat01 SAS").click()
    expect(page.locator("main")).to_contain_text("Entrée immédiate : 1")
    expect(page.locator("main")).to_contain_text("Refus du comité : 1")
