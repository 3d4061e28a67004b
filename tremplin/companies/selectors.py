"""Reads that feed the companies screens; each takes the user and starts from a `visible_to` door."""

from dataclasses import dataclass

from django.db.models import Count, Max, Q

from tremplin.companies import roles
from tremplin.companies.enums import Attendance, CommitteeDecision, EventKind, OfferStatus, ProposalOutcome
from tremplin.companies.models import Event, Hire, Interest, Offer, Proposal, Registration
from tremplin.companies.perms import companies_for


def company_rows(*, user, query=""):
    companies = companies_for(user).select_related("commune", "company_profile")
    if query:
        companies = companies.search(query)
    return companies.annotate(
        interaction_count=Count("company_interactions", distinct=True),
        last_interaction=Max("company_interactions__happened_on"),
        open_offer_count=Count(
            "offers", filter=Q(offers__status__in=[OfferStatus.OPEN, OfferStatus.IN_PROGRESS]), distinct=True
        ),
    ).order_by("name")


def offers_for(user):
    return Offer.objects.visible_to(user).select_related("company", "commune", "rome")


def proposals_for_offer(*, user, offer):
    """The proposals of an offer the user may read; a company reads them numbered, without names."""
    proposals = Proposal.objects.visible_to(user).filter(offer=offer).select_related("person", "proposed_by")
    rows = list(proposals.order_by("proposed_on", "pk"))
    shows_names = roles.is_reader(user)
    return [
        {"proposal": p, "label": p.person.full_name if shows_names else f"Candidature n° {i}"}
        for i, p in enumerate(rows, start=1)
    ]


def home_panel(user, today):
    """The project officers' and coordination's panel: open offers, pending proposals, coming events."""
    if not roles.is_manager(user):
        return None
    return {
        "open_offers": Offer.objects.open().count(),
        "pending_proposals": Proposal.objects.visible_to(user).filter(outcome=ProposalOutcome.PENDING).count(),
        "coming_events": list(Event.objects.filter(ends_on__gte=today).order_by("starts_on")[:5]),
        "hires_this_year": Hire.objects.visible_to(user).filter(started_on__year=today.year).count(),
    }


@dataclass
class Stage:
    label: str
    count: int
    previous: int | None

    @property
    def share(self) -> float | None:
        """This stage over the previous one (None for the first stage, or after an empty one)."""
        if self.previous is None or not self.previous:
            return None
        return round(self.count / self.previous, 4)


def funnel(registrations, *, interests=None, proposals=None, hires=None) -> list[Stage]:
    """From registration to hire, each stage over the previous one. `registrations` is a queryset of
    registrations; the people's interests, proposals and hires are counted among those registered."""
    people = registrations.values("person_id")
    counts = [
        ("Inscrit·es", registrations.values("person").distinct().count()),
        ("Présent·es", registrations.filter(attendance=Attendance.PRESENT).values("person").distinct().count()),
        (
            "Intérêt exprimé pour une offre",
            (interests if interests is not None else Interest.objects)
            .filter(person__in=people)
            .values("person")
            .distinct()
            .count(),
        ),
        (
            "Proposé·es à une entreprise",
            (proposals if proposals is not None else Proposal.objects)
            .filter(person__in=people)
            .values("person")
            .distinct()
            .count(),
        ),
        (
            "Embauché·es",
            (hires if hires is not None else Hire.objects)
            .filter(person__in=people)
            .values("person")
            .distinct()
            .count(),
        ),
    ]
    stages, previous = [], None
    for label, count in counts:
        stages.append(Stage(label, count, previous))
        previous = count
    return stages


def sas_decisions(event: Event) -> dict[str, int]:
    counts = dict(
        event.registrations.exclude(decision="")
        .values_list("decision")
        .annotate(n=Count("pk"))
        .values_list("decision", "n")
    )
    return {label: counts.get(value, 0) for value, label in CommitteeDecision.choices}


def registrations_for_event(*, user, event):
    return Registration.objects.visible_to(user).filter(event=event).select_related("person", "prescriber")


def coming_sas(*, today):
    return Event.objects.filter(kind=EventKind.SAS, ends_on__gte=today)
