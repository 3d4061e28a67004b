"""Mobility figures (mobility.*) on a small hand-built population, with exact expected values."""

import datetime

import pytest

from tests.factories import PersonFactory, SituationFactFactory, commune, user_with_role
from tests.mobility.factories import (
    LicenceAidFactory,
    PrescriptionFactory,
    RegistrationFactory,
    RentalFactory,
    TariffFactory,
    VehicleFactory,
    WorkshopSessionFactory,
)
from tremplin.accounts.enums import Role
from tremplin.mobility.enums import ExamResult, PrescriptionStatus, RentalStatus, VehicleKind
from tremplin.people.enums import REFUSED, FactKind, Sex
from tremplin.reports.registry import Period, registry
from tremplin.territory.models import Qpv

D = datetime.date
YEAR = Period.year(2023)
BEAUNE = "21054"  # Côte-d'Or, outside Dijon Métropole
CHENOVE = "21166"  # Dijon Métropole


def figure(indicator_id, period=YEAR, user=None):
    return registry.get(indicator_id).evaluate(period=period, user=user).figure


@pytest.fixture
def population():
    """Beneficiaries of 2023 (5):
    - p1, woman born 2007-06-01: 15 on her reference day 2023-01-01 (prescribed in 2022, still open), in a QPV
      of Dijon since 2020;
    - p2, man born 1998-03-10, prescribed 2023-03-10: 25 that day, Chenôve, integration policy;
    - p3, woman born 1990-01-01, Beaune, prescribed 2023-12-31 (the last day);
    - p4, man born 1970-05-05, prescribed 2022-05-01, closed 2023-01-01 (the first day): 52;
    - p5, woman born 1978-07-01, no prescription, present at a workshop on 2023-06-15: 44.
    Not beneficiaries: p6 (prescription closed 2022-12-31), p7 (prescribed 2024-01-01), p8 (registered
    to a 2023 workshop but absent). p2's QPV fact is a refusal to answer; p1's QPV fact ends in 2024."""
    qpv = Qpv.objects.filter(commune=commune()).first()
    p1 = PersonFactory(sex=Sex.WOMAN, birth_date=D(2007, 6, 1))
    SituationFactFactory(
        person=p1, kind=FactKind.QPV_RESIDENCE, qpv=qpv, started_on=D(2020, 1, 1), ended_on=D(2024, 1, 1)
    )
    p2 = PersonFactory(sex=Sex.MAN, birth_date=D(1998, 3, 10), commune=commune(CHENOVE))
    SituationFactFactory(person=p2, kind=FactKind.QPV_RESIDENCE, value=REFUSED, started_on=D(2020, 1, 1))
    p3 = PersonFactory(sex=Sex.WOMAN, birth_date=D(1990, 1, 1), commune=commune(BEAUNE))
    p4 = PersonFactory(sex=Sex.MAN, birth_date=D(1970, 5, 5))
    p5 = PersonFactory(sex=Sex.WOMAN, birth_date=D(1978, 7, 1))
    p6, p7, p8 = PersonFactory(), PersonFactory(), PersonFactory()
    prescriptions = {
        "p1": PrescriptionFactory(person=p1, prescribed_on=D(2022, 11, 2)),
        "p2": PrescriptionFactory(person=p2, prescribed_on=D(2023, 3, 10), integration_policy=True),
        "p3": PrescriptionFactory(person=p3, prescribed_on=D(2023, 12, 31)),
        "p4": PrescriptionFactory(
            person=p4, prescribed_on=D(2022, 5, 1), status=PrescriptionStatus.CLOSED, closed_on=D(2023, 1, 1)
        ),
        "p6": PrescriptionFactory(
            person=p6, prescribed_on=D(2022, 5, 1), status=PrescriptionStatus.CLOSED, closed_on=D(2022, 12, 31)
        ),
        "p7": PrescriptionFactory(person=p7, prescribed_on=D(2024, 1, 1)),
    }
    session = WorkshopSessionFactory(kind="bou_jeu", held_on=D(2023, 6, 15))
    RegistrationFactory(session=session, person=p5, attended=True)
    RegistrationFactory(session=session, person=p8, attended=False)
    RegistrationFactory(
        session=WorkshopSessionFactory(kind="integracode", held_on=D(2023, 9, 1)), person=p5, attended=True
    )
    RegistrationFactory(
        session=WorkshopSessionFactory(kind="integracode", held_on=D(2024, 1, 1)), person=p2, attended=True
    )
    return prescriptions


def test_beneficiaries_and_their_breakdowns(population):
    result = figure("mobility.beneficiaries")
    assert result.value == 5
    assert result.breakdown == {
        "moins de 15 ans": 0,
        "15-17 ans": 1,
        "18-25 ans": 1,
        "26-44 ans": 2,
        "45 ans et plus": 1,
        "Femmes": 3,
        "Hommes": 2,
        "Non binaire": 0,
        "En QPV": 1,
        "Hors QPV": 4,
        "Dijon Métropole": 4,
        "Reste de la Côte-d'Or": 1,
        "Hors Côte-d'Or": 0,
        "Public de la politique d'intégration": 1,
    }


def test_shares_of_beneficiaries_with_their_denominator(population):
    assert (figure("mobility.qpv_share").value, figure("mobility.qpv_share").denominator) == (0.2, 5)
    assert (figure("mobility.metropole_share").value, figure("mobility.metropole_share").denominator) == (0.8, 5)
    # p1 (15) and p2 (25 on 2023-03-10, his birthday: still under 26).
    assert (figure("mobility.under_26_share").value, figure("mobility.under_26_share").denominator) == (0.4, 5)


def test_period_boundaries_of_beneficiaries(population):
    # p1, p2 and p5 (present on 2023-06-15); p3 comes on the last day, p4 leaves on the first.
    assert figure("mobility.beneficiaries", Period(D(2023, 1, 2), D(2023, 12, 30))).value == 3
    assert figure("mobility.beneficiaries", Period(D(2023, 1, 2), D(2023, 12, 30))).breakdown["26-44 ans"] == 1
    assert figure("mobility.beneficiaries", Period(D(2024, 1, 1), D(2024, 1, 1))).value == 4  # p1 p2 p3 p7
    empty = figure("mobility.qpv_share", Period(D(2021, 1, 1), D(2021, 1, 31)))
    assert (empty.value, empty.denominator) == (None, 0)  # null, not 0


def test_a_user_counts_the_people_of_their_scope(population):
    prescriber = user_with_role(Role.PRESCRIBER)
    assert figure("mobility.beneficiaries", user=prescriber).value == 0


@pytest.fixture
def fleet():
    """A bike in the fleet all year, a car commissioned on 2023-07-01 (184 days), a scooter retired in 2022."""
    bike = VehicleFactory(kind=VehicleKind.BIKE, commissioned_on=D(2022, 1, 1))
    car = VehicleFactory(kind=VehicleKind.CAR, commissioned_on=D(2023, 7, 1))
    VehicleFactory(kind=VehicleKind.SCOOTER, commissioned_on=D(2021, 1, 1), retired_on=D(2022, 12, 31))
    return bike, car


def test_rentals_rental_days_and_occupancy(fleet, settings):
    bike, car = fleet
    bike_tariff = TariffFactory(vehicle_kind=VehicleKind.BIKE)
    car_tariff = TariffFactory(vehicle_kind=VehicleKind.CAR)
    # Starts in 2022, returned on 2023-01-10: 10 days of 2023, not a 2023 rental.
    RentalFactory(
        vehicle=bike,
        tariff=bike_tariff,
        starts_on=D(2022, 12, 1),
        ends_on=D(2023, 1, 15),
        status=RentalStatus.RETURNED,
        returned_on=D(2023, 1, 10),
    )
    # Returned 5 days late: 2023-03-01 .. 2023-03-15 = 15 days.
    RentalFactory(
        vehicle=bike,
        tariff=bike_tariff,
        starts_on=D(2023, 3, 1),
        ends_on=D(2023, 3, 10),
        status=RentalStatus.RETURNED,
        returned_on=D(2023, 3, 15),
    )
    # Runs into 2024: 2023-12-20 .. 2023-12-31 = 12 days in 2023.
    RentalFactory(
        vehicle=car,
        tariff=car_tariff,
        starts_on=D(2023, 12, 20),
        ends_on=D(2024, 1, 20),
        status=RentalStatus.RETURNED,
        returned_on=D(2024, 1, 20),
    )
    # Booked but never left, and a cancelled one: rentals but no days (the cancelled one is no rental).
    RentalFactory(vehicle=car, tariff=car_tariff, starts_on=D(2023, 8, 1), ends_on=D(2023, 8, 5))
    RentalFactory(
        vehicle=car, tariff=car_tariff, starts_on=D(2023, 9, 1), ends_on=D(2023, 9, 5), status=RentalStatus.CANCELLED
    )
    rentals = figure("mobility.rentals")
    assert rentals.value == 3
    assert rentals.breakdown == {"Vélo": 1, "Vélo à assistance électrique": 0, "Scooter": 0, "Voiture": 2}
    days = figure("mobility.rental_days")
    assert (days.value, days.breakdown["Vélo"], days.breakdown["Voiture"]) == (37, 25, 12)
    occupancy = figure("mobility.fleet_occupancy")
    assert occupancy.denominator == 365 + 184
    assert occupancy.value == round(37 / 549, 4)
    assert occupancy.breakdown["Vélo"] == round(25 / 365, 4)
    assert occupancy.breakdown["Scooter"] is None  # no scooter in the fleet in 2023


def test_licences_obtained_and_workshop_participants(population):
    LicenceAidFactory(licence="b", driving_result=ExamResult.PASSED, obtained_on=D(2023, 12, 31))
    LicenceAidFactory(licence="am", driving_result=ExamResult.PASSED, obtained_on=D(2023, 1, 1))
    LicenceAidFactory(licence="b", driving_result=ExamResult.PASSED, obtained_on=D(2024, 1, 1))
    LicenceAidFactory(licence="b")  # in progress
    licences = figure("mobility.licences_obtained")
    assert (licences.value, licences.breakdown) == (2, {"Permis AM": 1, "Permis B": 1})
    participants = figure("mobility.workshop_participants")
    assert participants.value == 1  # p5, at two workshops; p8 was absent; p2's session is in 2024
    assert participants.breakdown["Bou-Jeu (escape game mobilité)"] == 1
    assert participants.breakdown["Integracode"] == 1
