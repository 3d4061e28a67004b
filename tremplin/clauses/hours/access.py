"""Who declares hours: the one door to placements and their monthly records for the hours pages.

Coordination, assistance and facilitators declare the hours of the placements of the people they see, and
the users of a company those of its own placements (attributaire or employer), as
`Placement.objects.visible_to` says; everyone else gets 404.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.clauses.models import HoursRecord, Placement

# Internal roles that declare hours; company users declare those of their own placements.
HOURS_ROLES = {Role.COORDINATOR, Role.ASSISTANT, Role.FACILITATOR}

# --- Access: the one door to placements and records for hours -----------------------------------


def can_declare_hours(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.sees_records:
        return bool(user.roles & HOURS_ROLES)
    return bool(user.organization_ids(Role.COMPANY))


def placements_for_hours(user):
    """Placements whose hours the user declares (none for other users)."""
    if not can_declare_hours(user):
        return Placement.objects.none()
    return Placement.objects.visible_to(user)


def get_placement_for_hours(user, placement_id) -> Placement:
    # Same 404 for "does not exist" and "not yours": never confirm that a placement exists.
    placements = placements_for_hours(user).select_related("person", "lot__market__operation", "employer")
    return get_object_or_404(placements, pk=placement_id)


def get_record_for_hours(user, record_id) -> HoursRecord:
    records = HoursRecord.objects.filter(placement__in=placements_for_hours(user)).select_related(
        "placement__person", "placement__lot__market__operation", "placement__employer", "worked_on"
    )
    return get_object_or_404(records, pk=record_id)


def _require_placement(by, placement):
    if not placements_for_hours(by).filter(pk=placement.pk).exists():
        raise PermissionDenied("Vous ne déclarez pas les heures de cette mise en emploi.")
