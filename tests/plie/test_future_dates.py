"""Facts that have happened (an entry, an end of contract, a business registration, an FSE+ collection) are never
dated in the future: the cellule cannot validate an entry dated 20/12 on 6/12 (issue 9, "Entry in the future")."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.plie.factories import ContractFactory, PathwayFactory
from tests.plie.test_views import error_summary, login, text
from tremplin.plie import services
from tremplin.plie.enums import PathwayStatus
from tremplin.plie.models import BusinessCreation

TODAY = timezone.localdate()
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture
def proposed(person, operator, alice):
    return PathwayFactory(
        proposed=True,
        person=person,
        proposed_organization=operator,
        proposed_referent=alice,
        entry_proposed_by=alice,
        entry_proposed_on=TODAY - timedelta(days=1),
    )


@pytest.fixture
def active(person, operator, alice):
    return PathwayFactory(
        person=person,
        proposed_organization=operator,
        proposed_referent=alice,
        entry_proposed_by=alice,
        entry_proposed_on=TODAY - timedelta(days=130),
        entry_date=TODAY - timedelta(days=120),
    )


def test_the_cellule_cannot_validate_an_entry_in_the_future(client, coordinator, proposed):
    login(client, coordinator)
    response = client.post(
        reverse("plie:entry_validate", kwargs={"pathway_id": proposed.pk}),
        {f"entry-{proposed.pk}-entry_date": (TODAY + timedelta(days=14)).isoformat()},
    )
    assert response.status_code == 422
    assert "La date d'entrée ne peut pas être dans le futur" in error_summary(response)
    assert f"nous sommes le {TODAY:%d/%m/%Y}" in text(response)
    proposed.refresh_from_db()
    assert proposed.status == PathwayStatus.ENTRY_PROPOSED and proposed.entry_date is None


def test_an_entry_today_is_accepted(coordinator, proposed):
    services.validate_entry(pathway=proposed, entry_date=TODAY, by=coordinator)
    assert proposed.status == PathwayStatus.ACTIVE


def test_the_actual_end_of_a_contract_is_not_in_the_future(active, alice):
    contract = ContractFactory(pathway=active, started_on=TODAY - timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        services.end_contract(contract=contract, ended_on=TOMORROW, by=alice)
    assert "ended_on" in error.value.message_dict
    contract.refresh_from_db()
    assert contract.ended_on is None


def test_a_business_is_not_registered_in_the_future(active, alice):
    with pytest.raises(ValidationError) as error:
        services.add_business(pathway=active, by=alice, name="Atelier Vélo", registered_on=TOMORROW)
    assert "registered_on" in error.value.message_dict
    assert not BusinessCreation.objects.exists()


def test_the_cellule_validates_an_aci_case_today_not_tomorrow(active, coordinator):
    contract = ContractFactory(pathway=active, started_on=datetime.date(2024, 1, 8))
    with pytest.raises(ValidationError):
        services.validate_aci_senior(contract=contract, on=TOMORROW, by=coordinator)
    services.validate_aci_senior(contract=contract, on=TODAY, by=coordinator)
    assert contract.cell_validated_on == TODAY


@pytest.mark.parametrize(
    ("form_class", "field", "what"),
    [
        ("tremplin.plie.forms.InterviewForm", "held_on", "La date de l'entretien"),
        ("tremplin.plie.forms.OutreachForm", "outreach_on", "La date de l'aller-vers"),
        ("tremplin.clauses.forms.EvaluationForm", "evaluated_on", "La date de l'évaluation"),
    ],
)
def test_forms_say_the_services_wording(form_class, field, what):
    from django.utils.module_loading import import_string

    from tremplin.core.dates import future_date_message

    form = import_string(form_class)(data={field: TOMORROW.isoformat()})
    assert not form.is_valid()
    assert form.errors[field] == [future_date_message(what)]
