"""Clauses screens with buyers: operations, markets, lots and their sizing, counting conventions,
globalisation agreements, realised vs planned.

Thin views over tremplin.clauses.services (writes) and tremplin.clauses.selectors (reads); every view
enters through tremplin.clauses.perms: outsiders get 404, readers (buyers, companies) 403 on writes.
"""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.clauses import perms, selectors, services
from tremplin.clauses.counting import DEFAULT_CONVENTION, convention_of
from tremplin.clauses.forms import (
    ConventionForm,
    GlobalisationForm,
    LotForm,
    MarketForm,
    OperationFilterForm,
    OperationForm,
    SizingForm,
)
from tremplin.clauses.reports import reportable_operations
from tremplin.core import views as core_views
from tremplin.core.text import fold
from tremplin.core.views import paginate
from tremplin.people.services import log_shown
from tremplin.territory.models import Commune

PAGE_SIZE = 50


def apply_errors(form, error):
    """Show a service's refusal on the form (tremplin.core.views), with the clauses' read-only message."""
    core_views.apply_errors(form, error, denied=perms.READ_ONLY)


def form_page(request, form, *, save, success, template, context, redirect_to=None):
    """The form page of tremplin.core.views, with the clauses' read-only message."""
    return core_views.form_page(
        request,
        form,
        save=save,
        success=success,
        template=template,
        context=context,
        redirect_to=redirect_to,
        denied=perms.READ_ONLY,
    )


# --- Operations ----------------------------------------------------------------------------------


@login_required
@require_GET
def operation_list(request):
    user = request.user
    perms.require_operations_access(user)
    form = OperationFilterForm(request.GET or None)
    operations = perms.operations_for(user).select_related("buyer", "commune", "facilitator")
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            folded = fold(query)
            operations = operations.filter(
                Q(name__icontains=query)
                | Q(buyer__search_text__contains=folded)
                | Q(commune__search_name__contains=folded)
            )
        if form.cleaned_data["sector"]:
            operations = operations.filter(sector=form.cleaned_data["sector"])
    operations = selectors.operation_counts(operations)
    listing = paginate(request, operations.order_by("-started_on", "name", "pk"), per_page=PAGE_SIZE)
    page = listing["page"]
    progress = {}
    if page.object_list:
        groups = selectors.progress_by_operation(
            user=user, today=timezone.localdate(), operations=[op.pk for op in page.object_list]
        )
        progress = {group.key: group for group in groups}
    context = {
        "form": form,
        **listing,
        "rows": [(op, progress.get(op.pk)) for op in page.object_list],
        "can_manage": perms.is_clauses_staff(user),
    }
    return render(request, "clauses/operation_list.html", context)


def lot_url(lot) -> str:
    return reverse("clauses:lot_detail", kwargs={"lot_id": lot.pk})


def _communes():
    return Commune.objects.only("name", "insee_code")


@login_required
@require_http_methods(["GET", "POST"])
def operation_create(request):
    perms.require_clauses_staff(request.user)
    form = OperationForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.create_operation(by=request.user, **data),
        success=lambda operation: f"Opération « {operation.name} » enregistrée.",
        template="clauses/operation_form.html",
        context={"title": "Nouvelle opération", "communes": _communes()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def operation_edit(request, operation_id):
    operation = perms.get_operation_for_user(request, operation_id, write=True)
    form = OperationForm(request.POST or None, operation=operation)
    return form_page(
        request,
        form,
        save=lambda data: services.update_operation(operation=operation, by=request.user, **data),
        success="Opération mise à jour.",
        template="clauses/operation_form.html",
        context={
            "title": f"Modifier l'opération « {operation.name} »",
            "operation": operation,
            "communes": _communes(),
        },
    )


@login_required
@require_GET
def operation_detail(request, operation_id):
    user = request.user
    operation = perms.get_operation_for_user(request, operation_id)
    today = timezone.localdate()
    progress = selectors.operation_progress(user=user, operation=operation, today=today)
    explanation, records = selectors.operation_hours(user=user, operation=operation)
    months = selectors.hours_by_month(records)
    month = _selected_month(request.GET.get("mois"), months)
    month_records = [record for record in records if record.month == month]
    month_page = Paginator(month_records, PAGE_SIZE).get_page(request.GET.get("page"))
    # The people the page names: those of the month's page of records shown.
    log_shown(request, [record.person for record in month_page if record.person])
    whole = perms.sees_whole_operation(user)
    markets = operation.markets.all()
    if not whole:
        markets = markets.filter(lots__in=perms.lots_for(user)).distinct()
    lots_by_market = {}
    for row in progress.lots:
        lots_by_market.setdefault(row.lot.market_id, []).append(row)
    context = {
        "operation": operation,
        "progress": progress,
        "markets": [(market, lots_by_market.get(market.pk, [])) for market in markets],
        "explanation": explanation,
        "records": records,
        "months": months,
        "month": month,
        "month_page": month_page,
        "month_querystring": f"mois={month:%Y-%m}" if month else "",
        "counted_total": sum((r.counted for r in records), Decimal("0.00")),
        "convention": convention_of(operation),
        "has_convention": convention_of(operation) is not DEFAULT_CONVENTION,
        "globalisations": operation.globalisations.prefetch_related("operations") if whole else [],
        "can_manage": perms.is_clauses_staff(user),
        "can_report": reportable_operations(user).filter(pk=operation.pk).exists(),
        "sees_whole": whole,
        "today": today,
    }
    return render(request, "clauses/operation_detail.html", context)


def _selected_month(value, months):
    """The month asked for (?mois=AAAA-MM) among those with hours, else the most recent one."""
    for row in months:
        if value == f"{row.month:%Y-%m}":
            return row.month
    return months[0].month if months else None


@login_required
@require_http_methods(["GET", "POST"])
def convention_edit(request, operation_id):
    operation = perms.get_operation_for_user(request, operation_id, write=True)
    form = ConventionForm(request.POST or None, convention=convention_of(operation))
    return form_page(
        request,
        form,
        save=lambda data: services.set_counting_convention(operation=operation, by=request.user, **data),
        success="Convention de comptage enregistrée.",
        redirect_to=operation.get_absolute_url(),
        template="clauses/form.html",
        context={
            "title": f"Convention de comptage – {operation.name}",
            "operation": operation,
            "back": operation.get_absolute_url(),
            "submit": "Enregistrer la convention",
            "intro": "Les heures de l'opération sont comptées selon cette convention ; chaque chiffre de la page de "
            "l'opération en donne l'explication.",
        },
    )


# --- Markets and lots ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def market_create(request, operation_id):
    operation = perms.get_operation_for_user(request, operation_id, write=True)
    form = MarketForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.create_market(operation=operation, by=request.user, **data),
        success="Marché enregistré : ajoutez-y ses lots.",
        redirect_to=operation.get_absolute_url(),
        template="clauses/form.html",
        context={
            "title": f"Nouveau marché – {operation.name}",
            "operation": operation,
            "back": operation.get_absolute_url(),
            "submit": "Enregistrer le marché",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def market_edit(request, market_id):
    market = perms.get_market_for_user(request, market_id, write=True)
    operation = market.operation
    form = MarketForm(request.POST or None, initial={"reference": market.reference, "name": market.name})
    return form_page(
        request,
        form,
        save=lambda data: services.update_market(market=market, by=request.user, **data),
        success="Marché mis à jour.",
        redirect_to=operation.get_absolute_url(),
        template="clauses/form.html",
        context={
            "title": f"Modifier le marché « {market} »",
            "operation": operation,
            "back": operation.get_absolute_url(),
            "submit": "Enregistrer",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lot_create(request, market_id):
    market = perms.get_market_for_user(request, market_id, write=True)
    operation = market.operation
    form = LotForm(request.POST or None, initial={"started_on": operation.started_on, "ended_on": operation.ended_on})
    return form_page(
        request,
        form,
        save=lambda data: services.create_lot(market=market, by=request.user, **data),
        success=lambda lot: (
            f"{lot} enregistré."
            + (
                " Dimensionnez maintenant la clause."
                if lot.carries_hours
                else " Marché d'insertion : suivi qualitatif."
            )
        ),
        redirect_to=lot_url,
        template="clauses/form.html",
        context={
            "title": f"Nouveau lot – {market}",
            "operation": operation,
            "back": operation.get_absolute_url(),
            "submit": "Enregistrer le lot",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lot_edit(request, lot_id):
    lot = perms.get_lot_for_user(request, lot_id, write=True)
    form = LotForm(request.POST or None, lot=lot)
    return form_page(
        request,
        form,
        save=lambda data: services.update_lot(lot=lot, by=request.user, **data),
        success="Lot mis à jour.",
        redirect_to=lot_url,
        template="clauses/form.html",
        context={
            "title": f"Modifier le lot « {lot} »",
            "operation": lot.market.operation,
            "back": lot_url(lot),
            "submit": "Enregistrer",
        },
    )


@login_required
@require_GET
def lot_detail(request, lot_id):
    user = request.user
    lot = perms.get_lot_for_user(request, lot_id)
    today = timezone.localdate()
    [progress] = selectors.lots_progress(user=user, today=today, lots=[lot])
    placements = list(selectors.placements_of_lot(user=user, lot=lot))
    visible = selectors.visible_people_ids(user=user, people=[p.person for p in placements])
    log_shown(request, [p.person for p in placements if p.person_id in visible])
    context = {
        "lot": lot,
        "operation": lot.market.operation,
        "progress": progress,
        "sizing": _sizing_text(lot),
        "placements": [(p, p.person_id in visible) for p in placements],
        "can_manage": perms.is_clauses_staff(user),
        "today": today,
    }
    return render(request, "clauses/lot_detail.html", context)


def _sizing_text(lot, *, labour_share=None, insertion_rate=None, hourly_cost=None):
    labour_share = lot.labour_share if labour_share is None else labour_share
    insertion_rate = lot.insertion_rate if insertion_rate is None else insertion_rate
    hourly_cost = lot.hourly_cost if hourly_cost is None else hourly_cost
    if not lot.carries_hours or None in (labour_share, insertion_rate, hourly_cost) or not hourly_cost:
        return ""
    return services.sizing_explanation(
        amount=lot.amount, labour_share=labour_share, insertion_rate=insertion_rate, hourly_cost=hourly_cost
    )


def _preview(lot, data):
    """The computation for the values being typed (htmx), without saving anything."""
    values = {}
    for name, divisor in (("labour_share", 100), ("insertion_rate", 100), ("hourly_cost", 1)):
        try:
            value = Decimal((data.get(name) or "").replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            return ""
        if value <= 0:
            return ""
        values[name] = value / divisor
    return _sizing_text(lot, **values)


@login_required
@require_http_methods(["GET", "POST"])
def lot_sizing(request, lot_id):
    lot = perms.get_lot_for_user(request, lot_id, write=True)
    if request.htmx and request.method == "GET":
        return render(request, "clauses/_sizing_computation.html", {"lot": lot, "sizing": _preview(lot, request.GET)})
    if not lot.carries_hours:
        messages.info(request, "Marché d'insertion : pas d'heures à dimensionner, le suivi est qualitatif.")
        return redirect(lot_url(lot))
    form = SizingForm(request.POST or None, lot=lot)
    sizing = _sizing_text(lot)
    if form.is_bound and form.is_valid():
        sizing = _sizing_text(
            lot,
            labour_share=form.cleaned_data.get("labour_share"),
            insertion_rate=form.cleaned_data.get("insertion_rate"),
            hourly_cost=form.cleaned_data.get("hourly_cost"),
        )
    return form_page(
        request,
        form,
        save=lambda data: services.size_lot(lot=lot, by=request.user, **form.sizing()),
        success=lambda saved: (
            f"Heures d'insertion prévues : {services.french_number(saved.planned_hours, decimals=2)} h."
        ),
        redirect_to=lot_url,
        template="clauses/lot_sizing.html",
        context={"lot": lot, "operation": lot.market.operation, "sizing": sizing, "proposed": lot.sized_hours},
    )


# --- Globalisation -------------------------------------------------------------------------------


@login_required
@require_GET
def globalisation_list(request):
    perms.require_clauses_staff(request.user)
    agreements = perms.agreements_for(request.user).prefetch_related("operations").order_by("-started_on", "name")
    return render(request, "clauses/globalisation_list.html", {"agreements": agreements})


@login_required
@require_http_methods(["GET", "POST"])
def globalisation_create(request):
    perms.require_clauses_staff(request.user)
    form = GlobalisationForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.save_globalisation(by=request.user, **data),
        success=lambda agreement: f"Accord de globalisation « {agreement.name} » enregistré.",
        redirect_to="clauses:globalisation_list",
        template="clauses/form.html",
        context={
            "title": "Nouvel accord de globalisation",
            "back": reverse("clauses:globalisation_list"),
            "submit": "Enregistrer l'accord",
            "intro": "Pendant la durée de l'accord, les heures effectuées par une personne sur l'une des opérations "
            "comptent sur l'opération de sa mise en emploi.",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def globalisation_edit(request, agreement_id):
    agreement = perms.get_agreement_for_user(request, agreement_id, write=True)
    form = GlobalisationForm(request.POST or None, user=request.user, agreement=agreement)
    return form_page(
        request,
        form,
        save=lambda data: services.save_globalisation(agreement=agreement, by=request.user, **data),
        success="Accord de globalisation mis à jour.",
        redirect_to="clauses:globalisation_list",
        template="clauses/form.html",
        context={
            "title": f"Modifier l'accord « {agreement.name} »",
            "back": reverse("clauses:globalisation_list"),
            "submit": "Enregistrer",
        },
    )


# --- Realised vs planned -------------------------------------------------------------------------


@login_required
@require_GET
def progress(request):
    perms.require_clauses_staff(request.user)
    today = timezone.localdate()
    user = request.user
    rows = selectors.lots_progress(user=user, today=today)
    context = {
        "today": today,
        "behind": sorted((row for row in rows if row.behind), key=lambda row: (row.progress or 0, row.lot.ended_on)),
        "by_buyer": selectors.group_by_buyer(rows),
        "by_company": selectors.group_by_company(rows),
    }
    return render(request, "clauses/progress.html", context)
