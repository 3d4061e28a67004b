"""The texts of the activity report: one per (year, section), written by the coordination and the direction,
printed in their section; modules add theirs through their `report_narratives` hook."""

import pytest
from django.urls import reverse

from tremplin.core.modules import Module, modules
from tremplin.reports.models import Narrative
from tremplin.reports.registry import Period
from tremplin.reports.report import NarrativeText, build_report

URL = reverse("reports:narrative", args=[2023, "plie"])


def test_the_coordination_writes_a_section_text_printed_in_that_year_only(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"text": "  Une année marquée par le nouvel appel à projets.  "})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reports:report')}?annee=2023#plie"
    narrative = Narrative.objects.get(year=2023, section="plie")
    assert narrative.text == "Une année marquée par le nouvel appel à projets."
    assert narrative.updated_by == coordinator
    assert narrative.history.first().history_user == coordinator
    content = client.get(reverse("reports:report"), {"annee": "2023"}).content.decode()
    assert "Une année marquée par le nouvel appel à projets." in content
    assert "Modifier le texte de la section 2023" in content
    assert "Une année marquée" not in client.get(reverse("reports:report"), {"annee": "2022"}).content.decode()


def test_the_direction_edits_the_text_again(client, manager):
    Narrative.objects.create(year=2023, section="plie", text="Premier jet.")
    client.force_login(manager)
    assert "Premier jet." in client.get(URL).content.decode()
    client.post(URL, {"text": "Version relue."})
    assert Narrative.objects.get(year=2023, section="plie").text == "Version relue."


@pytest.mark.parametrize("persona", ["alice", "funder"])
def test_other_roles_do_not_find_the_form(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"text": "x"}).status_code == 404
    assert not Narrative.objects.exists()


def test_an_unknown_section_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("reports:narrative", args=[2023, "inconnue"])).status_code == 404


def test_a_module_adds_its_texts_beside_its_figures_through_its_hook():
    def fiche_action(*, period, user):
        return {"PLIE": [("Fiche action : accompagnement renforcé", f"Objectifs {period.start.year}.")]}

    modules.register(Module(name="zzhook", label="Essai", extra={"report_narratives": fiche_action}))
    try:
        report = build_report(period=Period.year(2023), user=None, today=Period.year(2024).end)
    finally:
        modules._modules.pop("zzhook")
    plie = next(section for section in report.sections if section.title == "PLIE")
    assert plie.narratives == [NarrativeText("Fiche action : accompagnement renforcé", "Objectifs 2023.")]
