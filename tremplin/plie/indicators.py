"""PLIE key figures (domain spec §3.6, §8), computed from the records with aggregate queries.

Population: the pathways `Pathway.objects.counted_for(user)` (everyone for the command line and
for aggregate-only users, the user's own scope otherwise; no figure for roles without PLIE data,
see tremplin/plie/fse.py). Every computation is one or two SQL queries, whatever the number of
participants: conditional aggregation (`Count(filter=...)`) and semi- or anti-joins on the facts
(`pk__in=<subquery>`, `~Exists`), never one subquery per person.

Figures evaluated together (the activity report, the registry's `evaluate_all`, one web request) share what
they have in common through the registry's `computed_once`: the accompanied people's counts (total, sex,
communes), the situation facts' counts (one pass over the facts for RSA, QPV and RQTH) and the exits per kind;
a figure evaluated alone runs its own queries.

"Accompanied in the period" = at least one day of entered pathway in the period
(`Pathway.objects.active_during`): entry on or before the period end, and no exit or an exit on or
after the period start.
"""

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Greatest, Mod

from tremplin.people.enums import REFUSED, EducationLevel, FactKind, Sex
from tremplin.people.models import Person, SituationFact
from tremplin.plie.enums import (
    POSITIVE_EXIT_KINDS,
    POSITIVE_EXIT_OF_RULE,
    Barrier,
    ExitKind,
    ExitRule,
    ReportCategory,
    StepKind,
)
from tremplin.plie.fse import (
    PATHWAY_COLUMNS,
    age_key,
    coverage,
    guarded,
    pathway_records,
    population,
    visible_pathways,
)
from tremplin.plie.models import Contract, Step, report_category
from tremplin.reports.registry import Figure, PeriodKind, RecordColumn, Unit, computed_once, registry, share

AREA = "PLIE"
DIJON_INSEE = "21231"

ACCOMPANIED_DENOMINATOR = "personnes accompagnées sur la période (plie.people_accompanied)"
EXITS_DENOMINATOR = "sorties validées sur la période (plie.exits)"
ACTIVE_DURING = (
    "au moins un jour de la période (entrée validée au plus tard le dernier jour de la période, pas de "
    "sortie ou une sortie datée au plus tôt du premier jour)"
)
SCOPE = (
    "Périmètre : tous les parcours pour la coordination, la direction et les financeurs, les parcours des "
    "personnes suivies par sa structure pour un·e référent·e."
)

COMMUNE_GROUPS = {
    "Dijon": Q(commune__insee_code=DIJON_INSEE),
    "Autres communes de la métropole": Q(commune__is_metropole=True) & ~Q(commune__insee_code=DIJON_INSEE),
    "Hors métropole": Q(commune__is_metropole=False),
}
LOW_EDUCATION = [EducationLevel.NONE, EducationLevel.LEVEL_3]
HIGHER_EDUCATION = [level for level in EducationLevel.values if level not in LOW_EDUCATION]
MISSING_EXIT_KIND = "Motif non renseigné"
MISSING_BARRIER = "Frein non renseigné"


def _indicator(**kwargs):
    """Register a PLIE figure; roles without PLIE data get no figure (None), see fse.guarded."""
    kwargs.setdefault("area", AREA)
    kwargs.setdefault("period_kind", PeriodKind.FLOW)
    kwargs.setdefault("coverage", coverage)
    # Every PLIE figure counts `population`, which honours reports.registry.current_organization().
    kwargs.setdefault("by_organization", True)

    def decorator(func):
        registry.indicator(**kwargs)(guarded(func))
        return func

    return decorator


# Populations ---------------------------------------------------------------------------------


def accompanied_pathways(period, user):
    return population(user).active_during(period.start, period.end)


def accompanied_people(period, user):
    """Distinct people with at least one day of pathway in the period (erased people included:
    their statistics are kept)."""
    return Person.objects.filter(pk__in=accompanied_pathways(period, user).values("person_id"))


def exits(period, user):
    return population(user).exited_during(period.start, period.end)


def accompanied_counts(period, user) -> dict:
    """The accompanied people counted once per page or report (`computed_once`): the total, per sex and per
    group of communes; the PLIE figures over the accompanied population share it."""

    def compute():
        return accompanied_people(period, user).aggregate(
            total=Count("pk"),
            **{f"sex_{value}": Count("pk", filter=Q(sex=value)) for value in Sex.values},
            **{f"commune_{i}": Count("pk", filter=q) for i, q in enumerate(COMMUNE_GROUPS.values())},
        )

    return computed_once(("plie", "accompanied_counts", period, _scope(user)), compute)


def _scope(user):
    return None if user is None else user.pk


def _count_accompanied(period, user) -> int:
    return accompanied_counts(period, user)["total"]


# Contract length, in SQL -------------------------------------------------------------------


def _last_day_of_month(year, month):
    """The number of days of the month (Gregorian leap years), as a SQL expression on aliases."""
    leap = Q(**{f"{year}_mod4": 0}) & (~Q(**{f"{year}_mod100": 0}) | Q(**{f"{year}_mod400": 0}))
    return Case(
        When(Q(**{f"{month}__in": [4, 6, 9, 11]}), then=Value(30)),
        When(Q(**{month: 2}) & leap, then=Value(29)),
        When(Q(**{month: 2}), then=Value(28)),
        default=Value(31),
        output_field=IntegerField(),
    )


def with_six_months_or_more(contracts):
    """Annotate `is_long`: the contract runs 6 calendar months or more, exactly as
    `models.report_category` decides it (end, actual or else planned, on or after
    `add_months(start, 6)`; no end known counts as long)."""
    contracts = contracts.alias(
        end=Coalesce("ended_on", "planned_end_on", output_field=DateField()),
        start_y=ExtractYear("started_on"),
        start_m=ExtractMonth("started_on"),
        start_d=ExtractDay("started_on"),
        end_y=ExtractYear("end"),
        end_m=ExtractMonth("end"),
        end_d=ExtractDay("end"),
    ).alias(
        months=(F("end_y") * 12 + F("end_m")) - (F("start_y") * 12 + F("start_m")),
        end_y_mod4=Mod("end_y", 4),
        end_y_mod100=Mod("end_y", 100),
        end_y_mod400=Mod("end_y", 400),
    )
    contracts = contracts.alias(end_month_days=_last_day_of_month("end_y", "end_m"))
    # 6 months later, the same day of the month, or the month's last day when it is shorter (31 Aug -> 28 Feb).
    return contracts.annotate(
        is_long=Case(
            When(
                Q(end__isnull=True)
                | Q(months__gt=6)
                | Q(months=6) & (Q(end_d__gte=F("start_d")) | Q(end_d=F("end_month_days"))),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


# The records behind the figures (within `fse.visible_pathways`) ---------------------------------


def _accompanied_records(*, period, user):
    return pathway_records(accompanied_pathways(period, user), user)


def _entrant_records(*, period, user):
    return pathway_records(population(user).filter(entry_date__range=(period.start, period.end)), user)


def _exit_records(*, period, user):
    return pathway_records(exits(period, user), user)


def _positive_exit_records(*, period, user):
    return pathway_records(exits(period, user).filter(exit_kind__in=POSITIVE_EXIT_KINDS), user)


def _person_column(label="Personne"):
    return RecordColumn(
        label, lambda row: row.pathway.person.full_name, lambda row: row.pathway.person.get_absolute_url()
    )


def _contract_records(*, period, user):
    return (
        Contract.objects.filter(
            pathway__in=accompanied_pathways(period, user).filter(pk__in=visible_pathways(user).values("pk")),
            started_on__range=(period.start, period.end),
        )
        .select_related("pathway__person")
        .order_by("started_on", "pk")
    )


CONTRACT_COLUMNS = (
    _person_column(),
    RecordColumn("Contrat", lambda c: c.get_contract_type_display(), lambda c: c.pathway.get_absolute_url()),
    RecordColumn("Employeur", lambda c: c.employer_name),
    RecordColumn("Début", lambda c: c.started_on),
    RecordColumn("Fin", lambda c: c.ended_on or c.planned_end_on),
)


def _support_records(*, period, user):
    return (
        Step.objects.filter(
            pathway__in=accompanied_pathways(period, user).filter(pk__in=visible_pathways(user).values("pk")),
            kind=StepKind.SPECIFIC_SUPPORT,
            started_on__range=(period.start, period.end),
        )
        .select_related("pathway__person")
        .order_by("started_on", "pk")
    )


SUPPORT_COLUMNS = (
    _person_column(),
    RecordColumn("Accompagnement", lambda s: s.title, lambda s: s.pathway.get_absolute_url()),
    RecordColumn("Frein", lambda s: s.get_barrier_display()),
    RecordColumn("Début", lambda s: s.started_on),
)

ACCOMPANIED_RECORDS = {"records": _accompanied_records, "record_columns": PATHWAY_COLUMNS}


# Indicators --------------------------------------------------------------------------------


@_indicator(
    id="plie.people_accompanied",
    **ACCOMPANIED_RECORDS,
    charts=("years",),
    key=1,
    label="Personnes accompagnées par le PLIE",
    definition=(
        f"Nombre de personnes ayant été en parcours PLIE {ACTIVE_DURING}. Chaque personne compte une fois, même "
        "avec plusieurs parcours. "
        "Ventilations : sexe ; commune de résidence enregistrée au registre (Dijon, autres communes de Dijon "
        "Métropole, hors métropole) ; structure de suivi proposée à l'entrée (une personne dont deux parcours "
        f"relèvent de deux structures compte dans chacune). {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("sexe", "commune", "structure de suivi"),
)
def people_accompanied(*, period, user):
    counts = accompanied_counts(period, user)
    per_structure = (
        accompanied_pathways(period, user)
        .values_list("proposed_organization__name")
        .annotate(n=Count("person", distinct=True))
        .order_by("proposed_organization__name")
    )
    breakdown = {f"Sexe – {label}": counts[f"sex_{value}"] for value, label in Sex.choices}
    breakdown |= {f"Commune – {label}": counts[f"commune_{i}"] for i, label in enumerate(COMMUNE_GROUPS)}
    breakdown |= {f"Structure – {name}": n for name, n in per_structure}
    return Figure(value=counts["total"], breakdown=breakdown)


@_indicator(
    id="plie.new_entrants",
    records=_entrant_records,
    record_columns=PATHWAY_COLUMNS,
    key=2,
    label="Nouveaux entrants dans le PLIE",
    definition=(
        "Nombre de personnes dont l'entrée dans un parcours PLIE, validée par la cellule, est datée dans la "
        f"période (date d'entrée). Chaque personne compte une fois. Ventilation : sexe. {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("sexe",),
)
def new_entrants(*, period, user):
    entered = population(user).filter(entry_date__range=(period.start, period.end))
    counts = Person.objects.filter(pk__in=entered.values("person_id")).aggregate(
        total=Count("pk"), **{value: Count("pk", filter=Q(sex=value)) for value in Sex.values}
    )
    return Figure(value=counts["total"], breakdown={label: counts[value] for value, label in Sex.choices})


@_indicator(
    id="plie.contracts_signed",
    records=_contract_records,
    record_columns=CONTRACT_COLUMNS,
    charts=("breakdown",),
    key=3,
    label="Contrats de travail signés par les participants",
    definition=(
        "Nombre de contrats de travail dont la date de début est dans la période, enregistrés sur un parcours "
        f"PLIE actif {ACTIVE_DURING}. Chaque contrat compte, y compris plusieurs "
        "contrats d'une même personne. Ventilation : catégorie du bilan annuel, déduite du type de contrat, du "
        "type d'employeur et de la durée (fin effective, à défaut fin prévue ; CDD de 6 mois et plus s'il finit "
        "au plus tôt 6 mois calendaires après son début, ou sans fin connue) ; toutes les catégories sont "
        f"présentes, même à 0, et leur somme est le total. {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("catégorie de contrat",),
)
def contracts_signed(*, period, user):
    contracts = Contract.objects.filter(
        pathway__in=accompanied_pathways(period, user), started_on__range=(period.start, period.end)
    )
    groups = (
        with_six_months_or_more(contracts)
        .values_list("contract_type", "employer_kind", "is_long")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_category = dict.fromkeys(ReportCategory.values, 0)
    for contract_type, employer_kind, is_long, n in groups:
        # The one mapping (models.report_category), fed with a start and an end of the same length class.
        end = None if is_long else period.start
        per_category[report_category(contract_type, employer_kind, period.start, end)] += n
    breakdown = {label: per_category[value] for value, label in ReportCategory.choices}
    return Figure(value=sum(per_category.values()), breakdown=breakdown)


def _exit_counts(period, user) -> dict[str, int]:
    """Validated exits of the period per exit kind, counted once per page or report (plie.exits,
    plie.positive_exits and both rates read it)."""

    def compute():
        return dict(exits(period, user).values_list("exit_kind").annotate(n=Count("pk")).order_by())

    return computed_once(("plie", "exit_counts", period, _scope(user)), compute)


@_indicator(
    id="plie.exits",
    records=_exit_records,
    record_columns=PATHWAY_COLUMNS,
    charts=("breakdown",),
    label="Sorties validées du PLIE",
    definition=(
        "Nombre de parcours PLIE sortis (sortie validée par la cellule, statut « sorti·e ») dont la date de "
        "sortie est dans la période. Ventilation : motif de sortie (tous les motifs, même à 0 ; « motif non "
        f"renseigné » seulement s'il y en a). {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("motif de sortie",),
)
def exits_count(*, period, user):
    per_kind = _exit_counts(period, user)
    breakdown = {label: per_kind.get(value, 0) for value, label in ExitKind.choices}
    missing = sum(n for kind, n in per_kind.items() if kind not in ExitKind.values)
    if missing:
        breakdown[MISSING_EXIT_KIND] = missing
    return Figure(value=sum(per_kind.values()), breakdown=breakdown)


def _positive_per_rule(per_kind: dict[str, int]) -> dict[str, int]:
    return {rule: per_kind.get(POSITIVE_EXIT_OF_RULE[rule], 0) for rule in ExitRule.values}


@_indicator(
    id="plie.positive_exits",
    records=_positive_exit_records,
    record_columns=PATHWAY_COLUMNS,
    key=4,
    label="Sorties positives (emploi ou formation)",
    definition=(
        "Nombre de sorties validées dans la période (plie.exits) dont le motif est une sortie positive au sens "
        "des critères de l'appel à projets 2024 (CDI, CDD, intérim, contrat aidé, ACI 55 ans et plus, formation "
        f"qualifiante validée, création d'entreprise). Ventilation : critère rempli, tous présents. {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("critère de sortie positive",),
)
def positive_exits(*, period, user):
    per_rule = _positive_per_rule(_exit_counts(period, user))
    return Figure(
        value=sum(per_rule.values()), breakdown={label: per_rule[value] for value, label in ExitRule.choices}
    )


@_indicator(
    id="plie.positive_exit_rate",
    records=_exit_records,
    record_columns=PATHWAY_COLUMNS,
    label="Taux de sorties positives (sur les sorties)",
    definition=(
        "Sorties positives de la période (plie.positive_exits) divisées par les sorties validées de la même "
        "période (plie.exits). Non calculable (vide) sans aucune sortie. Ventilation : part de chaque critère de "
        f"sortie positive, sur le même dénominateur. {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator=EXITS_DENOMINATOR,
    breakdowns=("critère de sortie positive",),
)
def positive_exit_rate(*, period, user):
    per_kind = _exit_counts(period, user)
    total = sum(per_kind.values())
    per_rule = _positive_per_rule(per_kind)
    return Figure(
        value=share(sum(per_rule.values()), total),
        denominator=total,
        breakdown={label: share(per_rule[value], total) for value, label in ExitRule.choices},
    )


@_indicator(
    id="plie.positive_exit_rate_accompanied",
    **ACCOMPANIED_RECORDS,
    label="Taux de sorties positives (sur les personnes accompagnées)",
    definition=(
        "Sorties positives de la période (plie.positive_exits) divisées par les personnes accompagnées sur la "
        "même période (plie.people_accompanied), et non par les sorties : à ne pas confondre avec "
        f"plie.positive_exit_rate. Non calculable (vide) sans personne accompagnée. {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator=ACCOMPANIED_DENOMINATOR,
)
def positive_exit_rate_accompanied(*, period, user):
    positive = sum(n for kind, n in _exit_counts(period, user).items() if kind in POSITIVE_EXIT_KINDS)
    total = _count_accompanied(period, user)
    return Figure(value=share(positive, total), denominator=total)


@_indicator(
    id="plie.women_share",
    **ACCOMPANIED_RECORDS,
    key=5,
    label="Part des femmes parmi les personnes accompagnées",
    definition=(
        "Parmi les personnes accompagnées sur la période (plie.people_accompanied), part de celles enregistrées "
        f"de sexe féminin au registre. {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator=ACCOMPANIED_DENOMINATOR,
)
def women_share(*, period, user):
    counts = accompanied_counts(period, user)
    return Figure(value=share(counts[f"sex_{Sex.WOMAN}"], counts["total"]), denominator=counts["total"])


# The situation facts the shares read, and among them the questions one may decline (their refusals count apart).
SHARED_FACTS = (FactKind.RSA, FactKind.QPV_RESIDENCE, FactKind.RQTH)
REFUSABLE_FACTS = (FactKind.RQTH,)


def fact_counts(period, user) -> dict:
    """The accompanied people with a fact of each kind of SHARED_FACTS in force at least one day of the period,
    counted once per page or report in one pass over the facts: `<kind>` those with an asserted fact (not « ne
    souhaite pas répondre ») and, for REFUSABLE_FACTS, `<kind>_any` those with any fact of that kind (so `_any`
    minus the asserted are the people who only declined to answer). Each count is a COUNT(DISTINCT): the fewer,
    the faster."""

    def compute():
        facts = SituationFact.objects.filter(kind__in=SHARED_FACTS, started_on__lte=period.end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=period.start),
            person__in=accompanied_pathways(period, user).values("person_id"),
        )
        asserted = ~Q(value=REFUSED)
        return facts.aggregate(
            **{kind: Count("person", distinct=True, filter=Q(kind=kind) & asserted) for kind in SHARED_FACTS},
            **{f"{kind}_any": Count("person", distinct=True, filter=Q(kind=kind)) for kind in REFUSABLE_FACTS},
        )

    return computed_once(("plie", "fact_counts", period, _scope(user)), compute)


def _fact_share(kind, period, user, *, refusal_label=None):
    """Share of accompanied people with an asserted fact in force at least one day of the period.
    For questions one may decline (RQTH), the breakdown gives the answer's share and, apart, the
    share of people who only declined to answer (a fact of that kind, none asserted)."""
    counts = fact_counts(period, user)
    total = _count_accompanied(period, user)
    breakdown = None
    if refusal_label:
        breakdown = {
            refusal_label: share(counts[kind], total),
            "Ne souhaite pas répondre": share(counts[f"{kind}_any"] - counts[kind], total),
        }
    return Figure(value=share(counts[kind], total), denominator=total, breakdown=breakdown)


def _fact_definition(what, *, refusable=False):
    definition = (
        f"Parmi les personnes accompagnées sur la période (plie.people_accompanied), part de celles {what} au "
        "moins un jour de la période (fait de situation dont les dates recouvrent la période, hors « ne souhaite "
        "pas répondre »)."
    )
    if refusable:
        definition += (
            " Ventilation, sur le même dénominateur : la part comptée dans la valeur, et à part celle des "
            "personnes qui ne souhaitent pas répondre (sans fait affirmé sur la période)."
        )
    return f"{definition} {SCOPE}"


@_indicator(
    id="plie.rsa_share",
    **ACCOMPANIED_RECORDS,
    key=6,
    label="Part des bénéficiaires du RSA (BRSA) parmi les personnes accompagnées",
    definition=_fact_definition("bénéficiaires du RSA"),
    unit=Unit.SHARE,
    denominator=ACCOMPANIED_DENOMINATOR,
)
def rsa_share(*, period, user):
    return _fact_share(FactKind.RSA, period, user)


@_indicator(
    id="plie.qpv_share",
    **ACCOMPANIED_RECORDS,
    key=7,
    label="Part des résidents d’un quartier prioritaire (QPV) parmi les personnes accompagnées",
    definition=_fact_definition("résidant dans un quartier prioritaire de la politique de la ville"),
    unit=Unit.SHARE,
    denominator=ACCOMPANIED_DENOMINATOR,
)
def qpv_share(*, period, user):
    return _fact_share(FactKind.QPV_RESIDENCE, period, user)


@_indicator(
    id="plie.rqth_share",
    **ACCOMPANIED_RECORDS,
    label="Part des personnes reconnues travailleurs handicapés (RQTH) parmi les personnes accompagnées",
    definition=_fact_definition(
        "ayant une reconnaissance de la qualité de travailleur handicapé (RQTH)", refusable=True
    ),
    unit=Unit.SHARE,
    denominator=ACCOMPANIED_DENOMINATOR,
    breakdowns=("réponse",),
)
def rqth_share(*, period, user):
    return _fact_share(FactKind.RQTH, period, user, refusal_label="RQTH")


@_indicator(
    id="plie.over_45_share",
    **ACCOMPANIED_RECORDS,
    key=8,
    label="Part des 45 ans et plus parmi les personnes accompagnées",
    definition=(
        "Parmi les personnes accompagnées sur la période (plie.people_accompanied), part de celles âgées de 45 "
        "ans ou plus à la plus tardive de ces deux dates : le début de la période, la date d'entrée dans le "
        "parcours (le premier des parcours actifs sur la période, si la personne en a plusieurs). Âge calculé "
        f"depuis la date de naissance du registre. {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator=ACCOMPANIED_DENOMINATOR,
)
def over_45_share(*, period, user):
    # Age only grows: 45 or more on the later of (first entry, period start) <=> 45 or more on the later
    # of (entry, period start) for every pathway active in the period. So the people under 45 are those
    # with at least one active pathway where they were younger: one pass over the pathways.
    reference_day = Greatest("entry_date", Value(period.start, output_field=DateField()), output_field=DateField())
    younger = (
        accompanied_pathways(period, user)
        .alias(age_key=age_key(reference_day, F("person__birth_date")))
        .filter(age_key__lt=45 * 10000)
        .values("person_id")
    )
    # A semi-join counted (hashed), not a COUNT(DISTINCT) (sorted); the total is the accompanied people's.
    younger = Person.objects.filter(pk__in=younger).count()
    total = _count_accompanied(period, user)
    return Figure(value=share(total - younger, total), denominator=total)


AGE_BANDS = [("moins de 26 ans", 0, 26), ("26 à 44 ans", 26, 45), ("45 à 54 ans", 45, 55), ("55 ans et plus", 55, 200)]


@_indicator(
    id="plie.age_pyramid",
    charts=("pyramid",),
    **ACCOMPANIED_RECORDS,
    label="Personnes accompagnées par âge et par sexe",
    definition=(
        "Les personnes accompagnées sur la période (plie.people_accompanied), par sexe et par tranche d'âge au "
        "dernier jour de la période (moins de 26 ans, 26 à 44 ans, 45 à 54 ans, 55 ans et plus ; âge calculé "
        "depuis la date de naissance du registre). La valeur est le total ; chaque personne compte dans une "
        f"seule case. {SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("sexe et tranche d'âge",),
)
def age_pyramid(*, period, user):
    # Each person's band computed once (grouped by sex and band: a dozen rows), not once per cell.
    band = Case(
        *[
            When(age_key__gte=low * 10000, age_key__lt=high * 10000, then=Value(i))
            for i, (_, low, high) in enumerate(AGE_BANDS)
        ],
        default=None,
        output_field=IntegerField(),
    )
    groups = (
        accompanied_people(period, user)
        .alias(age_key=age_key(Value(period.end, output_field=DateField()), F("birth_date")))
        .values_list("sex", band)
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(sex, band): n for sex, band, n in groups}
    breakdown = {
        f"{sex_label} – {band}": counts.get((sex, i), 0)
        for sex, sex_label in Sex.choices
        for i, (band, _, _) in enumerate(AGE_BANDS)
    }
    return Figure(value=sum(breakdown.values()), breakdown=breakdown)


LOW_EDUCATION_LABEL = "Niveau 3 ou moins (CAP, BEP, sans diplôme)"
EDUCATION_CELLS = {
    LOW_EDUCATION_LABEL: LOW_EDUCATION,
    "Niveau 4 et plus": HIGHER_EDUCATION,
    "Ne souhaite pas répondre": [REFUSED],
}


@_indicator(
    id="plie.low_education_share",
    **ACCOMPANIED_RECORDS,
    label="Part des personnes de niveau 3 ou moins (CAP, BEP, sans diplôme) parmi les personnes accompagnées",
    definition=(
        "Parmi les personnes accompagnées sur la période (plie.people_accompanied), part de celles dont le "
        "niveau de formation (nomenclature 2019) est « sans diplôme (1-2) » ou « niveau 3 (CAP, BEP) », selon "
        "le dernier fait « niveau de formation » commencé au plus tard le dernier jour de la période. "
        "Ventilation, sur le même dénominateur : niveau 3 ou moins, niveau 4 et plus, « ne souhaite pas "
        "répondre » (non compté dans la valeur), non renseigné (aucun fait, ou valeur hors nomenclature) ; "
        "les cases se complètent (somme égale à 1, aux arrondis près). "
        f"{SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator=ACCOMPANIED_DENOMINATOR,
    breakdowns=("niveau de formation",),
)
def low_education_share(*, period, user):
    people = accompanied_pathways(period, user).values("person_id")
    levels = SituationFact.objects.filter(kind=FactKind.EDUCATION_LEVEL, started_on__lte=period.end, person__in=people)
    if connection.vendor == "postgresql":
        # Each person's latest level by the end of the period: DISTINCT ON, one sorted pass (issue 13 measured
        # the anti-join below, which probes every fact for a later one, at 2.3-2.5x a DISTINCT ON query), counted
        # per value as it comes out (not joined back to the facts by id: one index probe per person).
        latest = levels.order_by("person_id", "-started_on", "-pk").distinct("person_id").values("value")
        sql, params = latest.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT latest.value, COUNT(*) FROM ({sql}) latest GROUP BY latest.value", params)
            per_value = dict(cursor.fetchall())
    else:
        later = SituationFact.objects.filter(
            kind=FactKind.EDUCATION_LEVEL, started_on__lte=period.end, person=OuterRef("person")
        ).filter(
            Q(started_on__gt=OuterRef("started_on")) | Q(started_on=OuterRef("started_on"), pk__gt=OuterRef("pk"))
        )
        # Each person's latest level by the end of the period (an anti-join: one fact per person at most).
        per_value = dict(levels.filter(~Exists(later)).values_list("value").annotate(n=Count("pk")).order_by())
    total = _count_accompanied(period, user)
    cells = {label: sum(per_value.get(v, 0) for v in values) for label, values in EDUCATION_CELLS.items()}
    cells["Non renseigné"] = total - sum(cells.values())
    return Figure(
        value=share(cells[LOW_EDUCATION_LABEL], total),
        denominator=total,
        breakdown={label: share(n, total) for label, n in cells.items()},
    )


@_indicator(
    id="plie.specific_supports",
    records=_support_records,
    record_columns=SUPPORT_COLUMNS,
    charts=("breakdown",),
    label="Accompagnements spécifiques (freins périphériques) engagés",
    definition=(
        "Nombre d'étapes « accompagnement spécifique » dont la date de début est dans la période, enregistrées "
        f"sur un parcours PLIE actif {ACTIVE_DURING}. Ventilation : frein "
        "travaillé (tous les freins, même à 0 ; « frein non renseigné » seulement s'il y en a). "
        f"{SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("frein",),
)
def specific_supports(*, period, user):
    per_barrier = dict(
        Step.objects.filter(
            pathway__in=accompanied_pathways(period, user),
            kind=StepKind.SPECIFIC_SUPPORT,
            started_on__range=(period.start, period.end),
        )
        .values_list("barrier")
        .annotate(n=Count("pk"))
        .order_by()
    )
    breakdown = {label: per_barrier.get(value, 0) for value, label in Barrier.choices}
    missing = sum(n for barrier, n in per_barrier.items() if barrier not in Barrier.values)
    if missing:
        breakdown[MISSING_BARRIER] = missing
    return Figure(value=sum(per_barrier.values()), breakdown=breakdown)
