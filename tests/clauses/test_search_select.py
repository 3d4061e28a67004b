"""Choice lists that grow with the data (254 lots, 185 employers) are searchable fields: the placement form's
lot and employer are typed, the server answers at most 20 matches from exactly the form's own choices
(issue 9, "Choice lists that grow with the data")."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.clauses.factories import LotFactory, MarketFactory, OperationFactory
from tests.factories import OrganizationFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses.forms import LotForm, PlacementForm
from tremplin.core.widgets import LIMIT, matching
from tremplin.structures.enums import OrganizationKind

TODAY = timezone.localdate()
NEXT_YEAR = TODAY + timedelta(days=365)


def options(response) -> dict[str, str]:
    return dict(re.findall(r'<option value="(\d+)">([^<]*)</option>', response.content.decode()))


def search(client, kind, text):
    field = {"search_lots": "lot", "search_employers": "employer"}[kind]
    return client.get(reverse(f"clauses:{kind}"), {"champ": field, field: text})


@pytest.fixture
def lots():
    school = OperationFactory(name="École Champollion", ended_on=NEXT_YEAR)
    running = [
        LotFactory(market=MarketFactory(operation=school), name=name, ended_on=NEXT_YEAR)
        for name in ("Gros œuvre", "Peinture", "Électricité")
    ]
    ended = LotFactory(market=MarketFactory(operation=school), name="Gros œuvre ancien", ended_on=TODAY - timedelta(1))
    return running, ended


def test_matching_ignores_accents_case_and_word_order():
    rows = [(1, "École Champollion – 1 Gros œuvre"), (2, "Piscine – 2 Peinture"), (3, "ÉCOLE Jaurès – 3 Peinture")]
    assert matching(rows, "peinture ecole") == [("3", "ÉCOLE Jaurès – 3 Peinture")]
    assert matching(rows, "gros oeuvre") == [("1", "École Champollion – 1 Gros œuvre")]
    assert len(matching([(n, f"Lot {n}") for n in range(100)], "lot")) == LIMIT


def test_the_lot_search_offers_exactly_the_form_s_lots(client, lots):
    running, ended = lots
    facilitator = user_with_role(Role.FACILITATOR)
    client.force_login(facilitator)
    found = options(search(client, "search_lots", ""))
    form_lots = {str(lot.pk) for lot in PlacementForm(user=facilitator).fields["lot"].queryset}
    assert set(found) == form_lots == {str(lot.pk) for lot in running}
    assert str(ended.pk) not in found
    assert list(options(search(client, "search_lots", "gros OEUVRE")).values()) == [
        f"École Champollion – {running[0]}"
    ]


def test_the_employer_search_offers_only_active_companies_and_siae(client):
    OrganizationFactory(name="Bâti Dijon", company=True)
    siae = OrganizationFactory(name="Bâtir Ensemble", siae=True)
    OrganizationFactory(name="Bâtisseurs fermés", company=True, is_active=False)
    OrganizationFactory(name="Bâtiment France Travail", kind=OrganizationKind.PRESCRIBER)
    facilitator = user_with_role(Role.FACILITATOR)
    client.force_login(facilitator)
    found = options(search(client, "search_employers", "bati"))
    assert sorted(found.values()) == ["Bâti Dijon", "Bâtir Ensemble"]
    assert set(options(search(client, "search_employers", ""))) == {
        str(pk) for pk in PlacementForm(user=facilitator).fields["employer"].queryset.values_list("pk", flat=True)
    }
    assert options(search(client, "search_employers", "ensemble")) == {str(siae.pk): "Bâtir Ensemble"}


def test_only_the_clauses_team_searches(client, lots):
    client.force_login(user_with_role(Role.BUYER))
    assert search(client, "search_lots", "gros").status_code == 403
    client.force_login(user_with_role(Role.MOBILITY_ADVISER))
    assert search(client, "search_lots", "gros").status_code == 404
    assert search(client, "search_employers", "bati").status_code == 404


def test_the_form_renders_a_searchable_input_with_its_choices_as_a_datalist(lots):
    running, _ = lots
    form = PlacementForm(user=user_with_role(Role.COORDINATOR))
    html = str(form["lot"])
    assert "<select" not in html
    assert 'list="id_lot-options"' in html and f'hx-get="{reverse("clauses:search_lots")}?champ=lot"' in html
    assert f'<option value="{running[0].pk}">École Champollion – {running[0]}</option>' in html


def test_the_form_takes_the_typed_id_and_refuses_one_outside_its_choices(lots):
    running, ended = lots
    employer = OrganizationFactory(company=True)
    data = {"mode": "direct_hire", "employer": employer.pk, "contract": "cdd", "started_on": TODAY.isoformat()}
    coordinator = user_with_role(Role.COORDINATOR)
    assert PlacementForm({**data, "lot": running[0].pk}, user=coordinator).is_valid()
    form = PlacementForm({**data, "lot": ended.pk}, user=coordinator)
    assert not form.is_valid()
    assert form.errors["lot"] == ["Choisissez un lot dans la liste proposée."]


def test_the_lot_s_attributaire_is_searched_among_the_same_companies():
    company = OrganizationFactory(name="Bâti Dijon", company=True)
    OrganizationFactory(name="Bâtisseurs fermés", company=True, is_active=False)
    html = str(LotForm()["attributaire"])
    assert "<select" not in html and f"{reverse('clauses:search_employers')}?champ=attributaire" in html
    assert f'<option value="{company.pk}">Bâti Dijon</option>' in html and "Bâtisseurs fermés" not in html
