"""Writes on people: each runs in one transaction, takes the acting user as `by`, and is audited
(django-simple-history stamps each history row with `by`)."""

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.core.text import name_key
from tremplin.people.enums import REFUSABLE_FACTS, REFUSED, VALUED_FACTS, YES, FactKind, Programme
from tremplin.people.models import (
    PROGRAMME_OF_ROLE,
    AttachmentRequest,
    FollowUp,
    Person,
    PersonAccess,
    SituationFact,
)

EMAIL_TAKEN = "Cette adresse e-mail est déjà celle d'une autre personne du registre."

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "birth_name",
    "sex",
    "birth_date",
    "email",
    "phone",
    "address",
    "postcode",
    "commune",
]


@dataclass
class Duplicate:
    person: Person
    reasons: list[str]


def find_likely_duplicates(*, first_name, last_name, birth_date, email="", phone="", exclude=None) -> list[Duplicate]:
    """People who are probably the one being entered, across the whole registry, with why.

    Same normalised name (accents, case, hyphens and spaces ignored; first and last names swapped
    too) and birth date; or same e-mail; or same phone number.
    """
    key = name_key(last_name) + "|" + name_key(first_name)
    swapped = name_key(first_name) + "|" + name_key(last_name)
    condition = Q(name_key__in=[key, swapped], birth_date=birth_date)
    if email:
        condition |= Q(email=email.lower())
    if phone:
        condition |= Q(phone=phone)
    candidates = Person.objects.filter(condition, erased_at__isnull=True).select_related("commune")
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    duplicates = []
    for person in candidates[:20]:
        reasons = []
        if person.name_key in (key, swapped) and person.birth_date == birth_date:
            reasons.append("même nom, même prénom et même date de naissance")
        if email and person.email == email.lower():
            reasons.append("même adresse e-mail")
        if phone and person.phone == phone:
            reasons.append("même numéro de téléphone")
        duplicates.append(Duplicate(person=person, reasons=reasons))
    return duplicates


def visible_duplicates(*, user, duplicates: list[Duplicate]) -> list[Duplicate]:
    """The likely duplicates the user may be shown: those of their scope, never the others (not even
    their number). Outside matches go to an AttachmentRequest instead (request_attachments)."""
    if not duplicates:
        return []
    visible = set(
        Person.objects.visible_to(user).filter(pk__in=[d.person.pk for d in duplicates]).values_list("pk", flat=True)
    )
    return [d for d in duplicates if d.person.pk in visible]


def request_attachments(*, by, person: Person, duplicates: list[Duplicate], programme="") -> list[AttachmentRequest]:
    """For each match outside the user's scope, a pending « demande de rattachement » from the record they
    just registered to the existing one, for the structures that follow it and the coordination to decide.
    Nothing is shown to the user: the screens are the same whether or not a request was made."""
    shown = {d.person.pk for d in visible_duplicates(user=by, duplicates=duplicates)}
    membership = by.primary_membership
    requests = []
    for duplicate in duplicates:
        if duplicate.person.pk in shown or duplicate.person.pk == person.pk:
            continue
        attachment = AttachmentRequest(
            requested_by=by,
            organization=membership.organization if membership else None,
            programme=programme or "",
            person=person,
            target=duplicate.person,
            reasons=", ".join(duplicate.reasons)[:255],
        )
        attachment._history_user = by
        attachment.save()
        requests.append(attachment)
    return requests


@transaction.atomic
def decide_attachment(*, attachment: AttachmentRequest, accept: bool, reason: str, by) -> AttachmentRequest:
    """Accepted: the requesting structure follows the existing person in the requested programme (the record
    it typed stays, for the coordination to merge or erase). Refused: nothing changes. The reason is kept."""
    if attachment.status != AttachmentRequest.Status.PENDING:
        raise ValidationError("Cette demande de rattachement a déjà été traitée.")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"decision_reason": "Indiquez le motif du refus."})
    if accept and attachment.organization_id and attachment.programme:
        already = FollowUp.objects.open().filter(
            person=attachment.target, organization=attachment.organization, programme=attachment.programme
        )
        if not already.exists():
            start_follow_up(
                person=attachment.target,
                organization=attachment.organization,
                programme=attachment.programme,
                referent=attachment.requested_by,
                by=by,
            )
    attachment.status = AttachmentRequest.Status.ACCEPTED if accept else AttachmentRequest.Status.REFUSED
    attachment.decision_reason = reason
    attachment.decided_by = by
    attachment.decided_at = timezone.now()
    attachment._history_user = by
    attachment.save(update_fields=["status", "decision_reason", "decided_by", "decided_at", "updated_at"])
    return attachment


def _check_email_free(email, *, exclude=None, by=None):
    """An e-mail already held by someone the user sees is refused; one held outside their scope is not
    (that would confirm the person exists): the duplicate goes to an AttachmentRequest instead."""
    if not email:
        return
    others = Person.objects.filter(email=email.lower(), erased_at__isnull=True)
    if by is not None:
        others = others & Person.objects.visible_to(by)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"email": EMAIL_TAKEN})


def _default_follow_up(by):
    """The follow-up that keeps a new person in the creator's scope, if their role needs one."""
    membership = by.primary_membership
    if membership is None:
        return None
    if membership.role == Role.REFERENT:
        return membership.organization, Programme.PLIE
    if membership.role in PROGRAMME_OF_ROLE:
        return membership.organization, PROGRAMME_OF_ROLE[membership.role]
    return None


@transaction.atomic
def create_person(*, by, **data) -> Person:
    _check_email_free(data.get("email"), by=by)
    person = Person(**{k: data.get(k, "") for k in PERSON_FIELDS if k in data}, created_by=by)
    if "registered_on" in data:
        person.registered_on = data["registered_on"]
    person.full_clean(exclude=["name_key", "search_text"])
    person._history_user = by
    try:
        person.save()
    except IntegrityError as e:
        raise ValidationError({"email": EMAIL_TAKEN}) from e
    follow_up = _default_follow_up(by)
    if follow_up:
        organization, programme = follow_up
        start_follow_up(person=person, organization=organization, programme=programme, referent=by, by=by)
    return person


@transaction.atomic
def update_person(*, person: Person, by, **data) -> Person:
    _check_email_free(data.get("email"), exclude=person, by=by)
    changed = [field for field in PERSON_FIELDS if field in data and getattr(person, field) != data[field]]
    for field in changed:
        setattr(person, field, data[field])
    if not changed:
        return person
    person.full_clean(exclude=["name_key", "search_text"])
    person._history_user = by
    person.save()
    return person


@transaction.atomic
def start_follow_up(*, person, organization, programme, by, referent=None, prescriber=None, started_on=None):
    if FollowUp.objects.open().filter(person=person, organization=organization, programme=programme).exists():
        raise ValidationError("Cette structure suit déjà cette personne dans ce dispositif.")
    follow_up = FollowUp(
        person=person, organization=organization, programme=programme, referent=referent, prescriber=prescriber
    )
    if started_on:
        follow_up.started_on = started_on
    follow_up.full_clean()
    follow_up._history_user = by
    follow_up.save()
    return follow_up


@transaction.atomic
def end_follow_up(*, follow_up: FollowUp, ended_on, by) -> FollowUp:
    if follow_up.ended_on:
        raise ValidationError("Ce suivi est déjà terminé.")
    if ended_on < follow_up.started_on:
        raise ValidationError({"ended_on": "La fin du suivi ne peut pas précéder son début."})
    follow_up.ended_on = ended_on
    follow_up._history_user = by
    follow_up.save(update_fields=["ended_on", "updated_at"])
    return follow_up


@transaction.atomic
def restrict_person(*, person: Person, reason: str, by) -> Person:
    """Erasure or restriction asked while the FSE+ archive duty holds: the record moves to the restricted
    archive (no list, no page, no search) with its reason; its figures stay. Audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"restriction_reason": "Indiquez le motif (demande d'effacement, de limitation…)."})
    if person.restricted_at:
        raise ValidationError("Cette fiche est déjà archivée en accès restreint.")
    person.restricted_at = timezone.now()
    person.restriction_reason = reason
    person._history_user = by
    person.save(update_fields=["restricted_at", "restriction_reason", "updated_at"])
    return person


def validate_fact(*, kind, value, qpv, started_on, ended_on, person) -> None:
    errors = {}
    if kind not in FactKind.values:
        errors["kind"] = "Situation inconnue."
    elif value == REFUSED:
        if kind not in REFUSABLE_FACTS:
            errors["value"] = "« Ne souhaite pas répondre » n'est pas possible pour cette situation."
    elif kind in VALUED_FACTS:
        if value not in VALUED_FACTS[kind].values:
            errors["value"] = "Choisissez une valeur dans la liste pour cette situation."
    elif kind == FactKind.QPV_RESIDENCE:
        if qpv is None:
            errors["qpv"] = "Indiquez le quartier prioritaire de résidence."
    elif value != YES:
        errors["value"] = "Valeur inattendue pour cette situation."
    if kind == FactKind.QPV_RESIDENCE and qpv is not None and person.commune_id != qpv.commune_id:
        errors["qpv"] = f"Ce quartier n'est pas à {person.commune.name}, commune de résidence de la personne."
    if started_on and started_on < person.birth_date:
        errors["started_on"] = "La date de début ne peut pas précéder la date de naissance."
    if ended_on and started_on and ended_on < started_on:
        errors["ended_on"] = "La date de fin ne peut pas précéder la date de début."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_fact(*, person, kind, by, started_on, value=YES, qpv=None, ended_on=None, source="") -> SituationFact:
    """Record a dated fact; an open fact of the same kind is closed the day before the new one starts."""
    value = value or YES
    validate_fact(kind=kind, value=value, qpv=qpv, started_on=started_on, ended_on=ended_on, person=person)
    fact = SituationFact(
        person=person,
        kind=kind,
        value=value,
        qpv=qpv,
        started_on=started_on,
        ended_on=ended_on,
        source=source,
        recorded_by=by,
    )
    previous = person.facts.filter(kind=kind, ended_on__isnull=True, started_on__lt=started_on)
    for old in previous:
        old.ended_on = started_on - timedelta(days=1)
        old._history_user = by
        old.save(update_fields=["ended_on", "updated_at"])
    fact._history_user = by
    fact.save()
    return fact


@transaction.atomic
def end_fact(*, fact: SituationFact, ended_on, by) -> SituationFact:
    if fact.ended_on:
        raise ValidationError("Cette situation est déjà terminée.")
    if ended_on < fact.started_on:
        raise ValidationError({"ended_on": "La date de fin ne peut pas précéder la date de début."})
    fact.ended_on = ended_on
    fact._history_user = by
    fact.save(update_fields=["ended_on", "updated_at"])
    return fact


def log_access(*, user, person=None, people=(), action=PersonAccess.Action.VIEW, request=None) -> None:
    """The one helper that logs reads of named people (GDPR accountability): a record's page, a form that
    shows it, a list or an export that names them. `people` takes Person objects or their ids.

    Given the request, a person is logged once per action within it (a door and a list on the same page
    do not log twice)."""
    ids = {p if isinstance(p, int) else p.pk for p in people}
    if person is not None:
        ids.add(person.pk)
    if not ids or user is None or not user.is_authenticated:
        return
    if request is not None:
        logged = request.__dict__.setdefault("_people_logged", set())
        ids = {pk for pk in ids if (pk, action) not in logged}
        logged.update((pk, action) for pk in ids)
    PersonAccess.objects.bulk_create(PersonAccess(person_id=pk, user=user, action=action) for pk in sorted(ids))


def people_in(*values, depth=4) -> set[int]:
    """The ids of the people a page's data names: Person objects, records that point to one (`person_id`:
    orientations, pathways, candidacies, placements, follow-ups) or through an already loaded relation
    (an hours record's placement), inside dicts, lists, tuples, pages, querysets and dataclasses. No query
    of its own: a queryset is evaluated here and keeps its cache for the template that iterates it."""
    found = set()

    def walk(value, depth):
        if value is None or depth < 0 or isinstance(value, str | bytes | int | float):
            return
        if isinstance(value, Person):
            found.add(value.pk)
        elif isinstance(value, Model):
            if getattr(value, "person_id", None):
                found.add(value.person_id)
            else:
                for related in value._state.fields_cache.values():
                    walk(related, depth - 1)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item, depth - 1)
        elif isinstance(value, Page):
            walk(value.object_list, depth)
        elif isinstance(value, QuerySet):
            for item in value:  # fills the queryset's cache
                walk(item, depth - 1)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item, depth - 1)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), depth - 1)

    for value in values:
        walk(value, depth)
    return found


def log_shown(request, *values, action=PersonAccess.Action.LIST) -> None:
    """Log the people named by a list, a worklist, a report or a file the view is about to send."""
    log_access(people=people_in(*values), user=request.user, action=action, request=request)
