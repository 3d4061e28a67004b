"""Reads that feed the platform's screens; each takes the user and stays inside their scope."""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    F,
    FilteredRelation,
    Q,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber

from tremplin.core.modules import MobilityFacts
from tremplin.mobility.enums import MOTOR_KINDS, LicenceStatus, MeansOfTransport, VehicleKind, VehicleState
from tremplin.mobility.models import Diagnostic, Prescription, Rental, RentalRules, Vehicle
from tremplin.mobility.perms import can_prescribe, is_mobility_staff


def late_rentals(*, user, today):
    """Rentals out past their planned return (the list read every morning)."""
    return (
        Rental.objects.visible_to(user)
        .late(today=today)
        .select_related("prescription__person", "vehicle")
        .order_by("ends_on", "pk")
    )


@dataclass
class ExpiryAlert:
    vehicle: Vehicle
    what: str
    expires_on: datetime.date
    expired: bool


def expiry_alerts(*, user, today) -> list[ExpiryAlert]:
    """Insurance and technical inspections expired or expiring within the rules' notice, fleet in service."""
    if not is_mobility_staff(user):
        return []
    horizon = today + datetime.timedelta(days=RentalRules.current().alert_days)
    vehicles = Vehicle.objects.in_fleet_on(today).exclude(state=VehicleState.RETIRED)
    alerts = []
    for vehicle in vehicles.filter(Q(insurance_expires_on__lte=horizon) | Q(inspection_expires_on__lte=horizon)):
        if vehicle.insurance_expires_on and vehicle.insurance_expires_on <= horizon:
            alerts.append(
                ExpiryAlert(vehicle, "assurance", vehicle.insurance_expires_on, vehicle.insurance_expires_on < today)
            )
        if vehicle.kind in MOTOR_KINDS and vehicle.inspection_expires_on and vehicle.inspection_expires_on <= horizon:
            alerts.append(
                ExpiryAlert(
                    vehicle, "contrôle technique", vehicle.inspection_expires_on, vehicle.inspection_expires_on < today
                )
            )
    return sorted(alerts, key=lambda a: (a.expires_on, a.vehicle.identifier))


@dataclass
class CalendarRow:
    vehicle: Vehicle
    cells: list  # one per day: None (free) or (rental, visible: bool)


def fleet_calendar(*, user, year: int, month: int, kind: str = "") -> tuple[list[datetime.date], list[CalendarRow]]:
    """The month's bookings per vehicle. A booking the user may not open shows as booked, without name."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
    vehicles = Vehicle.objects.filter(Q(retired_on__isnull=True) | Q(retired_on__gte=first), commissioned_on__lte=last)
    if kind:
        vehicles = vehicles.filter(kind=kind)
    rentals = (
        Rental.objects.active()
        .overlapping(first, last)
        .filter(vehicle__in=vehicles)
        .select_related("prescription__person")
    )
    visible = set(Rental.objects.visible_to(user).active().overlapping(first, last).values_list("pk", flat=True))
    by_vehicle = defaultdict(list)
    for rental in rentals:
        by_vehicle[rental.vehicle_id].append(rental)
    rows = []
    for vehicle in vehicles:
        cells = [None] * len(days)
        for rental in by_vehicle[vehicle.pk]:
            for index, day in enumerate(days):
                if rental.starts_on <= day <= rental.ends_on:
                    cells[index] = (rental, rental.pk in visible)
        rows.append(CalendarRow(vehicle, cells))
    return days, rows


def free_vehicles(*, start, end) -> dict[str, int]:
    """How many vehicles of each kind may be booked for the whole of [start, end]."""
    counts = dict.fromkeys(VehicleKind.values, 0)
    for kind, n in _count_by_kind(Vehicle.objects.free_between(start, end)):
        counts[kind] = n
    return counts


def _count_by_kind(vehicles):
    from django.db.models import Count

    return vehicles.order_by().values_list("kind").annotate(n=Count("pk"))


def home_panel(user, today):
    """The platform's panel on the role home pages: advisers see their morning list, prescribers
    their prescriptions."""
    if is_mobility_staff(user):
        return {
            "staff": True,
            "late": late_rentals(user=user, today=today).count(),
            "alerts": len(expiry_alerts(user=user, today=today)),
            "open_prescriptions": Prescription.objects.visible_to(user).open().count(),
        }
    if can_prescribe(user):
        return {"staff": False, "open_prescriptions": Prescription.objects.visible_to(user).open().count()}
    return None


# What the latest diagnostic says of a person, for the other modules ----------------------------------------

# Only a permis B in force counts as held: one in progress, suspended or foreign (to be exchanged) does not.
DRIVING_LICENCES = {LicenceStatus.B}
OWN_VEHICLES = {MeansOfTransport.CAR, MeansOfTransport.SCOOTER}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def mobility_facts(*, held_on, licence: str, means: list) -> MobilityFacts:
    means = [m for m in means or [] if m in MeansOfTransport.values]
    has_licence = licence in DRIVING_LICENCES
    has_vehicle = bool(OWN_VEHICLES & set(means))
    scooter_with_am = licence == LicenceStatus.AM and MeansOfTransport.SCOOTER in means
    return MobilityFacts(
        source=f"diagnostic mobilité du {held_on:%d/%m/%Y}",
        licence=has_licence,
        vehicle=has_vehicle,
        drives=(has_licence and has_vehicle) or scooter_with_am,
        licence_label=_lower_first(LicenceStatus(licence).label),
        means_label=", ".join(_lower_first(MeansOfTransport(m).label) for m in means)
        or "aucun moyen de déplacement indiqué",
    )


class PersonMobility:
    """The "person_mobility" hook (tremplin.core.modules): the latest diagnostic the user may read, per person.

    The latest: the most recent date, then the last recorded. Read through `Diagnostic.objects.visible_to`: a
    référent whose structure did not prescribe never learns what the platform's diagnostic says."""

    @staticmethod
    def _latest(user):
        # One pass over the diagnostics the user may read, numbered per person from the latest.
        return (
            Diagnostic.objects.visible_to(user)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("prescription__person_id")],
                    order_by=[F("held_on").desc(), F("pk").desc()],
                )
            )
            .filter(rank=1)
        )

    def annotate(self, queryset, *, person: str, user):
        relation = f"{person}__mobility_prescriptions"
        diagnostic = "mobility_prescription__diagnostic"
        # One join: the person's prescription carrying her latest readable diagnostic (at most one).
        queryset = queryset.annotate(
            mobility_prescription=FilteredRelation(
                relation, condition=Q(**{f"{relation}__in": Subquery(self._latest(user).values("prescription_id"))})
            )
        ).alias(mobility_means_text=Cast(f"{diagnostic}__means", TextField()))

        def means(*values):
            condition = Q()
            for value in values:
                condition |= Q(mobility_means_text__contains=f'"{value}"')
            return condition

        def flag(condition):
            return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())

        licence = Q(**{f"{diagnostic}__licence__in": list(DRIVING_LICENCES)})
        vehicle = means(*OWN_VEHICLES)
        return queryset.annotate(
            mobility_diagnosed_on=F(f"{diagnostic}__held_on"),
            mobility_licence_status=F(f"{diagnostic}__licence"),
            mobility_means=F(f"{diagnostic}__means"),
            mobility_licence=flag(licence),
            mobility_vehicle=flag(vehicle),
            mobility_drives=flag(
                (licence & vehicle)
                | (Q(**{f"{diagnostic}__licence": LicenceStatus.AM}) & means(MeansOfTransport.SCOOTER))
            ),
        )

    @staticmethod
    def facts(row) -> MobilityFacts | None:
        if getattr(row, "mobility_diagnosed_on", None) is None:
            return None
        return mobility_facts(
            held_on=row.mobility_diagnosed_on, licence=row.mobility_licence_status, means=row.mobility_means
        )

    def for_person(self, person, *, user) -> MobilityFacts | None:
        diagnostic = self._latest(user).filter(prescription__person=person).first()
        if diagnostic is None:
            return None
        return mobility_facts(held_on=diagnostic.held_on, licence=diagnostic.licence, means=diagnostic.means)


person_mobility = PersonMobility()
