import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.mobility.factories import PrescriptionFactory, RentalFactory, TariffFactory, VehicleFactory
from tremplin.accounts.enums import Role
from tremplin.mobility.enums import VehicleKind
from tremplin.mobility.models import Prescription, Rental
from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp
from tremplin.structures.enums import OrganizationKind


@pytest.fixture
def platform():
    return OrganizationFactory(name="Creativ'", kind=OrganizationKind.LEAD)


@pytest.fixture
def adviser(platform):
    return user_with_role(Role.MOBILITY_ADVISER, organization=platform)


def test_a_prescriber_prescribes_for_a_person_of_their_scope_and_sees_only_their_prescriptions(
    client, adviser, platform
):
    prescriber = user_with_role(Role.PRESCRIBER)
    organization = prescriber.primary_membership.organization
    person = PersonFactory(first_name="Inès")
    FollowUpFactory(person=person, prescriber=organization, programme=Programme.PLIE)
    stranger = PersonFactory(first_name="Zoé")
    client.force_login(prescriber)
    form = client.get(reverse("mobility:prescription_create"))
    # The form names nobody in advance: the person is typed and searched among the prescriber's people.
    assert form.status_code == 200 and "Inès" not in form.content.decode()
    response = client.post(
        reverse("mobility:prescription_create"),
        {"person": person.public_id, "platform": platform.pk, "reason": "Horaires décalés à Longvic"},
    )
    prescription = Prescription.objects.get()
    assert response.status_code == 302 and response["Location"] == prescription.get_absolute_url()
    assert (prescription.prescriber, prescription.prescribed_by) == (organization, prescriber)
    assert FollowUp.objects.filter(person=person, organization=platform, programme=Programme.MOBILITY).exists()
    refused = client.post(
        reverse("mobility:prescription_create"),
        {"person": stranger.public_id, "platform": platform.pk, "reason": "x"},
    )
    assert refused.status_code == 422
    other = PrescriptionFactory(platform=platform)
    assert client.get(reverse("mobility:prescription_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("mobility:prescription_detail", args=[prescription.pk])).status_code == 200
    assert client.get(reverse("mobility:fleet")).status_code == 404
    # The platform's adviser opens it; a reader may not book.
    client.force_login(adviser)
    assert client.get(prescription.get_absolute_url()).status_code == 200
    client.force_login(user_with_role(Role.COORDINATOR))
    assert client.get(reverse("mobility:rental_book", args=[prescription.pk])).status_code == 403


def test_the_booking_form_shows_the_databases_refusal_in_french(client, adviser, platform):
    vehicle = VehicleFactory(kind=VehicleKind.SCOOTER, identifier="SCO-001")
    tariff = TariffFactory(vehicle_kind=VehicleKind.SCOOTER)
    first = RentalFactory(vehicle=vehicle, tariff=tariff, prescription=PrescriptionFactory(platform=platform))
    prescription = PrescriptionFactory(platform=platform)
    client.force_login(adviser)
    response = client.post(
        reverse("mobility:rental_book", args=[prescription.pk]),
        {
            "vehicle": vehicle.pk,
            "tariff": tariff.pk,
            "starts_on": "2024-02-20",
            "ends_on": "2024-03-05",
            "deposit_status": "received",
        },
    )
    assert response.status_code == 422
    assert f"déjà réservé du 01/02/2024 au 29/02/2024 (location {first.reference})" in response.content.decode()
    assert Rental.objects.count() == 1


def test_the_calendar_hides_the_names_of_other_platforms_bookings(client, adviser, platform):
    vehicle = VehicleFactory()
    mine = RentalFactory(
        vehicle=vehicle, prescription=PrescriptionFactory(platform=platform, person=PersonFactory(first_name="Maëlle"))
    )
    RentalFactory(
        vehicle=vehicle,
        tariff=mine.tariff,
        starts_on=datetime.date(2024, 2, 1) - datetime.timedelta(days=10),
        ends_on=datetime.date(2024, 1, 30),
        prescription=PrescriptionFactory(person=PersonFactory(first_name="Ysaline")),
    )
    client.force_login(adviser)
    content = client.get(reverse("mobility:calendar"), {"mois": "2024-01"}).content.decode()
    assert "Ysaline" not in content, content[content.index("Ysaline") - 300 : content.index("Ysaline") + 50]
    assert content.count("■") == 9
    content = client.get(reverse("mobility:calendar"), {"mois": "2024-02"}).content.decode()
    assert "Maëlle" in content and mine.get_absolute_url() in content


def test_the_menu_and_the_home_panel_of_the_platform(client, adviser, platform):
    today = timezone.localdate()
    RentalFactory(
        prescription=PrescriptionFactory(platform=platform),
        status="ongoing",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=2),
    )
    client.force_login(adviser)
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("mobility:home")}">Mobilité</a>' in content
    assert "1 retour en retard" in content
    client.force_login(user_with_role(Role.PRESCRIBER))
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("mobility:prescription_list")}">Mobilité</a>' in content
    assert "0 prescription en cours" in content
    client.force_login(user_with_role(Role.FUNDER))
    assert ">Mobilité</a>" not in client.get(reverse("home")).content.decode()
