"""Writes of the funding module: one function per act, keyword-only, the acting user as `by`, one transaction.

Rules (domain spec §7, seed 003 — the 2024 PLIE call for projects):
- deadline: an answer is on time when it is submitted at or before the call's deadline, to the
  second and beyond (the deadline is an aware datetime; « le 1er décembre 2023 à minuit » is the end
  of that day in Paris, see `end_of_day_in_paris`); one second late is late, and the answer is refused;
- the deposit receipt (attestation de dépôt) is numbered at submission and prints the exact time;
- COPIL: accepted (an amount within the action's PLIE ceiling), refused or questions (both motivated);
- a convention lasts one year; it is extended by avenant after the COPIL's validation and renewed
  at most twice (`MAX_RENEWALS`): a third renewal is refused. Whether an avenant that extends the
  convention counts as a renewal is the setting FUNDING_AVENANTS_COUNT_AS_RENEWAL (docs/programmation.md).
"""

import datetime
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tremplin.core.models import save_audited
from tremplin.funding.enums import CommitteeOutcome, ObligationKind
from tremplin.funding.models import (
    Answer,
    Avenant,
    CallForProjects,
    CommitteeDecision,
    Convention,
    Obligation,
    Score,
    StaffAllocation,
)

PARIS = ZoneInfo("Europe/Paris")
MAX_RENEWALS = 2
THIN_SPACE = "\u202f"
NO_BREAK_SPACE = "\u00a0"


def end_of_day_in_paris(day: datetime.date) -> datetime.datetime:
    """« Le <day> à minuit, dernier délai »: the midnight that ends that day, in Paris (aware)."""
    return datetime.datetime.combine(day + timedelta(days=1), datetime.time(0, 0), tzinfo=PARIS)


def paris_time(moment: datetime.datetime) -> str:
    """« 01/12/2023 à 23:59:59 » in Paris's time (summer or winter)."""
    local = moment.astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H:%M:%S}"


def is_on_time(submitted_at: datetime.datetime, deadline: datetime.datetime) -> bool:
    if timezone.is_naive(submitted_at) or timezone.is_naive(deadline):
        raise ValueError("Dates with their time zone only.")
    return submitted_at <= deadline


# Calls ---------------------------------------------------------------------------------------------


@transaction.atomic
def publish_call(*, call: CallForProjects, by, now=None) -> CallForProjects:
    now = now or timezone.now()
    if call.published_at:
        raise ValidationError("Cet appel à projets est déjà publié.")
    if not call.actions.exists():
        raise ValidationError("Ajoutez au moins une action avant de publier l'appel à projets.")
    if call.deadline <= now:
        raise ValidationError("La date limite de dépôt est passée : publication impossible.")
    call.published_at = now
    return save_audited(call, by)


def check_open(call: CallForProjects, now) -> None:
    if not call.published_at or call.published_at > now:
        raise ValidationError("Cet appel à projets n'est pas publié.")
    if not is_on_time(now, call.deadline):
        raise ValidationError(
            f"Le dépôt est clos depuis le {paris_time(call.deadline)} (heure de Paris) : "
            f"réponse refusée, reçue le {paris_time(now)}."
        )


@transaction.atomic
def save_answer(*, answer: Answer, by, now=None) -> Answer:
    """Create or change a draft answer, while the call is open."""
    now = now or timezone.now()
    if answer.pk and Answer.objects.filter(pk=answer.pk, submitted_at__isnull=False).exists():
        raise ValidationError("Cette réponse est déjà déposée : elle ne se modifie plus.")
    check_open(answer.call, now)
    _check_amounts(answer)
    if not answer.created_by_id:
        answer.created_by = by
    return save_audited(answer, by)


def _check_amounts(answer: Answer) -> None:
    errors = {}
    if answer.action.call_id != answer.call_id:
        errors["action"] = "Cette action n'appartient pas à cet appel à projets."
    elif answer.amount_plie > answer.action.plie_ceiling:
        errors["amount_plie"] = (
            f"Le PLIE intervient au plus à hauteur de {french_amount(answer.action.plie_ceiling)} pour cette action."
        )
    if answer.amount_plie + answer.amount_fse > answer.total_budget:
        errors["total_budget"] = "Le budget total doit couvrir au moins les montants demandés au PLIE et au FSE+."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submit_answer(*, answer: Answer, by, now=None) -> Answer:
    """Deposit the answer: on time to the second, numbered for its receipt."""
    now = now or timezone.now()
    # Locked and read again: two clicks on « Déposer » make one deposit.
    if Answer.objects.select_for_update().get(pk=answer.pk).submitted_at:
        raise ValidationError("Cette réponse est déjà déposée.")
    check_open(answer.call, now)
    _check_amounts(answer)
    answer.submitted_at = now
    answer.submitted_by = by
    answer.receipt_number = f"AAP{answer.call.year}-{answer.call_id:03d}-{answer.pk:05d}"
    return save_audited(answer, by, update_fields=["submitted_at", "submitted_by", "receipt_number", "updated_at"])


@transaction.atomic
def score_answer(*, answer: Answer, criterion, points: Decimal, comment: str = "", by) -> Score:
    if not answer.submitted_at:
        raise ValidationError("Seule une réponse déposée se note.")
    if criterion.call_id != answer.call_id:
        raise ValidationError("Ce critère n'est pas celui de cet appel à projets.")
    if points < 0 or points > criterion.max_points:
        raise ValidationError({"points": f"« {criterion.label} » se note de 0 à {criterion.max_points}."})
    score, _ = Score.objects.get_or_create(
        answer=answer, criterion=criterion, defaults={"points": points, "comment": comment, "scored_by": by}
    )
    score.points, score.comment, score.scored_by = points, comment, by
    return save_audited(score, by)


@transaction.atomic
def record_decision(
    *, answer: Answer, held_on, outcome: str, amount_granted=None, comments: str = "", by
) -> CommitteeDecision:
    if not answer.submitted_at:
        raise ValidationError("Le comité ne se prononce que sur une réponse déposée.")
    if hasattr(answer, "convention"):
        raise ValidationError("Cette réponse a déjà sa convention.")
    errors = {}
    if outcome == CommitteeOutcome.ACCEPTED:
        amount_granted = answer.amount_plie if amount_granted is None else amount_granted
        if amount_granted > answer.action.plie_ceiling:
            errors["amount_granted"] = f"Au plus {french_amount(answer.action.plie_ceiling)} (plafond de l'action)."
    else:
        amount_granted = None
        if not comments.strip():
            errors["comments"] = "Motivez le refus, ou écrivez les questions posées à l'opérateur."
    if errors:
        raise ValidationError(errors)
    decision = CommitteeDecision(
        answer=answer,
        held_on=held_on,
        outcome=outcome,
        amount_granted=amount_granted,
        comments=comments,
        recorded_by=by,
    )
    return save_audited(decision, by)


def latest_decision(answer: Answer) -> CommitteeDecision | None:
    return answer.decisions.order_by("-held_on", "-pk").first()


# Conventions -----------------------------------------------------------------------------------------


def one_year_from(day: datetime.date) -> datetime.date:
    """The last day of a one-year convention starting that day (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year + 1) - timedelta(days=1)
    except ValueError:
        return datetime.date(day.year + 1, 3, 1) - timedelta(days=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError


def default_obligations(convention: Convention) -> list[Obligation]:
    """The call's obligations (seed 003 §III.D): follow-up sheets each quarter, FSE+ participant data
    at mid-term and at the end, the mid-term and the final reports. Attendance sheets are due after
    each meeting (`add_attendance_obligation`)."""
    start, end = convention.starts_on, convention.ends_on
    middle = _add_months(start, 6) - timedelta(days=1)
    after_end = _add_months(end, 1)
    rows = [
        (ObligationKind.FOLLOW_UP_SHEETS, f"trimestre {q}", _add_months(start, 3 * q) + timedelta(days=14))
        for q in (1, 2, 3)
    ]
    rows += [
        (ObligationKind.FOLLOW_UP_SHEETS, "trimestre 4", after_end),
        (ObligationKind.FSE_DATA, "entrées du premier semestre", middle + timedelta(days=30)),
        (ObligationKind.MIDTERM_REPORT, "", middle + timedelta(days=30)),
        (ObligationKind.FSE_DATA, "entrées et sorties de l'année", after_end),
        (ObligationKind.FINAL_REPORT, "", _add_months(end, 2)),
    ]
    return [Obligation(convention=convention, kind=kind, label=label, due_on=due) for kind, label, due in rows]


def _create_obligations(convention, by):
    for obligation in default_obligations(convention):
        save_audited(obligation, by)


@transaction.atomic
def create_convention_from_answer(*, answer: Answer, number: str, starts_on: datetime.date, by) -> Convention:
    decision = latest_decision(answer)
    if decision is None or decision.outcome != CommitteeOutcome.ACCEPTED:
        raise ValidationError("Seule une réponse retenue par le comité de pilotage devient une convention.")
    if Convention.objects.filter(answer=answer).exists():
        raise ValidationError("Cette réponse a déjà sa convention.")
    convention = Convention(
        operator=answer.operator,
        answer=answer,
        project=answer.action.project,
        number=number,
        title=answer.action.title,
        starts_on=starts_on,
        ends_on=one_year_from(starts_on),
        amount_plie=decision.amount_granted,
        amount_fse=answer.amount_fse,
        people_target=answer.action.people_target,
        positive_exit_target=answer.action.positive_exit_target,
    )
    save_audited(convention, by)
    _create_obligations(convention, by)
    return convention


def renewal_chain(convention: Convention) -> list[Convention]:
    """The convention and those it renews, oldest first."""
    chain = [convention]
    while chain[0].renewal_of_id:
        chain.insert(0, chain[0].renewal_of)
    return chain


def renewals_used(convention: Convention) -> int:
    """Renewals made up to this convention: one per convention renewed in its chain, and one per
    extending avenant when FUNDING_AVENANTS_COUNT_AS_RENEWAL is set."""
    chain = renewal_chain(convention)
    used = len(chain) - 1
    if settings.FUNDING_AVENANTS_COUNT_AS_RENEWAL:
        used += Avenant.objects.filter(convention__in=chain, new_ends_on__isnull=False).count()
    return used


def refusal_of_renewal(convention: Convention) -> str | None:
    """Why this convention may not be renewed, or None."""
    if Convention.objects.filter(renewal_of=convention).exists():
        return "Cette convention est déjà renouvelée."
    used = renewals_used(convention)
    if used >= MAX_RENEWALS:
        return (
            f"Renouvellement refusé : cette convention a déjà été renouvelée {used} fois, et une convention ne "
            f"peut pas être renouvelée plus de {MAX_RENEWALS} fois."
        )
    return None


@transaction.atomic
def renew_convention(*, convention: Convention, number: str, by) -> Convention:
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    reason = refusal_of_renewal(convention)
    if reason:
        raise ValidationError(reason)
    starts_on = convention.current_ends_on + timedelta(days=1)
    renewal = Convention(
        operator=convention.operator,
        project=convention.project,
        renewal_of=convention,
        number=number,
        title=convention.title,
        starts_on=starts_on,
        ends_on=one_year_from(starts_on),
        amount_plie=convention.amount_plie,
        amount_fse=convention.amount_fse,
        people_target=convention.people_target,
        positive_exit_target=convention.positive_exit_target,
    )
    save_audited(renewal, by)
    _create_obligations(renewal, by)
    return renewal


@transaction.atomic
def add_avenant(
    *,
    convention: Convention,
    purpose: str,
    committee_validated_on: datetime.date,
    new_ends_on: datetime.date | None = None,
    amount_change: Decimal = Decimal("0.00"),
    by,
) -> Avenant:
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if not committee_validated_on:
        raise ValidationError({"committee_validated_on": "Un avenant suppose la validation du comité de pilotage."})
    if new_ends_on is not None:
        if new_ends_on <= convention.current_ends_on:
            raise ValidationError({"new_ends_on": "La nouvelle date de fin doit prolonger la convention."})
        if settings.FUNDING_AVENANTS_COUNT_AS_RENEWAL and renewals_used(convention) >= MAX_RENEWALS:
            raise ValidationError(
                f"Prolongation refusée : un avenant qui prolonge compte comme un renouvellement, et la convention "
                f"a déjà été renouvelée {MAX_RENEWALS} fois."
            )
    if convention.amount_plie + (amount_change or 0) < 0:
        raise ValidationError({"amount_change": "Le montant PLIE de la convention deviendrait négatif."})
    number = (convention.avenants.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    avenant = Avenant(
        convention=convention,
        number=number,
        purpose=purpose,
        committee_validated_on=committee_validated_on,
        new_ends_on=new_ends_on,
        amount_change=amount_change or Decimal("0.00"),
    )
    save_audited(avenant, by)
    if new_ends_on is not None:
        # The final obligations follow the new end.
        convention.obligations.open().filter(kind=ObligationKind.FINAL_REPORT).update(
            due_on=_add_months(new_ends_on, 2)
        )
    return avenant


@transaction.atomic
def add_attendance_obligation(*, convention: Convention, meeting_on: datetime.date, label: str = "", by) -> Obligation:
    """Émargement of one meeting (assessment, site visit): due a week after it."""
    obligation = Obligation(
        convention=convention,
        kind=ObligationKind.ATTENDANCE,
        label=label,
        meeting_on=meeting_on,
        due_on=meeting_on + timedelta(days=7),
    )
    return save_audited(obligation, by)


@transaction.atomic
def mark_obligation_done(*, obligation: Obligation, done_on: datetime.date, by) -> Obligation:
    if obligation.done_on:
        raise ValidationError("Cette obligation est déjà remplie.")
    if done_on > timezone.localdate():
        raise ValidationError("La date de remise ne peut pas être dans le futur.")
    obligation.done_on = done_on
    return save_audited(obligation, by)


def obligations_to_remind(*, today: datetime.date):
    """Open obligations whose reminder date has come and that were not reminded yet."""
    candidates = Obligation.objects.open().filter(reminded_on__isnull=True, due_on__gte=today)
    return [
        o
        for o in candidates.select_related("convention__operator")
        if o.due_on - timedelta(days=o.remind_days_before) <= today
    ]


# Staff time -------------------------------------------------------------------------------------------


@transaction.atomic
def allocate_staff_time(*, staff_year, project, percent: Decimal, by) -> StaffAllocation:
    others = sum((a.percent for a in staff_year.allocations.exclude(project=project)), start=Decimal("0"))
    if others + percent > 100:
        raise ValidationError(
            {"percent": f"{staff_year.name} est déjà affecté·e à {others} % : le total dépasserait 100 %."}
        )
    allocation, _ = StaffAllocation.objects.get_or_create(
        staff_year=staff_year, project=project, defaults={"percent": percent}
    )
    allocation.percent = percent
    return save_audited(allocation, by)


def french_amount(value) -> str:
    """12345.6 -> « 12 345,60 € » (narrow no-break space as thousands separator)."""
    if value is None:
        return "—"
    quantized = Decimal(value).quantize(Decimal("0.01"))
    sign = "-" if quantized < 0 else ""
    units, cents = f"{abs(quantized):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{THIN_SPACE.join(groups)},{cents}{NO_BREAK_SPACE}€"
