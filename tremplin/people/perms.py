"""Access to one person's record. Views never query Person directly: they come through here."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import COORDINATION
from tremplin.people.models import FollowUp, Person, follow_up_scope


def get_person_for_user(request, public_id, *, write=False) -> Person:
    # Same 404 for "does not exist" and "not yours": never confirm that a person exists.
    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("commune"), public_id=public_id)
    if write and not can_edit_person(request.user, person):
        raise PermissionDenied("Vous pouvez consulter cette fiche mais pas la modifier.")
    return person


def can_edit_person(user, person) -> bool:
    if not user.can_edit_people:
        return False
    if user.is_superuser or user.roles & COORDINATION:
        return True
    # Others edit only while their structure follows the person (closed follow-ups are read-only).
    scope = follow_up_scope(user, open_only=True)
    return scope is not None and FollowUp.objects.filter(scope, person=person).exists()


def can_see_history(user, person) -> bool:
    return user.sees_sensitive_facts


def can_manage_follow_ups(user) -> bool:
    return user.is_superuser or bool(user.roles & COORDINATION)


def can_export_personal_data(user) -> bool:
    return user.is_superuser or bool(user.roles & COORDINATION)
