"""Doors and helpers shared by the PLIE views."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tremplin.core import views as core_views
from tremplin.people.perms import get_person_for_user
from tremplin.people.services import log_access
from tremplin.plie.models import Orientation
from tremplin.plie.perms import can_work_on_pathway, get_pathway_for_user, is_cell_member, require_plie_access

READ_ONLY = "Vous pouvez consulter ce dossier PLIE mais pas le modifier."
CELL_ONLY = "Seule la cellule de suivi des entrées et sorties (coordination, assistance) accède à cette page."


def can_work_on_person(user, person) -> bool:
    # The rule of perms.can_work_on_pathway, which only looks at the pathway's person: one rule for
    # orienting someone, working on their orientation and working on their pathway.
    return can_work_on_pathway(user, SimpleNamespace(person=person))


def get_person_for_plie(request, public_id, *, write=False):
    require_plie_access(request.user)
    person = get_person_for_user(request, public_id)
    if write and not can_work_on_person(request.user, person):
        raise PermissionDenied(READ_ONLY)
    return person


def get_orientation_for_user(request, orientation_id, *, write=False) -> Orientation:
    require_plie_access(request.user)
    orientation = get_object_or_404(
        Orientation.objects.visible_to(request.user).select_related("person", "person__commune", "prescriber"),
        pk=orientation_id,
    )
    if write and not can_work_on_person(request.user, orientation.person):
        raise PermissionDenied(READ_ONLY)
    log_access(person=orientation.person, user=request.user, request=request)
    return orientation


def get_pathway_for_cell(request, pathway_id):
    """A pathway the cellule decides on: 404 outside the user's scope, 403 for anyone not in the cellule."""
    pathway = get_pathway_for_user(request, pathway_id)
    require_cell(request.user)
    return pathway


def require_cell(user):
    require_plie_access(user)
    if not is_cell_member(user):
        raise PermissionDenied(CELL_ONLY)


def apply_errors(form, error, aliases=None):
    """Show a service's refusal on the form (tremplin.core.views), PLIE's read-only message by default."""
    core_views.apply_errors(form, error, aliases, denied=READ_ONLY)


def form_page(request, form, *, save, success, redirect_to, context, template, aliases=None):
    """The form page of tremplin.core.views, with PLIE's read-only message."""
    return core_views.form_page(
        request,
        form,
        save=save,
        success=success,
        redirect_to=redirect_to,
        context=context,
        template=template,
        aliases=aliases,
        denied=READ_ONLY,
    )


def error_message(error) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or READ_ONLY
    return " ".join(error.messages)
