"""Writes of the platform: one transaction each, keyword-only arguments, the acting user as `by`,
audited by simple-history. Rules a user can break raise ValidationError with a French message."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tremplin.core.models import save_audited
from tremplin.mobility.enums import (
    DepositStatus,
    MaintenanceKind,
    PrescriptionStatus,
    RentalStatus,
    VehicleState,
)
from tremplin.mobility.models import (
    ActionStep,
    Diagnostic,
    GuardianConsent,
    LicenceAid,
    Maintenance,
    Prescription,
    Registration,
    Rental,
    RentalRules,
    Tariff,
    Vehicle,
    WorkshopSession,
    add_months,
)
from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp
from tremplin.people.services import start_follow_up

ADULT_AGE = 18

# What may follow each deposit state (the fund, fonds d'éco-cautionnement, stands in for a deposit
# the person cannot pay; it is then released or called like one).
DEPOSIT_TRANSITIONS = {
    DepositStatus.AWAITING: {DepositStatus.RECEIVED, DepositStatus.FUND},
    DepositStatus.RECEIVED: {DepositStatus.CASHED, DepositStatus.RETURNED},
    DepositStatus.FUND: {DepositStatus.CASHED, DepositStatus.RETURNED},
    DepositStatus.CASHED: set(),
    DepositStatus.RETURNED: set(),
}
DEPOSIT_HELD = {DepositStatus.RECEIVED, DepositStatus.FUND}


# Prescriptions and diagnostics


@transaction.atomic
def prescribe(
    *, person, prescriber, platform, reason, by, prescribed_on=None, integration_policy=False
) -> Prescription:
    """A partner orients a person to the platform: the platform follows her from now on (FollowUp)."""
    prescription = Prescription(
        person=person,
        prescriber=prescriber,
        platform=platform,
        reason=reason,
        integration_policy=integration_policy,
        prescribed_by=by,
    )
    if prescribed_on:
        prescription.prescribed_on = prescribed_on
    save_audited(prescription, by)
    follow_up = FollowUp.objects.open().filter(person=person, organization=platform, programme=Programme.MOBILITY)
    if not follow_up.exists():
        start_follow_up(
            person=person,
            organization=platform,
            programme=Programme.MOBILITY,
            prescriber=prescriber,
            started_on=prescription.prescribed_on,
            by=by,
        )
    return prescription


@transaction.atomic
def close_prescription(*, prescription, closed_on, by) -> Prescription:
    if prescription.status == PrescriptionStatus.CLOSED:
        raise ValidationError("Cette prescription est déjà close.")
    if prescription.rentals.filter(status__in=[RentalStatus.BOOKED, RentalStatus.ONGOING]).exists():
        raise ValidationError("Une location est réservée ou en cours : clore la prescription après le retour.")
    prescription.status = PrescriptionStatus.CLOSED
    prescription.closed_on = closed_on
    return save_audited(prescription, by)


@transaction.atomic
def record_diagnostic(*, prescription, by, **data) -> Diagnostic:
    """Create or update the prescription's diagnostic."""
    diagnostic = Diagnostic.objects.filter(prescription=prescription).first() or Diagnostic(
        prescription=prescription, adviser=by
    )
    for field, value in data.items():
        setattr(diagnostic, field, value)
    return save_audited(diagnostic, by)


@transaction.atomic
def add_action_step(*, diagnostic, kind, planned_on, by, description="") -> ActionStep:
    step = ActionStep(diagnostic=diagnostic, kind=kind, planned_on=planned_on, description=description)
    return save_audited(step, by)


@transaction.atomic
def complete_action_step(*, step, done_on, by) -> ActionStep:
    step.done_on = done_on
    return save_audited(step, by)


# Minors


def needs_guardian_consent(person, on: datetime.date) -> bool:
    return person.age_on(on) < ADULT_AGE


def has_guardian_consent(person, on: datetime.date) -> bool:
    return GuardianConsent.objects.filter(person=person, given_on__lte=on).exists()


@transaction.atomic
def record_guardian_consent(*, person, guardian_name, relationship, given_on, by, document="") -> GuardianConsent:
    consent = GuardianConsent(
        person=person,
        guardian_name=guardian_name,
        relationship=relationship,
        given_on=given_on,
        document=document,
        recorded_by=by,
    )
    return save_audited(consent, by)


# Pricing and durations


def price_of(*, tariff: Tariff, starts_on, ends_on) -> Decimal:
    """Price of a booking: the tariff's price per day times the days, first and last included."""
    return tariff.daily_price * ((ends_on - starts_on).days + 1)


def latest_end(starts_on, rules: RentalRules) -> datetime.date:
    """Last day of a period that starts on `starts_on`: `max_months` months, the last day before the
    same date `max_months` later (from 01/03: until 31/05)."""
    return add_months(starts_on, rules.max_months) - datetime.timedelta(days=1)


def check_duration(starts_on, ends_on, rules: RentalRules) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "Le retour prévu doit suivre le début de la location."})
    limit = latest_end(starts_on, rules)
    if ends_on > limit:
        raise ValidationError(
            {
                "ends_on": (
                    f"Une location dure au plus {rules.max_months} mois : retour le {limit:%d/%m/%Y} au plus tard."
                )
            }
        )


# Bookings: the database refuses overlaps, this module explains them


def conflicting_rentals(*, vehicle, starts_on, ends_on, exclude=None):
    rentals = Rental.objects.active().overlapping(starts_on, ends_on).filter(vehicle=vehicle)
    if exclude is not None:
        rentals = rentals.exclude(pk=exclude.pk)
    return rentals.order_by("starts_on")


def _overlap_message(*, vehicle, starts_on, ends_on, exclude=None) -> str | None:
    conflict = conflicting_rentals(vehicle=vehicle, starts_on=starts_on, ends_on=ends_on, exclude=exclude).first()
    if conflict is None:
        return None
    return (
        f"{vehicle} est déjà réservé du {conflict.starts_on:%d/%m/%Y} au {conflict.ends_on:%d/%m/%Y} "
        f"(location {conflict.reference}) : choisissez d'autres dates ou un autre véhicule."
    )


def _save_period(rental, by, *, starts_on, ends_on):
    """Save the rental's new period; the database's no-overlap rule may refuse it."""
    try:
        with transaction.atomic():
            save_audited(rental, by)
    except IntegrityError:
        message = _overlap_message(
            vehicle=rental.vehicle, starts_on=starts_on, ends_on=ends_on, exclude=rental if rental.pk else None
        )
        if message is None:
            raise
        raise ValidationError(message) from None
    return rental


@transaction.atomic
def book_rental(
    *, prescription, vehicle, tariff, starts_on, ends_on, by, deposit_status=DepositStatus.AWAITING
) -> Rental:
    """Book a vehicle on a prescription. The overlap with another booking is not checked here but by the
    database (an exclusion constraint on PostgreSQL, triggers on SQLite), so that two advisers booking
    at the same moment can never both succeed; the refusal is turned into a French message naming the
    booking in the way."""
    if prescription.status != PrescriptionStatus.OPEN:
        raise ValidationError("Cette prescription est close : aucune nouvelle location.")
    if tariff.vehicle_kind != vehicle.kind:
        raise ValidationError(
            {"tariff": f"Ce tarif s'applique aux véhicules de type « {tariff.get_vehicle_kind_display()} »."}
        )
    if not Tariff.objects.current(starts_on).filter(pk=tariff.pk).exists():
        raise ValidationError({"tariff": f"Ce tarif n'est pas en vigueur le {starts_on:%d/%m/%Y}."})
    rules = RentalRules.current()
    check_duration(starts_on, ends_on, rules)
    obstacle = vehicle.booking_obstacle(starts_on, ends_on)
    if obstacle:
        raise ValidationError({"vehicle": obstacle})
    person = prescription.person
    if needs_guardian_consent(person, starts_on) and not has_guardian_consent(person, starts_on):
        raise ValidationError(
            f"{person.full_name} est mineur·e : enregistrez le consentement de son ou sa responsable légal·e "
            "avant toute location."
        )
    rental = Rental(
        prescription=prescription,
        vehicle=vehicle,
        tariff=tariff,
        starts_on=starts_on,
        ends_on=ends_on,
        first_ends_on=ends_on,
        daily_price=tariff.daily_price,
        deposit_amount=tariff.deposit,
        deposit_status=deposit_status,
        booked_by=by,
    )
    if deposit_status != DepositStatus.AWAITING:
        rental.deposit_changed_on = starts_on
    return _save_period(rental, by, starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def renew_rental(*, rental, ends_on, by) -> Rental:
    """Extend a rental by a new period, as many times as the rules allow (practice: once)."""
    rules = RentalRules.current()
    if rental.status not in (RentalStatus.BOOKED, RentalStatus.ONGOING):
        raise ValidationError("Seule une location réservée ou en cours se renouvelle.")
    if rental.renewals >= rules.max_renewals:
        raise ValidationError(
            f"Cette location a déjà été renouvelée {rental.renewals} fois : "
            f"{rules.max_renewals} renouvellement(s) au plus."
        )
    if ends_on <= rental.ends_on:
        raise ValidationError({"ends_on": "Le nouveau retour prévu doit suivre l'actuel."})
    check_duration(rental.ends_on + datetime.timedelta(days=1), ends_on, rules)
    obstacle = rental.vehicle.booking_obstacle(rental.ends_on, ends_on)
    if obstacle:
        raise ValidationError(obstacle)
    rental.ends_on = ends_on
    rental.renewals += 1
    return _save_period(rental, by, starts_on=rental.starts_on, ends_on=ends_on)


@transaction.atomic
def cancel_rental(*, rental, by) -> Rental:
    if rental.status != RentalStatus.BOOKED:
        raise ValidationError("Seule une réservation pas encore partie s'annule.")
    rental.status = RentalStatus.CANCELLED
    return save_audited(rental, by)


@transaction.atomic
def record_deposit(*, rental, status, on, by) -> Rental:
    if status not in DEPOSIT_TRANSITIONS[DepositStatus(rental.deposit_status)]:
        raise ValidationError(
            f"La caution est « {rental.get_deposit_status_display()} » : elle ne peut pas devenir "
            f"« {DepositStatus(status).label} »."
        )
    if status in (DepositStatus.CASHED, DepositStatus.RETURNED) and rental.status != RentalStatus.RETURNED:
        raise ValidationError("La caution n'est encaissée ou restituée qu'au retour du véhicule.")
    rental.deposit_status = status
    rental.deposit_changed_on = on
    return save_audited(rental, by)


@transaction.atomic
def check_out(*, rental, on, mileage, energy, by, condition="") -> Rental:
    """The vehicle leaves: the deposit is held (or the fund stands in), the counters are read."""
    vehicle = Vehicle.objects.select_for_update().get(pk=rental.vehicle_id)
    if rental.status != RentalStatus.BOOKED:
        raise ValidationError("Cette location n'est pas en attente de départ.")
    if not rental.starts_on <= on <= rental.ends_on:
        raise ValidationError({"on": "Le départ se fait pendant la période réservée."})
    if rental.deposit_amount and rental.deposit_status not in DEPOSIT_HELD:
        raise ValidationError("La caution n'a pas été reçue (ni prise en charge par le fonds d'éco-cautionnement).")
    obstacle = vehicle.booking_obstacle(on, rental.ends_on)
    if obstacle:
        raise ValidationError(obstacle)
    if vehicle.rentals.filter(status=RentalStatus.ONGOING).exists():
        raise ValidationError(f"{vehicle} n'est pas encore rentré de sa location précédente.")
    if mileage < vehicle.mileage:
        raise ValidationError({"mileage": f"Le compteur indiquait déjà {vehicle.mileage} km."})
    rental.status = RentalStatus.ONGOING
    rental.checked_out_on = on
    rental.checkout_mileage = mileage
    rental.checkout_energy = energy
    rental.checkout_condition = condition
    save_audited(rental, by)
    vehicle.mileage = mileage
    save_audited(vehicle, by)
    return rental


@transaction.atomic
def return_vehicle(*, rental, on, mileage, energy, by, damage="") -> Rental:
    """The vehicle is back. Early, the booking ends that day and frees the rest; late, the planned end
    stays (the late days are billed). Damage opens an incident on the vehicle."""
    vehicle = Vehicle.objects.select_for_update().get(pk=rental.vehicle_id)
    if rental.status != RentalStatus.ONGOING:
        raise ValidationError("Cette location n'est pas en cours.")
    if on < rental.checked_out_on:
        raise ValidationError({"on": "Le retour ne peut pas précéder le départ."})
    if mileage < (rental.checkout_mileage or 0):
        raise ValidationError({"mileage": f"Le compteur indiquait {rental.checkout_mileage} km au départ."})
    rental.status = RentalStatus.RETURNED
    rental.returned_on = on
    rental.return_mileage = mileage
    rental.return_energy = energy
    rental.return_damage = damage
    if on < rental.ends_on:
        rental.ends_on = on
    save_audited(rental, by)
    vehicle.mileage = mileage
    save_audited(vehicle, by)
    if damage:
        record_maintenance(
            vehicle=vehicle, kind=MaintenanceKind.INCIDENT, description=damage, occurred_on=on, rental=rental, by=by
        )
    return rental


# The fleet


@transaction.atomic
def record_maintenance(
    *, vehicle, kind, description, occurred_on, by, cost=None, rental=None, puts_in_repair=False
) -> Maintenance:
    maintenance = Maintenance(
        vehicle=vehicle,
        kind=kind,
        description=description,
        occurred_on=occurred_on,
        cost=cost,
        rental=rental,
        recorded_by=by,
    )
    save_audited(maintenance, by)
    if puts_in_repair and vehicle.state == VehicleState.AVAILABLE:
        vehicle.state = VehicleState.REPAIR
        save_audited(vehicle, by)
    return maintenance


@transaction.atomic
def resolve_maintenance(*, maintenance, resolved_on, by) -> Maintenance:
    maintenance.resolved_on = resolved_on
    save_audited(maintenance, by)
    vehicle = maintenance.vehicle
    if vehicle.state == VehicleState.REPAIR and not vehicle.maintenances.filter(resolved_on__isnull=True).exists():
        vehicle.state = VehicleState.AVAILABLE
        save_audited(vehicle, by)
    return maintenance


# Licence aid and workshops


@transaction.atomic
def save_licence_aid(*, aid: LicenceAid, by) -> LicenceAid:
    return save_audited(aid, by)


@transaction.atomic
def register_for_workshop(*, session: WorkshopSession, person, by) -> Registration:
    session = WorkshopSession.objects.select_for_update().get(pk=session.pk)
    if session.registrations.filter(person=person).exists():
        raise ValidationError(f"{person.full_name} est déjà inscrit·e à cette séance.")
    if session.registrations.count() >= session.capacity:
        raise ValidationError(f"La séance est complète ({session.capacity} places).")
    registration = Registration(session=session, person=person, registered_by=by)
    return save_audited(registration, by)


@transaction.atomic
def record_attendance(*, registrations, present_ids, by) -> None:
    for registration in registrations:
        attended = registration.pk in present_ids
        if registration.attended != attended:
            registration.attended = attended
            save_audited(registration, by)
