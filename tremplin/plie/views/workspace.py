"""The référent's workspace: "Mes participants" (live filters) and the "à traiter" lists."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tremplin.accounts.enums import Role
from tremplin.core.views import paginate
from tremplin.people.services import log_shown
from tremplin.plie import selectors
from tremplin.plie.forms import ParticipantFilterForm
from tremplin.plie.perms import is_cell_member, require_plie_access

FILTERS = ("q", "status", "structure", "referent")
PAGE_SIZE = 50


@login_required
@require_GET
def workspace(request):
    user = request.user
    require_plie_access(user)
    data = request.GET.copy()
    if not any(name in data for name in FILTERS):
        # First visit: the open pathways, and a référent's own participants.
        data["status"] = selectors.OPEN
        if Role.REFERENT in user.roles:
            data["referent"] = str(user.pk)
    form = ParticipantFilterForm(
        data,
        structures=selectors.structures_for_filter(user=user),
        referents=selectors.referents_for_filter(user=user),
    )
    pathways = selectors.participants_for_referent(user=user, **form.filters())
    context = {"form": form, **paginate(request, pathways, per_page=PAGE_SIZE, filters=data)}
    log_shown(request, context["page"])
    if request.htmx and request.htmx.target == "participants":
        return render(request, "plie/_participants.html", context)
    context.update(
        worklists=selectors.worklists(user=user, today=timezone.localdate()),
        is_cell=is_cell_member(user),
    )
    log_shown(request, context["worklists"])
    return render(request, "plie/workspace.html", context)
