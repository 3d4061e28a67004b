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

from django.db.models import Q
from django.utils import timezone

from tremplin.mobility.enums import Licence, RentalStatus, VehicleKind, WorkshopKind
from tremplin.mobility.models import LicenceAid, Prescription, Registration, Rental, Vehicle
from tremplin.people.enums import FactKind, Sex
from tremplin.people.models import Person, SituationFact
from tremplin.reports.registry import Figure, PeriodKind, Unit, computed_once, registry, share

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


# The rows behind these figures (prescriptions, rentals, licence aids, workshops) are listed by the platform's
# own pages, within each user's rights; the report does not list them yet.
RECORDS_ELSEWHERE = (
    "le détail est dans les pages de la plateforme mobilité, selon les droits de chacun ; "
    "le rapport ne le liste pas encore"
)


def _age_band(age):
    return next(label for label, low, high in AGE_BANDS if low <= age <= high)


@registry.indicator(
    aggregate_only=RECORDS_ELSEWHERE,
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
    aggregate_only=RECORDS_ELSEWHERE,
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
    aggregate_only=RECORDS_ELSEWHERE,
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
    aggregate_only=RECORDS_ELSEWHERE,
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
    aggregate_only=RECORDS_ELSEWHERE,
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


def _rented_days(period, *, people=None, today=None) -> Counter:
    """Days of the period on which a vehicle was out, by kind of vehicle."""
    today = today or timezone.localdate()
    rentals = Rental.objects.filter(status__in=CHECKED_OUT, starts_on__lte=period.end).filter(
        Q(ends_on__gte=period.start) | Q(returned_on__gte=period.start) | Q(status=RentalStatus.ONGOING)
    )
    if people is not None:
        rentals = rentals.filter(prescription__person__in=people)
    days = Counter()
    for kind, starts_on, ends_on, returned_on, status in rentals.values_list(
        "vehicle__kind", "starts_on", "ends_on", "returned_on", "status"
    ):
        last = returned_on if status == RentalStatus.RETURNED else max(ends_on, min(today, period.end))
        first, last = max(starts_on, period.start), min(last, period.end)
        if last >= first:
            days[kind] += (last - first).days + 1
    return days


RENTED_DAYS = (
    "jours de la période où le véhicule était sorti : du début de la location au jour du retour pour une "
    "location rendue, au retour prévu (ou à aujourd'hui s'il est dépassé) pour une location en cours, bornes "
    "comprises ; les réservations non parties ne comptent pas"
)


@registry.indicator(
    aggregate_only=RECORDS_ELSEWHERE,
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


def available_vehicle_days(period) -> Counter:
    """Days of the period each vehicle belonged to the fleet (commissioned, not retired), by kind."""
    days = Counter()
    vehicles = Vehicle.objects.filter(commissioned_on__lte=period.end).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gte=period.start)
    )
    for kind, commissioned_on, retired_on in vehicles.values_list("kind", "commissioned_on", "retired_on"):
        first = max(commissioned_on, period.start)
        last = min(retired_on or period.end, period.end)
        days[kind] += (last - first).days + 1
    return days


@registry.indicator(
    aggregate_only=RECORDS_ELSEWHERE,
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
    aggregate_only=RECORDS_ELSEWHERE,
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
    aggregate_only=RECORDS_ELSEWHERE,
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
