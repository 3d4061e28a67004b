"""Access to PLIE records: through the person's scope (people.visible_to), for PLIE roles only.

Facilitators, mobility and project staff have no PLIE social data (domain spec §2): 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import COORDINATION, Role
from tremplin.people.perms import can_edit_person
from tremplin.people.services import log_access
from tremplin.plie.models import Pathway

PLIE_ROLES = {Role.COORDINATOR, Role.ASSISTANT, Role.MANAGER, Role.REFERENT, Role.PRESCRIBER}
CELL_ROLES = COORDINATION


def has_plie_access(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(user.roles & PLIE_ROLES))


def require_plie_access(user) -> None:
    if not has_plie_access(user):
        raise Http404


def is_cell_member(user) -> bool:
    """Members of the cellule de suivi des entrées/sorties, who validate entries and exits."""
    return user.is_superuser or bool(user.roles & CELL_ROLES)


def can_work_on_pathway(user, pathway) -> bool:
    """Référents of the following structure and the coordination team write on a pathway."""
    if not has_plie_access(user) or Role.PRESCRIBER in user.roles and not user.can_edit_people:
        return False
    return can_edit_person(user, pathway.person)


def get_pathway_for_user(request, pk, *, write=False) -> Pathway:
    require_plie_access(request.user)
    pathway = get_object_or_404(Pathway.objects.visible_to(request.user).select_related("person"), pk=pk)
    if write and not can_work_on_pathway(request.user, pathway):
        raise PermissionDenied("Vous pouvez consulter ce parcours mais pas le modifier.")
    log_access(person=pathway.person, user=request.user, request=request)
    return pathway
