"""CV-free matching: how well a person's job search fits an offer, ranked in SQL and explained in French.

Nothing is sent to anyone: the ranking only helps a chargé·e de projet or a référent·e choose whom to propose.

The score is the sum of six parts, each computed by the database (`Case`/`When` over the person's job search
profile and the offer), so that 100,000 people rank in one query (benchmarks/companies_matching.py):

| part | points |
| --- | --- |
| métier (ROME) | same code +40, same group (3 first characters) +25, same domain (first letter) +10, else 0 |
| lieu | same commune +20; both in Dijon Métropole +15; elsewhere driving one's own vehicle +10; else −10 |
| permis B | offer requires it: held +10, not held −30; not required 0 |
| véhicule | offer requires one: has one +5, none −20; not required 0 |
| contrat | the person accepts the contract +10, refuses it −20, states no preference 0 |
| horaires | weekly hours within the person's range +10, above her maximum −20, below her minimum −5, unknown 0 |
| disponibilité | available by the start date +10, later −10, unknown 0 |

Licence, vehicle and driving one's own vehicle come from the mobility platform's latest diagnostic of the
person when there is one the user may read (the "person_mobility" hook of tremplin.core.modules, joined in the
same query: the companies module never imports mobility), from the person's job search profile otherwise, and
from the profile alone when the mobility module is absent or no user is given. The explanation names the
diagnostic and its date where it counted.

The best of the person's three ROME codes counts. Each part has distinct point values, so the explanation
of a row is read back from its parts (`explain`). The reverse (`offers_for_person`) uses the same expressions
with the person's values as constants and the offer's columns as fields.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Substr
from django.db.models.lookups import Exact, GreaterThan, LessThan, LessThanOrEqual

from tremplin.companies.enums import ContractType
from tremplin.companies.models import JobSearchProfile, Offer, Proposal
from tremplin.core.modules import PERSON_MOBILITY, MobilityFacts, modules
from tremplin.people.models import Person

ROME_POINTS = {"code": 40, "group": 25, "domain": 10, "none": 0}
PLACE_POINTS = {"commune": 20, "metropole": 15, "mobile": 10, "far": -10}
LICENCE_POINTS = {"held": 10, "missing": -30, "free": 0}
VEHICLE_POINTS = {"has": 5, "missing": -20, "free": 0}
CONTRACT_POINTS = {"accepted": 10, "refused": -20, "any": 0}
HOURS_POINTS = {"fits": 10, "too_many": -20, "too_few": -5, "unknown": 0}
AVAILABILITY_POINTS = {"ready": 10, "later": -10, "unknown": 0}
PARTS = (
    "rome_points",
    "place_points",
    "licence_points",
    "vehicle_points",
    "contract_points",
    "hours_points",
    "availability_points",
)
DEFAULT_LIMIT = 50


def _signed(points: int) -> str:
    return f"+{points}" if points >= 0 else f"−{-points}"


def _case(*whens, default):
    return Case(*whens, default=Value(default), output_field=IntegerField())


def _score_expressions(o: dict, p: dict) -> dict:
    """The parts of the score as SQL expressions. `o` and `p` map the offer's and the person's attributes to
    expressions (fields of the queried model, or constants of the other side)."""
    rome_whens = []
    for level, length in (("code", 5), ("group", 3), ("domain", 1)):
        condition = None
        for code in p["romes"]:
            match = Exact(Substr(o["rome"], 1, length), Substr(code, 1, length))
            condition = match if condition is None else (condition | Q(match))
        rome_whens.append(When(Q(condition), then=Value(ROME_POINTS[level])))
    mobile = Q(p["drives"])
    same_contract = Q(p["contract_accepted"])
    return {
        "rome_points": _case(*rome_whens, default=ROME_POINTS["none"]),
        "place_points": _case(
            When(Exact(o["commune"], p["commune"]), then=Value(PLACE_POINTS["commune"])),
            When(
                Q(Exact(o["metropole"], Value(True))) & Q(Exact(p["metropole"], Value(True))),
                then=Value(PLACE_POINTS["metropole"]),
            ),
            When(mobile, then=Value(PLACE_POINTS["mobile"])),
            default=PLACE_POINTS["far"],
        ),
        "licence_points": _case(
            When(
                Q(Exact(o["licence"], Value(True))) & Q(Exact(p["licence"], Value(True))),
                then=Value(LICENCE_POINTS["held"]),
            ),
            When(Exact(o["licence"], Value(True)), then=Value(LICENCE_POINTS["missing"])),
            default=LICENCE_POINTS["free"],
        ),
        "vehicle_points": _case(
            When(
                Q(Exact(o["vehicle"], Value(True))) & Q(Exact(p["vehicle"], Value(True))),
                then=Value(VEHICLE_POINTS["has"]),
            ),
            When(Exact(o["vehicle"], Value(True)), then=Value(VEHICLE_POINTS["missing"])),
            default=VEHICLE_POINTS["free"],
        ),
        "contract_points": _case(
            When(Exact(p["contracts"], Value("")), then=Value(CONTRACT_POINTS["any"])),
            When(same_contract, then=Value(CONTRACT_POINTS["accepted"])),
            default=CONTRACT_POINTS["refused"],
        ),
        "hours_points": _case(
            When(Q(o["hours_null"]), then=Value(HOURS_POINTS["unknown"])),
            When(Q(GreaterThan(o["hours"], p["max_hours"])), then=Value(HOURS_POINTS["too_many"])),
            When(Q(LessThan(o["hours"], p["min_hours"])), then=Value(HOURS_POINTS["too_few"])),
            When(Q(p["min_hours_null"]) & Q(p["max_hours_null"]), then=Value(HOURS_POINTS["unknown"])),
            default=HOURS_POINTS["fits"],
        ),
        "availability_points": _case(
            When(Q(p["available_null"]), then=Value(AVAILABILITY_POINTS["unknown"])),
            When(Q(LessThanOrEqual(p["available"], o["start"])), then=Value(AVAILABILITY_POINTS["ready"])),
            default=AVAILABILITY_POINTS["later"],
        ),
    }


def _total(parts: dict):
    total = None
    for expression in parts.values():
        total = expression if total is None else total + expression
    return total


def _flag(value: bool):
    """A constant condition, usable in When()."""
    return Value(value, output_field=BooleanField())


def _offer_constants(offer: Offer, today: date) -> dict:
    start = offer.starts_on or today
    hours = offer.weekly_hours
    return {
        "rome": Value(offer.rome_id),
        "commune": Value(offer.commune_id),
        "metropole": Value(bool(offer.commune.is_metropole)),
        "licence": Value(offer.requires_licence),
        "vehicle": Value(offer.requires_vehicle),
        "hours": Value(int(hours) if hours is not None else 0),
        "hours_null": _flag(hours is None),
        "start": Value(start),
    }


def _mobility_hook(user):
    """The mobility module's reader of diagnostics, or None (module absent, or no user to read them for)."""
    return modules.hook(PERSON_MOBILITY) if user is not None else None


def _profile_mobility(profiles, user) -> tuple:
    """(profiles, licence, vehicle, drives): the profiles joined to their latest diagnostic when the mobility
    module is there, and the expressions of the three facts (the diagnostic's, else the profile's)."""
    profile_drives = Q(has_licence=True, has_vehicle=True)
    mobility = _mobility_hook(user)
    if mobility is None:
        return profiles, F("has_licence"), F("has_vehicle"), profile_drives
    profiles = mobility.annotate(profiles, person="person", user=user)
    diagnosed = Q(mobility_diagnosed_on__isnull=False)

    def either(fact, fallback):
        return Case(When(diagnosed, then=F(fact)), default=F(fallback), output_field=BooleanField())

    drives = (diagnosed & Q(mobility_drives=True)) | (~diagnosed & profile_drives)
    return profiles, either("mobility_licence", "has_licence"), either("mobility_vehicle", "has_vehicle"), drives


def rank_people(offer: Offer, people, *, today: date, user=None, limit: int | None = DEFAULT_LIMIT):
    """The job search profiles of `people` (a Person queryset: the user's scope), best fit first.

    Each row carries its parts (`rome_points`…), `score` and `already_proposed`; `explain(row, offer)` says why.
    With `user`, the latest mobility diagnostic that user may read replaces the profile's licence and vehicle."""
    o = _offer_constants(offer, today)
    profiles = JobSearchProfile.objects.filter(is_active=True, person__in=people.in_registry())
    profiles, licence, vehicle, drives = _profile_mobility(profiles, user)
    p = {
        "romes": [F("rome_1_id"), F("rome_2_id"), F("rome_3_id")],
        "commune": F("person__commune_id"),
        "metropole": F("person__commune__is_metropole"),
        "licence": licence,
        "vehicle": vehicle,
        "drives": drives,
        "contracts": F("contract_types"),
        "contract_accepted": Q(contract_types__contains=f",{offer.contract_type},"),
        "max_hours": F("max_weekly_hours"),
        "min_hours": F("min_weekly_hours"),
        "min_hours_null": Q(min_weekly_hours__isnull=True),
        "max_hours_null": Q(max_weekly_hours__isnull=True),
        "available": F("available_from"),
        "available_null": Q(available_from__isnull=True),
    }
    parts = _score_expressions(o, p)
    profiles = (
        profiles.annotate(**parts)
        .annotate(
            score=_total({name: F(name) for name in parts}),
            already_proposed=Exists(Proposal.objects.filter(offer=offer, person_id=OuterRef("person_id"))),
        )
        # Only what the ranking page shows: joining the ROME labels of 100,000 rows before the sort costs.
        .select_related("person", "person__commune")
        .order_by("-score", "person__last_name", "person__first_name", "pk")
    )
    return profiles[:limit] if limit else profiles


def offers_for_person(
    profile: JobSearchProfile, offers, *, today: date, user=None, limit: int | None = DEFAULT_LIMIT
) -> list:
    """The reverse: the offers (a queryset, usually the open ones the user sees) that suit the person best, as
    a list; each row carries `mobility`, the facts of the diagnostic used (or None), for `explain`."""
    person = profile.person
    contracts = profile.accepted_contracts
    romes = [Value(code) for code in profile.rome_codes]
    mobility = _mobility_hook(user)
    facts = mobility.for_person(person, user=user) if mobility is not None else None
    if facts is not None:
        licence, vehicle, drives = facts.licence, facts.vehicle, facts.drives
    else:
        licence, vehicle = profile.has_licence, profile.has_vehicle
        drives = licence and vehicle
    p = {
        "romes": romes,
        "commune": Value(person.commune_id),
        "metropole": Value(bool(person.commune.is_metropole)),
        "licence": Value(licence),
        "vehicle": Value(vehicle),
        "drives": _flag(drives),
        "contracts": Value(profile.contract_types),
        "contract_accepted": Q(contract_type__in=contracts) if contracts else _flag(False),
        "max_hours": Value(profile.max_weekly_hours if profile.max_weekly_hours is not None else 10_000),
        "min_hours": Value(profile.min_weekly_hours if profile.min_weekly_hours is not None else 0),
        "min_hours_null": _flag(profile.min_weekly_hours is None),
        "max_hours_null": _flag(profile.max_weekly_hours is None),
        "available": Value(profile.available_from or today),
        "available_null": _flag(profile.available_from is None),
    }
    o = {
        "rome": F("rome_id"),
        "commune": F("commune_id"),
        "metropole": F("commune__is_metropole"),
        "licence": F("requires_licence"),
        "vehicle": F("requires_vehicle"),
        "hours": F("weekly_hours"),
        "hours_null": Q(weekly_hours__isnull=True),
        "start": Case(When(starts_on__isnull=True, then=Value(today)), default=F("starts_on")),
    }
    parts = _score_expressions(o, p)
    ranked = (
        offers.annotate(**parts)
        .annotate(
            score=_total({name: F(name) for name in parts}),
            already_proposed=Exists(Proposal.objects.filter(offer_id=OuterRef("pk"), person=person)),
        )
        .select_related("company", "commune", "rome")
        .order_by("-score", "starts_on", "pk")
    )
    rows = list(ranked[:limit] if limit else ranked)
    for row in rows:
        row.mobility = facts
    return rows


@dataclass(frozen=True)
class Reason:
    points: int
    text: str

    def __str__(self):
        return f"{self.text} ({_signed(self.points)})"


def mobility_of(row) -> MobilityFacts | None:
    """The diagnostic facts a ranked row was scored with, or None (scored on the job search profile)."""
    if hasattr(row, "mobility"):
        return row.mobility
    mobility = modules.hook(PERSON_MOBILITY)
    return mobility.facts(row) if mobility is not None else None


def explain(row, offer: Offer, profile: JobSearchProfile | None = None) -> list[Reason]:
    """Why a row (a ranked profile, or a ranked offer with `profile` given) got its score, in French."""
    profile = profile or row
    offer_row = row if isinstance(row, Offer) else offer
    facts = mobility_of(row)

    def after(text, detail):
        return f"{text} ({facts.source} : {detail})" if facts is not None else text

    reasons = []
    rome = row.rome_points
    if rome == ROME_POINTS["code"]:
        reasons.append(Reason(rome, f"même code ROME {offer_row.rome_id}"))
    elif rome == ROME_POINTS["group"]:
        reasons.append(Reason(rome, f"même groupe de métiers ({offer_row.rome_id[:3]})"))
    elif rome == ROME_POINTS["domain"]:
        reasons.append(Reason(rome, f"même domaine professionnel ({offer_row.rome_id[0]})"))
    else:
        reasons.append(Reason(rome, "métier recherché sans rapport avec le poste"))
    if row.place_points == PLACE_POINTS["commune"]:
        reasons.append(Reason(row.place_points, "habite la commune du poste"))
    elif row.place_points == PLACE_POINTS["metropole"]:
        reasons.append(Reason(row.place_points, "poste et domicile dans Dijon Métropole"))
    elif facts is not None:
        both = f"{facts.licence_label} ; {facts.means_label}"
        if row.place_points == PLACE_POINTS["mobile"]:
            reasons.append(Reason(row.place_points, after("autre commune, accessible avec son propre véhicule", both)))
        else:
            reasons.append(Reason(row.place_points, after("autre commune, hors de la métropole, sans véhicule", both)))
    elif row.place_points == PLACE_POINTS["mobile"]:
        reasons.append(Reason(row.place_points, "autre commune, accessible avec permis et véhicule"))
    else:
        reasons.append(Reason(row.place_points, "autre commune, hors de la métropole, sans permis et véhicule"))
    licence = facts.licence_label if facts is not None else ""
    if row.licence_points == LICENCE_POINTS["held"]:
        reasons.append(Reason(row.licence_points, after("permis B exigé, détenu", licence)))
    elif row.licence_points == LICENCE_POINTS["missing"]:
        reasons.append(Reason(row.licence_points, after("permis B exigé, non détenu", licence)))
    means = facts.means_label if facts is not None else ""
    if row.vehicle_points == VEHICLE_POINTS["has"]:
        reasons.append(Reason(row.vehicle_points, after("véhicule exigé, disponible", means)))
    elif row.vehicle_points == VEHICLE_POINTS["missing"]:
        reasons.append(Reason(row.vehicle_points, after("véhicule exigé, pas de véhicule", means)))
    contract = ContractType(offer_row.contract_type).label
    if row.contract_points == CONTRACT_POINTS["accepted"]:
        reasons.append(Reason(row.contract_points, f"contrat {contract} accepté"))
    elif row.contract_points == CONTRACT_POINTS["refused"]:
        reasons.append(Reason(row.contract_points, f"contrat {contract} non souhaité"))
    else:
        reasons.append(Reason(row.contract_points, "pas de préférence de contrat"))
    hours = offer_row.weekly_hours
    hours_text = f"{hours:g} h par semaine" if hours is not None else ""
    if row.hours_points == HOURS_POINTS["fits"]:
        reasons.append(Reason(row.hours_points, f"{hours_text}, dans les horaires souhaités"))
    elif row.hours_points == HOURS_POINTS["too_many"]:
        reasons.append(Reason(row.hours_points, f"{hours_text}, au-delà des {profile.max_weekly_hours} h souhaitées"))
    elif row.hours_points == HOURS_POINTS["too_few"]:
        reasons.append(Reason(row.hours_points, f"{hours_text}, en deçà des {profile.min_weekly_hours} h souhaitées"))
    else:
        reasons.append(Reason(row.hours_points, "horaires non renseignés"))
    if row.availability_points == AVAILABILITY_POINTS["ready"]:
        reasons.append(Reason(row.availability_points, "disponible à la prise de poste"))
    elif row.availability_points == AVAILABILITY_POINTS["later"]:
        reasons.append(
            Reason(row.availability_points, f"disponible seulement à partir du {profile.available_from:%d/%m/%Y}")
        )
    else:
        reasons.append(Reason(row.availability_points, "disponibilité non renseignée"))
    return reasons


def explanation(row, offer: Offer, profile: JobSearchProfile | None = None) -> str:
    return " ; ".join(str(reason) for reason in explain(row, offer, profile))


def scope_people(user):
    """The pool a user ranks: the people in her scope (a référent: those her structure follows)."""
    return Person.objects.visible_to(user)
