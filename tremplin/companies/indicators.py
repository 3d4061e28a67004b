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

import re
from collections import Counter
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.urls import reverse

from tremplin.companies import selectors
from tremplin.companies.enums import (
    OFFER_CONTRACT_CHOICES,
    Attendance,
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
from tremplin.reports.registry import Figure, PeriodKind, RecordColumn, Unit, registry, share
from tremplin.structures.models import Organization

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


# The rows behind the figures: `records(start, end, user)`, start None since launch, through each model's door
# (offers, interactions and events: the internal readers; records naming a person: the people the user sees;
# Points Relais contacts: the managers, the others their own structures' log). The command line lists all.


def _visible(queryset, user):
    return queryset.all() if user is None else queryset.visible_to(user)


def _person_column():
    return RecordColumn("Personne", lambda r: r.person.full_name, lambda r: r.person.get_absolute_url())


def _offer_column(label="Offre"):
    return RecordColumn(label, lambda r: r.offer.title, lambda r: r.offer.get_absolute_url())


def _company_link(company_id):
    return reverse("companies:company_detail", args=[company_id])


def _company_records(start, end, user):
    interactions = _visible(Interaction.objects, user).filter(_between("happened_on", start, end))
    return (
        Organization.objects.filter(pk__in=interactions.values("company_id"))
        .annotate(
            period_interactions=Subquery(
                interactions.filter(company=OuterRef("pk"))
                .order_by()
                .values("company")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            last_interaction_on=Subquery(
                interactions.filter(company=OuterRef("pk")).order_by("-happened_on").values("happened_on")[:1]
            ),
        )
        .order_by("name", "pk")
    )


COMPANY_RECORDS = (
    _company_records,
    (
        RecordColumn("Entreprise", lambda c: c.name, lambda c: _company_link(c.pk)),
        RecordColumn("Échanges", lambda c: c.period_interactions),
        RecordColumn("Dernier échange", lambda c: c.last_interaction_on),
    ),
)


def _interaction_records(start, end, user):
    return (
        _visible(Interaction.objects, user)
        .filter(_between("happened_on", start, end))
        .select_related("company", "by")
        .order_by("happened_on", "pk")
    )


INTERACTION_RECORDS = (
    _interaction_records,
    (
        RecordColumn("Date", lambda i: i.happened_on),
        RecordColumn("Entreprise", lambda i: i.company.name, lambda i: _company_link(i.company_id)),
        RecordColumn("Type", lambda i: i.get_kind_display()),
        RecordColumn("Dispositif", lambda i: i.get_programme_display()),
        RecordColumn("Objet", lambda i: i.subject),
        RecordColumn("Par", lambda i: i.by.get_full_name()),
    ),
)


def _offer_records(start, end, user, *, statuses=None):
    offers = _visible(Offer.objects, user).filter(_between("received_on", start, end))
    if statuses is not None:
        offers = offers.filter(status__in=statuses)
    return offers.select_related("company").order_by("received_on", "pk")


OFFER_COLUMNS = (
    RecordColumn("Offre", lambda o: o.title, lambda o: o.get_absolute_url()),
    RecordColumn("Entreprise", lambda o: o.company.name),
    RecordColumn("Reçue le", lambda o: o.received_on),
    RecordColumn("Qualification", lambda o: o.get_qualification_display()),
    RecordColumn("Statut", lambda o: o.get_status_display()),
    RecordColumn("Postes", lambda o: o.posts),
)
OFFER_RECORDS = (_offer_records, OFFER_COLUMNS)
# The posts filled: the offers whose posts count in the value.
FILLED_OFFER_RECORDS = (
    lambda start, end, user: _offer_records(
        start, end, user, statuses=[OfferStatus.FILLED_BY_US, OfferStatus.FILLED_OTHERWISE]
    ),
    OFFER_COLUMNS,
)


def _person_records(model, field, *related):
    def records(start, end, user):
        return (
            # The people the user sees (a company reads what was proposed to it, never whom: none here).
            _visible(model.objects, user)
            .filter(_between(field, start, end), person__in=_visible(Person.objects, user))
            .select_related("person", *related)
            .order_by(field, "pk")
        )

    return records


PROPOSAL_RECORDS = (
    _person_records(Proposal, "proposed_on", "offer__company"),
    (
        _person_column(),
        _offer_column(),
        RecordColumn("Entreprise", lambda p: p.offer.company.name),
        RecordColumn("Proposé·e le", lambda p: p.proposed_on),
        RecordColumn("Suite donnée", lambda p: p.get_outcome_display()),
    ),
)
HIRE_RECORDS = (
    _person_records(Hire, "started_on", "offer__company"),
    (
        _person_column(),
        _offer_column(),
        RecordColumn("Entreprise", lambda h: h.offer.company.name),
        RecordColumn("Embauche le", lambda h: h.started_on),
        RecordColumn("Contrat", lambda h: h.get_contract_type_display()),
    ),
)
IMMERSION_RECORDS = (
    _person_records(Immersion, "starts_on", "company"),
    (
        _person_column(),
        RecordColumn("Entreprise", lambda i: i.company.name),
        RecordColumn("Début", lambda i: i.starts_on),
        RecordColumn("Fin", lambda i: i.ends_on),
        RecordColumn("Objectif", lambda i: i.objective),
        RecordColumn("Issue", lambda i: i.get_outcome_display()),
    ),
)
REGISTRATION_RECORDS = (
    _person_records(Registration, "event__starts_on", "event"),
    (
        _person_column(),
        RecordColumn("Événement", lambda r: r.event.title, lambda r: r.event.get_absolute_url()),
        RecordColumn("Début", lambda r: r.event.starts_on),
        RecordColumn("Public", lambda r: r.get_public_display()),
        RecordColumn("Présence", lambda r: r.get_attendance_display()),
    ),
)
INTEREST_RECORDS = (
    _person_records(Interest, "expressed_on", "offer", "event"),
    (
        _person_column(),
        _offer_column(),
        RecordColumn("Exprimé le", lambda i: i.expressed_on),
        RecordColumn("Lors de l'événement", lambda i: i.event.title if i.event_id else ""),
    ),
)


def _funnel_records(start, end, user):
    """The people registered (the funnel's first stage, the rates' denominator) with the stages they reached, as
    selectors.funnel counts them."""
    registrations = _registrations(start, end, user)
    people = _people(user)

    def reached(queryset):
        return Exists(queryset.filter(person=OuterRef("pk"), person__in=people))

    return (
        _visible(Person.objects, user)
        .filter(pk__in=registrations.values("person_id"))
        .annotate(
            funnel_present=Exists(registrations.filter(person=OuterRef("pk"), attendance=Attendance.PRESENT)),
            funnel_interest=reached(Interest.objects.filter(expressed_on__lte=end)),
            funnel_proposal=reached(Proposal.objects.filter(proposed_on__lte=end)),
            funnel_hire=reached(Hire.objects.filter(started_on__lte=end)),
        )
        .order_by("last_name", "first_name", "pk")
    )


def _yes(value) -> str:
    return "oui" if value else "non"


FUNNEL_RECORDS = (
    _funnel_records,
    (
        RecordColumn("Personne", lambda p: p.full_name, lambda p: p.get_absolute_url()),
        RecordColumn("Présent·e", lambda p: _yes(p.funnel_present)),
        RecordColumn("Intérêt exprimé", lambda p: _yes(p.funnel_interest)),
        RecordColumn("Proposé·e", lambda p: _yes(p.funnel_proposal)),
        RecordColumn("Embauché·e", lambda p: _yes(p.funnel_hire)),
    ),
)


def _relais_records(start, end, user):
    return (
        _visible(RelaisContact.objects, user)
        .filter(_between("happened_on", start, end))
        .select_related("organization", "referred_to")
        .order_by("happened_on", "pk")
    )


RELAIS_RECORDS = (
    _relais_records,
    (
        RecordColumn("Date", lambda c: c.happened_on),
        RecordColumn("Point relais", lambda c: c.organization.name),
        RecordColumn("Canal", lambda c: c.get_channel_display()),
        RecordColumn("Objet", lambda c: c.get_subject_display()),
        RecordColumn("Réponse", lambda c: c.get_outcome_display()),
        RecordColumn("Orienté·e vers", lambda c: c.referred_to.name if c.referred_to_id else ""),
    ),
)


def _since_launch_denominator(denominator):
    """The period's denominator said since launch, naming the since-launch twin of the indicator it refers to."""
    if not denominator:
        return ""
    text = denominator.replace("sur la période", "depuis le lancement")
    return re.sub(r"\(((?:companies|events|relais)\.\w+)\)", r"(\1_since_launch)", text)


def _both(*, id, label, definition, records, unit=Unit.COUNT, breakdowns=(), denominator=""):
    """Register the figure for the period and since launch; `compute(start, end, user)`, start None since launch;
    `records` is (records(start, end, user), record_columns)."""
    list_records, columns = records

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
            records=lambda *, period, user: list_records(period.start, period.end, user),
            record_columns=columns,
        )(lambda *, period, user: compute(period.start, period.end, user))
        registry.indicator(
            id=f"{id}_since_launch",
            label=f"{label} depuis le lancement",
            definition=f"{definition} Depuis le lancement, jusqu'à la fin de la période.",
            unit=unit,
            breakdowns=breakdowns,
            denominator=_since_launch_denominator(denominator),
            area=AREA,
            period_kind=PeriodKind.SNAPSHOT,
            records=lambda *, period, user: list_records(None, period.end, user),
            record_columns=columns,
        )(lambda *, period, user: compute(None, period.end, user))
        return compute

    return decorator


@_both(
    id="companies.companies_met",
    records=COMPANY_RECORDS,
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
    records=INTERACTION_RECORDS,
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
    records=OFFER_RECORDS,
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
    records=OFFER_RECORDS,
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
    records=FILLED_OFFER_RECORDS,
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
    records=PROPOSAL_RECORDS,
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
    records=HIRE_RECORDS,
    label="Embauches après une proposition",
    definition="Embauches enregistrées sur une proposition (date d'embauche), par contrat.",
    breakdowns=("contrat",),
)
def hires(start, end, user):
    rows = Hire.objects.filter(_between("started_on", start, end), person__in=_people(user))
    return Figure(value=rows.count(), breakdown=_counts(rows, "contract_type", OFFER_CONTRACT_CHOICES))


@_both(
    id="companies.immersions",
    records=IMMERSION_RECORDS,
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
    records=REGISTRATION_RECORDS,
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
    records=INTEREST_RECORDS,
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
    records=FUNNEL_RECORDS,
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
    records=FUNNEL_RECORDS,
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
    records=RELAIS_RECORDS,
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
