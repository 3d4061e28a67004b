"""Writes on people: each runs in one transaction, takes the acting user as `by`, and is audited
(django-simple-history stamps each history row with `by`)."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from tremplin.accounts.enums import Role
from tremplin.core.text import name_key
from tremplin.people.enums import REFUSABLE_FACTS, REFUSED, VALUED_FACTS, YES, FactKind, Programme
from tremplin.people.models import PROGRAMME_OF_ROLE, FollowUp, Person, PersonAccess, SituationFact

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


def _check_email_free(email, *, exclude=None):
    if not email:
        return
    others = Person.objects.filter(email=email.lower())
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
    _check_email_free(data.get("email"))
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
    _check_email_free(data.get("email"), exclude=person)
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


def log_access(*, person, user, action=PersonAccess.Action.VIEW) -> None:
    PersonAccess.objects.create(person=person, user=user, action=action)
