"""Programmation and funding figures (domain spec §7, §8 « Finance »), computed from the lines.

Period: funding lines and staff years are yearly; a line counts in a period when its year lies between
the year of the period's first day and the year of its last day. Conventions and obligations are dated.
Who counts: the command line, the coordination, the direction and the funders (aggregates) count
everything; an operator's users count their own structure's programmation and conventions and get no
figure (empty) for the association's funding; other roles get no figure.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from tremplin.funding import perms, selectors
from tremplin.funding.enums import Dispositif, FunderCategory, ObligationKind
from tremplin.funding.models import Convention, FundingLine, Obligation, Project
from tremplin.reports.registry import Figure, PeriodKind, RecordColumn, Unit, registry, share

AREA = "Programmation et financements"
ZERO = Decimal("0.00")
YEARS = (
    "Une ligne de financement compte dans la période si son année est comprise entre l'année du premier et "
    "celle du dernier jour de la période."
)
SCOPE = (
    "Périmètre : tout, pour la coordination, la direction et les financeurs (agrégats) ; rien pour les autres rôles."
)
OPERATOR_SCOPE = (
    "Périmètre : tout, pour la coordination, la direction et les financeurs (agrégats) ; sa structure seulement "
    "pour un opérateur ; rien pour les autres rôles."
)
SA = "Structure d'animation"
OF_WHICH_FSE = "dont FSE+"


def _indicator(**kwargs):
    kwargs.setdefault("area", AREA)
    kwargs.setdefault("period_kind", PeriodKind.FLOW)
    # Amounts and conventions, not people: never masked.
    kwargs.setdefault("counts_people", False)
    return registry.indicator(**kwargs)


# The rows behind the figures ------------------------------------------------------------------------
# Funding lines, projects and conventions carry no personal data but other structures' amounts: the lines are
# listed to the coordination and the direction (who manage them), an operator lists its own programmation and
# conventions, a funder reads the aggregates only (the funders table). The command line (user None) lists all.


def _lists_lines(user) -> bool:
    return user is None or perms.manages_funding(user)


def _lists_operator(user) -> bool:
    return _lists_lines(user) or perms.is_operator(user)


def _line_records(lines):
    def records(*, period, user):
        if not _lists_lines(user):
            return FundingLine.objects.none()
        return lines(period).order_by("year", "project__code", "funder__organization__name", "pk")

    return records


def _project(line) -> str:
    return str(line.project)


LINE_COLUMNS = (
    RecordColumn("Année", lambda line: line.year),
    RecordColumn("Projet", _project, lambda line: line.project.get_absolute_url()),
    RecordColumn("Porteur", lambda line: _carrier(line)),
    RecordColumn("Financeur", lambda line: str(line.funder)),
    RecordColumn("Rubrique", lambda line: line.funder.get_category_display()),
    RecordColumn("Montant accordé (€)", lambda line: line.amount_granted),
    RecordColumn("Décision du", lambda line: line.decided_on),
    RecordColumn("Montant reçu (€)", lambda line: line.amount_received),
)


def _programmation_line_records(*, period, user):
    if not _lists_operator(user):
        return FundingLine.objects.none()
    return (
        _programmation_lines(period, user)
        .exclude(amount_granted=None)
        .order_by("year", "project__code", "funder__organization__name", "pk")
    )


# An operator reads its own programmation here, not the project pages (the coordination's): no link.
PROGRAMMATION_LINE_COLUMNS = tuple(RecordColumn(c.label, c.value) if c.label == "Projet" else c for c in LINE_COLUMNS)


def _programmation_project_records(*, period, user):
    if not _lists_operator(user):
        return Project.objects.none()
    return (
        Project.objects.filter(pk__in=_programmation_lines(period, user).values("project_id"))
        .select_related("operator")
        .order_by("code")
    )


def _obligation_records(*, period, user):
    if not _lists_operator(user):
        return Obligation.objects.none()
    return _late_obligations(period, user).select_related("convention__operator").order_by("due_on", "pk")


def _ended_conventions(period, user) -> list:
    conventions = Convention.objects.filter(perms.operator_q(user), starts_on__lte=period.end).prefetch_related(
        "avenants"
    )
    return [c for c in conventions.select_related("operator") if period.start <= c.current_ends_on <= period.end]


def _convention_records(*, period, user):
    if not _lists_operator(user):
        return []
    conventions = sorted(_ended_conventions(period, user), key=lambda c: (c.current_ends_on, c.number))
    for convention in conventions:
        convention.met = selectors.convention_results(convention).targets_met
    return conventions


def _sees_all(user) -> bool:
    return user is None or perms.manages_funding(user) or perms.is_funder(user)


def _counts_operator(user) -> bool:
    return _sees_all(user) or perms.is_operator(user)


def _lines(period):
    return FundingLine.objects.filter(year__gte=period.start.year, year__lte=period.end.year).select_related(
        "funder", "project__operator"
    )


def _sum(values) -> Decimal:
    return sum(values, start=ZERO)


@_indicator(
    id="funding.total",
    records=_line_records(lambda period: _lines(period).own().exclude(amount_granted=None)),
    record_columns=LINE_COLUMNS,
    label="Financements accordés aux projets de la structure porteuse",
    definition=(
        "Somme des montants accordés des lignes de financement des projets portés par l'association (le tableau "
        f"« nos financeurs »), calculée ligne à ligne ; une ligne sans décision ne compte pas. {YEARS} Ventilation : "
        f"rubrique du financeur (toutes présentes). {SCOPE}"
    ),
    unit=Unit.AMOUNT,
    breakdowns=("financeur",),
    # The funders chart of the report: the amounts granted by each rubrique of the funders table.
    charts=("breakdown",),
)
def funding_total(*, period, user):
    if not _sees_all(user):
        return Figure(value=None)
    per_category = {value: ZERO for value in FunderCategory.values}
    for line in _lines(period).own().exclude(amount_granted=None):
        per_category[line.funder.category] += line.amount_granted
    return Figure(
        value=_sum(per_category.values()),
        breakdown={label: per_category[value] for value, label in FunderCategory.choices},
    )


@_indicator(
    id="funding.granted",
    records=_line_records(lambda period: _lines(period).exclude(amount_granted=None)),
    record_columns=LINE_COLUMNS,
    label="Financements accordés (association et opérateurs du PLIE)",
    definition=(
        "Somme des montants accordés de toutes les lignes de financement, y compris celles des projets PLIE portés "
        f"par les opérateurs. {YEARS} Ventilation : dispositif du projet (tous présents). {SCOPE}"
    ),
    unit=Unit.AMOUNT,
    breakdowns=("dispositif",),
)
def funding_granted(*, period, user):
    if not _sees_all(user):
        return Figure(value=None)
    per = {value: ZERO for value in Dispositif.values}
    for line in _lines(period).exclude(amount_granted=None):
        per[line.project.dispositif] += line.amount_granted
    return Figure(value=_sum(per.values()), breakdown={label: per[value] for value, label in Dispositif.choices})


@_indicator(
    id="funding.received",
    records=_line_records(lambda period: _lines(period).exclude(amount_received=0)),
    record_columns=LINE_COLUMNS,
    label="Financements reçus",
    definition=(
        "Somme des montants reçus (versés) de toutes les lignes de financement, quelle que soit la date du versement. "
        f"{YEARS} Ventilation : rubrique du financeur (toutes présentes). {SCOPE}"
    ),
    unit=Unit.AMOUNT,
    breakdowns=("financeur",),
)
def funding_received(*, period, user):
    if not _sees_all(user):
        return Figure(value=None)
    per = {value: ZERO for value in FunderCategory.values}
    for line in _lines(period):
        per[line.funder.category] += line.amount_received
    return Figure(value=_sum(per.values()), breakdown={label: per[value] for value, label in FunderCategory.choices})


@_indicator(
    id="funding.fse_share",
    # The denominator's lines, with their rubrique (FSE+ or not).
    records=_line_records(lambda period: _lines(period).exclude(amount_granted=None)),
    record_columns=LINE_COLUMNS,
    label="Part du FSE+ dans les financements accordés",
    definition=(
        "Montants accordés par le FSE+ (financeurs de la rubrique FSE+) divisés par l'ensemble des montants accordés "
        f"(funding.granted), association et opérateurs. Non calculable (vide) sans montant accordé. {YEARS} {SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator="montants accordés de la période, en euros (funding.granted)",
)
def funding_fse_share(*, period, user):
    if not _sees_all(user):
        return Figure(value=None)
    lines = list(_lines(period).exclude(amount_granted=None))
    total = _sum(line.amount_granted for line in lines)
    fse = _sum(line.amount_granted for line in lines if line.funder.category == FunderCategory.FSE)
    return Figure(value=share(fse, total) if total else None, denominator=float(total))


def _programmation_lines(period, user):
    return _lines(period).programmation().filter(perms.operator_q(user, "project__operator_id"))


def _carrier(line) -> str:
    return line.project.operator.name if line.project.operator_id else SA


@_indicator(
    id="programmation.actions",
    records=_programmation_project_records,
    record_columns=(
        RecordColumn("Projet", str),
        RecordColumn("Porteur", lambda project: project.operator.name if project.operator_id else SA),
        RecordColumn("Thème principal", lambda project: project.main_theme),
    ),
    label="Actions de la programmation PLIE",
    definition=(
        "Nombre de projets du dispositif PLIE (structure d'animation et opérateurs) ayant au moins une ligne de "
        f"financement dans la période. {YEARS} Ventilation : porteur. {OPERATOR_SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("porteur",),
)
def programmation_actions(*, period, user):
    if not _counts_operator(user):
        return Figure(value=None)
    carriers = {}
    for line in _programmation_lines(period, user):
        carriers[line.project_id] = _carrier(line)
    return Figure(value=len(carriers), breakdown=dict(sorted(Counter(carriers.values()).items())))


@_indicator(
    id="programmation.amount",
    records=_programmation_line_records,
    record_columns=PROGRAMMATION_LINE_COLUMNS,
    label="Montant de la programmation PLIE (accordé)",
    definition=(
        "Somme des montants accordés des lignes de financement des projets du dispositif PLIE, de la structure "
        f"d'animation et des opérateurs. {YEARS} Ventilation : porteur, et « {OF_WHICH_FSE} » (part accordée par le "
        f"FSE+). {OPERATOR_SCOPE}"
    ),
    unit=Unit.AMOUNT,
    breakdowns=("porteur", OF_WHICH_FSE),
)
def programmation_amount(*, period, user):
    if not _counts_operator(user):
        return Figure(value=None)
    per_carrier: dict[str, Decimal] = {}
    fse = ZERO
    for line in _programmation_lines(period, user).exclude(amount_granted=None):
        per_carrier[_carrier(line)] = per_carrier.get(_carrier(line), ZERO) + line.amount_granted
        if line.funder.category == FunderCategory.FSE:
            fse += line.amount_granted
    breakdown = dict(sorted(per_carrier.items()))
    breakdown[OF_WHICH_FSE] = fse
    return Figure(value=_sum(per_carrier.values()), breakdown=breakdown)


def _late_obligations(period, user):
    return Obligation.objects.filter(
        perms.operator_q(user, "convention__operator_id"),
        due_on__range=(period.start, period.end),
        due_on__lt=timezone.localdate(),
    ).filter(Q(done_on__isnull=True) | Q(done_on__gt=F("due_on")))


@_indicator(
    id="conventions.obligations_late",
    records=_obligation_records,
    record_columns=(
        RecordColumn("Convention", lambda o: o.convention.number, lambda o: o.convention.get_absolute_url()),
        RecordColumn("Opérateur", lambda o: o.convention.operator.name),
        RecordColumn("Obligation", str),
        RecordColumn("À remettre le", lambda o: o.due_on),
        RecordColumn("Remise le", lambda o: o.done_on),
    ),
    label="Obligations des opérateurs remises en retard ou non remises",
    definition=(
        "Nombre d'obligations des conventions (émargements, fiches de suivi, données FSE+, bilans) dont la date "
        "d'échéance est dans la période et déjà passée, et qui n'ont pas été remises au plus tard à cette date "
        f"(remises après, ou pas encore remises). Ventilation : obligation (toutes présentes). {OPERATOR_SCOPE}"
    ),
    unit=Unit.COUNT,
    breakdowns=("obligation",),
)
def obligations_late(*, period, user):
    if not _counts_operator(user):
        return Figure(value=None)
    late = _late_obligations(period, user)
    per = Counter(late.values_list("kind", flat=True))
    return Figure(
        value=sum(per.values()), breakdown={label: per.get(value, 0) for value, label in ObligationKind.choices}
    )


@_indicator(
    id="conventions.targets_met",
    records=_convention_records,
    record_columns=(
        RecordColumn("Convention", lambda c: c.number, lambda c: c.get_absolute_url()),
        RecordColumn("Opérateur", lambda c: c.operator.name),
        RecordColumn("Fin", lambda c: c.current_ends_on),
        RecordColumn("Objectif : personnes", lambda c: c.people_target),
        RecordColumn("Objectif : sorties positives (%)", lambda c: c.positive_exit_target),
        RecordColumn("Objectifs atteints", lambda c: "oui" if c.met else "non"),
    ),
    label="Conventions ayant atteint leurs objectifs",
    definition=(
        "Parmi les conventions dont la fin (prolongée par avenant le cas échéant) est dans la période, part de "
        "celles dont l'opérateur a atteint les deux objectifs sur toute la durée de la convention : personnes "
        "accompagnées (plie.people_accompanied des personnes que sa structure suit au PLIE) au moins égales à "
        "l'objectif, et taux de sorties positives (plie.positive_exit_rate, sur les sorties) au moins égal à "
        "l'objectif ; un taux non calculable n'atteint pas l'objectif. Non calculable (vide) sans convention "
        f"terminée dans la période. {OPERATOR_SCOPE}"
    ),
    unit=Unit.SHARE,
    denominator="conventions terminées dans la période",
)
def targets_met(*, period, user):
    if not _counts_operator(user):
        return Figure(value=None)
    ended = _ended_conventions(period, user)
    met = sum(1 for c in ended if selectors.convention_results(c).targets_met)
    return Figure(value=share(met, len(ended)), denominator=len(ended))


@_indicator(
    id="funding.analytic_split",
    aggregate_only=(
        "la répartition vient du coût de chaque salarié·e, une donnée personnelle : elle se lit dans la page "
        "« Répartition analytique », réservée à la coordination et à la direction"
    ),
    label="Répartition analytique du coût du personnel",
    definition=(
        "Coût chargé annuel des salarié·es des années de la période, réparti entre dispositifs selon leurs parts "
        "d'ETP affectées aux projets, au centime (les parts somment exactement au coût) ; le temps non affecté "
        "forme la case « Non affecté ». Ventilation : dispositif (ceux qui ont du temps affecté). "
        f"{SCOPE}"
    ),
    unit=Unit.AMOUNT,
    breakdowns=("dispositif",),
)
def analytic_split(*, period, user):
    if not _sees_all(user):
        return Figure(value=None)
    per: dict[str, Decimal] = {}
    total = ZERO
    for year in range(period.start.year, period.end.year + 1):
        split = selectors.analytic_split(year)
        total += split.total_cost
        for row in split.by_dispositif:
            per[row.label] = per.get(row.label, ZERO) + row.cost
    return Figure(value=total, breakdown=dict(sorted(per.items())))
