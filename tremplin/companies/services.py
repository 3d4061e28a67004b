"""Writes on companies, offers, proposals, immersions, events and the Points Relais log.

Each service takes keyword-only arguments and the acting user as `by`, validates, runs in one transaction
and stamps the change history (django-simple-history) with `by`. Refusals are French ValidationErrors naming
the field. Who may call them is decided by the views through tremplin/companies/perms.py.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tremplin.companies.enums import (
    OFFER_TRANSITIONS,
    OPEN_STATUSES,
    PROPOSAL_CLOSED,
    Attendance,
    CommitteeDecision,
    OfferStatus,
    ProposalOutcome,
    RelaisOutcome,
)
from tremplin.companies.models import (
    CompanyProfile,
    Event,
    Hire,
    Immersion,
    Interaction,
    Interest,
    JobSearchProfile,
    Offer,
    PartnershipAgreement,
    Proposal,
    Registration,
    RelaisContact,
)
from tremplin.core.models import save_audited
from tremplin.structures.enums import OrganizationKind

COMPANY_KINDS = {OrganizationKind.COMPANY, OrganizationKind.SIAE}


def _check_company(company):
    if company.kind not in COMPANY_KINDS:
        raise ValidationError({"company": f"« {company} » n'est pas une entreprise ni une SIAE."})


# --- Companies ---------------------------------------------------------------------------------


@transaction.atomic
def save_company_profile(*, organization, by, **fields) -> CompanyProfile:
    _check_company(organization)
    profile, _ = CompanyProfile.objects.get_or_create(organization=organization)
    for name, value in fields.items():
        setattr(profile, name, value)
    return save_audited(profile, by)


@transaction.atomic
def record_interaction(*, company, by, **fields) -> Interaction:
    _check_company(company)
    contact = fields.get("contact")
    if contact is not None and contact.organization_id != company.pk:
        raise ValidationError({"contact": "Cet interlocuteur ne travaille pas dans cette entreprise."})
    interaction = Interaction(company=company, by=by, **fields)
    interaction.full_clean()
    interaction.save()
    return interaction


@transaction.atomic
def record_agreement(*, company, by, **fields) -> PartnershipAgreement:
    _check_company(company)
    agreement = PartnershipAgreement(company=company, **fields)
    agreement.full_clean()
    agreement.save()
    return agreement


# --- Offers ------------------------------------------------------------------------------------


@transaction.atomic
def create_offer(*, by, company, **fields) -> Offer:
    _check_company(company)
    offer = Offer(company=company, created_by=by, **fields)
    offer.status = OfferStatus.OPEN
    offer.status_changed_on = offer.received_on or timezone.localdate()
    return save_audited(offer, by)


@transaction.atomic
def change_offer_status(*, offer: Offer, status: str, by, on: date | None = None) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if status == offer.status:
        return offer
    if status not in OFFER_TRANSITIONS[offer.status]:
        raise ValidationError(
            {
                "status": f"Une offre « {offer.get_status_display()} » ne peut pas passer au statut "
                f"« {OfferStatus(status).label} »."
            }
        )
    if status == OfferStatus.FILLED_BY_US and not offer.hires.exists():
        raise ValidationError(
            {"status": "Pour une offre pourvue par nos soins, enregistrez l'embauche sur la proposition retenue."}
        )
    offer.status = status
    offer.status_changed_on = on or timezone.localdate()
    return save_audited(offer, by, update_fields=["status", "status_changed_on", "updated_at"])


# --- People: job search, interest, proposals, hires --------------------------------------------


@transaction.atomic
def save_job_search(*, person, by, contracts=(), **fields) -> JobSearchProfile:
    profile = JobSearchProfile.objects.filter(person=person).first() or JobSearchProfile(person=person)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.accepted_contracts = list(contracts)
    return save_audited(profile, by)


@transaction.atomic
def record_interest(*, person, offer: Offer, by, event: Event | None = None, on: date | None = None) -> Interest:
    if Interest.objects.filter(person=person, offer=offer).exists():
        raise ValidationError({"offer": f"{person.full_name} a déjà exprimé son intérêt pour cette offre."})
    interest = Interest(
        person=person, offer=offer, event=event, recorded_by=by, expressed_on=on or timezone.localdate()
    )
    return save_audited(interest, by)


@transaction.atomic
def propose(*, offer: Offer, person, by, on: date | None = None, score: int | None = None) -> Proposal:
    """Propose a person to the company for an offer: a human decision, recorded; nothing is sent."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status not in OPEN_STATUSES:
        raise ValidationError(
            {"offer": f"L'offre est « {offer.get_status_display()} » : on n'y propose plus personne."}
        )
    if Proposal.objects.filter(offer=offer, person=person).exists():
        raise ValidationError({"person": f"{person.full_name} a déjà été proposé·e pour cette offre."})
    proposal = save_audited(
        Proposal(offer=offer, person=person, proposed_by=by, proposed_on=on or timezone.localdate(), score=score), by
    )
    if offer.status == OfferStatus.OPEN:
        offer.status = OfferStatus.IN_PROGRESS
        offer.status_changed_on = proposal.proposed_on
        save_audited(offer, by, update_fields=["status", "status_changed_on", "updated_at"])
    return proposal


@transaction.atomic
def record_proposal_outcome(
    *,
    proposal: Proposal,
    outcome: str,
    by,
    on: date | None = None,
    started_on: date | None = None,
    contract_type: str = "",
) -> Proposal:
    """What came of a proposal. A hire records its start and contract, and fills the offer when every
    post is taken."""
    proposal = Proposal.objects.select_for_update().select_related("offer").get(pk=proposal.pk)
    on = on or timezone.localdate()
    if proposal.outcome in PROPOSAL_CLOSED:
        raise ValidationError(
            {"outcome": f"La suite de cette proposition est déjà connue : « {proposal.get_outcome_display()} »."}
        )
    if on < proposal.proposed_on:
        raise ValidationError({"outcome_on": "La suite ne peut précéder la proposition."})
    if outcome == ProposalOutcome.HIRED:
        errors = {}
        if started_on is None:
            errors["started_on"] = "Indiquez la date d'embauche."
        elif started_on < proposal.proposed_on:
            errors["started_on"] = "L'embauche ne peut précéder la proposition."
        if not contract_type:
            errors["contract_type"] = "Indiquez le type de contrat."
        if errors:
            raise ValidationError(errors)
    proposal.outcome = outcome
    proposal.outcome_on = on
    save_audited(proposal, by, update_fields=["outcome", "outcome_on", "updated_at"])
    if outcome == ProposalOutcome.HIRED:
        offer = Offer.objects.select_for_update().get(pk=proposal.offer_id)
        save_audited(
            Hire(
                proposal=proposal,
                person=proposal.person,
                offer=offer,
                started_on=started_on,
                contract_type=contract_type,
                recorded_by=by,
            ),
            by,
        )
        if offer.hires.count() >= offer.posts and offer.status != OfferStatus.FILLED_BY_US:
            offer.status = OfferStatus.FILLED_BY_US
            offer.status_changed_on = on
            save_audited(offer, by, update_fields=["status", "status_changed_on", "updated_at"])
    return proposal


# --- Immersions --------------------------------------------------------------------------------


@transaction.atomic
def record_immersion(*, person, company, by, **fields) -> Immersion:
    _check_company(company)
    return save_audited(Immersion(person=person, company=company, recorded_by=by, **fields), by)


@transaction.atomic
def record_immersion_outcome(*, immersion: Immersion, outcome: str, by) -> Immersion:
    immersion.outcome = outcome
    return save_audited(immersion, by, update_fields=["outcome", "updated_at"])


# --- Events ------------------------------------------------------------------------------------


@transaction.atomic
def create_event(*, by, offers=(), **fields) -> Event:
    event = Event(created_by=by, **fields)
    event.full_clean()
    event.save()
    if offers:
        event.offers.set(offers)
    return event


@transaction.atomic
def register(*, event: Event, person, public: str, by, prescriber=None, on: date | None = None) -> Registration:
    """Register a person to an event; a full event (a SAS: 12 people) refuses the next one."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if Registration.objects.filter(event=event, person=person).exists():
        raise ValidationError({"person": f"{person.full_name} est déjà inscrit·e à « {event.title} »."})
    capacity = event.effective_capacity
    if capacity is not None and event.registrations.count() >= capacity:
        if event.is_sas:
            message = (
                f"Le SAS « {event.title} » est complet : un SAS 100 Chances accueille au plus {capacity} personnes. "
                f"{person.full_name} n'est pas inscrit·e."
            )
        else:
            message = f"« {event.title} » est complet ({capacity} places). {person.full_name} n'est pas inscrit·e."
        raise ValidationError({"person": message})
    registration = Registration(
        event=event,
        person=person,
        public=public,
        prescriber=prescriber,
        registered_by=by,
        registered_on=on or timezone.localdate(),
    )
    return save_audited(registration, by)


@transaction.atomic
def record_attendance(*, registration: Registration, attendance: str, by) -> Registration:
    if attendance != Attendance.REGISTERED and registration.event.starts_on > timezone.localdate():
        raise ValidationError({"attendance": "La présence se note le jour de l'événement, pas avant."})
    registration.attendance = attendance
    return save_audited(registration, by, update_fields=["attendance", "updated_at"])


@transaction.atomic
def record_committee_decision(
    *, registration: Registration, decision: str, by, on: date | None = None
) -> Registration:
    """After a 100 Chances SAS, the committee decides for each candidate."""
    event = registration.event
    on = on or timezone.localdate()
    if not event.is_sas:
        raise ValidationError({"decision": "Seul un SAS 100 Chances donne lieu à une décision du comité."})
    if on < event.starts_on:
        raise ValidationError({"decided_on": "Le comité se prononce après le début du SAS."})
    if (
        decision in {CommitteeDecision.IMMEDIATE, CommitteeDecision.DEFERRED}
        and registration.attendance == Attendance.ABSENT
    ):
        raise ValidationError(
            {
                "decision": f"{registration.person.full_name} était absent·e au SAS : "
                "pas d'entrée décidée sans présence."
            }
        )
    registration.decision = decision
    registration.decided_on = on
    return save_audited(registration, by, update_fields=["decision", "decided_on", "updated_at"])


# --- Points Relais -----------------------------------------------------------------------------


@transaction.atomic
def record_relais_contact(
    *, organization, channel, subject, outcome, by, referred_to=None, person=None, note="", on=None
):
    if outcome == RelaisOutcome.DIRECT:
        referred_to = None
    contact = RelaisContact(
        organization=organization,
        channel=channel,
        subject=subject,
        outcome=outcome,
        referred_to=referred_to,
        person=person,
        note=note,
        recorded_by=by,
        happened_on=on or timezone.localdate(),
    )
    return save_audited(contact, by)
