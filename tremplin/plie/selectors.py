"""Reads that feed the PLIE screens: each takes the user and starts from a `visible_to(user)` door."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp, Person
from tremplin.plie import fse
from tremplin.plie.enums import (
    OPEN_PATHWAY_STATUSES,
    QUALIFYING_TRAININGS,
    EmployerKind,
    FseMoment,
    PathwayStatus,
)
from tremplin.plie.exits import RULE_SETTINGS, ExitAssessment, assess_exit
from tremplin.plie.models import (
    BusinessCreation,
    Contract,
    FseQuestionnaire,
    Interview,
    Orientation,
    Pathway,
    Step,
    add_months,
)
from tremplin.plie.perms import is_cell_member
from tremplin.reports import cache as figure_cache
from tremplin.structures.models import Organization

# "À traiter" thresholds (issue 3): contact every 3 months, FSE+ entry data within 4 weeks,
# positive-exit criteria met "recently", 6-month follow-ups announced a month ahead.
NO_CONTACT_DAYS = 90
FSE_ENTRY_DAYS = 28
NEWLY_MET_DAYS = 30
SIX_MONTHS_NOTICE_DAYS = 30

# Filter value meaning "entry proposed, in pathway or exit proposed".
OPEN = "open"


def _plie_follow_ups(*, open_only: bool):
    follow_ups = FollowUp.objects.filter(programme=Programme.PLIE)
    return follow_ups.open() if open_only else follow_ups


def _current_follow_ups_prefetch():
    """The person's PLIE follow-ups, latest first, as `person.plie_follow_ups` (the current one is [0])."""
    return Prefetch(
        "person__follow_ups",
        queryset=_plie_follow_ups(open_only=False).select_related("organization", "referent").order_by("-started_on"),
        to_attr="plie_follow_ups",
    )


def participants_for_referent(*, user, status=None, structure=None, query="", referent=None):
    """Pathways in the user's scope, filtered as in "Mes participants".

    status: a PathwayStatus value, "open" (not exited nor refused) or None (all);
    structure / referent: the structure or référent following the pathway now (the proposed ones
    while the entry awaits the cellule); query: the person search of the registry."""
    pathways = Pathway.objects.visible_to(user)
    if status == OPEN:
        pathways = pathways.open()
    elif status:
        pathways = pathways.filter(status=status)
    if structure is not None:
        following = _plie_follow_ups(open_only=True).filter(person=OuterRef("person"), organization=structure)
        pathways = pathways.filter(
            Exists(following) | Q(status=PathwayStatus.ENTRY_PROPOSED, proposed_organization=structure)
        )
    if referent is not None:
        following = _plie_follow_ups(open_only=True).filter(person=OuterRef("person"), referent=referent)
        pathways = pathways.filter(
            Exists(following) | Q(status=PathwayStatus.ENTRY_PROPOSED, proposed_referent=referent)
        )
    query = (query or "").strip()
    if query:
        pathways = pathways.filter(person__in=Person.objects.search(query))
    return (
        pathways.select_related("person", "person__commune", "proposed_organization", "proposed_referent")
        .prefetch_related(_current_follow_ups_prefetch())
        .order_by("person__last_name", "person__first_name", "pk")
    )


def structures_for_filter(*, user):
    """Structures offered in the "Mes participants" filter: the user's own, or every one following a pathway."""
    if user.sees_all_people:
        ids = _plie_follow_ups(open_only=True).values("organization_id")
        return Organization.objects.filter(Q(pk__in=ids) | Q(pk__in=user.organization_ids(Role.REFERENT)))
    return Organization.objects.filter(pk__in=user.organization_ids(Role.REFERENT))


def referents_for_filter(*, user):
    """Référents offered in the filter: those of the user's structures (all for the coordination)."""
    membership = Q(memberships__role=Role.REFERENT, memberships__ended_on__isnull=True)
    if not user.sees_all_people:
        membership &= Q(memberships__organization_id__in=user.organization_ids(Role.REFERENT))
    return User.objects.filter(membership, is_active=True).distinct().order_by("last_name", "first_name")


def can_act_on_worklists(user) -> bool:
    """The "à traiter" lists are for those who act on pathways: référents and the cellule."""
    return is_cell_member(user) or Role.REFERENT in user.roles


def _work_scope(user, *, open_only: bool):
    """Pathways the user works on: all of them for the coordination, their structures' for référents."""
    pathways = Pathway.objects.visible_to(user)
    if user.sees_all_people:
        return pathways
    following = _plie_follow_ups(open_only=open_only).filter(
        person=OuterRef("person"), organization_id__in=user.organization_ids(Role.REFERENT)
    )
    return pathways.filter(Exists(following))


@dataclass
class Todo:
    pathway: Pathway
    since: date | None = None  # the date the item became due (or the last contact)
    detail: str = ""
    assessment: ExitAssessment | None = None


def no_recent_contact(*, user, today: date) -> list[Todo]:
    """Active pathways entered more than 3 months ago with no entretien in the last 3 months."""
    limit = today - timedelta(days=NO_CONTACT_DAYS)
    recent = Interview.objects.filter(pathway=OuterRef("pk"), held_on__gte=limit)
    last = Interview.objects.filter(pathway=OuterRef("pk")).values("pathway").annotate(last=Max("held_on"))
    pathways = (
        _work_scope(user, open_only=True)
        .filter(status=PathwayStatus.ACTIVE, entry_date__lt=limit)
        .filter(~Exists(recent))
        .annotate(last_interview_on=Subquery(last.values("last")))
        .select_related("person")
        .order_by("entry_date", "pk")
    )
    return [
        Todo(
            p,
            since=p.last_interview_on,
            detail=(
                f"Dernier entretien le {p.last_interview_on:%d/%m/%Y}"
                if p.last_interview_on
                else f"Aucun entretien depuis l'entrée le {p.entry_date:%d/%m/%Y}"
            ),
        )
        for p in pathways
    ]


def fse_entry_overdue(*, user, today: date) -> list[Todo]:
    """Pathways entered more than 4 weeks ago whose FSE+ entry questionnaire is missing."""
    entry = FseQuestionnaire.objects.filter(pathway=OuterRef("pk"), moment=FseMoment.ENTRY)
    pathways = (
        _work_scope(user, open_only=True)
        .filter(
            status__in=[PathwayStatus.ACTIVE, PathwayStatus.EXIT_PROPOSED],
            entry_date__lt=today - timedelta(days=FSE_ENTRY_DAYS),
        )
        .filter(~Exists(entry))
        .select_related("person")
        .order_by("entry_date", "pk")
    )
    todos = []
    for p in pathways:
        due_on = p.entry_date + timedelta(days=FSE_ENTRY_DAYS)
        todos.append(
            Todo(p, since=due_on, detail=f"Entrée le {p.entry_date:%d/%m/%Y}, à recueillir avant le {due_on:%d/%m/%Y}")
        )
    return todos


def positive_exits_newly_met(*, user, today: date) -> list[Todo]:
    """Active pathways whose first positive-exit criterion was met in the last 30 days.

    A criterion is met on a day some record was worked or dated (a contract's day of work, a
    training's end, a business's 6 months, an agreement or a validation): only pathways holding
    such a record on or after the start of the 30 days are assessed, with their contracts, steps and
    business creations prefetched: a constant number of queries, whatever the caseload."""
    since = today - timedelta(days=NEWLY_MET_DAYS)
    recent_contracts = Contract.objects.filter(pathway=OuterRef("pk"), started_on__lte=today).filter(
        Q(ended_on__gte=since)
        | Q(ended_on__isnull=True, planned_end_on__isnull=True)
        | Q(ended_on__isnull=True, planned_end_on__gte=since)
        | Q(part_time_agreed_on__gte=since)
        | Q(cell_validated_on__gte=since)
    )
    recent_trainings = Step.objects.filter(
        pathway=OuterRef("pk"), kind__in=QUALIFYING_TRAININGS, ended_on__gte=since, ended_on__lte=today
    )
    # Consolidated 6 months after registration (a few days' margin for calendar months).
    recent_businesses = BusinessCreation.objects.filter(
        pathway=OuterRef("pk"), registered_on__gte=add_months(since, -6) - timedelta(days=3)
    )
    pathways = (
        _work_scope(user, open_only=True)
        .filter(status=PathwayStatus.ACTIVE)
        .filter(Exists(recent_contracts) | Exists(recent_trainings) | Exists(recent_businesses))
        .select_related("person")
        .prefetch_related("contracts", "steps", "businesses")
        .order_by("pk")
    )
    todos = []
    for pathway in pathways:
        assessment = assess_exit(pathway, today)
        outcome = assessment.outcome
        if outcome and outcome.met_on >= since:
            todos.append(Todo(pathway, since=outcome.met_on, detail=assessment.summary, assessment=assessment))
    return sorted(todos, key=lambda t: (t.since, t.pathway.pk))


def six_month_follow_ups_due(*, user, today: date) -> list[Todo]:
    """The FSE+ 6-month follow-ups the user can record now (the rule: `fse.SixMonthWindow`)."""
    todos = []
    for pathway in fse.six_month_follow_ups_due(user=user, today=today):
        window = fse.six_month_window(pathway)
        todos.append(
            Todo(
                pathway,
                since=window.due_on,
                detail=f"Sortie le {pathway.exit_date:%d/%m/%Y}, suivi dû le {window.due_on:%d/%m/%Y}, "
                f"à recueillir au plus tard le {window.closes_on:%d/%m/%Y}",
            )
        )
    return todos


def missed_first_appointments(*, user):
    """The aller-vers list: oriented people absent at their first appointment, not yet reached."""
    return (
        Orientation.objects.visible_to(user)
        .missed_first_appointment()
        .select_related("person", "prescriber")
        .order_by("first_appointment_on", "pk")
    )


TODO_LISTS = {
    "no_contact": no_recent_contact,
    "fse_entry": fse_entry_overdue,
    "newly_met": positive_exits_newly_met,
    "six_months": six_month_follow_ups_due,
}


def worklists(*, user, today: date) -> dict:
    """The "à traiter" lists of the workspace (and their counts on the home page).

    The positive-exit engine runs over every pathway holding a recent record, so the lists are kept in the
    figure cache (tremplin.reports.cache: its version changes on every write, its entries expire) under (user,
    day): the pathways they name are then read again in one query, within the user's scope. The absences at
    a first appointment are one cheap query, read live."""
    if not can_act_on_worklists(user):
        return {}
    computed = {}

    def compute():
        computed.update({name: build(user=user, today=today) for name, build in TODO_LISTS.items()})
        return {name: [(t.pathway.pk, t.since, t.detail) for t in todos] for name, todos in computed.items()}

    stored = figure_cache.remembered(f"plie:worklists:{user.pk}:{today.isoformat()}", compute)
    if computed:
        lists = computed
    else:
        pks = {pk for rows in stored.values() for pk, _, _ in rows}
        pathways = Pathway.objects.visible_to(user).select_related("person").in_bulk(pks)
        lists = {
            name: [Todo(pathways[pk], since=since, detail=detail) for pk, since, detail in rows if pk in pathways]
            for name, rows in stored.items()
        }
    lists["missed"] = list(missed_first_appointments(user=user))
    return lists


def open_orientations(*, user):
    """Orientations still open, with whether an entry is already proposed."""
    proposed = Pathway.objects.filter(orientation=OuterRef("pk"), status__in=OPEN_PATHWAY_STATUSES)
    return (
        Orientation.objects.visible_to(user)
        .filter(status="open")
        .annotate(has_open_pathway=Exists(proposed))
        .select_related("person", "prescriber")
        .order_by("-oriented_on", "pk")
    )


def cell_agenda(*, user):
    """What awaits the cellule: entries proposed, exits proposed (with the positive-exit engine's assessment of
    a positive one), ACI contracts of people aged 55+ to validate."""
    pathways = Pathway.objects.visible_to(user).select_related(
        "person", "proposed_organization", "proposed_referent", "entry_proposed_by", "exit_proposed_by"
    )
    entries = pathways.filter(status=PathwayStatus.ENTRY_PROPOSED).select_related("orientation__prescriber")
    # The positive exits are assessed on the page: their records are read here, once for all of them.
    exits = (
        pathways.filter(status=PathwayStatus.EXIT_PROPOSED)
        .prefetch_related(_current_follow_ups_prefetch(), "contracts", "steps", "businesses")
        .order_by("exit_proposed_on", "pk")
    )
    aci = (
        Contract.objects.filter(
            pathway__in=Pathway.objects.visible_to(user).filter(status=PathwayStatus.ACTIVE),
            employer_kind=EmployerKind.ACI,
            cell_validated_on__isnull=True,
        )
        .select_related("pathway__person")
        .order_by("started_on", "pk")
    )
    seniors = [c for c in aci if is_aci_senior_to_validate(c, c.pathway.person)]
    return {
        "entries": list(entries.order_by("entry_proposed_on", "pk")),
        "exits": [(p, assess_exit(p, p.exit_date) if p.is_positive_exit else None) for p in exits],
        "aci_contracts": seniors,
    }


def is_aci_senior_to_validate(contract: Contract, person: Person) -> bool:
    """A contract with an ACI of someone aged 55+ at its start, awaiting the cellule's validation."""
    return (
        contract.employer_kind == EmployerKind.ACI
        and contract.cell_validated_on is None
        and person.age_on(contract.started_on) >= RULE_SETTINGS.senior_age
    )


@dataclass
class ReferentPeriod:
    organization: object
    referent: object
    since: date
    until: date | None


def referent_history(*, pathway: Pathway) -> list[ReferentPeriod]:
    """Who followed the person in the PLIE, and when: each structure and each change of référent.

    Built from the follow-ups' change history, so that a change of référent within the same
    structure shows too."""
    records = (
        FollowUp.history.filter(person_id=pathway.person_id, programme=Programme.PLIE)
        .select_related("organization")
        .order_by("history_date", "history_id")
    )
    by_follow_up: dict[int, list] = {}
    for record in records:
        by_follow_up.setdefault(record.id, []).append(record)
    users = {u.pk: u for u in User.objects.filter(pk__in={r.referent_id for r in records if r.referent_id})}
    periods = []
    for history in by_follow_up.values():
        last = history[-1]
        spans = []
        for record in history:
            if spans and spans[-1][1] == record.referent_id:
                continue
            since = record.started_on if not spans else max(timezone.localdate(record.history_date), record.started_on)
            spans.append((since, record.referent_id))
        for index, (since, referent_id) in enumerate(spans):
            until = spans[index + 1][0] if index + 1 < len(spans) else last.ended_on
            if last.history_type == "-" and until is None:
                continue
            periods.append(ReferentPeriod(last.organization, users.get(referent_id), since, until))
    return sorted(periods, key=lambda p: p.since, reverse=True)


def exit_assessment(*, pathway: Pathway, at: date) -> ExitAssessment:
    """The positive-exit engine's answer for one pathway, from fresh records."""
    assessed = (
        Pathway.objects.filter(pk=pathway.pk)
        .select_related("person")
        .prefetch_related("contracts", "steps", "businesses")
        .get()
    )
    return assess_exit(assessed, at)


def pathway_overview(*, pathway: Pathway, user, today: date) -> dict:
    """Everything the pathway page shows, within what the user may read."""
    readable = Interview.objects.readable_by(user).filter(pathway=pathway).select_related("author")
    others = pathway.interviews.exclude(pk__in=readable.values("pk"))
    questionnaires = {q.moment: q for q in pathway.fse_questionnaires.select_related("collected_by")}
    at = pathway.exit_date if pathway.status in (PathwayStatus.EXITED, PathwayStatus.EXIT_PROPOSED) else today
    # The records listed on the page are those the positive-exit engine assesses: read once, fresh, for both.
    records = (
        Pathway.objects.filter(pk=pathway.pk)
        .select_related("person")
        .prefetch_related(
            "steps", Prefetch("contracts", queryset=Contract.objects.select_related("cell_validated_by")), "businesses"
        )
        .get()
    )
    return {
        "follow_up": _plie_follow_ups(open_only=True)
        .filter(person=pathway.person)
        .select_related("organization", "referent")
        .first(),
        "referent_history": referent_history(pathway=pathway),
        "steps": list(records.steps.all()),
        "interviews": list(readable),
        "other_interviews": list(others.order_by("-held_on").values("held_on", "kind")),
        "contracts": list(records.contracts.all()),
        "businesses": list(records.businesses.all()),
        "questionnaires": [(moment, label, questionnaires.get(moment)) for moment, label in FseMoment.choices],
        "assessment": assess_exit(records, at) if pathway.entry_date else None,
    }


def home_summary(*, user, today: date) -> dict:
    """The PLIE block of the home pages: counts, and what awaits the user; kept in the figure cache (see
    `worklists`) under (user, day)."""
    return figure_cache.remembered(
        f"plie:home:{user.pk}:{today.isoformat()}", lambda: _home_summary(user=user, today=today)
    )


def _home_summary(*, user, today: date) -> dict:
    summary = {"open_pathways": participants_for_referent(user=user, status=OPEN).count()}
    if Role.REFERENT in user.roles:
        summary["my_pathways"] = participants_for_referent(user=user, status=OPEN, referent=user).count()
    if can_act_on_worklists(user):
        lists = worklists(user=user, today=today)
        summary["todo"] = {name: len(items) for name, items in lists.items()}
        summary["todo_total"] = sum(summary["todo"].values())
    if is_cell_member(user):
        visible = Pathway.objects.visible_to(user)
        summary["entries_proposed"] = visible.filter(status=PathwayStatus.ENTRY_PROPOSED).count()
        summary["exits_proposed"] = visible.filter(status=PathwayStatus.EXIT_PROPOSED).count()
    return summary
