"""The records behind the mobility figures: the rows listed are the rows counted, within what the user may read."""

import pytest
from django.urls import reverse

from tests.factories import user_with_role
from tests.mobility import test_indicators
from tests.mobility.factories import LicenceAidFactory, RentalFactory, TariffFactory
from tremplin.accounts.enums import Role
from tremplin.mobility.enums import ExamResult, RentalStatus, VehicleKind
from tremplin.reports.registry import registry

pytestmark = pytest.mark.django_db
D, YEAR, figure = test_indicators.D, test_indicators.YEAR, test_indicators.figure
# The hand-built population and fleet of the figures' own tests.
population, fleet = test_indicators.population, test_indicators.fleet


def records(indicator_id, user=None, period=YEAR):
    return list(registry.get(indicator_id).records(period=period, user=user))


def column(indicator_id, label, rows):
    indicator = registry.get(indicator_id)
    found = next(c for c in indicator.record_columns if c.label == label)
    return [found.value(row) for row in rows]


@pytest.mark.parametrize("indicator_id", ["mobility.beneficiaries", "mobility.qpv_share", "mobility.metropole_share"])
def test_the_beneficiaries_listed_are_those_counted(population, indicator_id):
    rows = records(indicator_id)
    people = {p.person for p in population.values()}
    expected = {population[k].person for k in ("p1", "p2", "p3", "p4")}
    assert len(rows) == figure("mobility.beneficiaries").value == 5
    assert expected < set(rows) and len(set(rows) & people) == 4
    if indicator_id != "mobility.beneficiaries":
        assert len(rows) == figure(indicator_id).denominator
    by_name = {p.pk: p for p in rows}
    assert by_name[population["p2"].person.pk].period_prescribed_on == D(2023, 3, 10)


@pytest.fixture
def rentals(fleet):
    """As tests/mobility/test_indicators.py: 3 rentals of 2023 out 37 days in 2023 (25 by bike, 12 by car)."""
    bike, car = fleet
    bike_tariff, car_tariff = TariffFactory(vehicle_kind=VehicleKind.BIKE), TariffFactory(vehicle_kind=VehicleKind.CAR)
    returned = RentalStatus.RETURNED
    RentalFactory(
        vehicle=bike,
        tariff=bike_tariff,
        starts_on=D(2022, 12, 1),
        ends_on=D(2023, 1, 15),
        status=returned,
        returned_on=D(2023, 1, 10),
    )
    RentalFactory(
        vehicle=bike,
        tariff=bike_tariff,
        starts_on=D(2023, 3, 1),
        ends_on=D(2023, 3, 10),
        status=returned,
        returned_on=D(2023, 3, 15),
    )
    RentalFactory(
        vehicle=car,
        tariff=car_tariff,
        starts_on=D(2023, 12, 20),
        ends_on=D(2024, 1, 20),
        status=returned,
        returned_on=D(2024, 1, 20),
    )
    RentalFactory(vehicle=car, tariff=car_tariff, starts_on=D(2023, 8, 1), ends_on=D(2023, 8, 5))
    RentalFactory(
        vehicle=car, tariff=car_tariff, starts_on=D(2023, 9, 1), ends_on=D(2023, 9, 5), status=RentalStatus.CANCELLED
    )


def test_rentals_and_their_days(rentals):
    rows = records("mobility.rentals")
    assert len(rows) == figure("mobility.rentals").value == 3
    days = records("mobility.rental_days")
    assert sum(column("mobility.rental_days", "Jours de sortie dans la période", days)) == 37
    assert figure("mobility.rental_days").value == 37
    vehicles = records("mobility.fleet_occupancy")
    assert sum(column("mobility.fleet_occupancy", "Jours loués", vehicles)) == 37
    assert sum(column("mobility.fleet_occupancy", "Jours dans la flotte", vehicles)) == 365 + 184
    assert figure("mobility.fleet_occupancy").denominator == 365 + 184


def test_a_prescriber_lists_only_her_structures_prescriptions(rentals):
    some = records("mobility.rentals")[0]
    prescriber = user_with_role(Role.PRESCRIBER, organization=some.prescription.prescriber)
    other = user_with_role(Role.PRESCRIBER)
    assert [r.pk for r in records("mobility.rentals", prescriber)] == [some.pk]
    assert records("mobility.rentals", other) == []
    # The fleet is the platform's: a prescriber gets no list of it.
    assert records("mobility.fleet_occupancy", prescriber) == []
    assert records("mobility.fleet_occupancy", user_with_role(Role.MOBILITY_ADVISER)) != []


def test_licences_obtained_are_listed_with_their_person():
    counted = LicenceAidFactory(licence="b", driving_result=ExamResult.PASSED, obtained_on=D(2023, 12, 31))
    LicenceAidFactory(licence="b", driving_result=ExamResult.PASSED, obtained_on=D(2024, 1, 1))
    rows = records("mobility.licences_obtained")
    assert rows == [counted] and figure("mobility.licences_obtained").value == 1
    assert column("mobility.licences_obtained", "Personne", rows) == [counted.prescription.person.full_name]


def test_workshop_participants_are_the_people_counted(population):
    rows = records("mobility.workshop_participants")
    assert len(rows) == figure("mobility.workshop_participants").value
    assert column("mobility.workshop_participants", "Présences aux séances de la période", rows) == [2]


def test_the_coordination_reaches_the_rentals_and_a_funder_only_the_figure(client, rentals, funder):
    named = records("mobility.rentals")[0].prescription.person
    client.force_login(user_with_role(Role.COORDINATOR))
    content = client.get(reverse("reports:figure", args=["mobility.rentals"]), {"annee": "2023"}).content.decode()
    assert "3 enregistrements" in content and named.full_name in content
    client.force_login(funder)
    response = client.get(reverse("reports:figure", args=["mobility.rentals"]), {"annee": "2023"})
    assert response.context["records_page"] is None
    assert named.full_name not in response.content.decode()


def test_a_prescription_of_another_structure_is_not_listed(population):
    prescriber = user_with_role(Role.PRESCRIBER, organization=population["p2"].prescriber)
    # p3 is a beneficiary of the year, prescribed by another structure.
    assert population["p3"].prescriber != population["p2"].prescriber
    rows = records("mobility.beneficiaries", prescriber)
    assert [p.pk for p in rows] == [population["p2"].person.pk]
