"""Doors and helpers shared by the PLIE views."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

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
    """Show a service's ValidationError on the form: on the field it names, or above the form."""
    aliases = aliases or {}
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or READ_ONLY)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            name = aliases.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_page(request, form, *, save, success, redirect_to, context, template, aliases=None):
    """GET shows the form; a valid POST calls `save(cleaned_data)` (a service) and redirects.

    Invalid input, or a refusal by the service, shows the form again with its errors (422), nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e, aliases)
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    return render(request, template, {**context, "form": form}, status=422 if form.errors else 200)


def error_message(error) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or READ_ONLY
    return " ".join(error.messages)
