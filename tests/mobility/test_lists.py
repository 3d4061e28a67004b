"""The platform's lists that grow paginate and show their total; a page's links keep the list's filter
(issue 9, "every list page that can grow paginates and shows its total")."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import user_with_role
from tests.mobility.factories import (
    LicenceAidFactory,
    PrescriptionFactory,
    RentalFactory,
    TariffFactory,
    VehicleFactory,
    WorkshopSessionFactory,
)
from tremplin.accounts.enums import Role
from tremplin.mobility.enums import PrescriptionStatus, VehicleKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("tremplin.core.views.PAGE_SIZE", 2)


def test_the_prescriptions_paginate_with_their_total_and_keep_the_status_filter(client, small_pages):
    for day in range(1, 4):
        PrescriptionFactory(prescribed_on=datetime.date(2024, 1, day), person__last_name=f"Ouvert{day}")
    PrescriptionFactory(status=PrescriptionStatus.CLOSED, person__last_name="Clos")
    client.force_login(user_with_role(Role.COORDINATOR))
    url = reverse("mobility:prescription_list")
    first = client.get(url, {"statut": "open"}).content.decode()
    assert "3 prescriptions" in first and "Page 1 sur 2" in first
    assert "?statut=open&amp;page=2" in first
    assert "OUVERT3" in first and "OUVERT1" not in first and "CLOS" not in first
    second = client.get(url, {"statut": "open", "page": 2}).content.decode()
    assert "OUVERT1" in second and "OUVERT3" not in second and "Page 2 sur 2" in second


def test_the_licence_aids_and_the_workshops_paginate(client, small_pages):
    for _ in range(3):
        LicenceAidFactory()
        WorkshopSessionFactory()
    client.force_login(user_with_role(Role.COORDINATOR))
    aids = client.get(reverse("mobility:licence_aid_list"), {"page": 2}).content.decode()
    assert "3 aides au permis" in aids and "Page 2 sur 2" in aids
    sessions = client.get(reverse("mobility:workshop_list"), {"page": 2}).content.decode()
    assert "3 séances" in sessions and "Page 2 sur 2" in sessions


def test_the_fleet_and_a_vehicle_s_rentals_paginate_and_keep_the_kind_filter(client, small_pages):
    for n in range(3):
        VehicleFactory(kind=VehicleKind.SCOOTER, identifier=f"SCO-00{n}")
    car = VehicleFactory(kind=VehicleKind.CAR, identifier="VOI-001")
    tariff = TariffFactory(vehicle_kind=VehicleKind.CAR)
    for month in range(1, 4):
        start = datetime.date(2024, month, 1)
        RentalFactory(vehicle=car, tariff=tariff, starts_on=start, ends_on=start + datetime.timedelta(days=5))
    client.force_login(user_with_role(Role.COORDINATOR))
    fleet = client.get(reverse("mobility:fleet"), {"type": VehicleKind.SCOOTER}).content.decode()
    assert "3 véhicules" in fleet and "VOI-001" not in fleet and f"?type={VehicleKind.SCOOTER}&amp;page=2" in fleet
    rentals = client.get(car.get_absolute_url(), {"page": 2}).content.decode()
    assert "3 locations" in rentals and "Page 2 sur 2" in rentals and "01/01/2024" in rentals
