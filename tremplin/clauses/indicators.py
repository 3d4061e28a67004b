"""Clauses d'insertion: the yearly figures of the service (domain spec §4 and §8, seed reports 2017 and 2023).

Counted hours come from the counting module, never recomputed here: every monthly record carries its
`counted_hours`, kept equal to the counting rules by counting.py whenever what they depend on changes
(`refresh_counted_hours`); `cdi_equivalence_hours` values the CDI hires that a convention values at a fixed
number of hours.

Cost. Whatever the number of records, the figures of a period and a scope rest on one query (`period_hours`,
the pass): the period's records summed by placement in the database (the stored column, reached through the
index on the month), then joined to their placements for the operation (sector, buyer), mode, contract, employer
(and its kind) and person (and sex), with the CDI hires valued by conventions as rows of the same shape; from
these rows, computed once, the database adds up the hours per sector, mode and contract, counts the operations,
buyers, companies and people with hours (and the QPV residents among them) and ranks the operations: a few
dozen rows reach Python, not one per placement. Plus small queries on placements (hires), lots and operations'
names. Figures evaluated together (the activity report, the registry's `evaluate_all`, one web request) compute
the pass once (`shared_computations` of the registry); a figure evaluated alone runs its own queries.

Vocabulary shared by the definitions:
- a record "of the period": a monthly hours record whose month (its first day) lies between the first
  day of the month of the period start and the period end: every month with at least one day in the
  period counts, once;
- "with hours": at least one record of the period with counted hours (> 0), or a CDI hire started in the
  period and valued in hours by the convention of its operation;
- hours count on the operation of the placement's lot (globalisation included, see counting.py).

Population: clauses figures are not personal data. The command line, internal users and
aggregate-only users (funders) count every operation; a buyer counts the operations it orders or owns
(within `Operation.objects.visible_to`); other external users (companies) count none.
"""

import calendar
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, Count, F, Max, Min, Q, Sum, Value, When

from tremplin.accounts.enums import Role
from tremplin.clauses.counting import PLACEMENT_CONVENTION, cdi_valued_hires
from tremplin.clauses.enums import PLACEMENT_CONTRACT_CHOICES, FulfilmentMode, HireContract, Sector
from tremplin.clauses.models import HoursRecord, Lot, Operation, Placement
from tremplin.clauses.perms import is_clauses_staff
from tremplin.people.enums import REFUSED, FactKind, Sex
from tremplin.people.models import SituationFact
from tremplin.reports.registry import (
    Figure,
    PeriodKind,
    RecordColumn,
    Unit,
    computed_once,
    registry,
    share,
)
from tremplin.structures.enums import Activity, OrganizationKind, SiaeType

AREA = "Clauses d'insertion"
ZERO = Decimal("0.00")
TOP_OPERATIONS = 10

# Contracts that make a placement a hire (embauche), as the 2017 report counts them (CDI, CDD, contrat
# de professionnalisation, formation qualifiante) plus apprenticeship; interim missions (intérim, CTTI)
# and insertion contracts of the SIAE (CDDI) are not hires by the company.
HIRE_CONTRACTS = [
    HireContract.CDI,
    HireContract.CDD,
    HireContract.PROFESSIONALISATION,
    HireContract.APPRENTICESHIP,
    HireContract.QUALIFYING_TRAINING,
]

# Kinds of companies, in the order of the yearly reports (seed 000: building 117, public works 11,
# services 23, EI/AI/ACI 11, ESAT 7, EA 1, ETTI 8, GEIQ 1), with the labels of Organization.company_kind
# ("other activity" and "not given" merged). A SIAE is classified by its type, whatever its activity.
OTHER_KIND = "Autre ou non renseigné"
COMPANY_KIND_LABELS = [
    "Bâtiment",
    "Travaux publics",
    "Services",
    "EI/AI/ACI",
    "ESAT",
    "Entreprise adaptée (EA)",
    "ETTI",
    "GEIQ",
    OTHER_KIND,
]

HOURS_DEFINITION = (
    "Heures comptées selon la convention de comptage de chaque opération (tremplin/clauses/counting.py) : "
    "heures travaillées des relevés mensuels de la période (mois dont au moins un jour est dans la période), "
    "plus les heures de formation des contrats en alternance si la convention les retient, plus la "
    "sous-traitance déclarée en euros convertie au taux horaire de la convention ; les heures effectuées sur "
    "une autre opération ne comptent que sous un accord de globalisation en vigueur ce mois-là ; les "
    "modalités que la convention ne retient pas et les marchés d'insertion (sans heures) comptent 0 ; s'y "
    "ajoute, pour chaque embauche en CDI commencée dans la période, l'équivalence en heures prévue par la "
    "convention. Deux décimales."
)
WITH_HOURS = (
    "ayant des heures sur la période : au moins un relevé mensuel de la période avec des heures comptées "
    "(plus de 0), ou une embauche en CDI commencée dans la période et valorisée en heures par la convention"
)
SCOPE = (
    "Périmètre : toutes les opérations pour la ligne de commande, les utilisateurs internes et les "
    "financeurs (les chiffres des clauses ne sont pas des données personnelles) ; pour un donneur d'ordre, "
    "les opérations dont il est donneur d'ordre ou maître d'ouvrage ; aucune pour les autres utilisateurs "
    "externes (entreprises)."
)
EMPLOYEES_DENOMINATOR = "salarié·es en clause sur la période (clauses.employees)"
HOURS_DENOMINATOR = "heures d'insertion réalisées sur la période (clauses.hours_realised, en heures)"


def coverage(user):
    """(first, last) day of the months with hours statements: a period beyond them has no data rather than 0
    (`reports.registry.partial_data`)."""
    months = HoursRecord.objects.aggregate(first=Min("month"), last=Max("month"))
    if months["last"] is None:
        return (None, None)
    last = months["last"]
    return (months["first"], last.replace(day=calendar.monthrange(last.year, last.month)[1]))


def _indicator(**kwargs):
    kwargs.setdefault("area", AREA)
    kwargs.setdefault("period_kind", PeriodKind.FLOW)
    kwargs.setdefault("coverage", coverage)
    # Whole-territory figures: unmasked for the clauses team only (reports/masking.py); référents,
    # prescribers, mobility advisers and project officers see them with small counts masked.
    kwargs.setdefault("unmasked_for", is_clauses_staff)
    return registry.indicator(**kwargs)


# Sharing the pass within one report or one page ---------------------------------------------


def _once(name, period, user, compute):
    scope = None if operations_for(user) is None else user.pk
    return computed_once(("clauses", name, period, scope), compute)


# Population --------------------------------------------------------------------------------


def operations_for(user):
    """The operations behind the figures, or None for every operation (no filter, no join): a buyer's
    own (as buyer or owner, within `Operation.objects.visible_to`), none for other external users."""
    if user is None or user.sees_aggregates:
        return None
    buyers = user.organization_ids(Role.BUYER)
    return Operation.objects.visible_to(user).filter(Q(buyer_id__in=buyers) | Q(owner_id__in=buyers))


def _scoped(queryset, user, operation_path):
    operations = operations_for(user)
    if operations is None:
        return queryset
    return queryset.filter(**{f"{operation_path}__in": operations.values("pk")})


def records(period, user):
    """Monthly hours records of the period, with their `counted_hours` (kept by counting.py)."""
    queryset = HoursRecord.objects.filter(month__gte=period.start.replace(day=1), month__lte=period.end)
    return _scoped(queryset, user, "placement__lot__market__operation")


def started_placements(period, user):
    """Placements started in the period (hires, CDI equivalences)."""
    queryset = Placement.objects.filter(started_on__range=(period.start, period.end))
    return _scoped(queryset, user, "lot__market__operation")


def company_kind(prefix=""):
    """The kind of a company for the reports, in SQL (the labels of Organization.company_kind);
    `prefix` reaches the organization from another model ("placement__employer__")."""

    def q(**lookups):
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    siae = q(kind=OrganizationKind.SIAE)
    kinds = [
        ("EI/AI/ACI", siae & q(siae_type__in=[SiaeType.EI, SiaeType.AI, SiaeType.ACI])),
        ("ETTI", siae & q(siae_type=SiaeType.ETTI)),
        ("GEIQ", siae & q(siae_type=SiaeType.GEIQ)),
        ("Bâtiment", ~siae & q(activity=Activity.BUILDING)),
        ("Travaux publics", ~siae & q(activity=Activity.PUBLIC_WORKS)),
        ("Services", ~siae & q(activity=Activity.SERVICES)),
        ("ESAT", ~siae & q(activity=Activity.ESAT)),
        ("Entreprise adaptée (EA)", ~siae & q(activity=Activity.ADAPTED)),
    ]
    return Case(
        *[When(condition, then=Value(label)) for label, condition in kinds],
        default=Value(OTHER_KIND),
        output_field=CharField(),
    )


# The records behind the figures -------------------------------------------------------------


def _visible_placements(user):
    return Placement.objects.all() if user is None else Placement.objects.visible_to(user)


def placements_with_hours(*, period, user):
    """The placements behind the hours figures: counted hours in the period (a monthly record, or a CDI hire
    valued by its convention), with their hours of the period's records (`period_hours`)."""
    with_records = records(period, user).filter(counted_hours__gt=0).values("placement")
    cdi = cdi_valued_hires(started_placements(period, user)).values("pk")
    return (
        _visible_placements(user)
        .filter(Q(pk__in=with_records) | Q(pk__in=cdi))
        .annotate(
            period_hours=Sum(
                "hours__counted_hours",
                filter=Q(hours__month__gte=period.start.replace(day=1), hours__month__lte=period.end),
            )
        )
        .select_related("person", "employer", "lot__market__operation")
        .order_by("lot__market__operation__name", "person__last_name", "pk")
    )


def hire_placements(*, period, user):
    return (
        started_placements(period, user)
        .filter(contract__in=HIRE_CONTRACTS, pk__in=_visible_placements(user).values("pk"))
        .select_related("person", "employer", "lot__market__operation")
        .order_by("started_on", "pk")
    )


PLACEMENT_COLUMNS = (
    RecordColumn("Personne", lambda p: p.person.full_name),
    RecordColumn(
        "Opération", lambda p: p.lot.market.operation.name, lambda p: p.lot.market.operation.get_absolute_url()
    ),
    RecordColumn("Employeur", lambda p: p.employer.name),
    RecordColumn("Modalité", lambda p: p.get_mode_display()),
    RecordColumn("Contrat", lambda p: p.get_contract_display()),
    RecordColumn("Début", lambda p: p.started_on),
)
HOURS_RECORDS = {
    "records": placements_with_hours,
    "record_columns": (
        *PLACEMENT_COLUMNS,
        RecordColumn("Heures des relevés de la période", lambda p: p.period_hours),
    ),
}


# The pass ---------------------------------------------------------------------------------

# What a row of the pass carries (one placement with records in the period, or one CDI hire valued by its
# convention), as Placement lookups; employer_kind is annotated by `_described_placements`. The name on the
# left is the row's column in the pass.
_PLACEMENT_FIELDS = {
    "operation": "lot__market__operation",
    "sector": "lot__market__operation__sector",
    "buyer": "lot__market__operation__buyer",
    "mode": "mode",
    "contract": "contract",
    "employer": "employer",
    "employer_kind": "employer_kind",
    "person": "person",
    "sex": "person__sex",
}


def _described_placements(queryset=None):
    return (Placement.objects.all() if queryset is None else queryset).annotate(
        employer_kind=company_kind("employer__")
    )


def _decimal(value) -> Decimal:
    """A sum read without the ORM's converters: a Decimal on PostgreSQL, a float or an int on SQLite."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(ZERO)


def _compiled(queryset):
    """(sql, params) of a queryset, or None when it can match nothing (a scope without operations)."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None


def _rows_sql(period, user):
    """The rows of the pass as one SQL (sql, params), or None when there can be none: the period's records
    summed by placement, then described by their placement (grouping first and joining the ten times fewer
    groups, where the ORM would join every record before grouping: about twice as slow at 10 million records),
    and the CDI hires valued by their convention, with its equivalence as their hours."""
    quote = connection.ops.quote_name
    parts, params = [], []
    totals = _compiled(records(period, user).values("placement").annotate(total=Sum("counted_hours")).order_by())
    if totals is not None:
        described, described_params = _compiled(
            _described_placements().values_list("pk", *_PLACEMENT_FIELDS.values()).order_by()
        )
        # Both sides are compiled by the ORM; the derived tables' columns keep the names of their SELECT (the
        # lookups of `_PLACEMENT_FIELDS` and "pk"; "placement" and "total").
        columns = ", ".join(
            f"described.{quote(lookup)} AS {quote(name)}" for name, lookup in _PLACEMENT_FIELDS.items()
        )
        parts.append(
            f"SELECT {columns}, totals.total AS hours FROM ({described}) described "
            f"INNER JOIN ({totals[0]}) totals ON totals.placement = described.pk"
        )
        params += [*described_params, *totals[1]]
    cdi = _compiled(
        _described_placements(cdi_valued_hires(started_placements(period, user)))
        .annotate(equivalence=F(f"{PLACEMENT_CONVENTION}cdi_equivalence_hours"))
        .values_list(*_PLACEMENT_FIELDS.values(), "equivalence")
        .order_by()
    )
    if cdi is not None:
        columns = ", ".join(f"cdi.{quote(lookup)} AS {quote(name)}" for name, lookup in _PLACEMENT_FIELDS.items())
        parts.append(f"SELECT {columns}, cdi.equivalence AS hours FROM ({cdi[0]}) cdi")
        params += cdi[1]
    if not parts:
        return None
    return " UNION ALL ".join(parts), params


# The sums and counts the figures read, grouped in the database from the rows of the pass: (kind, key, hours,
# count). "With hours" is a row with positive hours: counted hours are never negative (hours and training hours
# by constraint, amounts and conversion rates by validation) and CDI equivalences are positive, so a placement's
# sum is positive exactly when one of its records has counted hours, and a cell (operation, employer…) has hours
# exactly when one of its rows has.
_GROUPS = """
SELECT 'total', NULL, SUM(hours), COUNT(DISTINCT CASE WHEN hours > 0 THEN buyer END) FROM pass
UNION ALL SELECT 'sector', sector, SUM(hours), COUNT(DISTINCT CASE WHEN hours > 0 THEN operation END) FROM pass
  GROUP BY sector
UNION ALL SELECT 'mode', mode, SUM(hours), NULL FROM pass GROUP BY mode
UNION ALL SELECT 'contract', contract, SUM(hours), NULL FROM pass GROUP BY contract
UNION ALL SELECT 'employer_kind', employer_kind, NULL, COUNT(DISTINCT CASE WHEN hours > 0 THEN employer END)
  FROM pass GROUP BY employer_kind
UNION ALL SELECT 'sex', sex, NULL, COUNT(DISTINCT CASE WHEN hours > 0 THEN person END) FROM pass GROUP BY sex
UNION ALL SELECT 'qpv', NULL, NULL, COUNT(DISTINCT CASE WHEN hours > 0 THEN person END) FROM pass
  WHERE person IN ({qpv})
UNION ALL SELECT * FROM (
  SELECT 'operation', CAST(operation AS VARCHAR(20)), SUM(hours), CAST(NULL AS BIGINT) FROM pass GROUP BY operation
  HAVING SUM(hours) > 0 ORDER BY SUM(hours) DESC, operation LIMIT {top}) top_operations
"""


class PeriodHours:
    """The pass: the counted hours of the period (records and CDI equivalences) and what the figures add up from
    them, grouped in the database."""

    def __init__(self, groups=()):
        self.total = ZERO
        self.buyers = 0  # buyers with hours
        self.qpv_residents = 0  # people with hours residing in a QPV at least one day of the period
        self.top_operations = []  # [(operation id, hours)] the TOP_OPERATIONS with the most hours, in that order
        self._hours = defaultdict(dict)  # dimension -> {value: hours}
        self._with_hours = defaultdict(dict)  # dimension -> {value: how many (operations, employers, people)}
        for kind, key, hours, count in groups:
            if kind == "total":
                self.total, self.buyers = _decimal(hours), count
            elif kind == "qpv":
                self.qpv_residents = count
            elif kind == "operation":
                self.top_operations.append((int(key), _decimal(hours)))
            else:
                if hours is not None:
                    self._hours[kind][key] = _decimal(hours)
                if count is not None:
                    self._with_hours[kind][key] = count

    def by(self, dimension) -> dict:
        """Hours added up along one dimension: "sector", "mode" or "contract"."""
        return self._hours[dimension]

    def with_hours(self, dimension) -> dict:
        """How many have hours, per value of a dimension: operations per "sector", employers per
        "employer_kind", people per "sex"."""
        return self._with_hours[dimension]

    @property
    def people(self) -> int:
        return sum(self.with_hours("sex").values())


def period_hours(period, user) -> PeriodHours:
    """The pass: one query, whatever the number of records."""

    def compute():
        rows = _rows_sql(period, user)
        if rows is None:
            return PeriodHours()
        qpv_sql, qpv_params = qpv_residents(period).values("person_id").order_by().query.sql_with_params()
        # The rows once (a CTE read by several groupings is computed once: MATERIALIZED says it to both databases).
        sql = f"WITH pass AS MATERIALIZED ({rows[0]}) " + _GROUPS.format(qpv=qpv_sql, top=TOP_OPERATIONS)
        with connection.cursor() as cursor:
            cursor.execute(sql, (*rows[1], *qpv_params))
            return PeriodHours(cursor.fetchall())

    return _once("period_hours", period, user, compute)


def qpv_residents(period):
    """Asserted "QPV residence" facts (not "ne souhaite pas répondre") in force at least one day of the period."""
    return (
        SituationFact.objects.filter(kind=FactKind.QPV_RESIDENCE, started_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .exclude(value=REFUSED)
    )


# Hours ---------------------------------------------------------------------------------------


def _by_sector(hours: PeriodHours) -> dict:
    per_sector = hours.by("sector")
    return {label: per_sector.get(value, ZERO) for value, label in Sector.choices}


@_indicator(
    id="clauses.hours_realised",
    **HOURS_RECORDS,
    charts=("years", "breakdown"),
    key=1,
    label="Heures d’insertion réalisées",
    definition=(
        f"Somme des heures d'insertion comptées sur la période. {HOURS_DEFINITION} Ventilation : secteur de "
        f"l'opération (tous les secteurs, même à 0 ; leur somme est le total). {SCOPE}"
    ),
    unit=Unit.HOURS,
    breakdowns=("secteur",),
)
def hours_realised(*, period, user):
    hours = period_hours(period, user)
    return Figure(value=hours.total, breakdown=_by_sector(hours))


@_indicator(
    id="clauses.hours_btp_share",
    **HOURS_RECORDS,
    label="Part des heures d’insertion réalisées dans le BTP",
    definition=(
        "Heures d'insertion réalisées sur la période dans les opérations du secteur « bâtiment et travaux "
        "publics », divisées par toutes les heures réalisées de la période (clauses.hours_realised). Non "
        "calculable (vide) sans aucune heure. Ventilation : part de chaque secteur, sur le même dénominateur "
        f"(exprimé en heures). {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator=HOURS_DENOMINATOR,
    breakdowns=("secteur",),
    counts_people=False,
)
def hours_btp_share(*, period, user):
    hours = period_hours(period, user)
    total = float(hours.total)
    per_sector = _by_sector(hours)
    return Figure(
        value=share(float(per_sector[Sector.BTP.label]), total),
        denominator=total,
        breakdown={label: share(float(hours), total) for label, hours in per_sector.items()},
    )


@_indicator(
    id="clauses.hours_by_mode",
    **HOURS_RECORDS,
    charts=("breakdown",),
    label="Heures d’insertion réalisées par modalité",
    definition=(
        "Les heures d'insertion réalisées sur la période (clauses.hours_realised), ventilées par modalité de "
        "la mise en emploi : embauche directe, mise à disposition (ETTI, AI, GEIQ), sous-traitance (EI, ACI, EA "
        f"ou ESAT). Toutes les modalités, même à 0 ; leur somme est le total. {HOURS_DEFINITION} {SCOPE}"
    ),
    unit=Unit.HOURS,
    breakdowns=("modalité",),
)
def hours_by_mode(*, period, user):
    hours = period_hours(period, user)
    per_mode = hours.by("mode")
    return Figure(
        value=hours.total, breakdown={label: per_mode.get(value, ZERO) for value, label in FulfilmentMode.choices}
    )


@_indicator(
    id="clauses.hours_by_contract",
    **HOURS_RECORDS,
    label="Heures d’insertion réalisées par type de contrat",
    definition=(
        "Les heures d'insertion réalisées sur la période (clauses.hours_realised), ventilées par type de "
        "contrat de la mise en emploi (CDI, CDD, contrats en alternance, intérim, CTTI, CDDI…). Tous les types, "
        f"même à 0 ; leur somme est le total. {HOURS_DEFINITION} {SCOPE}"
    ),
    unit=Unit.HOURS,
    breakdowns=("contrat",),
)
def hours_by_contract(*, period, user):
    hours = period_hours(period, user)
    per_contract = hours.by("contract")
    return Figure(
        value=hours.total,
        breakdown={label: per_contract.get(value, ZERO) for value, label in PLACEMENT_CONTRACT_CHOICES},
    )


@_indicator(
    id="clauses.top_operations",
    **HOURS_RECORDS,
    label="Les 10 opérations ayant réalisé le plus d’heures d’insertion",
    definition=(
        "Les dix opérations qui totalisent le plus d'heures d'insertion réalisées sur la période "
        "(clauses.hours_realised, comptées sur l'opération de la mise en emploi), de la plus forte à la plus "
        "faible, à égalité par ordre d'identifiant ; la valeur est la somme de leurs heures. Ventilation : "
        f"opération (donneur d'ordre) et ses heures. {HOURS_DEFINITION} {SCOPE}"
    ),
    unit=Unit.HOURS,
    breakdowns=("opération",),
)
def top_operations(*, period, user):
    best = period_hours(period, user).top_operations
    names = {
        pk: f"{name} ({buyer})"
        for pk, name, buyer in Operation.objects.filter(pk__in=[pk for pk, _ in best]).values_list(
            "pk", "name", "buyer__name"
        )
    }
    breakdown = {}
    for pk, hours in best:
        label = names[pk]
        breakdown[f"{label} – n° {pk}" if label in breakdown else label] = hours
    return Figure(value=sum(breakdown.values(), ZERO), breakdown=breakdown)


@_indicator(
    id="clauses.hours_planned",
    aggregate_only=(
        "les heures prévues se lisent lot par lot sur la fiche de chaque opération (liste des opérations), "
        "pas comme une liste de personnes"
    ),
    label="Heures d’insertion prévues des lots en cours d’exécution",
    definition=(
        "Somme des heures d'insertion prévues (dimensionnement, éventuellement ajusté avec un motif) des lots "
        "dont l'exécution, du début à la fin d'exécution prévue, recouvre au moins un jour de la période. "
        "Chaque lot compte pour la totalité de ses heures prévues, sans prorata de la durée passée dans la "
        "période : c'est l'engagement des marchés en cours, à ne pas diviser par les heures réalisées de la "
        "période pour obtenir un taux. Les marchés d'insertion (l'insertion est l'objet du marché) ne portent "
        f"pas d'heures et sont exclus. Ventilation : secteur de l'opération. {SCOPE}"
    ),
    unit=Unit.HOURS,
    breakdowns=("secteur",),
)
def hours_planned(*, period, user):
    lots = Lot.objects.with_hours().filter(started_on__lte=period.end, ended_on__gte=period.start)
    per_sector = dict(
        _scoped(lots, user, "market__operation")
        .values_list("market__operation__sector")
        .annotate(hours=Sum("planned_hours"))
        .order_by()
    )
    return Figure(
        value=sum(per_sector.values(), ZERO),
        breakdown={label: per_sector.get(value, ZERO) for value, label in Sector.choices},
    )


# Operations, buyers, companies, people ------------------------------------------------------


@_indicator(
    id="clauses.operations",
    **HOURS_RECORDS,
    key=5,
    label="Opérations ayant des heures d’insertion réalisées",
    definition=(
        f"Nombre d'opérations {WITH_HOURS}, les heures comptant sur l'opération de la mise en emploi. "
        f"Ventilation : secteur de l'opération (tous les secteurs, même à 0). {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("secteur",),
    counts_people=False,
)
def operations(*, period, user):
    per_sector = period_hours(period, user).with_hours("sector")
    return Figure(
        value=sum(per_sector.values()), breakdown={label: per_sector.get(value, 0) for value, label in Sector.choices}
    )


@_indicator(
    id="clauses.buyers",
    **HOURS_RECORDS,
    label="Donneurs d’ordre des opérations ayant des heures d’insertion réalisées",
    definition=(
        "Nombre de donneurs d'ordre distincts des opérations ayant des heures sur la période (clauses.operations) ; "
        f"un donneur d'ordre de plusieurs opérations compte une fois. {SCOPE}"
    ),
    unit=Unit.COUNT,
    counts_people=False,
)
def buyers(*, period, user):
    return Figure(value=period_hours(period, user).buyers)


@_indicator(
    id="clauses.companies",
    **HOURS_RECORDS,
    charts=("breakdown",),
    key=4,
    label="Entreprises et structures ayant employé des salarié·es en clause",
    definition=(
        f"Nombre d'employeurs distincts (employeur de la mise en emploi : entreprise, ETTI, AI, GEIQ, EI, ACI, "
        f"EA, ESAT) {WITH_HOURS}. Ventilation : type d'entreprise, déduit de la fiche de la structure — pour une "
        "SIAE son type (EI/AI/ACI, ETTI, GEIQ), sinon son secteur d'activité (bâtiment, travaux publics, "
        "services, ESAT, entreprise adaptée), « autre ou non renseigné » à défaut ; chaque employeur dans une "
        f"seule case, la somme est le total. {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("type d'entreprise",),
)
def companies(*, period, user):
    per_kind = period_hours(period, user).with_hours("employer_kind")
    return Figure(
        value=sum(per_kind.values()), breakdown={label: per_kind.get(label, 0) for label in COMPANY_KIND_LABELS}
    )


@_indicator(
    id="clauses.employees",
    **HOURS_RECORDS,
    key=2,
    label="Salarié·es en clause d’insertion",
    definition=(
        f"Nombre de personnes distinctes {WITH_HOURS}, quels que soient l'opération et l'employeur ; une "
        f"personne de plusieurs mises en emploi compte une fois. Ventilation : sexe. {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("sexe",),
)
def employees_count(*, period, user):
    per_sex = period_hours(period, user).with_hours("sex")
    return Figure(
        value=sum(per_sex.values()), breakdown={label: per_sex.get(value, 0) for value, label in Sex.choices}
    )


@_indicator(
    id="clauses.women_share",
    **HOURS_RECORDS,
    label="Part des femmes parmi les salarié·es en clause",
    definition=(
        "Parmi les salarié·es en clause sur la période (clauses.employees), part de celles enregistrées de sexe "
        f"féminin au registre des personnes. Non calculable (vide) sans salarié·e. {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator=EMPLOYEES_DENOMINATOR,
)
def women_share(*, period, user):
    hours = period_hours(period, user)
    return Figure(value=share(hours.with_hours("sex").get(Sex.WOMAN, 0), hours.people), denominator=hours.people)


@_indicator(
    id="clauses.qpv_share",
    **HOURS_RECORDS,
    label="Part des résidents d’un quartier prioritaire (QPV) parmi les salarié·es en clause",
    definition=(
        "Parmi les salarié·es en clause sur la période (clauses.employees), part de celles et ceux résidant dans "
        "un quartier prioritaire de la politique de la ville au moins un jour de la période (fait de situation "
        "« résidence en QPV » dont les dates recouvrent la période, hors « ne souhaite pas répondre »). Non "
        f"calculable (vide) sans salarié·e. {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator=EMPLOYEES_DENOMINATOR,
)
def qpv_share(*, period, user):
    hours = period_hours(period, user)
    return Figure(value=share(hours.qpv_residents, hours.people), denominator=hours.people)


@_indicator(
    id="clauses.hires",
    records=hire_placements,
    record_columns=PLACEMENT_COLUMNS,
    charts=("breakdown",),
    key=3,
    label="Embauches en clause d’insertion",
    definition=(
        "Nombre de mises en emploi commencées dans la période (date de début) avec un contrat d'embauche : CDI, "
        "CDD, contrat de professionnalisation, contrat d'apprentissage, formation qualifiante — quelle que soit "
        "la modalité (un contrat de professionnalisation par un GEIQ est une embauche). Les missions d'intérim, "
        "les CTTI et les CDDI des SIAE ne sont pas des embauches. Chaque mise en emploi compte, même deux pour "
        f"une personne. Ventilation : type de contrat (tous, même à 0). {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("contrat",),
)
def hires(*, period, user):
    per_contract = dict(
        started_placements(period, user)
        .filter(contract__in=HIRE_CONTRACTS)
        .values_list("contract")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Figure(
        value=sum(per_contract.values()),
        breakdown={contract.label: per_contract.get(contract.value, 0) for contract in HIRE_CONTRACTS},
    )
