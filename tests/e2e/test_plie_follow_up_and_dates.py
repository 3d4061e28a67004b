"""Two blocking items of issue 9 walked in a real browser: the référente records a due FSE+ 6-month
follow-up from her "À traiter" list; the cellule cannot validate an entry dated in the future."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.people.enums import Programme
from tremplin.plie.enums import FseMoment, PathwayStatus
from tremplin.plie.models import FseQuestionnaire, add_months

PASSWORD = "mot-de-passe-de-test"


def test_a_referent_records_a_due_six_month_follow_up(reference_data, page):
    today = timezone.localdate()
    irfa = OrganizationFactory(name="IRFA")
    referent = user_with_role(Role.REFERENT, organization=irfa, email="referente@example.org", first_name="Inès")
    person = PersonFactory(first_name="Yanis", last_name="Morel")
    exit_date = add_months(today, -6) + timedelta(days=5)  # due in 5 days: inside the collection window
    FollowUpFactory(
        person=person,
        organization=irfa,
        programme=Programme.PLIE,
        referent=referent,
        started_on=exit_date - timedelta(days=300),
        ended_on=exit_date,
    )
    pathway = PathwayFactory(
        person=person,
        proposed_organization=irfa,
        proposed_referent=referent,
        entry_proposed_by=referent,
        entry_proposed_on=exit_date - timedelta(days=310),
        entry_date=exit_date - timedelta(days=300),
        status=PathwayStatus.EXITED,
        exit_date=exit_date,
        exit_kind="moved",
    )

    login(page, referent.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="PLIE", exact=True).click()
    todo = page.get_by_role("region", name="Suivi FSE+ à 6 mois après la sortie, à recueillir maintenant (1)")
    expect(todo).to_contain_text(f"Sortie le {exit_date:%d/%m/%Y}")
    todo.get_by_role("link", name="Yanis MOREL").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Yanis MOREL")
    page.get_by_role("link", name="Recueillir le questionnaire 6 mois après la sortie").click()
    page.get_by_role("group", name="En emploi, y compris indépendant·e").get_by_label("Oui").check()
    page.get_by_role("group", name="Situation sur le marché du travail améliorée").get_by_label("Oui").check()
    page.get_by_role("button", name="Enregistrer le questionnaire").click()

    expect(
        page.get_by_role("status").filter(has_text="Questionnaire FSE+ (6 mois après la sortie) enregistré")
    ).to_be_visible()
    fse_table = page.get_by_role("table", name="Les trois recueils FSE+ de la participation")
    expect(fse_table).to_contain_text(f"Recueilli le {today:%d/%m/%Y} par Inès")
    questionnaire = FseQuestionnaire.objects.get(pathway=pathway)
    assert questionnaire.moment == FseMoment.SIX_MONTHS and questionnaire.collected_by == referent

    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="PLIE", exact=True).click()
    todo = page.get_by_role("region", name="Suivi FSE+ à 6 mois après la sortie, à recueillir maintenant (0)")
    expect(todo).to_contain_text("Rien à signaler.")
    expect(todo).not_to_contain_text("MOREL")


def test_the_cellule_cannot_validate_an_entry_in_the_future(reference_data, page):
    today = timezone.localdate()
    irfa = OrganizationFactory(name="IRFA")
    referent = user_with_role(Role.REFERENT, organization=irfa)
    coordinator = user_with_role(Role.COORDINATOR, email="coordination@example.org")
    pathway = PathwayFactory(
        proposed=True,
        person=PersonFactory(first_name="Léa", last_name="Roux"),
        proposed_organization=irfa,
        proposed_referent=referent,
        entry_proposed_by=referent,
        entry_proposed_on=today - timedelta(days=1),
    )
    future = today + timedelta(days=14)

    login(page, coordinator.email, PASSWORD)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="PLIE", exact=True).click()
    page.get_by_role("link", name="Cellule de suivi").click()
    entry = page.get_by_role("article", name="Léa ROUX")
    entry.locator(f"#id_entry-{pathway.pk}-entry_date").fill(future.isoformat())
    entry.get_by_role("button", name="Valider l'entrée de Léa ROUX").click()

    date_input = page.locator(f"#id_entry-{pathway.pk}-entry_date")
    expect(date_input).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#id_entry-{pathway.pk}-entry_date-errors")
    expect(error).to_contain_text("La date d'entrée ne peut pas être dans le futur")
    expect(error).to_contain_text(f"nous sommes le {today:%d/%m/%Y}")
    expect(page.get_by_role("heading", name="Entrées proposées (1)")).to_be_visible()
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ENTRY_PROPOSED and pathway.entry_date is None
