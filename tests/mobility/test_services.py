import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import PersonFactory, user_with_role
from tests.mobility.factories import PrescriptionFactory, TariffFactory, VehicleFactory
from tremplin.accounts.enums import Role
from tremplin.mobility import selectors, services
from tremplin.mobility.enums import DepositStatus, MaintenanceKind, RentalStatus, VehicleKind, VehicleState
from tremplin.mobility.models import RentalRules, add_months
from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp, Person

D = datetime.date


@pytest.fixture
def adviser():
    return user_with_role(Role.MOBILITY_ADVISER)


@pytest.fixture
def scooter():
    return VehicleFactory(kind=VehicleKind.SCOOTER)


@pytest.fixture
def tariff():
    return TariffFactory(vehicle_kind=VehicleKind.SCOOTER, daily_price=Decimal("2.50"), deposit=Decimal("150"))


def book(adviser, vehicle, tariff, start, end, prescription=None, **kwargs):
    return services.book_rental(
        prescription=prescription or PrescriptionFactory(),
        vehicle=vehicle,
        tariff=tariff,
        starts_on=start,
        ends_on=end,
        by=adviser,
        **kwargs,
    )


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(D(2024, 3, 1), 3) == D(2024, 6, 1)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)


def test_price_is_the_daily_price_times_the_days_both_ends_included(tariff):
    assert services.price_of(tariff=tariff, starts_on=D(2024, 3, 1), ends_on=D(2024, 3, 1)) == Decimal("2.50")
    assert services.price_of(tariff=tariff, starts_on=D(2024, 3, 1), ends_on=D(2024, 3, 31)) == Decimal("77.50")


def test_a_booking_copies_the_tariff_price_and_deposit(adviser, scooter, tariff):
    rental = book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 3, 31))
    tariff.daily_price = Decimal("9.00")
    tariff.save()
    rental.refresh_from_db()
    assert (rental.daily_price, rental.deposit_amount, rental.price) == (
        Decimal("2.50"),
        Decimal("150"),
        Decimal("77.50"),
    )
    assert rental.history.first().history_user == adviser


def test_a_booking_lasts_at_most_the_configured_months(adviser, scooter, tariff):
    book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 5, 31))  # 3 months
    with pytest.raises(ValidationError, match="au plus 3 mois : retour le 31/08/2024 au plus tard"):
        book(adviser, scooter, tariff, D(2024, 6, 1), D(2024, 9, 1))
    rules = RentalRules.current()
    rules.max_months = 4
    rules.save()
    book(adviser, scooter, tariff, D(2024, 6, 1), D(2024, 9, 1))


def test_a_rental_is_renewed_as_often_as_the_rules_allow(adviser, scooter, tariff):
    rental = book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 5, 31))
    with pytest.raises(ValidationError, match="au plus 3 mois"):
        services.renew_rental(rental=rental, ends_on=D(2024, 9, 1), by=adviser)
    services.renew_rental(rental=rental, ends_on=D(2024, 8, 31), by=adviser)
    rental.refresh_from_db()
    assert (rental.ends_on, rental.renewals, rental.first_ends_on) == (D(2024, 8, 31), 1, D(2024, 5, 31))
    with pytest.raises(ValidationError, match="déjà été renouvelée 1 fois : 1 renouvellement"):
        services.renew_rental(rental=rental, ends_on=D(2024, 9, 30), by=adviser)
    rules = RentalRules.current()
    rules.max_renewals = 2
    rules.save()
    services.renew_rental(rental=rental, ends_on=D(2024, 9, 30), by=adviser)


def test_a_renewal_that_meets_the_next_booking_names_it(adviser, scooter, tariff):
    rental = book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 3, 31))
    next_one = book(adviser, scooter, tariff, D(2024, 4, 10), D(2024, 4, 20))
    with pytest.raises(ValidationError, match=f"location {next_one.reference}"):
        services.renew_rental(rental=rental, ends_on=D(2024, 4, 15), by=adviser)
    rental.refresh_from_db()
    assert (rental.ends_on, rental.renewals) == (D(2024, 3, 31), 0)


def test_a_minor_rents_only_after_a_guardians_consent(adviser, scooter, tariff):
    teen = PersonFactory(birth_date=D(2008, 6, 1))  # 15 in March 2024
    prescription = PrescriptionFactory(person=teen)
    with pytest.raises(ValidationError, match="mineur·e : enregistrez le consentement"):
        book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 3, 31), prescription=prescription)
    services.record_guardian_consent(
        person=teen, guardian_name="Samia Haddad", relationship="mère", given_on=D(2024, 3, 2), by=adviser
    )
    with pytest.raises(ValidationError, match="mineur"):  # consent given after the start does not count
        book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 3, 31), prescription=prescription)
    book(adviser, scooter, tariff, D(2024, 3, 2), D(2024, 3, 31), prescription=prescription)
    # Once 18 (from 01/06/2026), no consent is asked.
    assert not services.needs_guardian_consent(teen, D(2026, 6, 1))
    assert services.needs_guardian_consent(teen, D(2026, 5, 31))


def test_a_vehicle_in_repair_or_with_expired_insurance_cannot_be_booked(adviser, scooter, tariff):
    scooter.insurance_expires_on = D(2024, 3, 15)
    scooter.save()
    with pytest.raises(ValidationError, match="assurance .* expire le 15/03/2024"):
        book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 3, 31))
    book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 3, 15))
    maintenance = services.record_maintenance(
        vehicle=scooter,
        kind=MaintenanceKind.REPAIR,
        description="Courroie",
        occurred_on=D(2024, 3, 1),
        puts_in_repair=True,
        by=adviser,
    )
    scooter.insurance_expires_on = D(2025, 3, 15)
    scooter.save()
    with pytest.raises(ValidationError, match="en réparation"):
        book(adviser, scooter, tariff, D(2024, 4, 1), D(2024, 4, 30))
    services.resolve_maintenance(maintenance=maintenance, resolved_on=D(2024, 3, 20), by=adviser)
    scooter.refresh_from_db()
    assert scooter.state == VehicleState.AVAILABLE
    book(adviser, scooter, tariff, D(2024, 4, 1), D(2024, 4, 30))


def test_the_tariff_must_match_the_vehicle_and_be_in_force(adviser, scooter):
    with pytest.raises(ValidationError, match="type « Voiture »"):
        book(adviser, scooter, TariffFactory(vehicle_kind=VehicleKind.CAR), D(2024, 3, 1), D(2024, 3, 5))
    old = TariffFactory(vehicle_kind=VehicleKind.SCOOTER, name="Ancien", valid_until=D(2023, 12, 31))
    with pytest.raises(ValidationError, match="pas en vigueur le 01/03/2024"):
        book(adviser, scooter, old, D(2024, 3, 1), D(2024, 3, 5))


def test_deposit_received_cashed_or_returned_or_the_fund_stands_in(adviser, scooter, tariff):
    rental = book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 3, 31))
    with pytest.raises(ValidationError, match="caution n'a pas été reçue"):
        services.check_out(rental=rental, on=D(2024, 3, 1), mileage=100, energy=100, by=adviser)
    with pytest.raises(ValidationError, match="« À recevoir » : elle ne peut pas devenir « Restituée »"):
        services.record_deposit(rental=rental, status=DepositStatus.RETURNED, on=D(2024, 3, 1), by=adviser)
    services.record_deposit(rental=rental, status=DepositStatus.FUND, on=D(2024, 3, 1), by=adviser)
    with pytest.raises(ValidationError, match="qu'au retour"):
        services.record_deposit(rental=rental, status=DepositStatus.RETURNED, on=D(2024, 3, 1), by=adviser)
    services.check_out(rental=rental, on=D(2024, 3, 1), mileage=100, energy=100, by=adviser)
    services.return_vehicle(rental=rental, on=D(2024, 3, 31), mileage=400, energy=50, by=adviser)
    services.record_deposit(rental=rental, status=DepositStatus.RETURNED, on=D(2024, 3, 31), by=adviser)
    with pytest.raises(ValidationError, match="« Restituée » : elle ne peut pas devenir « Encaissée »"):
        services.record_deposit(rental=rental, status=DepositStatus.CASHED, on=D(2024, 4, 1), by=adviser)


def test_check_out_and_return_read_the_counters_and_an_early_return_frees_the_days(adviser, scooter, tariff):
    rental = book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 3, 31), deposit_status=DepositStatus.RECEIVED)
    with pytest.raises(ValidationError, match="déjà 0 km|pendant la période"):
        services.check_out(rental=rental, on=D(2024, 2, 28), mileage=10, energy=100, by=adviser)
    services.check_out(rental=rental, on=D(2024, 3, 1), mileage=1200, energy=90, by=adviser, condition="Rayure")
    with pytest.raises(ValidationError, match="1200 km au départ"):
        services.return_vehicle(rental=rental, on=D(2024, 3, 20), mileage=1100, energy=50, by=adviser)
    services.return_vehicle(
        rental=rental, on=D(2024, 3, 20), mileage=1500, energy=40, damage="Rétroviseur", by=adviser
    )
    rental.refresh_from_db()
    scooter.refresh_from_db()
    assert (rental.status, rental.ends_on, rental.billed_days, scooter.mileage) == (
        RentalStatus.RETURNED,
        D(2024, 3, 20),
        20,
        1500,
    )
    assert scooter.maintenances.get().kind == MaintenanceKind.INCIDENT
    book(adviser, scooter, tariff, D(2024, 3, 21), D(2024, 3, 31))  # the freed days


def test_a_late_return_is_listed_until_the_vehicle_is_back_and_billed(adviser, scooter, tariff):
    rental = book(adviser, scooter, tariff, D(2024, 3, 1), D(2024, 3, 10), deposit_status=DepositStatus.RECEIVED)
    services.check_out(rental=rental, on=D(2024, 3, 1), mileage=0, energy=100, by=adviser)
    assert list(selectors.late_rentals(user=adviser, today=D(2024, 3, 10))) == []
    assert list(selectors.late_rentals(user=adviser, today=D(2024, 3, 11))) == []  # not the platform's
    assert list(selectors.late_rentals(user=user_with_role(Role.COORDINATOR), today=D(2024, 3, 11))) == [rental]
    assert rental.late_days(D(2024, 3, 14)) == 4
    services.return_vehicle(rental=rental, on=D(2024, 3, 14), mileage=90, energy=100, by=adviser)
    rental.refresh_from_db()
    assert (rental.ends_on, rental.billed_days, rental.price) == (D(2024, 3, 10), 14, Decimal("35.00"))
    assert list(selectors.late_rentals(user=user_with_role(Role.COORDINATOR), today=D(2024, 3, 15))) == []


def test_expiry_alerts_before_insurance_and_inspection_end(adviser):
    today = D(2024, 6, 1)
    car = VehicleFactory(
        kind=VehicleKind.CAR, insurance_expires_on=D(2025, 1, 1), inspection_expires_on=D(2024, 6, 20)
    )
    VehicleFactory(kind=VehicleKind.SCOOTER, insurance_expires_on=D(2024, 8, 1))  # beyond 30 days
    late = VehicleFactory(kind=VehicleKind.SCOOTER, insurance_expires_on=D(2024, 5, 31))
    alerts = selectors.expiry_alerts(user=adviser, today=today)
    assert [(a.vehicle, a.what, a.expired) for a in alerts] == [
        (late, "assurance", True),
        (car, "contrôle technique", False),
    ]
    assert selectors.expiry_alerts(user=user_with_role(Role.PRESCRIBER), today=today) == []


def test_a_prescription_makes_the_platform_follow_the_person(adviser):
    prescriber = user_with_role(Role.PRESCRIBER)
    person = PersonFactory()
    platform = adviser.primary_membership.organization
    prescription = services.prescribe(
        person=person,
        prescriber=prescriber.primary_membership.organization,
        platform=platform,
        reason="Horaires décalés",
        by=prescriber,
    )
    follow_up = FollowUp.objects.get(person=person, programme=Programme.MOBILITY)
    assert (follow_up.organization, follow_up.prescriber) == (platform, prescriber.primary_membership.organization)
    assert person in Person.objects.visible_to(adviser)
    from tremplin.mobility.models import Prescription

    assert list(Prescription.objects.visible_to(adviser)) == [prescription]
    assert list(Prescription.objects.visible_to(prescriber)) == [prescription]
    assert list(Prescription.objects.visible_to(user_with_role(Role.PRESCRIBER))) == []
    assert list(Prescription.objects.visible_to(user_with_role(Role.MOBILITY_ADVISER))) == []


def test_workshop_capacity_and_attendance(adviser):
    from tests.mobility.factories import WorkshopSessionFactory

    session = WorkshopSessionFactory(capacity=2)
    first = services.register_for_workshop(session=session, person=PersonFactory(), by=adviser)
    person = PersonFactory()
    services.register_for_workshop(session=session, person=person, by=adviser)
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.register_for_workshop(session=session, person=person, by=adviser)
    with pytest.raises(ValidationError, match="complète \\(2 places\\)"):
        services.register_for_workshop(session=session, person=PersonFactory(), by=adviser)
    services.record_attendance(registrations=session.registrations.all(), present_ids={first.pk}, by=adviser)
    assert sorted(session.registrations.values_list("attended", flat=True)) == [False, True]
