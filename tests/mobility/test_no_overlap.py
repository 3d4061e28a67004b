"""Two active rentals of one vehicle never overlap: the database refuses it, on PostgreSQL (exclusion
constraint) as on SQLite (triggers), whoever writes; the service explains it in French."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction

from tests.factories import user_with_role
from tests.mobility.factories import PrescriptionFactory, RentalFactory, TariffFactory, VehicleFactory
from tremplin.accounts.enums import Role
from tremplin.mobility import services
from tremplin.mobility.enums import RentalStatus
from tremplin.mobility.models import Rental
from tremplin.territory.models import Commune

D = datetime.date


@pytest.mark.django_db
@pytest.mark.parametrize(
    "starts_on,ends_on,overlaps",
    [
        (D(2024, 2, 29), D(2024, 3, 10), True),  # the last day is shared: both ends are included
        (D(2024, 1, 10), D(2024, 2, 1), True),
        (D(2024, 2, 10), D(2024, 2, 12), True),  # inside
        (D(2024, 1, 1), D(2024, 3, 31), True),  # around
        (D(2024, 3, 1), D(2024, 3, 10), False),  # the day after
        (D(2024, 1, 1), D(2024, 1, 31), False),  # the day before
    ],
)
def test_the_database_refuses_an_overlapping_rental(starts_on, ends_on, overlaps):
    first = RentalFactory(starts_on=D(2024, 2, 1), ends_on=D(2024, 2, 29))
    other = RentalFactory.build(
        vehicle=first.vehicle,
        tariff=first.tariff,
        prescription=first.prescription,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if overlaps:
        with pytest.raises(IntegrityError), transaction.atomic():
            other.save()
    else:
        other.save()
        assert Rental.objects.count() == 2


@pytest.mark.django_db
def test_an_update_that_creates_an_overlap_is_refused_too():
    first = RentalFactory(starts_on=D(2024, 2, 1), ends_on=D(2024, 2, 29))
    second = RentalFactory(vehicle=first.vehicle, tariff=first.tariff, starts_on=D(2024, 3, 1), ends_on=D(2024, 3, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        Rental.objects.filter(pk=second.pk).update(starts_on=D(2024, 2, 20))
    # A cancelled booking frees its days; another vehicle is not concerned.
    Rental.objects.filter(pk=first.pk).update(status=RentalStatus.CANCELLED)
    Rental.objects.filter(pk=second.pk).update(starts_on=D(2024, 2, 20))
    RentalFactory(starts_on=D(2024, 2, 1), ends_on=D(2024, 2, 29))
    with pytest.raises(IntegrityError), transaction.atomic():
        Rental.objects.filter(pk=first.pk).update(status=RentalStatus.BOOKED)


@pytest.mark.django_db
def test_the_booking_form_message_names_the_conflicting_booking():
    adviser = user_with_role(Role.MOBILITY_ADVISER)
    first = RentalFactory(starts_on=D(2024, 2, 1), ends_on=D(2024, 2, 29))
    with pytest.raises(ValidationError) as error:
        services.book_rental(
            prescription=PrescriptionFactory(),
            vehicle=first.vehicle,
            tariff=first.tariff,
            starts_on=D(2024, 2, 15),
            ends_on=D(2024, 3, 15),
            by=adviser,
        )
    message = error.value.messages[0]
    assert f"déjà réservé du 01/02/2024 au 29/02/2024 (location {first.reference})" in message
    assert Rental.objects.count() == 1


# Concurrent bookings: 1,000 attempts from 8 threads on one vehicle. The attempts fall in 100 disjoint
# weeks, 10 attempts per week, each overlapping the others of its week: whatever the order, exactly one
# per week may win. The service does not look for overlaps before writing: only the database decides.
SLOTS, ATTEMPTS_PER_SLOT, THREADS = 100, 10, 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_vehicle_never_overlap():
    # A transactional test starts from an empty database: the one commune the factories need.
    Commune.objects.get_or_create(
        insee_code="21231", defaults={"name": "Dijon", "department": "21", "is_metropole": True}
    )
    adviser = user_with_role(Role.MOBILITY_ADVISER)
    vehicle = VehicleFactory()
    tariff = TariffFactory(vehicle_kind=vehicle.kind)
    prescription = PrescriptionFactory()
    origin = D(2025, 1, 6)
    attempts = []
    for slot in range(SLOTS):
        week = origin + datetime.timedelta(weeks=slot)
        for n in range(ATTEMPTS_PER_SLOT):
            # Every attempt of the week contains its Wednesday: they all overlap one another.
            start = week + datetime.timedelta(days=n % 3)
            attempts.append((start, start + datetime.timedelta(days=2 + n % 3)))
    # SQLite takes one writer at a time (and its in-memory test database answers "table locked" rather
    # than waiting): its attempts are serialised, PostgreSQL's run truly concurrently.
    sqlite_lock = threading.Lock() if connection.vendor == "sqlite" else None
    barrier = threading.Barrier(THREADS)

    def attempt(chunk):
        outcomes = []
        barrier.wait()
        try:
            for start, end in chunk:
                if sqlite_lock:
                    sqlite_lock.acquire()
                try:
                    services.book_rental(
                        prescription=prescription,
                        vehicle=vehicle,
                        tariff=tariff,
                        starts_on=start,
                        ends_on=end,
                        by=adviser,
                    )
                    outcomes.append(True)
                except ValidationError as error:
                    assert "déjà réservé" in error.messages[0]
                    outcomes.append(False)
                finally:
                    if sqlite_lock:
                        sqlite_lock.release()
        finally:
            close_old_connections()
            connection.close()
        return outcomes

    chunks = [attempts[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = [o for chunk in pool.map(attempt, chunks) for o in chunk]
    assert len(outcomes) == SLOTS * ATTEMPTS_PER_SLOT
    assert outcomes.count(True) == SLOTS
    booked = sorted(Rental.objects.filter(vehicle=vehicle).values_list("starts_on", "ends_on"))
    assert len(booked) == SLOTS
    for (_, previous_end), (start, _) in zip(booked, booked[1:], strict=False):
        assert previous_end < start
