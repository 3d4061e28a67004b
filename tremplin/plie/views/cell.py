"""The cellule de suivi des entrées et sorties: entries and exits proposed, decided here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tremplin.plie import selectors, services
from tremplin.plie.forms import AciValidationForm, EntryDecisionForm, RefusalForm
from tremplin.plie.views.common import apply_errors, error_message, get_pathway_for_cell, require_cell


@login_required
@require_GET
def cell(request):
    require_cell(request.user)
    return _render_cell(request)


def _render_cell(request, *, bound=None, status=200):
    bound = bound or {}
    agenda = selectors.cell_agenda(user=request.user)

    def form(kind, pk, form_class):
        return bound.get((kind, pk)) or form_class(prefix=f"{kind}-{pk}")

    entries = [
        {
            "pathway": p,
            "validate_form": form("entry", p.pk, EntryDecisionForm),
            "refuse_form": form("refuse", p.pk, RefusalForm),
        }
        for p in agenda["entries"]
    ]
    exits = [
        {"pathway": p, "assessment": assessment, "reject_form": form("reject", p.pk, RefusalForm)}
        for p, assessment in agenda["exits"]
    ]
    contracts = [{"contract": c, "form": form("aci", c.pk, AciValidationForm)} for c in agenda["aci_contracts"]]
    context = {
        "entries": entries,
        "exits": exits,
        "aci_contracts": contracts,
        "error_forms": [f for f in bound.values() if f.errors],
    }
    return render(request, "plie/cell.html", context, status=status)


def _decide(request, pathway, form, *, kind, decide, success, aliases=None):
    if form.is_valid():
        try:
            decide(form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            if isinstance(e, ValidationError) and hasattr(e, "error_dict"):
                apply_errors(form, e, aliases)
            else:
                messages.error(request, error_message(e))
                return redirect("plie:cell")
        else:
            messages.success(request, success)
            return redirect("plie:cell")
    return _render_cell(request, bound={(kind, pathway.pk): form}, status=422)


@login_required
@require_POST
def entry_validate(request, pathway_id):
    pathway = get_pathway_for_cell(request, pathway_id)
    return _decide(
        request,
        pathway,
        EntryDecisionForm(request.POST, prefix=f"entry-{pathway.pk}"),
        kind="entry",
        decide=lambda data: services.validate_entry(pathway=pathway, by=request.user, **data),
        success=f"Entrée de {pathway.person.full_name} validée : le parcours commence.",
    )


@login_required
@require_POST
def entry_refuse(request, pathway_id):
    pathway = get_pathway_for_cell(request, pathway_id)
    return _decide(
        request,
        pathway,
        RefusalForm(request.POST, prefix=f"refuse-{pathway.pk}"),
        kind="refuse",
        decide=lambda data: services.refuse_entry(pathway=pathway, by=request.user, notes=data["notes"]),
        success=f"Entrée de {pathway.person.full_name} refusée.",
        aliases={"entry_decision_notes": "notes"},
    )


@login_required
@require_POST
def exit_validate(request, pathway_id):
    pathway = get_pathway_for_cell(request, pathway_id)
    try:
        services.validate_exit(pathway=pathway, by=request.user)
    except (ValidationError, PermissionDenied) as e:
        messages.error(request, error_message(e))
    else:
        messages.success(request, f"Sortie de {pathway.person.full_name} validée.")
    return redirect("plie:cell")


@login_required
@require_POST
def exit_reject(request, pathway_id):
    pathway = get_pathway_for_cell(request, pathway_id)
    return _decide(
        request,
        pathway,
        RefusalForm(request.POST, prefix=f"reject-{pathway.pk}"),
        kind="reject",
        decide=lambda data: services.reject_exit(pathway=pathway, by=request.user, notes=data["notes"]),
        success=f"Sortie de {pathway.person.full_name} refusée : le parcours continue.",
    )
