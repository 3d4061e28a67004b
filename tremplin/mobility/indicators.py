"""Plateforme mobilité: the yearly figures of the platform (domain spec §5 and §8, seed report 2023).

Vocabulary shared by the definitions:
- a beneficiary of the period: a person with a prescription open during the period (prescribed on or
  before its last day, not closed before its first day), or present at a workshop session held in it;
- her reference day: the first day of the period on which she is a beneficiary (the prescription date
  or the period's first day, whichever is later; the session's date for a workshop); her age, and whether
  she lives in a QPV, are read on that day;
- territory: the commune of residence recorded in the registry (Dijon Métropole, rest of Côte-d'Or, or
  outside the department).
Population: the people of the user's scope (`Person.objects.counted_for`): everyone for the command line,
coordination, direction and aggregate-only users (small cells hidden for the latter). The fleet figures
(rental days, occupancy) are not personal data and count the whole fleet.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tremplin.mobility.enums import Licence, RentalStatus, VehicleKind, WorkshopKind
from tremplin.mobility.models import LicenceAid, Prescription, Registration, Rental, Vehicle
from tremplin.mobility.perms import is_mobility_staff
from tremplin.people.enums import FactKind, Sex
from tremplin.people.models import Person, SituationFact
from tremplin.reports.registry import Figure, Period, PeriodKind, RecordColumn, Unit, computed_once, registry, share

AREA = "Plateforme mobilité"
SCOPE = "Population : les personnes du périmètre de l'utilisateur ; tout le monde en ligne de commande."
BENEFICIARY = (
    "personne ayant une prescription à la plateforme ouverte pendant la période (prescrite au plus tard son "
    "dernier jour, non close avant son premier jour) ou présente à une séance d'atelier de la période"
)
REFERENCE_DAY = (
    "L'âge et la résidence en QPV sont lus au premier jour de la période où la personne est bénéficiaire "
    "(date de prescription ou début de la période, date de la séance pour un atelier)."
)
AGE_BANDS = [("moins de 15 ans", 0, 14), ("15-17 ans", 15, 17), ("18-25 ans", 18, 25), ("26-44 ans", 26, 44)]
AGE_BANDS.append(("45 ans et plus", 45, 200))
METROPOLE, REST_OF_DEPARTMENT, OUTSIDE = "Dijon Métropole", "Reste de la Côte-d'Or", "Hors Côte-d'Or"
IN_QPV, NOT_IN_QPV = "En QPV", "Hors QPV"
INTEGRATION = "Public de la politique d'intégration"
SEX_LABELS = {Sex.WOMAN: "Femmes", Sex.MAN: "Hommes", Sex.NON_BINARY: "Non binaire"}
CHECKED_OUT = [RentalStatus.ONGOING, RentalStatus.RETURNED]


@dataclass(frozen=True)
class Beneficiary:
    age: int
    sex: str
    qpv: bool
    territory: str
    integration: bool


def _people(user):
    return Person.objects.counted_for(user)


def beneficiaries(period, user) -> list[Beneficiary]:
    return computed_once(
        ("mobility.beneficiaries", period, getattr(user, "pk", None)), lambda: _beneficiaries(period, user)
    )


def _beneficiaries(period, user) -> list[Beneficiary]:
    people = _people(user)
    reference: dict[int, datetime.date] = {}
    integration: dict[int, bool] = defaultdict(bool)
    prescriptions = Prescription.objects.filter(person__in=people, prescribed_on__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )
    for person_id, prescribed_on, policy in prescriptions.values_list(
        "person_id", "prescribed_on", "integration_policy"
    ):
        day = max(prescribed_on, period.start)
        reference[person_id] = min(reference.get(person_id, day), day)
        integration[person_id] |= policy
    attended = Registration.objects.filter(
        person__in=people, attended=True, session__held_on__range=(period.start, period.end)
    )
    for person_id, held_on in attended.values_list("person_id", "session__held_on"):
        reference[person_id] = min(reference.get(person_id, held_on), held_on)
    qpv_facts = defaultdict(list)
    facts = SituationFact.objects.filter(kind=FactKind.QPV_RESIDENCE, person_id__in=reference, qpv__isnull=False)
    for person_id, started_on, ended_on in facts.asserted().values_list("person_id", "started_on", "ended_on"):
        qpv_facts[person_id].append((started_on, ended_on))
    result = []
    rows = Person.objects.filter(pk__in=reference).values_list(
        "pk", "birth_date", "sex", "commune__is_metropole", "commune__department"
    )
    for pk, birth_date, sex, is_metropole, department in rows:
        day = reference[pk]
        age = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
        in_qpv = any(start <= day and (end is None or end >= day) for start, end in qpv_facts[pk])
        territory = METROPOLE if is_metropole else REST_OF_DEPARTMENT if department == "21" else OUTSIDE
        result.append(Beneficiary(age, sex, in_qpv, territory, integration[pk]))
    return result


# The rows behind the figures --------------------------------------------------------------------------
# Listed within what the user may read: prescriptions, rentals and licence aids through Prescription's door
# (a prescriber sees the prescriptions of her structure), workshop attendance through the person's, the fleet
# for the platform's staff and readers only. The command line (user None) lists everything.


def _visible(queryset, user):
    return queryset.all() if user is None else queryset.visible_to(user)


def _open_prescriptions(period, user):
    return _visible(Prescription.objects, user).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start),
        person__in=_people(user),
        prescribed_on__lte=period.end,
    )


def _attended(period, user):
    return _visible(Registration.objects, user).filter(
        person__in=_people(user), attended=True, session__held_on__range=(period.start, period.end)
    )


def _beneficiary_records(*, period, user):
    """The beneficiaries of the period the user may read: the denominator of the shares, the value of the count."""
    prescriptions = _open_prescriptions(period, user)
    attended = _attended(period, user)
    return (
        Person.objects.filter(Q(pk__in=prescriptions.values("person_id")) | Q(pk__in=attended.values("person_id")))
        .annotate(
            period_prescribed_on=Subquery(
                prescriptions.filter(person=OuterRef("pk")).order_by("prescribed_on").values("prescribed_on")[:1]
            ),
            period_sessions=Coalesce(
                Subquery(
                    attended.filter(person=OuterRef("pk"))
                    .order_by()
                    .values("person")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        )
        .select_related("commune")
        .order_by("last_name", "first_name", "pk")
    )


def _commune(person) -> str:
    if person.commune is None:
        return ""
    return f"{person.commune.name} (Dijon Métropole)" if person.commune.is_metropole else person.commune.name


BENEFICIARY_RECORDS = {
    "records": _beneficiary_records,
    "record_columns": (
        RecordColumn("Personne", lambda p: p.full_name, lambda p: p.get_absolute_url()),
        RecordColumn("Commune de résidence", _commune),
        RecordColumn("Né·e le", lambda p: p.birth_date),
        RecordColumn("Prescription ouverte dans la période, depuis le", lambda p: p.period_prescribed_on),
        RecordColumn("Présences aux ateliers de la période", lambda p: p.period_sessions),
    ),
}


def _person_of(record):
    return record.prescription.person


def _person_column():
    return RecordColumn("Personne", lambda r: _person_of(r).full_name, lambda r: _person_of(r).get_absolute_url())


def _rental_records(*, period, user):
    return (
        _visible(Rental.objects, user)
        .active()
        .filter(prescription__person__in=_people(user), starts_on__range=(period.start, period.end))
        .select_related("prescription__person", "vehicle")
        .order_by("starts_on", "pk")
    )


RENTAL_COLUMNS = (
    RecordColumn("Location", lambda r: r.reference, lambda r: r.get_absolute_url()),
    _person_column(),
    RecordColumn("Véhicule", lambda r: str(r.vehicle)),
    RecordColumn("Début", lambda r: r.starts_on),
    RecordColumn("Retour prévu", lambda r: r.ends_on),
    RecordColumn("Statut", lambda r: r.get_status_display()),
)


def _rented_day_records(*, period, user):
    return (
        _checked_out(period)
        .filter(pk__in=_visible(Rental.objects, user).values("pk"), prescription__person__in=_people(user))
        .select_related("prescription__person", "vehicle")
        .annotate(period_start=Value(period.start), period_end=Value(period.end))
        .order_by("starts_on", "pk")
    )


def _period_days_out(rental) -> int:
    return days_out(
        Period(rental.period_start, rental.period_end),
        starts_on=rental.starts_on,
        ends_on=rental.ends_on,
        returned_on=rental.returned_on,
        status=rental.status,
    )


def _licence_records(*, period, user):
    return (
        _visible(LicenceAid.objects, user)
        .filter(prescription__person__in=_people(user), obtained_on__range=(period.start, period.end))
        .select_related("prescription__person")
        .order_by("obtained_on", "pk")
    )


def _workshop_records(*, period, user):
    attended = _attended(period, user)
    return (
        Person.objects.filter(pk__in=attended.values("person_id"))
        .annotate(
            period_sessions=Subquery(
                attended.filter(person=OuterRef("pk")).order_by().values("person").annotate(n=Count("pk")).values("n")
            ),
            first_session_on=Subquery(
                attended.filter(person=OuterRef("pk")).order_by("session__held_on").values("session__held_on")[:1]
            ),
        )
        .select_related("commune")
        .order_by("last_name", "first_name", "pk")
    )


def _fleet_records(*, period, user):
    """The fleet of the period (a few dozen vehicles, no personal data), each with its days: a list."""
    if user is not None and not is_mobility_staff(user):
        return []
    rented = _rented_days(period, by="vehicle_id")
    vehicles = list(_fleet(period).order_by("kind", "identifier"))
    for vehicle in vehicles:
        vehicle.fleet_days = days_in_fleet(
            period, commissioned_on=vehicle.commissioned_on, retired_on=vehicle.retired_on
        )
        vehicle.rented_days = rented[vehicle.pk]
    return vehicles


def _age_band(age):
    return next(label for label, low, high in AGE_BANDS if low <= age <= high)


@registry.indicator(
    **BENEFICIARY_RECORDS,
    id="mobility.beneficiaries",
    label="Bénéficiaires de la plateforme mobilité",
    definition=(
        f"Nombre de personnes distinctes bénéficiaires de la période : {BENEFICIARY}. {REFERENCE_DAY} "
        "Ventilations : tranche d'âge, sexe, QPV, territoire (commune de résidence), public de la politique "
        f"d'intégration (case cochée sur une prescription ouverte pendant la période). {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("tranche d'âge", "sexe", "QPV", "territoire", "politique d'intégration"),
    area=AREA,
)
def mobility_beneficiaries(*, period, user):
    people = beneficiaries(period, user)
    breakdown = dict.fromkeys([label for label, *_ in AGE_BANDS], 0)
    breakdown.update(Counter(_age_band(b.age) for b in people))
    for value, label in SEX_LABELS.items():
        breakdown[label] = sum(1 for b in people if b.sex == value)
    breakdown[IN_QPV] = sum(1 for b in people if b.qpv)
    breakdown[NOT_IN_QPV] = len(people) - breakdown[IN_QPV]
    for territory in (METROPOLE, REST_OF_DEPARTMENT, OUTSIDE):
        breakdown[territory] = sum(1 for b in people if b.territory == territory)
    breakdown[INTEGRATION] = sum(1 for b in people if b.integration)
    return Figure(value=len(people), breakdown=breakdown)


def _share_of_beneficiaries(period, user, test):
    people = beneficiaries(period, user)
    return Figure(value=share(sum(1 for b in people if test(b)), len(people)), denominator=len(people))


@registry.indicator(
    **BENEFICIARY_RECORDS,
    id="mobility.qpv_share",
    label="Part des bénéficiaires de la plateforme mobilité résidant en QPV",
    definition=(
        "Parmi les bénéficiaires de la période (mobility.beneficiaries), part de celles et ceux qui résident "
        "dans un quartier prioritaire à leur jour de référence (fait « résidence en QPV » en cours ce jour-là, "
        f"hors « ne souhaite pas répondre »). {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator="bénéficiaires de la période (mobility.beneficiaries)",
    area=AREA,
)
def mobility_qpv_share(*, period, user):
    return _share_of_beneficiaries(period, user, lambda b: b.qpv)


@registry.indicator(
    **BENEFICIARY_RECORDS,
    id="mobility.metropole_share",
    label="Part des bénéficiaires de la plateforme mobilité habitant Dijon Métropole",
    definition=(
        "Parmi les bénéficiaires de la période (mobility.beneficiaries), part de celles et ceux dont la commune "
        f"de résidence enregistrée est l'une des 23 communes de Dijon Métropole. {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator="bénéficiaires de la période (mobility.beneficiaries)",
    area=AREA,
)
def mobility_metropole_share(*, period, user):
    return _share_of_beneficiaries(period, user, lambda b: b.territory == METROPOLE)


@registry.indicator(
    **BENEFICIARY_RECORDS,
    id="mobility.under_26_share",
    label="Part des bénéficiaires de la plateforme mobilité de moins de 26 ans",
    definition=(
        "Parmi les bénéficiaires de la période (mobility.beneficiaries), part de celles et ceux qui ont moins "
        f"de 26 ans à leur jour de référence (15-17 ans compris). {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator="bénéficiaires de la période (mobility.beneficiaries)",
    area=AREA,
)
def mobility_under_26_share(*, period, user):
    return _share_of_beneficiaries(period, user, lambda b: b.age < 26)


def _kind_breakdown(counter):
    return {label: counter.get(value, 0) for value, label in VehicleKind.choices}


@registry.indicator(
    records=_rental_records,
    record_columns=RENTAL_COLUMNS,
    id="mobility.rentals",
    label="Locations de véhicules",
    definition=(
        "Nombre de locations (réservées, en cours ou rendues, hors annulées) dont le premier jour est dans la "
        f"période. Ventilation : type de véhicule. {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("type de véhicule",),
    area=AREA,
)
def mobility_rentals(*, period, user):
    rentals = Rental.objects.active().filter(
        prescription__person__in=_people(user), starts_on__range=(period.start, period.end)
    )
    counter = Counter(rentals.values_list("vehicle__kind", flat=True))
    return Figure(value=sum(counter.values()), breakdown=_kind_breakdown(counter))


def _checked_out(period):
    """Rentals whose vehicle may have been out during the period."""
    return Rental.objects.filter(status__in=CHECKED_OUT, starts_on__lte=period.end).filter(
        Q(ends_on__gte=period.start) | Q(returned_on__gte=period.start) | Q(status=RentalStatus.ONGOING)
    )


def days_out(period, *, starts_on, ends_on, returned_on, status, today=None) -> int:
    """Days of the period on which a checked-out rental's vehicle was out."""
    today = today or timezone.localdate()
    last = returned_on if status == RentalStatus.RETURNED else max(ends_on, min(today, period.end))
    first, last = max(starts_on, period.start), min(last, period.end)
    return (last - first).days + 1 if last >= first else 0


def _rented_days(period, *, people=None, today=None, by="vehicle__kind") -> Counter:
    """Days of the period on which a vehicle was out, by kind of vehicle (or by `by`)."""
    rentals = _checked_out(period)
    if people is not None:
        rentals = rentals.filter(prescription__person__in=people)
    days = Counter()
    for key, starts_on, ends_on, returned_on, status in rentals.values_list(
        by, "starts_on", "ends_on", "returned_on", "status"
    ):
        days[key] += days_out(
            period, starts_on=starts_on, ends_on=ends_on, returned_on=returned_on, status=status, today=today
        )
    return days


RENTED_DAYS = (
    "jours de la période où le véhicule était sorti : du début de la location au jour du retour pour une "
    "location rendue, au retour prévu (ou à aujourd'hui s'il est dépassé) pour une location en cours, bornes "
    "comprises ; les réservations non parties ne comptent pas"
)


@registry.indicator(
    records=_rented_day_records,
    record_columns=(
        *RENTAL_COLUMNS,
        RecordColumn("Jours de sortie dans la période", _period_days_out),
    ),
    id="mobility.rental_days",
    label="Jours de location",
    definition=f"Somme, sur les locations, des {RENTED_DAYS}. Ventilation : type de véhicule. {SCOPE}",
    unit=Unit.COUNT,
    breakdowns=("type de véhicule",),
    area=AREA,
)
def mobility_rental_days(*, period, user):
    days = _rented_days(period, people=_people(user))
    return Figure(value=sum(days.values()), breakdown=_kind_breakdown(days))


def _fleet(period):
    return Vehicle.objects.filter(commissioned_on__lte=period.end).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gte=period.start)
    )


def days_in_fleet(period, *, commissioned_on, retired_on) -> int:
    first = max(commissioned_on, period.start)
    last = min(retired_on or period.end, period.end)
    return (last - first).days + 1


def available_vehicle_days(period) -> Counter:
    """Days of the period each vehicle belonged to the fleet (commissioned, not retired), by kind."""
    days = Counter()
    for kind, commissioned_on, retired_on in _fleet(period).values_list("kind", "commissioned_on", "retired_on"):
        days[kind] += days_in_fleet(period, commissioned_on=commissioned_on, retired_on=retired_on)
    return days


@registry.indicator(
    records=_fleet_records,
    record_columns=(
        RecordColumn("Véhicule", str, lambda v: v.get_absolute_url()),
        RecordColumn("Type", lambda v: v.get_kind_display()),
        RecordColumn("Jours dans la flotte", lambda v: v.fleet_days),
        RecordColumn("Jours loués", lambda v: v.rented_days),
    ),
    id="mobility.fleet_occupancy",
    label="Occupation de la flotte (jours loués sur jours disponibles)",
    definition=(
        f"Jours-véhicules loués (les {RENTED_DAYS}) rapportés aux jours-véhicules disponibles : jours de la "
        "période où chaque véhicule appartenait à la flotte (de sa mise en service à sa sortie). Toute la "
        "flotte, quel que soit l'utilisateur. Ventilation : taux par type de véhicule."
    ),
    unit=Unit.SHARE,
    period_kind=PeriodKind.FLOW,
    denominator="jours-véhicules disponibles de la période",
    breakdowns=("type de véhicule",),
    area=AREA,
)
def mobility_fleet_occupancy(*, period, user):
    rented, available = _rented_days(period), available_vehicle_days(period)
    breakdown = {label: share(rented[value], available[value]) for value, label in VehicleKind.choices}
    total = sum(available.values())
    return Figure(value=share(sum(rented.values()), total), denominator=total, breakdown=breakdown)


@registry.indicator(
    records=_licence_records,
    record_columns=(
        _person_column(),
        RecordColumn("Permis", lambda a: a.get_licence_display(), lambda a: a.prescription.get_absolute_url()),
        RecordColumn("Auto-école", lambda a: a.driving_school),
        RecordColumn("Obtenu le", lambda a: a.obtained_on),
        RecordColumn("Financement total (€)", lambda a: a.total_financing),
    ),
    id="mobility.licences_obtained",
    label="Permis obtenus avec une aide de la plateforme",
    definition=(
        "Nombre d'aides au permis dont la date d'obtention du permis est dans la période. "
        f"Ventilation : permis AM, permis B. {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("permis",),
    area=AREA,
)
def mobility_licences_obtained(*, period, user):
    aids = LicenceAid.objects.filter(
        prescription__person__in=_people(user), obtained_on__range=(period.start, period.end)
    )
    counter = Counter(aids.values_list("licence", flat=True))
    return Figure(
        value=sum(counter.values()), breakdown={label: counter.get(value, 0) for value, label in Licence.choices}
    )


@registry.indicator(
    records=_workshop_records,
    record_columns=(
        RecordColumn("Personne", lambda p: p.full_name, lambda p: p.get_absolute_url()),
        RecordColumn("Commune de résidence", _commune),
        RecordColumn("Première séance de la période", lambda p: p.first_session_on),
        RecordColumn("Présences aux séances de la période", lambda p: p.period_sessions),
    ),
    id="mobility.workshop_participants",
    label="Participant·es aux ateliers et formations mobilité",
    definition=(
        "Nombre de personnes distinctes présentes à au moins une séance d'atelier tenue dans la période "
        "(inscrites et marquées présentes). Ventilation : personnes distinctes par atelier (une personne venue "
        f"à deux ateliers différents compte dans chacun). {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("atelier",),
    area=AREA,
)
def mobility_workshop_participants(*, period, user):
    present = Registration.objects.filter(
        person__in=_people(user), attended=True, session__held_on__range=(period.start, period.end)
    )
    pairs = set(present.values_list("session__kind", "person_id"))
    by_kind = Counter(kind for kind, _ in pairs)
    return Figure(
        value=len({person for _, person in pairs}),
        breakdown={label: by_kind.get(value, 0) for value, label in WorkshopKind.choices},
    )
