"""At phone width (390 px) wide tables scroll inside their own frame, the page itself never widens (issue 9,
"Pages that fit the work"): the pathway's "Pourquoi", the PLIE workspace, the hours, and every list."""

import datetime
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.clauses.factories import CandidateFactory, HoursRecordFactory, hours_world
from tests.e2e.conftest import login
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory
from tests.plie.factories import ContractFactory, OrientationFactory, PathwayFactory
from tremplin.clauses.enums import CandidateStatus
from tremplin.people.enums import Programme

PASSWORD = "mot-de-passe-de-test"
PHONE = {"width": 390, "height": 844}


def test_pages_with_wide_tables_fit_a_phone(reference_data, browser, live_server):
    today = timezone.localdate()
    world = hours_world()
    coordinator = world["coordinator"]
    for month in range(1, 9):
        HoursRecordFactory(placement=world.placement, month=datetime.date(2024, month, 1))
    operator = OrganizationFactory(name="Association pour l'insertion professionnelle et sociale de l'agglomération")
    pathways = []
    for n in range(3):
        person = PersonFactory(first_name="Marie-Christine", last_name=f"Delacroix-Vanhoutteghem{n}")
        FollowUpFactory(
            person=person, organization=operator, programme=Programme.PLIE, started_on=today - timedelta(300)
        )
        pathway = PathwayFactory(person=person, proposed_organization=operator, entry_date=today - timedelta(days=300))
        ContractFactory(
            pathway=pathway,
            employer_name="Société coopérative d'intérêt collectif des métiers du bâtiment durable",
            started_on=today - timedelta(days=250),
        )
        CandidateFactory(person=person, status=CandidateStatus.REFERRED if n == 0 else CandidateStatus.VALIDATED)
        OrientationFactory(person=person, oriented_on=today - timedelta(days=320))
        pathways.append(pathway)

    urls = [
        reverse("plie:workspace"),
        pathways[0].get_absolute_url(),
        reverse("plie:orientation_list"),
        reverse("clauses:hours_placements") + "?toutes=1",
        reverse("clauses:placement_hours", kwargs={"placement_id": world.placement.pk}),
        reverse("clauses:operation_list"),
        reverse("clauses:operation_detail", kwargs={"operation_id": world.operation.pk}),
        reverse("clauses:lot_detail", kwargs={"lot_id": world.lot.pk}),
        reverse("clauses:candidate_list"),
        reverse("clauses:pool"),
        reverse("people:list"),
        pathways[0].person.get_absolute_url(),
        reverse("structures:list"),
        reverse("structures:detail", kwargs={"pk": operator.pk}),
        "/",
    ]
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        login(page, coordinator.email, PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        too_wide = {}
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            assert page.locator("table").count() > 0 or url == "/", f"no table on {url}"
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[url] = width
        assert too_wide == {}
    finally:
        context.close()
