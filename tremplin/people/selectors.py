from dataclasses import dataclass, field
from datetime import datetime

from tremplin.accounts.enums import Role
from tremplin.people.enums import SENSITIVE_FACTS
from tremplin.people.models import FollowUp, Person, SituationFact

HISTORY_TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}


@dataclass
class Change:
    at: datetime
    user: object
    what: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)


def _display(model, field_name, value):
    field_obj = model._meta.get_field(field_name)
    if value in (None, ""):
        return "—"
    if field_obj.choices:
        return dict(field_obj.flatchoices).get(value, value)
    if field_obj.is_relation:
        target = field_obj.related_model.objects.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    return str(value)


def _changes_of(records, model, what_of):
    changes = []
    for record in records:
        change = Change(
            at=record.history_date,
            user=record.history_user,
            what=what_of(record),
            action=HISTORY_TYPES.get(record.history_type, record.history_type),
        )
        previous = record.prev_record
        if record.history_type == "~" and previous is not None:
            for diff in record.diff_against(previous).changes:
                label = model._meta.get_field(diff.field).verbose_name
                change.fields.append(
                    (label, _display(model, diff.field, diff.old), _display(model, diff.field, diff.new))
                )
            if not change.fields:
                continue
        changes.append(change)
    return changes


def person_history(*, person: Person, user) -> list[Change]:
    """Every change to the person's record, situations and follow-ups, newest first (who, when, before/after)."""
    changes = _changes_of(person.history.select_related("history_user"), Person, lambda r: "Identité et coordonnées")
    facts = SituationFact.history.filter(person_id=person.pk).select_related("history_user")
    if not user.sees_sensitive_facts:
        facts = facts.exclude(kind__in=SENSITIVE_FACTS)
    changes += _changes_of(facts, SituationFact, lambda r: f"Situation : {r.get_kind_display()}")
    changes += _changes_of(
        FollowUp.history.filter(person_id=person.pk).select_related("history_user"),
        FollowUp,
        lambda r: f"Suivi : {r.get_programme_display()}",
    )
    return sorted(changes, key=lambda c: c.at, reverse=True)


# --- Counts and lists that go together (the home page summarises the people list) -------------------


def registry(user):
    """The people list's people: those of the registry the user sees (not erased, not anonymised)."""
    return Person.objects.visible_to(user).in_registry()


def open_follow_ups(user):
    """Open follow-ups of the registry's people; a référent counts those of her own structures."""
    follow_ups = FollowUp.objects.open().filter(person__in=registry(user))
    if user.primary_role == Role.REFERENT:
        follow_ups = follow_ups.filter(organization_id__in=user.organization_ids(Role.REFERENT))
    return follow_ups


def my_open_follow_ups(user):
    """The follow-ups of "Mes suivis en cours": open, with the user as referent."""
    return open_follow_ups(user).filter(referent=user)


def people_of(follow_ups):
    """The distinct people of these follow-ups (a person followed in the PLIE and the clauses counts once)."""
    return Person.objects.filter(pk__in=follow_ups.values("person_id"))
