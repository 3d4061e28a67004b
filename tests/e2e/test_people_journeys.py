import datetime

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, commune, user_with_role
from tremplin.accounts.enums import Role
from tremplin.people.models import Person, PersonAccess

PASSWORD = "mot-de-passe-de-test"


def test_referent_logs_in_searches_a_person_and_opens_the_record(reference_data, page):
    irfa = OrganizationFactory(name="IRFA")
    referent = user_with_role(Role.REFERENT, organization=irfa, email="referente@example.org", first_name="Inès")
    zoe = PersonFactory(first_name="Zoé", last_name="Lefèvre", birth_date=datetime.date(1988, 3, 4))
    FollowUpFactory(person=zoe, organization=irfa)
    # Someone followed elsewhere, with the same family name: must never show up.
    other = PersonFactory(first_name="Paul", last_name="Lefèvre")
    FollowUpFactory(person=other, organization=OrganizationFactory(name="CESAM"))

    login(page, referent.email, PASSWORD)
    expect(page.get_by_role("heading", name="Bonjour Inès")).to_be_visible()

    page.get_by_role("link", name="Personnes", exact=True).click()
    page.get_by_label("Rechercher une personne").fill("lefevre")  # no accent, lower case: live search
    result = page.locator("#results").get_by_role("link", name="LEFÈVRE Zoé")
    expect(result).to_be_visible()
    expect(page.locator("#results")).not_to_contain_text("Paul")

    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoé LEFÈVRE")
    expect(page.get_by_text("04/03/1988")).to_be_visible()
    assert PersonAccess.objects.filter(person=zoe, user=referent, action="view").exists()


def test_coordinator_is_warned_of_a_likely_duplicate_before_creating(reference_data, page):
    coordinator = user_with_role(Role.COORDINATOR, email="coordination@example.org", first_name="Claire")
    PersonFactory(
        first_name="Jean-Pierre", last_name="Dupré", birth_date=datetime.date(1975, 11, 2), commune=commune()
    )

    login(page, coordinator.email, PASSWORD)
    page.goto("/personnes/nouvelle/")
    page.get_by_label("Nom d'usage").fill("DUPRE")
    page.get_by_label("Prénom").fill("jean pierre")
    page.get_by_label("Homme").check()
    page.get_by_label("Date de naissance").fill("1975-11-02")
    page.get_by_label("Téléphone").fill("06 11 22 33 44")
    page.get_by_label("Commune de résidence").fill("Dijon (21231)")
    page.get_by_role("button", name="Enregistrer").click()

    warning = page.locator("#duplicates")
    expect(warning).to_contain_text("Cette personne est peut-être déjà inscrite")
    expect(warning).to_contain_text("même nom, même prénom et même date de naissance")
    assert Person.objects.count() == 1

    page.get_by_label("J'ai vérifié : il s'agit d'une autre personne").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("jean pierre DUPRE")
    assert Person.objects.count() == 2
