"""E-mails to the prescriber and to the PLIE référent at each step of a clauses candidacy.

Services call these functions inside their transaction; the message leaves only once the transaction
is committed (`transaction.on_commit`), so a refused write never sends anything. Each recipient gets
a message of their own: the prescriber does not learn the référent's address, nor the other way round.
Templates: templates/clauses/emails/<step>_subject.txt and <step>.txt, in French.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp

REFERRAL_RECEIVED = "referral_received"
INTERVIEW_SCHEDULED = "interview_scheduled"
DECISION = "decision"
PLACEMENT = "placement"
EVALUATION_DONE = "evaluation_done"


def plie_referent_email(person) -> str:
    """The e-mail of the person's référent in their open PLIE follow-up, if any."""
    follow_up = (
        FollowUp.objects.open()
        .filter(person=person, programme=Programme.PLIE, referent__isnull=False, referent__is_active=True)
        .select_related("referent")
        .order_by("-started_on")
        .first()
    )
    return follow_up.referent.email if follow_up else ""


def recipients(candidate) -> list[str]:
    addresses = []
    for address in (candidate.prescriber_email, plie_referent_email(candidate.person)):
        address = (address or "").strip().lower()
        if address and address not in addresses:
            addresses.append(address)
    return addresses


def _send(step: str, context: dict, addresses: list[str]) -> int:
    subject = " ".join(render_to_string(f"clauses/emails/{step}_subject.txt", context).split())
    body = render_to_string(f"clauses/emails/{step}.txt", context)
    for address in addresses:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]).send()
    return len(addresses)


def _notify(step: str, candidate, **context) -> None:
    addresses = recipients(candidate)
    if not addresses:
        return
    context = {"candidate": candidate, "person": candidate.person, **context}
    transaction.on_commit(lambda: _send(step, context, addresses))


def referral_received(candidate) -> None:
    _notify(REFERRAL_RECEIVED, candidate)


def interview_scheduled(candidate) -> None:
    _notify(INTERVIEW_SCHEDULED, candidate)


def decision_made(candidate) -> None:
    _notify(DECISION, candidate, validated=candidate.status == "validated")


def placement_made(placement) -> None:
    if placement.candidate_id is None:
        return
    _notify(PLACEMENT, placement.candidate, placement=placement, lot=placement.lot, operation=placement.lot.operation)


def evaluation_done(placement) -> None:
    if placement.candidate_id is None:
        return
    _notify(EVALUATION_DONE, placement.candidate, placement=placement, lot=placement.lot)
