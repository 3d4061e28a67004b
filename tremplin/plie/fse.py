"""FSE+ participant data (Regulation (EU) 2021/1057, Annex I, domain spec §3.7).

One participation is one PLIE pathway. It has up to three questionnaires, one per moment (entry,
exit, 6 months after the exit), never overwritten. This module gives:

- `participant_rows()`: one row per participation entered in the period, with the three records,
  for the FSE+ export (columns in tremplin/plie/exports.py, documented in docs/fse-export.md);
- the EU common indicators (area "FSE+"), counted in SQL from the raw answers and from the
  person's sex and birth date, refusals ("ne souhaite pas répondre") counted apart;
- the référent's to-do lists: entry questionnaires overdue (FSE+ 4-week clock) and 6-month
  follow-ups due.

Who counts: the command line (user None) and aggregate-only users (funders) count every
participation; users who see records count their own scope (`Pathway.objects.counted_for`); users
without PLIE access (facilitators, mobility and project staff) get no PLIE figure (None), since
they hold no PLIE social data (domain spec §2).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, ExpressionWrapper, F, FilteredRelation, IntegerField, Min, OuterRef, Q
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear

from tremplin.accounts.enums import Role
from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp, Person
from tremplin.plie.enums import Answer, FseMoment, IscedLevel, LabourMarketStatus, PathwayStatus
from tremplin.plie.models import FseQuestionnaire, Pathway, add_months
from tremplin.plie.perms import has_plie_access, is_cell_member
from tremplin.reports.registry import Figure, PeriodKind, RecordColumn, Unit, current_organization, registry

# The entry questionnaire is due within 4 weeks of the entry (FSE+ rule).
ENTRY_QUESTIONNAIRE_DAYS = 28
# The follow-up questionnaire: 6 calendar months after the exit, listed 30 days ahead.
SIX_MONTHS = 6
FOLLOW_UP_NOTICE_DAYS = 30

YES_LABEL = "oui"
NO_LABEL = "non"
REFUSED_LABEL = "ne souhaite pas répondre"
MISSING_LABEL = "non renseigné"


# Population ---------------------------------------------------------------------------------


def counts_plie(user) -> bool:
    """Whether PLIE figures are computed for this user (see the module docstring)."""
    return user is None or not user.sees_records or has_plie_access(user)


def population(user):
    """The pathways behind PLIE and FSE+ figures for this user (`Pathway.objects.counted_for`); for one
    structure (reports.registry.current_organization), those of the people it follows in the PLIE."""
    if not counts_plie(user):
        return Pathway.objects.none()
    pathways = Pathway.objects.counted_for(user)
    organization = current_organization()
    if organization is not None:
        followed = FollowUp.objects.filter(organization=organization, programme=Programme.PLIE)
        pathways = pathways.filter(person__in=followed.values("person_id"))
    return pathways


def visible_pathways(user):
    """The pathways whose personal data the user may read (exports, to-do lists)."""
    if user is None:
        return Pathway.objects.all()
    if not has_plie_access(user):
        return Pathway.objects.none()
    return Pathway.objects.visible_to(user)


def coverage(user):
    """(first, last) date of the PLIE records (the first validated entry; kept up to today): before the first
    entry, a PLIE or FSE+ figure has no data rather than 0 (`reports.registry.partial_data`)."""
    first = Pathway.objects.aggregate(first=Min("entry_date"))["first"]
    return (first, None)


# The records behind PLIE and FSE+ figures: participations (pathways), within `visible_pathways` --------

PATHWAY_COLUMNS = (
    RecordColumn("Personne", lambda p: p.person.full_name, lambda p: p.person.get_absolute_url()),
    RecordColumn("Parcours", lambda p: f"n° {p.pk}", lambda p: p.get_absolute_url()),
    RecordColumn("Structure de suivi", lambda p: p.proposed_organization.name if p.proposed_organization else ""),
    RecordColumn("Entrée", lambda p: p.entry_date),
    RecordColumn("Sortie", lambda p: p.exit_date),
    RecordColumn("Motif de sortie", lambda p: p.get_exit_kind_display()),
)
SENSITIVE = (
    "donnée sensible (origine, handicap, minorité, logement : article 9 du RGPD) : la liste nominative n'est pas "
    "affichée, seul l'effectif l'est"
)


def pathway_records(pathways, user):
    """The pathways of a figure that the user may read, with what the columns need."""
    return (
        pathways.filter(pk__in=visible_pathways(user).values("pk"))
        .select_related("person", "proposed_organization")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def guarded(compute):
    """A computation returning no figure (None, not 0) for users who hold no PLIE data."""

    def guarded_compute(*, period, user):
        if not counts_plie(user):
            return Figure(value=None)
        return compute(period=period, user=user)

    guarded_compute.__name__ = compute.__name__
    guarded_compute.__doc__ = compute.__doc__
    guarded_compute.__wrapped__ = compute
    return guarded_compute


# SQL helpers ---------------------------------------------------------------------------------


def age_key(day, birth_date):
    """An integer such that "age on `day` ≥ n" ⇔ key ≥ n × 10,000, portable across databases.

    key = (year difference) × 10,000 + (month × 100 + day of `day`) − (month × 100 + day of birth):
    the month-day difference stays within ±1,130, so it only decides the year of the birthday,
    exactly as Person.age_on (born on 29 February: 45 on 1 March in a common year).
    """

    # PostgreSQL's EXTRACT returns a numeric: cast to integers, the arithmetic over every row is several times
    # cheaper (the values are whole numbers either way).
    def part(extract, value):
        return Cast(extract(value), IntegerField())

    return ExpressionWrapper(
        (part(ExtractYear, day) - part(ExtractYear, birth_date)) * 10000
        + part(ExtractMonth, day) * 100
        + part(ExtractDay, day)
        - part(ExtractMonth, birth_date) * 100
        - part(ExtractDay, birth_date),
        output_field=IntegerField(),
    )


def with_questionnaire(pathways, moment):
    """Join each pathway (as `q`) to its questionnaire of that moment: at most one, unique per moment."""
    return pathways.alias(q=FilteredRelation("fse_questionnaires", condition=Q(fse_questionnaires__moment=moment)))


def entered_during(user, period):
    """Participations entered in the period (FSE+ entry indicators)."""
    return population(user).filter(entry_date__range=(period.start, period.end))


def exited_during(user, period):
    """Participations whose validated exit falls in the period (FSE+ indicators at exit)."""
    return population(user).exited_during(period.start, period.end)


def exited_with_questionnaire(user, period):
    """Participations exited in the period, joined (as `q`) to their exit questionnaire."""
    return with_questionnaire(exited_during(user, period), FseMoment.EXIT)


def followed_up_during(user, period):
    """Participations whose 6-month questionnaire (joined as `q`) was collected in the period."""
    return with_questionnaire(population(user), FseMoment.SIX_MONTHS).filter(
        q__collected_on__range=(period.start, period.end)
    )


# Export rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantRow:
    """One participation: the pathway, the person, and the questionnaire of each moment (or None)."""

    pathway: Pathway
    entry: FseQuestionnaire | None
    exit: FseQuestionnaire | None
    six_months: FseQuestionnaire | None

    @property
    def person(self) -> Person:
        return self.pathway.person

    @property
    def age_at_entry(self) -> int:
        return self.person.age_on(self.pathway.entry_date)

    @property
    def exited(self) -> bool:
        return self.pathway.status == PathwayStatus.EXITED

    @property
    def entry_on_time(self) -> bool | None:
        """Entry questionnaire collected within 4 weeks of the entry; None when not collected."""
        if self.entry is None:
            return None
        return self.entry.collected_on <= self.pathway.entry_date + timedelta(days=ENTRY_QUESTIONNAIRE_DAYS)


def participant_rows(*, user, period) -> list[ParticipantRow]:
    """One row per participation (pathway) entered in the period that the user may read, by entry date."""
    pathways = (
        visible_pathways(user)
        .filter(entry_date__range=(period.start, period.end))
        .select_related("person", "person__commune", "proposed_organization")
        .prefetch_related("fse_questionnaires")
        .order_by("entry_date", "pk")
    )
    rows = []
    for pathway in pathways:
        by_moment = {q.moment: q for q in pathway.fse_questionnaires.all()}
        rows.append(
            ParticipantRow(
                pathway=pathway,
                entry=by_moment.get(FseMoment.ENTRY),
                exit=by_moment.get(FseMoment.EXIT),
                six_months=by_moment.get(FseMoment.SIX_MONTHS),
            )
        )
    return rows


# To-do lists ---------------------------------------------------------------------------------


def overdue_entry_questionnaires(*, user, today: date):
    """Pathways entered more than 28 days ago (FSE+ 4-week clock) with no entry questionnaire yet,
    oldest entry first, in the user's scope."""
    missing = ~Exists(FseQuestionnaire.objects.filter(pathway=OuterRef("pk"), moment=FseMoment.ENTRY))
    return (
        visible_pathways(user)
        .entered()
        .exclude(status=PathwayStatus.ENTRY_REFUSED)
        .filter(missing, entry_date__lt=today - timedelta(days=ENTRY_QUESTIONNAIRE_DAYS), person__erased_at=None)
        .select_related("person", "proposed_organization")
        .order_by("entry_date", "pk")
    )


def entry_questionnaire_deadline(pathway) -> date:
    return pathway.entry_date + timedelta(days=ENTRY_QUESTIONNAIRE_DAYS)


def six_month_date(pathway) -> date:
    """The day the 6-month situation is due: 6 calendar months after the exit."""
    return add_months(pathway.exit_date, SIX_MONTHS)


def latest_exit_due_by(day: date) -> date:
    """The last exit date whose 6-month date falls on or before `day` (add_months clamps month ends)."""
    candidate = add_months(day, -SIX_MONTHS)
    while add_months(candidate + timedelta(days=1), SIX_MONTHS) <= day:
        candidate += timedelta(days=1)
    while add_months(candidate, SIX_MONTHS) > day:
        candidate -= timedelta(days=1)
    return candidate


@dataclass(frozen=True)
class SixMonthWindow:
    """When the 6-month situation may be collected: the one rule for the to-do list, the pathway page,
    the permission and the "non recueilli" count.

    It is due 6 calendar months after the validated exit; it may be collected from 30 days before that
    date (FOLLOW_UP_NOTICE_DAYS) until 90 days after it (SIX_MONTHS_GRACE_DAYS). Once the window has closed
    without a questionnaire, the situation is "non recueilli": it leaves the to-do lists, can no longer be
    typed (a late answer would not be a situation at 6 months), and is counted apart
    (`fse.six_months_not_collected`)."""

    due_on: date
    opens_on: date
    closes_on: date

    @classmethod
    def for_exit(cls, exit_date: date) -> "SixMonthWindow":
        due_on = add_months(exit_date, SIX_MONTHS)
        return cls(
            due_on=due_on,
            opens_on=due_on - timedelta(days=FOLLOW_UP_NOTICE_DAYS),
            closes_on=due_on + timedelta(days=SIX_MONTHS_GRACE_DAYS),
        )

    def state(self, today: date) -> str:
        if today < self.opens_on:
            return NOT_YET
        if today > self.closes_on:
            return NOT_COLLECTED
        return OPEN

    def explain(self, today: date) -> str:
        state = self.state(today)
        if state == NOT_YET:
            return (
                f"À recueillir du {self.opens_on:%d/%m/%Y} au {self.closes_on:%d/%m/%Y} "
                f"(dû le {self.due_on:%d/%m/%Y})."
            )
        if state == OPEN:
            return (
                f"À recueillir maintenant : dû le {self.due_on:%d/%m/%Y}, possible jusqu'au {self.closes_on:%d/%m/%Y}."
            )
        return f"Non recueilli : la période de recueil s'est close le {self.closes_on:%d/%m/%Y}."


SIX_MONTHS_GRACE_DAYS = 90
NOT_YET, OPEN, NOT_COLLECTED = "not_yet", "open", "not_collected"


def six_month_window(pathway) -> SixMonthWindow | None:
    if pathway.status != PathwayStatus.EXITED or pathway.exit_date is None:
        return None
    return SixMonthWindow.for_exit(pathway.exit_date)


def _followed_by_users_structure(user):
    """Pathways of people whom one of the user's référent structures followed in the PLIE (even closed)."""
    return Exists(
        FollowUp.objects.filter(
            person=OuterRef("person"),
            programme=Programme.PLIE,
            organization_id__in=user.organization_ids(Role.REFERENT),
        )
    )


def recorders_scope(user):
    """The pathways whose FSE+ questionnaires the user records: all of them for the cellule (coordination,
    assistance); for a référent, those of the people their structure follows or followed in the PLIE (after
    the exit the follow-up is closed, yet the exit and 6-month questionnaires are still theirs to collect).
    Direction, prescribers and everyone else: none (they read)."""
    if user is None or not has_plie_access(user):
        return Pathway.objects.none()
    pathways = Pathway.objects.visible_to(user)
    if is_cell_member(user):
        return pathways
    if Role.REFERENT not in user.roles:
        return Pathway.objects.none()
    return pathways.filter(_followed_by_users_structure(user))


RECORDERS = (
    "Les questionnaires FSE+ sont recueillis par le référent·e de la structure qui suit ou a suivi le parcours, "
    "ou par la cellule."
)


def may_record_questionnaires(user, pathway) -> bool:
    return recorders_scope(user).filter(pk=pathway.pk).exists()


def can_record_questionnaire(user, pathway, moment, today: date, *, may_record=None) -> tuple[bool, str]:
    """Whether `user` may record the questionnaire of `moment` on `pathway` today, and why not.

    `may_record`: `may_record_questionnaires(user, pathway)` when the caller knows it already (a page asking for
    the three moments looks it up once)."""
    if FseQuestionnaire.objects.filter(pathway=pathway, moment=moment).exists():
        return False, "Déjà recueilli : un questionnaire FSE+ ne se modifie pas."
    if may_record is None:
        may_record = may_record_questionnaires(user, pathway)
    if not may_record:
        return False, RECORDERS
    if moment == FseMoment.ENTRY:
        if pathway.entry_date is None:
            return False, "Le questionnaire d'entrée suit la validation de l'entrée."
        return True, ""
    if pathway.status != PathwayStatus.EXITED:
        return False, "Pas encore dû : il suit la sortie validée par la cellule."
    if moment == FseMoment.SIX_MONTHS:
        window = six_month_window(pathway)
        if window.state(today) != OPEN:
            return False, window.explain(today)
    return True, ""


def six_month_follow_ups_due(*, user, today: date):
    """The actionable 6-month follow-ups: validated exits whose window is open today (from 30 days before the
    date due to 90 days after it), not yet collected, that the user records (`recorders_scope`), earliest
    first. Older ones are "non recueilli" and counted apart, not listed."""
    missing = ~Exists(FseQuestionnaire.objects.filter(pathway=OuterRef("pk"), moment=FseMoment.SIX_MONTHS))
    horizon = today + timedelta(days=FOLLOW_UP_NOTICE_DAYS)
    oldest = today - timedelta(days=SIX_MONTHS_GRACE_DAYS)
    return (
        recorders_scope(user)
        .filter(
            missing,
            status=PathwayStatus.EXITED,
            exit_date__lte=latest_exit_due_by(horizon),
            exit_date__gt=latest_exit_due_by(oldest - timedelta(days=1)),
            person__erased_at=None,
        )
        .select_related("person", "proposed_organization")
        .order_by("exit_date", "pk")
    )


def six_months_not_collected_during(user, period):
    """Participations whose 6-month collection window closed in the period without a questionnaire."""
    missing = ~Exists(FseQuestionnaire.objects.filter(pathway=OuterRef("pk"), moment=FseMoment.SIX_MONTHS))
    # closes_on = exit + 6 months + 90 days lies in the period ⇔ the 6-month date lies in [start - 90, end - 90].
    return population(user).filter(
        missing,
        status=PathwayStatus.EXITED,
        exit_date__gt=latest_exit_due_by(period.start - timedelta(days=SIX_MONTHS_GRACE_DAYS + 1)),
        exit_date__lte=latest_exit_due_by(period.end - timedelta(days=SIX_MONTHS_GRACE_DAYS)),
    )


# EU common indicators ------------------------------------------------------------------------

AREA = "FSE+"
ENTRY_POPULATION = (
    "Participations au PLIE (un parcours = une participation) dont la date d'entrée validée est dans la "
    "période, dans le périmètre de l'utilisateur"
)
EXIT_POPULATION = (
    "Participations au PLIE dont la sortie, validée par la cellule, est datée dans la période, dans le "
    "périmètre de l'utilisateur"
)
SIX_MONTHS_POPULATION = (
    "Participations au PLIE dont le questionnaire FSE+ « 6 mois après la sortie » a été recueilli dans "
    "la période, dans le périmètre de l'utilisateur"
)
REFUSAL_NOTE = (
    "La réponse « ne souhaite pas répondre » n'est pas comptée dans la valeur : elle est donnée à part dans "
    "la ventilation."
)
RESULT_NOTE = (
    "Ventilation : réponses « oui », « non », « ne souhaite pas répondre », et « non renseigné » "
    "(questionnaire non recueilli ou question sans réponse)."
)


def _register(*, id, label, definition, compute, breakdowns=(), records=None, aggregate_only="", population=""):
    registry.indicator(
        population=population,
        records=records,
        record_columns=PATHWAY_COLUMNS if records else (),
        aggregate_only=aggregate_only,
        id=id,
        label=label,
        definition=definition,
        unit=Unit.COUNT,
        period_kind=PeriodKind.FLOW,
        breakdowns=breakdowns,
        area=AREA,
        module="plie",
        coverage=coverage,
    )(guarded(compute))


@registry.indicator(
    id="fse.participants",
    label="FSE+ – participants (entrées sur la période)",
    definition=(
        f"{ENTRY_POPULATION}. Une personne entrée deux fois compte deux fois (« 1 participant = 1 opération »). "
        "Ventilation : participations dont le questionnaire d'entrée est recueilli ou manquant (complétude)."
    ),
    unit=Unit.COUNT,
    period_kind=PeriodKind.FLOW,
    breakdowns=("questionnaire d'entrée",),
    area=AREA,
    module="plie",
    coverage=coverage,
    records=lambda *, period, user: pathway_records(entered_during(user, period), user),
    record_columns=PATHWAY_COLUMNS,
)
@guarded
def fse_participants(*, period, user):
    counts = with_questionnaire(entered_during(user, period), FseMoment.ENTRY).aggregate(
        total=Count("pk"), collected=Count("pk", filter=Q(q__id__isnull=False))
    )
    return Figure(
        value=counts["total"],
        breakdown={
            "questionnaire d'entrée recueilli": counts["collected"],
            "questionnaire d'entrée manquant": counts["total"] - counts["collected"],
        },
    )


def _entry_records(condition, *, with_age=False):
    def records(*, period, user):
        pathways = with_questionnaire(entered_during(user, period), FseMoment.ENTRY)
        if with_age:
            pathways = pathways.alias(age_key=age_key(F("entry_date"), F("person__birth_date")))
        return pathway_records(pathways.filter(condition), user)

    return records


def _entry_count(condition, *, with_age=False):
    def compute(*, period, user):
        pathways = with_questionnaire(entered_during(user, period), FseMoment.ENTRY)
        if with_age:
            pathways = pathways.alias(age_key=age_key(F("entry_date"), F("person__birth_date")))
        return Figure(value=pathways.aggregate(n=Count("pk", filter=condition))["n"])

    return compute


FROM_QUESTIONNAIRE = (
    "Sans questionnaire d'entrée, une participation n'est pas comptée (complétude : ventilation de fse.participants)."
)
FROM_REGISTER = "Calculé depuis la fiche de la personne au registre, sans questionnaire."

# id, label, condition (French), condition (SQL), needs the age at entry, source note.
_ENTRY_COUNTS = [
    ("fse.women", "FSE+ – femmes", "dont la personne est de sexe féminin", Q(person__sex="F"), False, FROM_REGISTER),
    ("fse.men", "FSE+ – hommes", "dont la personne est de sexe masculin", Q(person__sex="M"), False, FROM_REGISTER),
    (
        "fse.non_binary",
        "FSE+ – personnes non binaires",
        "dont la personne est enregistrée « non binaire »",
        Q(person__sex="X"),
        False,
        FROM_REGISTER,
    ),
    (
        "fse.unemployed",
        "FSE+ – chômeurs, y compris de longue durée",
        "dont le questionnaire d'entrée indique une situation de chômage, de moins de 12 mois ou de longue durée",
        Q(q__labour_market_status__in=[LabourMarketStatus.UNEMPLOYED, LabourMarketStatus.LONG_TERM_UNEMPLOYED]),
        False,
        FROM_QUESTIONNAIRE,
    ),
    (
        "fse.long_term_unemployed",
        "FSE+ – chômeurs de longue durée",
        "dont le questionnaire d'entrée indique un chômage de longue durée (12 mois et plus)",
        Q(q__labour_market_status=LabourMarketStatus.LONG_TERM_UNEMPLOYED),
        False,
        FROM_QUESTIONNAIRE,
    ),
    (
        "fse.inactive",
        "FSE+ – personnes inactives",
        "dont le questionnaire d'entrée indique une personne inactive (ni en emploi ni en recherche)",
        Q(q__labour_market_status=LabourMarketStatus.INACTIVE),
        False,
        FROM_QUESTIONNAIRE,
    ),
    (
        "fse.employed",
        "FSE+ – personnes en emploi, y compris indépendantes",
        "dont le questionnaire d'entrée indique une personne en emploi, y compris indépendante",
        Q(q__labour_market_status=LabourMarketStatus.EMPLOYED),
        False,
        FROM_QUESTIONNAIRE,
    ),
    (
        "fse.under_18",
        "FSE+ – moins de 18 ans",
        "dont la personne a moins de 18 ans à la date d'entrée",
        Q(age_key__lt=18 * 10000),
        True,
        FROM_REGISTER,
    ),
    (
        "fse.age_18_29",
        "FSE+ – 18 à 29 ans",
        "dont la personne a entre 18 et 29 ans révolus à la date d'entrée",
        Q(age_key__gte=18 * 10000, age_key__lt=30 * 10000),
        True,
        FROM_REGISTER,
    ),
    (
        "fse.over_55",
        "FSE+ – 55 ans et plus",
        "dont la personne a 55 ans ou plus à la date d'entrée",
        Q(age_key__gte=55 * 10000),
        True,
        FROM_REGISTER,
    ),
    (
        "fse.isced_0_2",
        "FSE+ – niveau CITE 0 à 2",
        "dont le questionnaire d'entrée indique un niveau d'études CITE 0 à 2",
        Q(q__isced_level=IscedLevel.ISCED_0_2),
        False,
        FROM_QUESTIONNAIRE,
    ),
    (
        "fse.isced_3_4",
        "FSE+ – niveau CITE 3 à 4",
        "dont le questionnaire d'entrée indique un niveau d'études CITE 3 à 4",
        Q(q__isced_level=IscedLevel.ISCED_3_4),
        False,
        FROM_QUESTIONNAIRE,
    ),
    (
        "fse.isced_5_8",
        "FSE+ – niveau CITE 5 à 8",
        "dont le questionnaire d'entrée indique un niveau d'études CITE 5 à 8",
        Q(q__isced_level=IscedLevel.ISCED_5_8),
        False,
        FROM_QUESTIONNAIRE,
    ),
]

for _id, _label, _condition_text, _condition, _with_age, _source in _ENTRY_COUNTS:
    _register(
        id=_id,
        label=_label,
        definition=f"{ENTRY_POPULATION}, {_condition_text}. {_source}",
        compute=_entry_count(_condition, with_age=_with_age),
        records=_entry_records(_condition, with_age=_with_age),
        population="fse.participants",  # masked with it and with each other (reports/masking.py)
    )


def _sensitive_entry_count(field):
    def compute(*, period, user):
        counts = with_questionnaire(entered_during(user, period), FseMoment.ENTRY).aggregate(
            yes=Count("pk", filter=Q(**{f"q__{field}": Answer.YES})),
            refused=Count("pk", filter=Q(**{f"q__{field}": Answer.REFUSED})),
        )
        return Figure(value=counts["yes"], breakdown={YES_LABEL: counts["yes"], REFUSED_LABEL: counts["refused"]})

    return compute


_SENSITIVE_ENTRY_COUNTS = [
    ("fse.disability", "FSE+ – personnes handicapées", "disability", "la personne déclare un handicap"),
    (
        "fse.third_country_nationals",
        "FSE+ – ressortissants de pays tiers",
        "third_country_national",
        "la personne déclare être ressortissante d'un pays tiers (hors Union européenne)",
    ),
    (
        "fse.foreign_background",
        "FSE+ – personnes d’origine étrangère",
        "foreign_background",
        "la personne déclare être d'origine étrangère",
    ),
    (
        "fse.minorities",
        "FSE+ – minorités (y compris communautés marginalisées)",
        "minority",
        "la personne déclare appartenir à une minorité (y compris les communautés marginalisées)",
    ),
    (
        "fse.homeless",
        "FSE+ – sans domicile ou exclus du logement",
        "homeless",
        "la personne déclare être sans domicile ou exclue du logement",
    ),
]

for _id, _label, _field, _condition_text in _SENSITIVE_ENTRY_COUNTS:
    _register(
        id=_id,
        label=_label,
        definition=f"{ENTRY_POPULATION}, dont le questionnaire d'entrée indique que {_condition_text} "
        f"(réponse « oui »). {REFUSAL_NOTE}",
        compute=_sensitive_entry_count(_field),
        breakdowns=("réponse",),
        aggregate_only=SENSITIVE,
        population="fse.participants",
    )


def _result_records(participations, field):
    def records(*, period, user):
        return pathway_records(participations(user, period).filter(**{f"q__{field}": Answer.YES}), user)

    return records


def _result_count(participations, field):
    def compute(*, period, user):
        counts = participations(user, period).aggregate(
            total=Count("pk"),
            yes=Count("pk", filter=Q(**{f"q__{field}": Answer.YES})),
            no=Count("pk", filter=Q(**{f"q__{field}": Answer.NO})),
            refused=Count("pk", filter=Q(**{f"q__{field}": Answer.REFUSED})),
        )
        missing = counts["total"] - counts["yes"] - counts["no"] - counts["refused"]
        return Figure(
            value=counts["yes"],
            breakdown={
                YES_LABEL: counts["yes"],
                NO_LABEL: counts["no"],
                REFUSED_LABEL: counts["refused"],
                MISSING_LABEL: missing,
            },
        )

    return compute


_RESULT_COUNTS = [
    (
        "fse.job_searching_at_exit",
        "FSE+ – en recherche d’emploi à la sortie",
        exited_with_questionnaire,
        EXIT_POPULATION,
        "job_searching",
        "le questionnaire de sortie indique que la personne est en recherche d'emploi",
    ),
    (
        "fse.in_education_at_exit",
        "FSE+ – en études ou en formation à la sortie",
        exited_with_questionnaire,
        EXIT_POPULATION,
        "in_education",
        "le questionnaire de sortie indique que la personne suit des études ou une formation",
    ),
    (
        "fse.qualification_at_exit",
        "FSE+ – qualification obtenue à la sortie",
        exited_with_questionnaire,
        EXIT_POPULATION,
        "qualification_gained",
        "le questionnaire de sortie indique que la personne a obtenu une qualification",
    ),
    (
        "fse.employed_at_exit",
        "FSE+ – en emploi à la sortie, y compris indépendant",
        exited_with_questionnaire,
        EXIT_POPULATION,
        "employed",
        "le questionnaire de sortie indique que la personne est en emploi, y compris indépendante",
    ),
    (
        "fse.employed_six_months",
        "FSE+ – en emploi 6 mois après la sortie, y compris indépendant",
        followed_up_during,
        SIX_MONTHS_POPULATION,
        "employed",
        "ce questionnaire indique que la personne est en emploi, y compris indépendante",
    ),
    (
        "fse.improved_situation_six_months",
        "FSE+ – situation améliorée 6 mois après la sortie",
        followed_up_during,
        SIX_MONTHS_POPULATION,
        "improved_situation",
        "ce questionnaire indique une situation sur le marché du travail améliorée depuis l'entrée",
    ),
]

for _id, _label, _participations, _population_text, _field, _condition_text in _RESULT_COUNTS:
    _register(
        id=_id,
        label=_label,
        definition=f"{_population_text}, dont {_condition_text} (réponse « oui »). {RESULT_NOTE}",
        compute=_result_count(_participations, _field),
        breakdowns=("réponse",),
        records=_result_records(_participations, _field),
    )


@registry.indicator(
    id="fse.six_months_not_collected",
    label="FSE+ – situation à 6 mois non recueillie",
    definition=(
        "Participations au PLIE sorties dont la période de recueil de la situation à 6 mois (de 30 jours avant "
        "la date due, 6 mois calendaires après la sortie, à 90 jours après elle) s'est close dans la période "
        "sans questionnaire, dans le périmètre de l'utilisateur. Comptées à part : elles ne sont ni en emploi "
        "ni sans emploi dans les indicateurs à 6 mois."
    ),
    unit=Unit.COUNT,
    period_kind=PeriodKind.FLOW,
    area=AREA,
    records=lambda *, period, user: pathway_records(six_months_not_collected_during(user, period), user),
    record_columns=PATHWAY_COLUMNS,
)
@guarded
def fse_six_months_not_collected(*, period, user):
    return Figure(value=six_months_not_collected_during(user, period).count())
