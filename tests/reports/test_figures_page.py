"""The "Indicateurs" page and its XLSX export."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import OrganizationFactory, PersonFactory, SituationFactFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.core.exports import XLSX_MIME
from tremplin.people.enums import Sex
from tremplin.reports.registry import registry

URL = reverse("reports:figures")


@pytest.fixture
def company_user():
    return user_with_role(Role.COMPANY, organization=OrganizationFactory(company=True))


@pytest.fixture
def population():
    """End of 2023: 6 women and 1 man, 1 of them in Fontaine d'Ouche."""
    people = [PersonFactory(sex=Sex.WOMAN, registered_on=datetime.date(2023, 3, 1)) for _ in range(6)]
    PersonFactory(sex=Sex.MAN, registered_on=datetime.date(2023, 3, 1))
    SituationFactFactory(person=people[0], in_qpv=True, started_on=datetime.date(2022, 1, 1))


def _results(response):
    return {result.indicator.id: result for results in response.context["areas"].values() for result in results}


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_coordinator_sees_every_indicator_for_last_year_by_default(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    last_year = timezone.localdate().year - 1
    period = response.context["period"]
    assert (period.start, period.end) == (datetime.date(last_year, 1, 1), datetime.date(last_year, 12, 31))
    content = response.content.decode()
    assert f"Indicateurs – année {last_year}" in content
    for indicator in registry:
        assert indicator.label in content
        assert indicator.id in content
    assert "Registre des personnes" in content
    assert "effectifs inférieurs au seuil" not in content


def test_coordinator_chooses_a_year(client, coordinator, population):
    client.force_login(coordinator)
    response = client.get(URL, {"year": "2023"})
    assert response.status_code == 200
    assert "Indicateurs – année 2023" in response.content.decode()
    results = _results(response)
    assert results["people.count"].figure.value == 7
    assert results["people.count"].figure.breakdown["Homme"] == 1
    assert results["people.qpv_share"].figure.value == 0.1429
    content = response.content.decode()
    assert "14,3 %" in content
    assert "Homme : 1" in content


def test_coordinator_chooses_a_free_period(client, coordinator, population):
    client.force_login(coordinator)
    response = client.get(URL, {"start": "2023-01-01", "end": "2023-02-28"})
    assert response.status_code == 200
    assert "Indicateurs – du 01/01/2023 au 28/02/2023" in response.content.decode()
    results = _results(response)
    assert results["people.count"].figure.value == 0
    assert results["people.qpv_share"].figure.value is None
    # Nobody was registered before 1 March 2023: no data, not 0 (registry.partial_data).
    assert "données partielles" in response.content.decode()
    assert "données enregistrées à partir du 01/03/2023" in response.content.decode()


def test_xlsx_export(client, coordinator, population):
    client.force_login(coordinator)
    response = client.get(URL, {"year": "2023", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    assert 'filename="tremplin-indicateurs-20230101-20231231.xlsx"' in response["Content-Disposition"]
    rows = _xlsx_rows(response)
    assert rows[0][0] == "Tremplin – indicateurs, année 2023"
    assert coordinator.email in rows[1][0]
    cells = [cell for row in rows for cell in row]
    assert "people.count" in cells
    assert "people.qpv_share" in cells
    by_key = {(row[0], row[2]): row for row in rows if row and row[0] in {i.id for i in registry}}
    assert by_key[("people.count", None)][3] == 7
    assert by_key[("people.count", "Homme")][3] == 1


def test_xlsx_export_without_period_uses_last_year(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"format": "xlsx"})
    assert response["Content-Type"] == XLSX_MIME
    assert "people.count" in [row[0] for row in _xlsx_rows(response)]


def test_funder_sees_aggregates_with_small_cells_hidden(client, funder, population):
    client.force_login(funder)
    response = client.get(URL, {"year": "2023"})
    assert response.status_code == 200
    assert response.context["aggregates_only"] is True
    content = response.content.decode()
    assert "effectifs inférieurs au seuil de confidentialité sont masqués" in content
    results = _results(response)
    assert results["people.count"].figure.value == 7
    # 1 man is masked; 7 − 6 would give him back: the 6 women are masked too.
    assert results["people.count"].figure.breakdown == {"Femme": None, "Homme": None, "Non binaire": 0}
    assert "Homme : <em>masqué</em>" in content and "Femme : <em>masqué</em>" in content


def test_funder_xlsx_marks_hidden_cells(client, funder, population):
    client.force_login(funder)
    response = client.get(URL, {"year": "2023", "format": "xlsx"})
    assert response["Content-Type"] == XLSX_MIME
    by_key = {(row[0], row[2]): row for row in _xlsx_rows(response) if row and row[0] == "people.count"}
    assert by_key[("people.count", "Homme")][3] == "masqué (secret statistique)"
    assert by_key[("people.count", "Femme")][3] == "masqué (secret statistique)"
    assert by_key[("people.count", None)][3] == 7


def test_referent_sees_figures_of_her_scope(client, alice, person, population):
    client.force_login(alice)
    response = client.get(URL, {"year": "2023"})
    assert response.status_code == 200
    assert _results(response)["people.count"].figure.value == 1


@pytest.mark.parametrize("persona", ["buyer", "company_user"])
def test_buyer_and_company_get_404(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"format": "xlsx"}).status_code == 404


def test_user_without_role_gets_404(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404


def test_anonymous_is_redirected_to_login(client):
    response = client.get(URL, {"format": "xlsx"})
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('accounts:login')}?next=")


def test_period_ending_before_it_starts_shows_a_french_error(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"start": "2023-06-30", "end": "2023-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["La date de fin doit suivre la date de début."]
    content = response.content.decode()
    assert "La date de fin doit suivre la date de début." in content
    assert "Le formulaire contient des erreurs" in content


def test_invalid_period_is_not_exported(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"start": "2023-06-30", "end": "2023-03-01", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "La date de fin doit suivre la date de début." in response.content.decode()


def test_half_a_period_shows_a_french_error(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"start": "2023-01-01"})
    assert response.status_code == 200
    assert "Indiquez les deux dates de la période" in response.content.decode()


def test_free_period_wins_over_the_year(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"year": "2021", "start": "2023-03-01", "end": "2023-06-30"})
    period = response.context["period"]
    assert (period.start, period.end) == (datetime.date(2023, 3, 1), datetime.date(2023, 6, 30))
