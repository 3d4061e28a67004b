"""Companies, offers, events and Points Relais: the figures of the domain spec §6 and §8.

Each figure is registered twice, as the spec asks ("in period" and "since launch" are distinct indicators):
`companies.hires` counts the period, `companies.hires_since_launch` everything up to the period's end.
Dates that place a record in a period: an interaction's date, an offer's reception date (`received_on`), a
proposal's date, a hire's start, an immersion's start, the start of the event a registration belongs to,
the date an interest was expressed, a Points Relais contact's date. Bounds are inclusive.

Population. Records naming a person (proposals, hires, immersions, registrations, interests, funnel) count
the people of `Person.objects.counted_for(user)`: everyone for the command line, the coordination and
aggregate-only users (funders, small cells hidden), the user's own scope otherwise. Companies, interactions,
offers and Points Relais contacts are not personal data: counted in full for every user who reads figures.

`compare(current, previous)` gives the change from one period to the previous one, (N − N−1) / N−1.
"""

from collections import Counter
from datetime import date

from django.db.models import Count, Q, Sum

from tremplin.companies import selectors
from tremplin.companies.enums import (
    OFFER_CONTRACT_CHOICES,
    CompanyProgramme,
    ImmersionOutcome,
    InteractionKind,
    OfferStatus,
    ProposalOutcome,
    Public,
    QualificationClass,
    RelaisChannel,
    RelaisOutcome,
)
from tremplin.companies.models import (
    Hire,
    Immersion,
    Interaction,
    Interest,
    Offer,
    Proposal,
    Registration,
    RelaisContact,
)
from tremplin.people.models import Person
from tremplin.reports.registry import Figure, PeriodKind, Unit, registry, share

AREA = "Entreprises, offres et événements"
NO_SECTOR = "Secteur non renseigné"


def compare(current, previous) -> float | None:
    """The change from the previous period, (N − N−1) / N−1, between −1 and +∞, 4 decimals; None when it cannot
    be computed (a figure unknown, or nothing in the previous period: a change from 0 is not a percentage)."""
    if current is None or previous is None or previous == 0:
        return None
    return round((float(current) - float(previous)) / float(previous), 4)


def _between(field: str, start: date | None, end: date) -> Q:
    condition = Q(**{f"{field}__lte": end})
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    return condition


def _people(user):
    return Person.objects.counted_for(user)


def _counts(queryset, field: str, choices) -> dict:
    found = dict(queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return {label: found.get(value, 0) for value, label in choices}


# The rows behind these figures are listed by the module's own pages (offers, events, Points Relais), within
# each user's rights; the report does not list them yet.
RECORDS_ELSEWHERE = (
    "le détail est dans les pages « Entreprises, offres et événements », selon les droits de chacun ; "
    "le rapport ne le liste pas encore"
)


def _both(*, id, label, definition, unit=Unit.COUNT, breakdowns=(), denominator=""):
    """Register the figure for the period and since launch; `compute(start, end, user)`, start None since launch."""

    def decorator(compute):
        registry.indicator(
            id=id,
            label=label,
            definition=f"{definition} Dans la période.",
            unit=unit,
            breakdowns=breakdowns,
            denominator=denominator,
            area=AREA,
            period_kind=PeriodKind.FLOW,
            aggregate_only=RECORDS_ELSEWHERE,
        )(lambda *, period, user: compute(period.start, period.end, user))
        registry.indicator(
            id=f"{id}_since_launch",
            label=f"{label} depuis le lancement",
            definition=f"{definition} Depuis le lancement, jusqu'à la fin de la période.",
            unit=unit,
            breakdowns=breakdowns,
            denominator=denominator.replace("sur la période", "depuis le lancement") if denominator else "",
            area=AREA,
            period_kind=PeriodKind.SNAPSHOT,
            aggregate_only=RECORDS_ELSEWHERE,
        )(lambda *, period, user: compute(None, period.end, user))
        return compute

    return decorator


@_both(
    id="companies.companies_met",
    label="Entreprises rencontrées",
    definition="Entreprises distinctes avec au moins un échange (visite, appel, e-mail, rendez-vous conseil RH, "
    "réunion) ; par dispositif, une entreprise rencontrée au titre de deux dispositifs compte dans chacun.",
    breakdowns=("dispositif",),
)
def companies_met(start, end, user):
    interactions = Interaction.objects.filter(_between("happened_on", start, end))
    by_programme = dict(
        interactions.values_list("programme").annotate(n=Count("company", distinct=True)).values_list("programme", "n")
    )
    return Figure(
        value=interactions.values("company").distinct().count(),
        breakdown={label: by_programme.get(value, 0) for value, label in CompanyProgramme.choices},
    )


@_both(
    id="companies.interactions",
    label="Échanges avec les entreprises",
    definition="Échanges enregistrés au journal des entreprises, par dispositif et par type.",
    breakdowns=("dispositif", "type d'échange"),
)
def interactions(start, end, user):
    rows = Interaction.objects.filter(_between("happened_on", start, end))
    breakdown = {f"Dispositif : {k}": v for k, v in _counts(rows, "programme", CompanyProgramme.choices).items()}
    breakdown |= {f"Type : {k}": v for k, v in _counts(rows, "kind", InteractionKind.choices).items()}
    return Figure(value=rows.count(), breakdown=breakdown)


def _offers(start, end):
    return Offer.objects.filter(_between("received_on", start, end))


@_both(
    id="companies.offers",
    label="Offres recueillies",
    definition="Offres reçues des entreprises (date de réception), par qualification, secteur de l'entreprise "
    "et statut actuel.",
    breakdowns=("qualification", "secteur", "statut"),
)
def offers(start, end, user):
    rows = _offers(start, end)
    breakdown = {
        f"Qualification : {k}": v for k, v in _counts(rows, "qualification", QualificationClass.choices).items()
    }
    sectors = Counter()
    for sector, n in rows.values_list("company__company_profile__sector").annotate(n=Count("pk")):
        sectors[sector or NO_SECTOR] += n
    breakdown |= {f"Secteur : {k}": v for k, v in sorted(sectors.items())}
    breakdown |= {f"Statut : {k}": v for k, v in _counts(rows, "status", OfferStatus.choices).items()}
    return Figure(value=rows.count(), breakdown=breakdown)


def _posts_by(rows, field, choices):
    found = dict(rows.values_list(field).annotate(n=Sum("posts")).values_list(field, "n"))
    return {label: found.get(value) or 0 for value, label in choices}


@_both(
    id="companies.posts",
    label="Postes à pourvoir",
    definition="Somme des postes des offres reçues, par qualification.",
    breakdowns=("qualification",),
)
def posts(start, end, user):
    rows = _offers(start, end)
    return Figure(
        value=rows.aggregate(n=Sum("posts"))["n"] or 0,
        breakdown=_posts_by(rows, "qualification", QualificationClass.choices),
    )


@_both(
    id="companies.posts_filled",
    label="Postes pourvus",
    definition="Postes des offres reçues dont le statut est « pourvue par nos soins » ou « pourvue par "
    "ailleurs » ; le détail donne les postes de chaque statut (issue inconnue et en cours comprises).",
    breakdowns=("statut",),
    denominator="postes des offres reçues sur la période (companies.posts)",
)
def posts_filled(start, end, user):
    rows = _offers(start, end)
    by_status = _posts_by(rows, "status", OfferStatus.choices)
    filled = sum(by_status[OfferStatus(s).label] for s in (OfferStatus.FILLED_BY_US, OfferStatus.FILLED_OTHERWISE))
    return Figure(value=filled, denominator=rows.aggregate(n=Sum("posts"))["n"] or 0, breakdown=by_status)


@_both(
    id="companies.proposals",
    label="Candidatures proposées aux entreprises",
    definition="Propositions d'une personne à une entreprise pour une offre (date de la proposition), par suite "
    "donnée.",
    breakdowns=("suite donnée",),
)
def proposals(start, end, user):
    rows = Proposal.objects.filter(_between("proposed_on", start, end), person__in=_people(user))
    return Figure(value=rows.count(), breakdown=_counts(rows, "outcome", ProposalOutcome.choices))


@_both(
    id="companies.hires",
    label="Embauches après une proposition",
    definition="Embauches enregistrées sur une proposition (date d'embauche), par contrat.",
    breakdowns=("contrat",),
)
def hires(start, end, user):
    rows = Hire.objects.filter(_between("started_on", start, end), person__in=_people(user))
    return Figure(value=rows.count(), breakdown=_counts(rows, "contract_type", OFFER_CONTRACT_CHOICES))


@_both(
    id="companies.immersions",
    label="Immersions (PMSMP)",
    definition="Immersions commencées, par issue.",
    breakdowns=("issue",),
)
def immersions(start, end, user):
    rows = Immersion.objects.filter(_between("starts_on", start, end), person__in=_people(user))
    return Figure(value=rows.count(), breakdown=_counts(rows, "outcome", ImmersionOutcome.choices))


def _registrations(start, end, user):
    return Registration.objects.filter(_between("event__starts_on", start, end), person__in=_people(user))


@_both(
    id="events.registrations",
    label="Inscriptions aux événements",
    definition="Inscriptions aux événements (forums, visites, réunions, SAS, sessions, ateliers) commencés, "
    "par public ; une personne inscrite à deux événements compte deux fois.",
    breakdowns=("public",),
)
def registrations(start, end, user):
    rows = _registrations(start, end, user)
    return Figure(value=rows.count(), breakdown=_counts(rows, "public", Public.choices))


@_both(
    id="events.interests",
    label="Intérêts exprimés pour des offres",
    definition="Intérêts exprimés par une personne pour une offre (plusieurs par personne possibles) ; le "
    "détail distingue ceux exprimés lors d'un événement.",
    breakdowns=("lors d'un événement",),
)
def interests(start, end, user):
    rows = Interest.objects.filter(_between("expressed_on", start, end), person__in=_people(user))
    at_event = rows.filter(event__isnull=False).count()
    total = rows.count()
    return Figure(value=total, breakdown={"Lors d'un événement": at_event, "Hors événement": total - at_event})


def _funnel(start, end, user):
    people = _people(user)
    return selectors.funnel(
        _registrations(start, end, user),
        interests=Interest.objects.filter(expressed_on__lte=end, person__in=people),
        proposals=Proposal.objects.filter(proposed_on__lte=end, person__in=people),
        hires=Hire.objects.filter(started_on__lte=end, person__in=people),
    )


@_both(
    id="events.funnel",
    label="Entonnoir des événements : personnes à chaque étape",
    definition="Personnes distinctes inscrites à un événement commencé, puis parmi elles : présentes, ayant "
    "exprimé un intérêt pour une offre, proposées à une entreprise, embauchées (jusqu'à la fin de la période). "
    "La valeur est le nombre d'inscrit·es.",
    breakdowns=("étape",),
)
def funnel_counts(start, end, user):
    stages = _funnel(start, end, user)
    return Figure(value=stages[0].count, breakdown={stage.label: stage.count for stage in stages})


@_both(
    id="events.funnel_rates",
    label="Entonnoir des événements : taux de passage entre étapes",
    definition="Pour chaque étape de l'entonnoir (events.funnel), la part des personnes de l'étape précédente "
    "qui l'atteignent ; la valeur est la part des inscrit·es embauché·es.",
    unit=Unit.SHARE,
    breakdowns=("étape",),
    denominator="personnes de l'étape précédente (la valeur : personnes inscrites, events.funnel)",
)
def funnel_rates(start, end, user):
    stages = _funnel(start, end, user)
    return Figure(
        value=share(stages[-1].count, stages[0].count),
        denominator=stages[0].count,
        breakdown={f"{stage.label} / étape précédente": stage.share for stage in stages[1:]},
    )


@_both(
    id="relais.contacts",
    label="Contacts en Points Relais",
    definition="Contacts enregistrés aux Points Relais (accueil, téléphone, e-mail), par canal et par réponse "
    "(directe ou orientation vers un partenaire).",
    breakdowns=("canal", "réponse"),
)
def relais_contacts(start, end, user):
    rows = RelaisContact.objects.filter(_between("happened_on", start, end))
    breakdown = {f"Canal : {k}": v for k, v in _counts(rows, "channel", RelaisChannel.choices).items()}
    breakdown |= {f"Réponse : {k}": v for k, v in _counts(rows, "outcome", RelaisOutcome.choices).items()}
    return Figure(value=rows.count(), breakdown=breakdown)
