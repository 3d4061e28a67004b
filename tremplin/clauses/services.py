"""Writes of the clauses service: one transaction each, the acting user as `by`, audited by simple-history.

Operations, markets, lots and their sizing, counting conventions, globalisation agreements (with buyers);
referral, eligibility, validation interview and decision, the pool, placement and the tripartite
evaluation (with people). E-mails to the prescriber and the PLIE référent leave after the commit
(tremplin/clauses/notifications.py). A write that changes how many hours count (a convention, an agreement,
a lot's legal basis) recounts the records it affects in its transaction (counting.recount).
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.clauses import notifications
from tremplin.clauses.counting import recount
from tremplin.clauses.enums import (
    NO_HOURS_BASES,
    PLACEMENT_CONTRACTS,
    CandidateStatus,
    EligiblePublic,
    EvaluationStatus,
    FulfilmentMode,
    HireContract,
)
from tremplin.clauses.models import (
    Candidate,
    CountingConvention,
    GlobalisationAgreement,
    Lot,
    Market,
    Operation,
    Placement,
    sized_hours,
)
from tremplin.core.formatting import number as french_number
from tremplin.core.models import save_audited
from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp
from tremplin.people.services import (
    create_person,
    end_follow_up,
    find_likely_duplicates,
    request_attachments,
    start_follow_up,
    visible_duplicates,
)
from tremplin.structures.enums import Activity, OrganizationKind, SiaeType

CV_MAX_BYTES = 5 * 1024 * 1024
OPEN_CANDIDACY = (CandidateStatus.REFERRED, CandidateStatus.VALIDATED)

# Which employer each fulfilment mode needs (domain spec §4, seed 004).
MODE_EMPLOYER = {
    FulfilmentMode.PROVISION_ETTI: SiaeType.ETTI,
    FulfilmentMode.PROVISION_AI: SiaeType.AI,
    FulfilmentMode.PROVISION_GEIQ: SiaeType.GEIQ,
    FulfilmentMode.SUBCONTRACTING_EI: SiaeType.EI,
    FulfilmentMode.SUBCONTRACTING_ACI: SiaeType.ACI,
}
ADAPTED_ACTIVITIES = {Activity.ADAPTED, Activity.ESAT}


_save = save_audited


def _today() -> date:
    return timezone.localdate()


def _check_period(started_on, ended_on, *, field="ended_on", what="La fin"):
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({field: f"{what} ne peut pas précéder le début."})


# --- Operations ----------------------------------------------------------------------------------

OPERATION_FIELDS = [
    "name",
    "buyer",
    "owner",
    "commune",
    "in_qpv",
    "urban_renewal",
    "sector",
    "started_on",
    "ended_on",
    "facilitator",
    "notes",
]


def _check_operation(operation):
    errors = {}
    if operation.buyer_id and operation.buyer.kind != OrganizationKind.BUYER:
        errors["buyer"] = f"{operation.buyer} n'est pas enregistrée comme donneur d'ordre."
    if operation.owner_id and operation.owner.kind != OrganizationKind.BUYER:
        errors["owner"] = f"{operation.owner} n'est pas enregistrée comme donneur d'ordre ou maître d'ouvrage."
    if operation.ended_on and operation.started_on and operation.ended_on < operation.started_on:
        errors["ended_on"] = "La fin prévue de l'opération ne peut pas précéder son début."
    facilitator = operation.facilitator
    if facilitator is not None and not facilitator.memberships.active().filter(role=Role.FACILITATOR).exists():
        errors["facilitator"] = f"{facilitator.get_full_name()} n'est pas facilitateur·rice des clauses d'insertion."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_operation(*, by, **data) -> Operation:
    operation = Operation(**{k: v for k, v in data.items() if k in OPERATION_FIELDS})
    _check_operation(operation)
    return _save(operation, by)


@transaction.atomic
def update_operation(*, operation, by, **data) -> Operation:
    for field in OPERATION_FIELDS:
        if field in data:
            setattr(operation, field, data[field])
    _check_operation(operation)
    return _save(operation, by)


CONVENTION_FIELDS = [
    "provenance",
    "count_direct_hire",
    "count_staff_provision",
    "count_subcontracting",
    "count_alternance_training",
    "subcontracting_hourly_rate",
    "cdi_equivalence_hours",
]


@transaction.atomic
def set_counting_convention(*, operation, by, **data) -> CountingConvention:
    """The operation's counting convention, with where it comes from (charter, AVE handbook, tender file)."""
    if not (data.get("provenance") or "").strip():
        raise ValidationError({"provenance": "Indiquez l'origine de la convention (charte, guide AVE, marché…)."})
    for field in ("subcontracting_hourly_rate", "cdi_equivalence_hours"):
        value = data.get(field)
        if value is not None and value <= 0:
            raise ValidationError({field: "Indiquez un nombre positif, ou laissez vide."})
    try:
        convention = operation.convention
    except CountingConvention.DoesNotExist:
        convention = CountingConvention(operation=operation)
    for field in CONVENTION_FIELDS:
        if field in data:
            setattr(convention, field, data[field])
    _save(convention, by)
    recount(operations=[operation])
    return convention


@transaction.atomic
def save_globalisation(*, by, name, operations, started_on, ended_on=None, provenance="", agreement=None):
    """Create (or update) an agreement pooling hours across operations."""
    operations = list(operations)
    errors = {}
    if len(operations) < 2:
        errors["operations"] = "Un accord de globalisation réunit au moins deux opérations."
    if ended_on and started_on and ended_on < started_on:
        errors["ended_on"] = "La fin de l'accord ne peut pas précéder son entrée en vigueur."
    if not (provenance or "").strip():
        errors["provenance"] = "Indiquez l'origine de l'accord (convention signée, délibération…)."
    if errors:
        raise ValidationError(errors)
    agreement = agreement or GlobalisationAgreement()
    # Hours worked on an operation count on the others while the agreement covers both: those of the
    # operations it leaves, joins or keeps (its dates may have changed) are counted again.
    before = set(agreement.operations.values_list("pk", flat=True)) if agreement.pk else set()
    agreement.name = name
    agreement.started_on = started_on
    agreement.ended_on = ended_on
    agreement.provenance = provenance
    _save(agreement, by)
    agreement.operations.set(operations)
    recount(operations=before | {operation.pk for operation in operations})
    return agreement


# --- Markets and lots ----------------------------------------------------------------------------


@transaction.atomic
def create_market(*, operation, name, by, reference="") -> Market:
    return _save(Market(operation=operation, name=name, reference=reference), by)


@transaction.atomic
def update_market(*, market, name, by, reference="") -> Market:
    market.name = name
    market.reference = reference
    return _save(market, by)


LOT_FIELDS = ["number", "name", "legal_basis", "amount", "attributaire", "started_on", "ended_on"]


def _check_lot(lot):
    errors = {}
    if lot.attributaire_id and lot.attributaire.kind not in (OrganizationKind.COMPANY, OrganizationKind.SIAE):
        errors["attributaire"] = (
            f"{lot.attributaire} n'est ni une entreprise ni une SIAE : elle ne peut être attributaire."
        )
    if lot.amount is not None and lot.amount < 0:
        errors["amount"] = "Le montant ne peut pas être négatif."
    if lot.started_on and lot.ended_on and lot.ended_on < lot.started_on:
        errors["ended_on"] = "La fin d'exécution du lot ne peut pas précéder son début."
    if errors:
        raise ValidationError(errors)


def _clear_hours(lot):
    """Insertion markets carry no hours: they are followed qualitatively (seed 004)."""
    lot.planned_hours = Decimal("0")
    lot.planned_hours_reason = ""
    lot.labour_share = lot.insertion_rate = lot.hourly_cost = None


@transaction.atomic
def create_lot(*, market, by, **data) -> Lot:
    lot = Lot(market=market, **{k: v for k, v in data.items() if k in LOT_FIELDS})
    _check_lot(lot)
    if lot.legal_basis in NO_HOURS_BASES:
        _clear_hours(lot)
    return _save(lot, by)


@transaction.atomic
def update_lot(*, lot, by, **data) -> Lot:
    """Edit a lot; a lot sized by the formula (not overridden) follows a change of its amount."""
    was_proposed = lot.sized_hours is not None and lot.planned_hours == lot.sized_hours
    legal_basis = lot.legal_basis
    for field in LOT_FIELDS:
        if field in data:
            setattr(lot, field, data[field])
    _check_lot(lot)
    if lot.legal_basis in NO_HOURS_BASES:
        _clear_hours(lot)
    elif was_proposed and lot.sized_hours is not None:
        lot.planned_hours = lot.sized_hours
    _save(lot, by)
    if lot.legal_basis != legal_basis:  # its records stop (or start again) counting: insertion markets carry none
        recount(lots=[lot])
    return lot


def sizing_explanation(*, amount, labour_share, insertion_rate, hourly_cost) -> str:
    """The sizing computation as a facilitator writes it: "1 000 000 € × 50 % × 5 % ÷ 30 €/h = 833,33 h"."""
    hours = sized_hours(
        amount=amount, labour_share=labour_share, insertion_rate=insertion_rate, hourly_cost=hourly_cost
    )
    return (
        f"{french_number(amount)} € × {french_number(Decimal(labour_share) * 100)} % × "
        f"{french_number(Decimal(insertion_rate) * 100)} % ÷ {french_number(hourly_cost)} €/h "
        f"= {french_number(hours, decimals=2)} h"
    )


@transaction.atomic
def size_lot(*, lot, by, labour_share=None, insertion_rate=None, hourly_cost=None, planned_hours=None, reason=""):
    """Planned hours = amount × labour share × insertion rate ÷ hourly cost, or another figure with its reason."""
    if not lot.carries_hours:
        raise ValidationError(
            "Un marché d'insertion (l'insertion est l'objet du marché) ne porte pas d'heures : "
            "il fait l'objet d'un suivi qualitatif."
        )
    errors = {}
    for field, value, upper in (("labour_share", labour_share, 1), ("insertion_rate", insertion_rate, 1)):
        if value is not None and not (0 < value <= upper):
            errors[field] = "Indiquez un pourcentage supérieur à 0 et au plus égal à 100 %."
    if hourly_cost is not None and hourly_cost <= 0:
        errors["hourly_cost"] = "Le coût horaire doit être positif."
    if planned_hours is not None and planned_hours < 0:
        errors["planned_hours"] = "Les heures prévues ne peuvent pas être négatives."
    inputs = (labour_share, insertion_rate, hourly_cost)
    if any(v is not None for v in inputs) and None in inputs:
        for field, value in zip(("labour_share", "insertion_rate", "hourly_cost"), inputs, strict=True):
            if value is None:
                errors.setdefault(field, "Renseignez les trois éléments du calcul, ou aucun.")
    if errors:
        raise ValidationError(errors)
    proposed = None
    if None not in inputs:
        proposed = sized_hours(
            amount=lot.amount, labour_share=labour_share, insertion_rate=insertion_rate, hourly_cost=hourly_cost
        )
    if planned_hours is None and proposed is None:
        raise ValidationError({"planned_hours": "Renseignez les éléments du calcul ou les heures prévues."})
    reason = (reason or "").strip()
    if planned_hours is None or planned_hours == proposed:
        planned_hours, reason = proposed, ""
    elif not reason:
        computed = (
            f"le calcul donne {french_number(proposed, decimals=2)} h"
            if proposed is not None
            else "aucun calcul n'est renseigné"
        )
        raise ValidationError(
            {"planned_hours_reason": f"Expliquez pourquoi les heures prévues diffèrent du calcul ({computed})."}
        )
    lot.labour_share, lot.insertion_rate, lot.hourly_cost = inputs
    lot.planned_hours = planned_hours
    lot.planned_hours_reason = reason
    return _save(lot, by)


# --- Referral, eligibility, interview, decision ------------------------------------------------------


def validate_cv(cv) -> None:
    """A CV is a PDF of at most 5 MB."""
    if cv is None:
        return
    if cv.size > CV_MAX_BYTES:
        raise ValidationError({"cv": f"Le CV dépasse 5 Mo ({cv.size / 1024 / 1024:.1f} Mo)."})
    name = (cv.name or "").lower()
    cv.seek(0)
    head = cv.read(5)
    cv.seek(0)
    if not name.endswith(".pdf") or head != b"%PDF-":
        raise ValidationError({"cv": "Le CV doit être un fichier PDF."})


def _clauses_follow_up(person):
    return FollowUp.objects.open().filter(person=person, programme=Programme.CLAUSES)


def _start_clauses_follow_up(*, person, facilitator, prescriber, on, by):
    """The person enters the clauses service: followed by the facilitator's structure, so facilitators see them."""
    membership = facilitator.memberships.active().filter(role=Role.FACILITATOR).select_related("organization").first()
    if membership is None:
        raise ValidationError({"facilitator": f"{facilitator.get_full_name()} n'est pas facilitateur·rice."})
    existing = _clauses_follow_up(person).filter(organization=membership.organization).first()
    if existing:
        changed = []
        if existing.prescriber_id is None:
            existing.prescriber = prescriber
            changed.append("prescriber")
        if existing.referent_id is None:
            existing.referent = facilitator
            changed.append("referent")
        if changed:
            existing._history_user = by
            existing.save(update_fields=[*changed, "updated_at"])
        return existing
    return start_follow_up(
        person=person,
        organization=membership.organization,
        programme=Programme.CLAUSES,
        referent=facilitator,
        prescriber=prescriber,
        started_on=min(on, _today()),
        by=by,
    )


@transaction.atomic
def refer_candidate(
    *,
    by,
    prescriber,
    referred_on,
    reason,
    facilitator,
    person=None,
    new_person=None,
    confirmed_new=False,
    prescriber_contact="",
    prescriber_email="",
    cv=None,
) -> Candidate:
    """Record a referral to the clauses service, for a person of the registry or a new one.

    A new person is created only when nobody in the registry looks like them (or the user confirmed
    it is someone else): people already followed by the PLIE are the same records, never duplicates."""
    if (person is None) == (new_person is None):
        raise ValueError("Give either an existing person or the data of a new one.")
    errors = {}
    if referred_on > _today():
        errors["referred_on"] = "La date d'orientation ne peut pas être dans le futur."
    if not (reason or "").strip():
        errors["reason"] = "Indiquez le motif de l'orientation."
    if prescriber.kind != OrganizationKind.PRESCRIBER:
        errors["prescriber"] = f"{prescriber} n'est pas enregistrée comme prescripteur."
    if errors:
        raise ValidationError(errors)
    validate_cv(cv)
    if new_person is not None:
        duplicates = find_likely_duplicates(
            first_name=new_person["first_name"],
            last_name=new_person["last_name"],
            birth_date=new_person["birth_date"],
            email=new_person.get("email", ""),
            phone=new_person.get("phone", ""),
        )
        # Only the matches of the user's scope may stop them; the others must not show (attachment request).
        if visible_duplicates(user=by, duplicates=duplicates) and not confirmed_new:
            raise ValidationError(
                "Cette personne semble déjà inscrite au registre : choisissez sa fiche, ou confirmez qu'il s'agit "
                "d'une autre personne."
            )
        person = create_person(by=by, **new_person)
        request_attachments(by=by, person=person, duplicates=duplicates, programme=Programme.CLAUSES)
    current = Candidate.objects.filter(person=person, status__in=OPEN_CANDIDACY).first()
    if current:
        raise ValidationError(
            f"{person.full_name} a déjà une candidature en cours au service des clauses "
            f"({current.get_status_display().lower()}, orientation du {current.referred_on:%d/%m/%Y})."
        )
    candidate = Candidate(
        person=person,
        prescriber=prescriber,
        prescriber_contact=prescriber_contact,
        prescriber_email=(prescriber_email or "").lower(),
        referred_on=referred_on,
        reason=reason,
    )
    if cv is not None:
        candidate.cv = cv
    _save(candidate, by)
    _start_clauses_follow_up(person=person, facilitator=facilitator, prescriber=prescriber, on=referred_on, by=by)
    notifications.referral_received(candidate)
    return candidate


def _require_status(candidate, *statuses, message):
    if candidate.status not in statuses:
        raise ValidationError(message)


@transaction.atomic
def record_eligibility(*, candidate, eligible_public, proof_seen, proof_date, by) -> Candidate:
    """Administrative eligibility: the public of the eligible-public list, the proof seen and its date."""
    _require_status(candidate, *OPEN_CANDIDACY, message="L'éligibilité se vérifie sur une candidature en cours.")
    errors = {}
    if eligible_public not in EligiblePublic.values:
        errors["eligible_public"] = "Choisissez un public de la liste des publics éligibles."
    if not (proof_seen or "").strip():
        errors["proof_seen"] = "Indiquez le justificatif vu (ou, pour une décision du facilitateur, ce qui la motive)."
    if proof_date is None:
        errors["proof_date"] = "Indiquez la date du justificatif."
    elif proof_date > _today():
        errors["proof_date"] = "La date du justificatif ne peut pas être dans le futur."
    if errors:
        raise ValidationError(errors)
    candidate.eligible_public = eligible_public
    candidate.proof_seen = proof_seen.strip()
    candidate.proof_date = proof_date
    return _save(candidate, by)


@transaction.atomic
def schedule_interview(*, candidate, interview_on, by) -> Candidate:
    _require_status(
        candidate,
        CandidateStatus.REFERRED,
        message="L'entretien de validation se fixe avant la décision, sur une candidature à recevoir.",
    )
    if interview_on < candidate.referred_on:
        raise ValidationError({"interview_on": "L'entretien ne peut pas précéder l'orientation."})
    candidate.interview_on = interview_on
    _save(candidate, by)
    notifications.interview_scheduled(candidate)
    return candidate


def is_eligibility_recorded(candidate) -> bool:
    return bool(candidate.eligible_public and candidate.proof_seen and candidate.proof_date)


@transaction.atomic
def decide_candidacy(*, candidate, status, reason, by, jobs_sought=()) -> Candidate:
    """The validation interview's motivated decision: into the pool (validated), or refused."""
    _require_status(candidate, CandidateStatus.REFERRED, message="La décision sur cette candidature est déjà prise.")
    errors = {}
    if status not in (CandidateStatus.VALIDATED, CandidateStatus.REFUSED):
        errors["status"] = "Choisissez : validée ou refusée."
    if not (reason or "").strip():
        errors["decision_reason"] = (
            "Motivez le refus : l'avis est transmis au prescripteur."
            if status == CandidateStatus.REFUSED
            else "Motivez la décision (éligibilité, capacité à occuper un emploi, projet) : l'avis est transmis au "
            "prescripteur."
        )
    if candidate.interview_on is None:
        errors["interview_on"] = "Fixez d'abord l'entretien de validation : la décision le suit."
    elif candidate.interview_on > _today():
        errors["interview_on"] = (
            f"L'entretien de validation est prévu le {candidate.interview_on:%d/%m/%Y} : décidez après l'entretien."
        )
    if status == CandidateStatus.VALIDATED and not is_eligibility_recorded(candidate):
        errors["eligible_public"] = "Vérifiez d'abord l'éligibilité : public, justificatif vu et sa date."
    if errors:
        raise ValidationError(errors)
    candidate.status = status
    candidate.decision_reason = reason.strip()
    candidate.decided_by = by
    _save(candidate, by)
    if status == CandidateStatus.VALIDATED:
        candidate.jobs_sought.set(jobs_sought)
    else:
        _leave_service(candidate.person, by=by)
    notifications.decision_made(candidate)
    return candidate


@transaction.atomic
def set_jobs_sought(*, candidate, jobs, by) -> Candidate:
    _require_status(
        candidate, CandidateStatus.VALIDATED, message="Les métiers recherchés se tiennent à jour dans le vivier."
    )
    candidate.jobs_sought.set(jobs)
    candidate._history_user = by
    candidate.save(update_fields=["updated_at"])
    return candidate


@transaction.atomic
def withdraw_candidate(*, candidate, reason, by) -> Candidate:
    """Take a person out of the pool (job found elsewhere, moved, no longer available…)."""
    _require_status(candidate, CandidateStatus.VALIDATED, message="Seul·e un·e candidat·e du vivier peut en sortir.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Indiquez pourquoi la personne sort du vivier."})
    candidate.status = CandidateStatus.WITHDRAWN
    candidate.decision_reason = (
        f"{candidate.decision_reason}\nSortie du vivier le {_today():%d/%m/%Y} : {reason}".strip()
    )
    _save(candidate, by)
    _leave_service(candidate.person, by=by)
    return candidate


def _leave_service(person, *, by):
    """Close the clauses follow-up once nothing keeps the person in the service (read-only afterwards)."""
    if Candidate.objects.filter(person=person, status__in=OPEN_CANDIDACY).exists():
        return
    today = _today()
    running = Placement.objects.filter(person=person, started_on__lte=today).exclude(ended_on__lt=today)
    if running.exists() or Placement.objects.filter(person=person, started_on__gt=today).exists():
        return
    for follow_up in _clauses_follow_up(person):
        end_follow_up(follow_up=follow_up, ended_on=max(today, follow_up.started_on), by=by)


# --- Placement and evaluation ----------------------------------------------------------------------


def check_employer(*, mode, employer, contract) -> dict:
    """French errors when the employer or the contract does not fit the fulfilment mode."""
    errors = {}
    kind, siae_type = employer.kind, employer.siae_type
    if mode == FulfilmentMode.DIRECT_HIRE:
        if kind not in (OrganizationKind.COMPANY, OrganizationKind.SIAE):
            errors["employer"] = (
                f"Une embauche directe se fait par une entreprise ou une SIAE : {employer} n'en est pas une."
            )
    elif mode in MODE_EMPLOYER:
        expected = MODE_EMPLOYER[mode]
        if kind != OrganizationKind.SIAE or siae_type != expected:
            label = SiaeType(expected).label
            errors["employer"] = (
                f"« {FulfilmentMode(mode).label} » : l'employeur doit être une {label}, "
                f"or {employer} est « {employer.kind_label} »."
            )
    elif mode == FulfilmentMode.SUBCONTRACTING_EA:
        if kind != OrganizationKind.COMPANY or employer.activity not in ADAPTED_ACTIVITIES:
            errors["employer"] = (
                f"La sous-traitance à une EA ou un ESAT suppose une entreprise adaptée ou un ESAT : {employer} n'en "
                "est pas un·e (activité à renseigner dans l'annuaire des structures)."
            )
    else:
        errors["mode"] = "Choisissez une modalité de la liste."
    if contract == HireContract.CTTI and not (kind == OrganizationKind.SIAE and siae_type == SiaeType.ETTI):
        errors["contract"] = "Le contrat de travail temporaire d'insertion (CTTI) est celui des ETTI."
    if contract == HireContract.CDDI and not (
        kind == OrganizationKind.SIAE and siae_type in (SiaeType.EI, SiaeType.ACI)
    ):
        errors["contract"] = "Le CDDI est le contrat des entreprises d'insertion (EI) et des ACI."
    return errors


@transaction.atomic
def place_candidate(
    *, candidate, lot, mode, contract, employer, started_on, by, ended_on=None, job_title=""
) -> Placement:
    """Place a pool candidate on a lot through a fulfilment mode; a tripartite evaluation is then due."""
    if candidate.status != CandidateStatus.VALIDATED:
        raise ValidationError(
            f"{candidate.person.full_name} n'est pas dans le vivier (candidature "
            f"« {candidate.get_status_display().lower()} ») : seule une personne validée peut être mise en emploi."
        )
    errors = check_employer(mode=mode, employer=employer, contract=contract)
    if contract not in PLACEMENT_CONTRACTS:
        errors["contract"] = "Choisissez un contrat de la liste."
    if started_on < lot.started_on or started_on > lot.ended_on:
        errors["started_on"] = (
            f"Le début doit être compris dans l'exécution du lot, du {lot.started_on:%d/%m/%Y} "
            f"au {lot.ended_on:%d/%m/%Y}."
        )
    if ended_on is not None:
        if ended_on < started_on:
            errors["ended_on"] = "La fin ne peut pas précéder le début."
        elif ended_on > lot.ended_on:
            errors["ended_on"] = f"La fin dépasse la fin d'exécution du lot ({lot.ended_on:%d/%m/%Y})."
    if errors:
        raise ValidationError(errors)
    placement = Placement(
        person=candidate.person,
        candidate=candidate,
        lot=lot,
        mode=mode,
        contract=contract,
        employer=employer,
        job_title=job_title,
        started_on=started_on,
        ended_on=ended_on,
        evaluation_status=EvaluationStatus.TO_DO,
    )
    _save(placement, by)
    notifications.placement_made(placement)
    return placement


@transaction.atomic
def end_placement(*, placement, ended_on, by) -> Placement:
    if ended_on < placement.started_on:
        raise ValidationError({"ended_on": "La fin ne peut pas précéder le début de la mise en emploi."})
    placement.ended_on = ended_on
    _save(placement, by)
    return placement


@transaction.atomic
def record_evaluation(*, placement, evaluated_on, notes, by) -> Placement:
    """The systematic tripartite evaluation (candidate, tutor, facilitator) in the company."""
    if placement.evaluation_status == EvaluationStatus.DONE:
        raise ValidationError("L'évaluation tripartite de cette mise en emploi est déjà enregistrée.")
    errors = {}
    if evaluated_on < placement.started_on:
        errors["evaluated_on"] = "L'évaluation ne peut pas précéder le début de la mise en emploi."
    elif evaluated_on > _today():
        errors["evaluated_on"] = "L'évaluation ne peut pas être datée dans le futur."
    if not (notes or "").strip():
        errors["evaluation_notes"] = "Résumez l'évaluation : ce qui va, ce qui est à travailler, les suites."
    if errors:
        raise ValidationError(errors)
    placement.evaluation_status = EvaluationStatus.DONE
    placement.evaluated_on = evaluated_on
    placement.evaluation_notes = notes.strip()
    _save(placement, by)
    notifications.evaluation_done(placement)
    return placement
