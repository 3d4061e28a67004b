"""Writes on PLIE pathways: one transaction each, the acting user as `by`, audited by simple-history."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.core.dates import refuse_future
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
from tremplin.plie.eligibility import check_eligibility
from tremplin.plie.enums import (
    OPEN_PATHWAY_STATUSES,
    POSITIVE_EXIT_KINDS,
    POSITIVE_EXIT_OF_RULE,
    AppointmentOutcome,
    FseMoment,
    OrientationStatus,
    PathwayStatus,
)
from tremplin.plie.exits import assess_exit
from tremplin.plie.fse import six_month_window
from tremplin.plie.models import BusinessCreation, Contract, FseQuestionnaire, Interview, Orientation, Pathway, Step
from tremplin.plie.perms import is_cell_member

# FSE+ entry data is due within 4 weeks of entry.
FSE_ENTRY_DELAY = timedelta(weeks=4)


_save = save_audited


def _require_cell(by):
    if not is_cell_member(by):
        raise PermissionDenied("Seule la cellule de suivi des entrées et sorties valide cette décision.")


@transaction.atomic
def orient_person(*, person, prescriber, oriented_on, reason, by, adviser_name="", first_appointment_on=None):
    """Record an orientation: every oriented person is recorded, whatever follows."""
    if oriented_on > timezone.localdate() + timedelta(days=1):
        raise ValidationError({"oriented_on": "La date d'orientation ne peut pas être dans le futur."})
    orientation = Orientation(
        person=person,
        prescriber=prescriber,
        oriented_on=oriented_on,
        reason=reason,
        adviser_name=adviser_name,
        first_appointment_on=first_appointment_on,
        created_by=by,
    )
    return _save(orientation, by)


NO_LEAD = "Aucune structure porteuse du PLIE n'est enregistrée : l'orientation ne peut pas être reçue."


@transaction.atomic
def propose_orientation(*, by, person_data, reason, chosen=None, confirmed_new=False) -> Orientation:
    """A prescriber proposes an orientation to the PLIE for a person they enter.

    The person is one of the prescriber's own referrals (a match they may see, chosen) or registered as
    new; a match outside their scope is never shown (an attachment request goes to the coordination).
    The PLIE's lead structure follows the person, with the prescriber as prescriber: the orientation lands
    in the cellule's list of orientations to receive, and the prescriber follows its status."""
    from tremplin.structures.enums import OrganizationKind
    from tremplin.structures.models import Organization

    organizations = by.organization_ids(Role.PRESCRIBER)
    if not organizations:
        raise PermissionDenied("Seul un prescripteur propose une orientation de cette façon.")
    prescriber = Organization.objects.get(pk=organizations[0])
    lead = Organization.objects.filter(kind=OrganizationKind.LEAD, is_active=True).order_by("pk").first()
    if lead is None:
        raise ValidationError(NO_LEAD)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Indiquez le motif de l'orientation."})
    person = chosen
    if person is None:
        found = find_likely_duplicates(
            first_name=person_data["first_name"],
            last_name=person_data["last_name"],
            birth_date=person_data["birth_date"],
            email=person_data.get("email", ""),
            phone=person_data.get("phone", ""),
        )
        if visible_duplicates(user=by, duplicates=found) and not confirmed_new:
            raise ValidationError(
                "Cette personne semble déjà orientée par votre structure : choisissez sa fiche, ou confirmez qu'il "
                "s'agit d'une autre personne."
            )
        person = create_person(by=by, **person_data)
        request_attachments(by=by, person=person, duplicates=found, programme=Programme.PLIE)
    follow_up = FollowUp.objects.open().filter(person=person, organization=lead, programme=Programme.PLIE).first()
    if follow_up is None:
        start_follow_up(person=person, organization=lead, programme=Programme.PLIE, prescriber=prescriber, by=by)
    elif follow_up.prescriber_id is None:
        follow_up.prescriber = prescriber
        follow_up._history_user = by
        follow_up.save(update_fields=["prescriber", "updated_at"])
    return orient_person(
        person=person,
        prescriber=prescriber,
        oriented_on=timezone.localdate(),
        reason=reason.strip(),
        adviser_name=by.get_full_name(),
        by=by,
    )


@transaction.atomic
def record_first_appointment(*, orientation, outcome, by, on=None):
    if orientation.status != OrientationStatus.OPEN:
        raise ValidationError("Cette orientation est close.")
    orientation.appointment_outcome = outcome
    if on:
        orientation.first_appointment_on = on
    return _save(orientation, by)


@transaction.atomic
def record_outreach(*, orientation, on, notes, by):
    """Aller-vers: what was done to reach someone who missed the first appointment."""
    if orientation.appointment_outcome != AppointmentOutcome.ABSENT:
        raise ValidationError("L'aller-vers concerne les personnes absentes au premier rendez-vous.")
    if on < orientation.oriented_on:
        raise ValidationError({"outreach_on": "L'aller-vers ne peut pas précéder l'orientation."})
    orientation.outreach_on = on
    orientation.outreach_notes = notes
    return _save(orientation, by)


@transaction.atomic
def close_orientation(*, orientation, by):
    orientation.status = OrientationStatus.NOT_ENTERED
    return _save(orientation, by)


@transaction.atomic
def propose_entry(*, person, organization, referent, proposed_on, by, orientation=None, wants_pathway=True) -> Pathway:
    """The référent proposes the entry to the cellule, with the entry criteria and their reasons."""
    if Pathway.objects.filter(person=person, status__in=OPEN_PATHWAY_STATUSES).exists():
        raise ValidationError("Cette personne a déjà un parcours PLIE en cours.")
    eligibility = check_eligibility(person, proposed_on, wants_pathway=wants_pathway)
    if not eligibility.eligible:
        missing = [f"{c.label} : {c.reason}" for c in eligibility.criteria if not c.met]
        raise ValidationError(["Critères d'entrée non remplis."] + missing)
    if referent is not None and not referent.memberships.active().filter(organization=organization).exists():
        raise ValidationError({"referent": f"{referent} n'est pas membre de {organization}."})
    pathway = Pathway(
        person=person,
        orientation=orientation,
        eligibility=eligibility.as_dict(),
        proposed_organization=organization,
        proposed_referent=referent,
        entry_proposed_on=proposed_on,
        entry_proposed_by=by,
    )
    return _save(pathway, by)


@transaction.atomic
def validate_entry(*, pathway, entry_date, by, notes="") -> Pathway:
    """The cellule validates the entry: the pathway starts and the référent's structure follows the person."""
    _require_cell(by)
    if pathway.status != PathwayStatus.ENTRY_PROPOSED:
        raise ValidationError("Seule une entrée proposée peut être validée.")
    if entry_date < pathway.entry_proposed_on:
        raise ValidationError({"entry_date": "La date d'entrée ne peut pas précéder la proposition d'entrée."})
    refuse_future(entry_date, field="entry_date", what="La date d'entrée")
    pathway.status = PathwayStatus.ACTIVE
    pathway.entry_date = entry_date
    pathway.entry_decided_by = by
    pathway.entry_decision_notes = notes
    _save(pathway, by)
    assign_referent(
        pathway=pathway,
        organization=pathway.proposed_organization,
        referent=pathway.proposed_referent,
        on=entry_date,
        by=by,
    )
    if pathway.orientation_id:
        orientation = pathway.orientation
        orientation.status = OrientationStatus.ENTERED
        _save(orientation, by)
    return pathway


@transaction.atomic
def refuse_entry(*, pathway, by, notes) -> Pathway:
    _require_cell(by)
    if pathway.status != PathwayStatus.ENTRY_PROPOSED:
        raise ValidationError("Seule une entrée proposée peut être refusée.")
    if not notes.strip():
        raise ValidationError({"entry_decision_notes": "Motivez le refus d'entrée."})
    pathway.status = PathwayStatus.ENTRY_REFUSED
    pathway.entry_decided_by = by
    pathway.entry_decision_notes = notes
    return _save(pathway, by)


def current_follow_up(pathway) -> FollowUp | None:
    return FollowUp.objects.open().filter(person=pathway.person, programme=Programme.PLIE).first()


@transaction.atomic
def assign_referent(*, pathway, organization, referent, on, by) -> FollowUp:
    """One active référent (structure + person); every change is kept in the follow-ups' history."""
    prescriber = pathway.orientation.prescriber if pathway.orientation_id else None
    current = current_follow_up(pathway)
    if current and current.organization_id == organization.pk:
        changed = current.referent_id != getattr(referent, "pk", None)
        if changed:
            current.referent = referent
        # A structure that already followed the person (e.g. the référent registered them) keeps its
        # follow-up: it still records who oriented the person to the PLIE.
        if prescriber is not None and current.prescriber_id is None:
            current.prescriber = prescriber
            changed = True
        if changed:
            _save(current, by)
        return current
    if current:
        end_follow_up(follow_up=current, ended_on=max(on - timedelta(days=1), current.started_on), by=by)
    return start_follow_up(
        person=pathway.person,
        organization=organization,
        programme=Programme.PLIE,
        referent=referent,
        prescriber=prescriber,
        started_on=on,
        by=by,
    )


def _require_active(pathway):
    if pathway.status not in (PathwayStatus.ACTIVE, PathwayStatus.EXIT_PROPOSED):
        raise ValidationError("Le parcours n'est pas en cours.")


@transaction.atomic
def add_step(*, pathway, by, **data) -> Step:
    _require_active(pathway)
    return _save(Step(pathway=pathway, **data), by)


@transaction.atomic
def complete_step(*, step, ended_on, by, certification_obtained=None) -> Step:
    """Close an étape; for a training, record whether the certification was obtained."""
    if step.ended_on:
        raise ValidationError("Cette étape est déjà terminée.")
    if ended_on < step.started_on:
        raise ValidationError({"ended_on": "La fin de l'étape ne peut pas précéder son début."})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "La fin de l'étape ne peut pas être dans le futur."})
    step.ended_on = ended_on
    if certification_obtained is not None:
        step.certification_obtained = certification_obtained
    return _save(step, by)


@transaction.atomic
def add_interview(*, pathway, held_on, notes, by, kind=None) -> Interview:
    _require_active(pathway)
    membership = by.primary_membership
    if membership is None:
        raise PermissionDenied("Un entretien est rattaché à la structure de son auteur·rice.")
    interview = Interview(
        pathway=pathway, held_on=held_on, notes=notes, author=by, organization=membership.organization
    )
    if kind:
        interview.kind = kind
    return _save(interview, by)


@transaction.atomic
def add_contract(*, pathway, by, **data) -> Contract:
    _require_active(pathway)
    return _save(Contract(pathway=pathway, **data), by)


@transaction.atomic
def end_contract(*, contract, ended_on, by) -> Contract:
    if ended_on < contract.started_on:
        raise ValidationError({"ended_on": "La fin du contrat ne peut pas précéder son début."})
    refuse_future(ended_on, field="ended_on", what="La fin effective du contrat")
    contract.ended_on = ended_on
    return _save(contract, by)


@transaction.atomic
def validate_aci_senior(*, contract, on, by) -> Contract:
    """The cellule's case-by-case validation for a participant of 55 and over in an ACI."""
    _require_cell(by)
    refuse_future(on, field="on", what="La date de validation par la cellule")
    contract.cell_validated_on = on
    contract.cell_validated_by = by
    return _save(contract, by)


@transaction.atomic
def add_business(*, pathway, by, **data) -> BusinessCreation:
    _require_active(pathway)
    refuse_future(data.get("registered_on"), field="registered_on", what="La date d'immatriculation")
    refuse_future(data.get("ceased_on"), field="ceased_on", what="La date de cessation d'activité")
    return _save(BusinessCreation(pathway=pathway, **data), by)


@transaction.atomic
def record_fse_questionnaire(*, pathway, moment, collected_on, by, **answers) -> FseQuestionnaire:
    """FSE+ records are collected once per moment and never overwritten."""
    if FseQuestionnaire.objects.filter(pathway=pathway, moment=moment).exists():
        raise ValidationError("Ce questionnaire FSE+ a déjà été recueilli pour ce parcours.")
    if moment == FseMoment.ENTRY and pathway.entry_date is None:
        raise ValidationError("Le questionnaire d'entrée suit la validation de l'entrée.")
    if moment in (FseMoment.EXIT, FseMoment.SIX_MONTHS) and pathway.status != PathwayStatus.EXITED:
        raise ValidationError("Les questionnaires de sortie et de suivi à 6 mois suivent la sortie validée.")
    refuse_future(collected_on, field="collected_on", what="La date de recueil")
    if moment == FseMoment.SIX_MONTHS:
        window = six_month_window(pathway)
        if not window.opens_on <= collected_on <= window.closes_on:
            raise ValidationError(
                {
                    "collected_on": "La situation à 6 mois se recueille du "
                    f"{window.opens_on:%d/%m/%Y} au {window.closes_on:%d/%m/%Y} : de 30 jours avant "
                    "la date due, 6 mois après la sortie, à 90 jours après elle."
                }
            )
    questionnaire = FseQuestionnaire(
        pathway=pathway, moment=moment, collected_on=collected_on, collected_by=by, **answers
    )
    return _save(questionnaire, by)


@transaction.atomic
def propose_exit(*, pathway, exit_date, exit_kind, by, explanation="") -> Pathway:
    """The référent proposes an exit; a positive one must be backed by the rule engine at that date."""
    if pathway.status != PathwayStatus.ACTIVE:
        raise ValidationError("Seul un parcours en cours peut faire l'objet d'une proposition de sortie.")
    if exit_date < pathway.entry_date:
        raise ValidationError({"exit_date": "La sortie ne peut pas précéder l'entrée."})
    if exit_date > timezone.localdate():  # (the same rule as core.dates.refuse_future, with its own words)
        # The rule engine would otherwise count planned contract ends that have not happened yet.
        raise ValidationError({"exit_date": "La date de sortie ne peut pas être dans le futur."})
    pathway.exit_rule = ""
    if exit_kind in POSITIVE_EXIT_KINDS:
        assessment = assess_exit(pathway, exit_date)
        outcome = assessment.outcome
        if outcome is None:
            raise ValidationError({"exit_kind": assessment.summary})
        matching = [o for o in assessment.outcomes if o.met and POSITIVE_EXIT_OF_RULE[o.rule] == exit_kind]
        if not matching:
            raise ValidationError({"exit_kind": f"Ce motif ne correspond pas au critère rempli. {assessment.summary}"})
        # Several criteria may be met: the explanation is that of the one the référent chose.
        pathway.exit_rule = matching[0].rule
        explanation = (explanation + "\n" if explanation else "") + matching[0].summary
    elif not explanation.strip():
        raise ValidationError({"exit_explanation": "Précisez les circonstances de la sortie."})
    pathway.status = PathwayStatus.EXIT_PROPOSED
    pathway.exit_date = exit_date
    pathway.exit_kind = exit_kind
    pathway.exit_explanation = explanation
    pathway.exit_proposed_on = timezone.localdate()
    pathway.exit_proposed_by = by
    return _save(pathway, by)


@transaction.atomic
def validate_exit(*, pathway, by) -> Pathway:
    _require_cell(by)
    if pathway.status != PathwayStatus.EXIT_PROPOSED:
        raise ValidationError("Seule une sortie proposée peut être validée.")
    pathway.status = PathwayStatus.EXITED
    pathway.exit_validated_by = by
    _save(pathway, by)
    follow_up = current_follow_up(pathway)
    if follow_up:
        end_follow_up(follow_up=follow_up, ended_on=max(pathway.exit_date, follow_up.started_on), by=by)
    return pathway


@transaction.atomic
def reject_exit(*, pathway, by, notes) -> Pathway:
    _require_cell(by)
    if pathway.status != PathwayStatus.EXIT_PROPOSED:
        raise ValidationError("Seule une sortie proposée peut être refusée.")
    pathway.status = PathwayStatus.ACTIVE
    pathway.exit_date = None
    pathway.exit_kind = ""
    pathway.exit_rule = ""
    pathway.exit_explanation = f"Sortie refusée par la cellule : {notes}"
    return _save(pathway, by)
