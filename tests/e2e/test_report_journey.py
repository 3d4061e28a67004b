"""The activity report in a real browser (issue 13): the direction opens the report from its home page, reads
a key figure beside the previous year's, clicks it and reaches the records behind it."""

import datetime
import re

from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import PersonFactory, user_with_role
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role

PASSWORD = "mot-de-passe-de-test"


def test_the_direction_opens_the_report_and_traces_a_figure_to_its_records(reference_data, page):
    manager = user_with_role(Role.MANAGER, email="direction@example.org")
    manager.set_password(PASSWORD)
    manager.save()
    PathwayFactory(person=PersonFactory(first_name="Nadia", last_name="Benali"), entry_date=datetime.date(2022, 4, 1))
    PathwayFactory(person=PersonFactory(first_name="Karim", last_name="Haddad"), entry_date=datetime.date(2023, 3, 6))
    PathwayFactory(person=PersonFactory(first_name="Léa", last_name="Morel"), entry_date=datetime.date(2023, 11, 20))

    login(page, "direction@example.org", PASSWORD)
    page.get_by_role("link", name="Voir les indicateurs et le rapport d'activité").click()
    page.get_by_label("Année", exact=True).fill("2023")
    page.get_by_role("button", name="Calculer").click()
    expect(page.get_by_role("heading", name="Rapport d'activité – année 2023")).to_be_visible()

    page.get_by_role("navigation", name="Sections du rapport").get_by_role("link", name="PLIE", exact=True).click()
    section = page.locator("section#plie")
    card = section.locator(".report-figure").filter(has_text="Nouveaux entrants dans le PLIE")
    expect(card).to_contain_text("Année 2022 : 1")
    expect(card).to_contain_text("+100,0 %")
    card.get_by_role("link", name="Nouveaux entrants dans le PLIE : détail et enregistrements").click()

    expect(page.get_by_role("heading", name="Nouveaux entrants dans le PLIE")).to_be_visible()
    expect(page.get_by_role("heading", name="Enregistrements derrière ce chiffre")).to_be_visible()
    records = page.get_by_role("table", name="Enregistrements de Nouveaux entrants dans le PLIE")
    expect(records).to_contain_text("Karim HADDAD")
    expect(records).to_contain_text("Léa MOREL")
    expect(records).not_to_contain_text("Nadia")
    records.get_by_role("link", name="Karim HADDAD").click()
    expect(page).to_have_url(re.compile(r"/personnes/"))


def test_the_direction_prepares_the_report_as_a_file_and_downloads_it(reference_data, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    manager = user_with_role(Role.MANAGER, email="direction@example.org")
    manager.set_password(PASSWORD)
    manager.save()
    PathwayFactory(entry_date=datetime.date(2023, 3, 6))

    login(page, "direction@example.org", PASSWORD)
    page.goto("/indicateurs/rapport/?annee=2023")
    # The development and test settings run the job within the request: its page shows it done.
    page.get_by_role("button", name="Préparer le tableur (XLSX, une feuille par dispositif)").click()
    expect(page.get_by_role("heading", name="Rapport d'activité (XLSX), année 2023")).to_be_visible()
    expect(page.locator("#job-status")).to_contain_text("Terminé le")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger tremplin-rapport-20230101-20231231.xlsx").click()
    assert download.value.suggested_filename == "tremplin-rapport-20230101-20231231.xlsx"
