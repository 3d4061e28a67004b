"""Access to one person's record. Views never query Person directly: they come through here."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import COORDINATION
from tremplin.people.models import AttachmentRequest, FollowUp, Person, PersonAccess, follow_up_scope
from tremplin.people.services import log_access


def get_person_for_user(request, public_id, *, write=False) -> Person:
    # Same 404 for "does not exist" and "not yours": never confirm that a person exists.
    person = get_object_or_404(Person.objects.visible_to(request.user).select_related("commune"), public_id=public_id)
    if write and not can_edit_person(request.user, person):
        raise PermissionDenied("Vous pouvez consulter cette fiche mais pas la modifier.")
    # Every page entered through this door shows the person: the read is logged here, once per request.
    log_access(person=person, user=request.user, request=request)
    return person


def get_restricted_person_for_user(request, public_id, *, action=PersonAccess.Action.EXPORT) -> Person:
    """The restricted archive's one door. `visible_to` keeps restricted people out of every page; the person
    still has their rights of access and portability, which the coordination (the archive's only reader)
    answers from here. Everyone else gets the 404 of an unknown id: not even the archive's existence of the
    record leaks. Every read is logged."""
    if not can_read_restricted_archive(request.user):
        raise Http404
    person = get_object_or_404(Person.objects.restricted().select_related("commune"), public_id=public_id)
    log_access(person=person, user=request.user, action=action, request=request)
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


def can_restrict(user) -> bool:
    return user.is_superuser or bool(user.roles & COORDINATION)


def can_read_restricted_archive(user) -> bool:
    return user.is_authenticated and user.is_active and can_restrict(user)


def can_export_personal_data(user) -> bool:
    return user.is_superuser or bool(user.roles & COORDINATION)


def can_decide_attachment(user, attachment) -> bool:
    """The coordination, and the structures that follow the existing person (open follow-up), decide."""
    return can_edit_person(user, attachment.target)


def attachments_to_decide(user):
    """Pending attachment requests the user decides on."""
    pending = (
        AttachmentRequest.objects.pending()
        .visible_to(user)
        .select_related("target", "target__commune", "organization", "requested_by")
    )
    if not user.can_edit_people:
        return pending.none()
    if user.is_superuser or user.roles & COORDINATION:
        return pending
    scope = follow_up_scope(user, open_only=True)
    if scope is None:
        return pending.none()
    return pending.filter(target__in=FollowUp.objects.filter(scope).values("person_id"))


def get_attachment_for_user(request, attachment_id) -> AttachmentRequest:
    # 404 when the user does not see the person it is about (as an unknown id); 403 when they see it
    # without deciding.
    attachment = get_object_or_404(
        AttachmentRequest.objects.visible_to(request.user).select_related("target", "organization", "requested_by"),
        pk=attachment_id,
    )
    if not can_decide_attachment(request.user, attachment):
        raise PermissionDenied("Seules la coordination et les structures qui suivent la personne décident.")
    log_access(person=attachment.target, user=request.user, request=request)
    return attachment
