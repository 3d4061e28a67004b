"""The hours ledger pages: placements to declare, a placement's months, the monthly form, the evidence,
the import of a company's statement and its template. Access: tremplin.clauses.hours (404 otherwise)."""

from datetime import timedelta
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.clauses.counting import convention_of, explain_record
from tremplin.clauses.hours import (
    EVIDENCE_ACCEPT,
    IMPORT_COLUMNS,
    MAX_FILE_SIZE,
    TEMPLATE_FILENAME,
    build_template,
    can_declare_hours,
    current_month,
    duplicate_record_id,
    get_placement_for_hours,
    get_record_for_hours,
    hours_warnings,
    import_hours,
    parse_month,
    placements_for_hours,
    record_hours,
    template_rows,
    update_hours,
    validate_evidence,
    worked_on_choices,
)
from tremplin.clauses.models import MAX_MONTHLY_HOURS, HoursRecord
from tremplin.core.exports import xlsx_file_response
from tremplin.core.formatting import decimal2, of_month
from tremplin.people.models import PersonAccess
from tremplin.people.services import log_access, log_shown


class MonthInput(forms.TextInput):
    input_type = "month"  # browsers without a month picker show a text box: hence the AAAA-MM placeholder


class HoursForm(forms.Form):
    """Input only: the rules (dates, maximum, one record a month) are the service's."""

    month = forms.CharField(
        label="Mois",
        help_text="Au format AAAA-MM, par exemple 2024-03 pour mars 2024.",
        widget=MonthInput(attrs={"placeholder": "AAAA-MM", "pattern": r"\d{4}-\d{2}", "autocomplete": "off"}),
    )
    hours = forms.DecimalField(
        label="Heures travaillées",
        required=False,
        localize=True,
        help_text=f"D'après le bulletin de paie ou le relevé, 2 décimales au plus (par exemple 151,67) ; "
        f"au plus {int(MAX_MONTHLY_HOURS)} h dans un mois.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    training_hours = forms.DecimalField(
        label="Heures de formation",
        required=False,
        localize=True,
        help_text="Pour un contrat en alternance (professionnalisation, apprentissage) : heures en formation.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    subcontracting_amount = forms.DecimalField(
        label="Montant sous-traité (€ HT)",
        required=False,
        localize=True,
        help_text="Pour une sous-traitance facturée sans heures : le montant du mois, converti en heures selon la "
        "convention de l'opération.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    worked_on = forms.ModelChoiceField(
        label="Heures effectuées sur",
        queryset=None,
        required=False,
        empty_label="L'opération de la mise en emploi",
        help_text="Une autre opération seulement si la personne y a travaillé ce mois-ci : les heures ne comptent "
        "alors que si un accord de globalisation lie les deux opérations.",
    )
    evidence = forms.FileField(
        label="Justificatif (bulletin de paie, relevé)",
        required=False,
        validators=[validate_evidence],
        help_text="PDF ou image (JPEG, PNG), 5 Mo au plus.",
        widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    def __init__(self, *args, user, placement, **kwargs):
        super().__init__(*args, **kwargs)
        own = placement.lot.market.operation_id
        self.fields["worked_on"].queryset = worked_on_choices(user).exclude(pk=own)

    def clean_month(self):
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise ValidationError("Mois invalide : saisissez-le au format AAAA-MM, par exemple 2024-03.")
        return month


class HoursUpdateForm(HoursForm):
    remove_evidence = forms.BooleanField(label="Retirer le justificatif actuel", required=False)


def _service_kwargs(form):
    data = form.cleaned_data
    return {
        "month": data["month"],
        "hours": data["hours"],
        "training_hours": data["training_hours"],
        "subcontracting_amount": data["subcontracting_amount"],
        "worked_on": data["worked_on"],
    }


def _saved(request, record, verb):
    messages.success(request, f"Heures {of_month(record.month)} {verb} : {decimal2(record.hours)} h travaillées.")
    for warning in hours_warnings(record):
        messages.warning(request, warning)


def _require_declarer(user):
    if not can_declare_hours(user):
        raise Http404


def _months_recorded() -> dict:
    """Each placement's last month recorded and number of months, by a subquery per row: only for the rows of
    the page (a join grouped over every placement would read all the records on each page)."""
    records = HoursRecord.objects.filter(placement=OuterRef("pk")).order_by()
    counted = records.values("placement").annotate(n=Count("pk")).values("n")
    return {
        "last_month": Subquery(records.order_by("-month").values("month")[:1]),
        "months": Coalesce(Subquery(counted), 0, output_field=IntegerField()),
    }


@login_required
@require_GET
def hours_placements(request):
    """The placements whose hours the user declares, the open ones first."""
    _require_declarer(request.user)
    placements = (
        placements_for_hours(request.user)
        .select_related("person", "lot__market__operation", "employer")
        .annotate(**_months_recorded())
    )
    query = request.GET.get("q", "").strip()
    if query:
        placements = placements.filter(
            Q(person__last_name__icontains=query)
            | Q(person__first_name__icontains=query)
            | Q(lot__market__operation__name__icontains=query)
            | Q(employer__name__icontains=query)
        )
    today = current_month()
    running = Q(ended_on__isnull=True) | Q(ended_on__gte=(today - timedelta(days=1)).replace(day=1))
    show = request.GET.get("toutes") == "1"
    if not show:
        placements = placements.filter(running)
    placements = placements.order_by("person__last_name", "person__first_name", "-started_on", "pk")
    page = Paginator(placements, 50).get_page(request.GET.get("page"))
    log_shown(request, page)
    querystring = "&".join(part for part in (f"q={query}" if query else "", "toutes=1" if show else "") if part)
    context = {"page": page, "query": query, "show_all": show, "querystring": querystring}
    return render(request, "clauses/hours/placements.html", context)


@login_required
@require_GET
def placement_hours(request, placement_id):
    """A placement's monthly records, each with what counts and why."""
    placement = get_placement_for_hours(request.user, placement_id)
    log_access(person=placement.person, user=request.user, request=request)
    operation = placement.lot.market.operation
    convention = convention_of(operation)
    records = list(placement.hours.select_related("worked_on", "recorded_by").order_by("-month"))
    lines = []
    for record in records:
        record.placement = placement
        lines.append((record, explain_record(record, operation, convention)))
    context = {
        "placement": placement,
        "operation": operation,
        "convention": convention,
        "lines": lines,
        "total_hours": sum((r.hours for r in records), 0),
        "total_counted": sum((line.counted for _, line in lines), 0),
    }
    return render(request, "clauses/hours/placement.html", context)


def _default_month(placement):
    """The month after the last one recorded, or last month; within the placement's dates."""
    last = placement.hours.aggregate(last=Max("month"))["last"]
    this_month = current_month()
    month = (last + timedelta(days=32)).replace(day=1) if last else (this_month - timedelta(days=1)).replace(day=1)
    month = max(month, placement.started_on.replace(day=1))
    if placement.ended_on:
        month = min(month, placement.ended_on.replace(day=1))
    return min(month, this_month)


@login_required
@require_http_methods(["GET", "POST"])
def hours_create(request, placement_id):
    placement = get_placement_for_hours(request.user, placement_id)
    log_access(person=placement.person, user=request.user, request=request)
    initial = {"month": f"{_default_month(placement):%Y-%m}"}
    if request.GET.get("mois") and parse_month(request.GET["mois"]):
        initial["month"] = f"{parse_month(request.GET['mois']):%Y-%m}"
    form = HoursForm(
        request.POST or None, request.FILES or None, user=request.user, placement=placement, initial=initial
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            record = record_hours(
                placement=placement, evidence=form.cleaned_data["evidence"], by=request.user, **_service_kwargs(form)
            )
        except ValidationError as e:
            form.add_error(None, e)
            record_id = duplicate_record_id(e)
            existing = HoursRecord.objects.filter(pk=record_id, placement=placement).first() if record_id else None
        else:
            _saved(request, record, "enregistrées")
            return redirect("clauses:placement_hours", placement_id=placement.pk)
    context = {"placement": placement, "form": form, "existing": existing, "record": None}
    return render(request, "clauses/hours/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hours_update(request, record_id):
    record = get_record_for_hours(request.user, record_id)
    placement = record.placement
    log_access(person=placement.person, user=request.user, request=request)
    initial = {
        "month": f"{record.month:%Y-%m}",
        "hours": record.hours,
        "training_hours": record.training_hours,
        "subcontracting_amount": record.subcontracting_amount,
        "worked_on": record.worked_on,
    }
    form = HoursUpdateForm(
        request.POST or None, request.FILES or None, user=request.user, placement=placement, initial=initial
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        evidence = form.cleaned_data["evidence"] or (False if form.cleaned_data["remove_evidence"] else None)
        try:
            record = update_hours(record=record, evidence=evidence, by=request.user, **_service_kwargs(form))
        except ValidationError as e:
            form.add_error(None, e)
            record_id = duplicate_record_id(e)
            existing = HoursRecord.objects.filter(pk=record_id, placement=placement).first() if record_id else None
        else:
            _saved(request, record, "modifiées")
            return redirect("clauses:placement_hours", placement_id=placement.pk)
    context = {"placement": placement, "form": form, "existing": existing, "record": record}
    return render(request, "clauses/hours/form.html", context)


@login_required
@require_GET
def hours_evidence(request, record_id):
    """The evidence of a month, served through the access check (never from a public media URL)."""
    record = get_record_for_hours(request.user, record_id)
    if not record.evidence:
        raise Http404
    log_access(person=record.placement.person, user=request.user, request=request)
    response = FileResponse(record.evidence.open("rb"), filename=Path(record.evidence.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HoursImportForm(forms.Form):
    file = forms.FileField(
        label="Relevé mensuel à importer",
        help_text="Classeur Excel (.xlsx) ou CSV séparé par des points-virgules (UTF-8), au plus "
        f"{MAX_FILE_SIZE // 1024 // 1024} Mo.",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    replace = forms.BooleanField(
        label="Remplacer les mois déjà saisis (sinon, un mois déjà saisi est une erreur)", required=False
    )
    dry_run = forms.BooleanField(label="Vérifier le fichier sans rien enregistrer", required=False)


@login_required
@require_http_methods(["GET", "POST"])
def hours_import(request):
    _require_declarer(request.user)
    form = HoursImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_hours(
            upload,
            by=request.user,
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
            replace=form.cleaned_data["replace"],
        )
    context = {"form": form, "report": report, "columns": IMPORT_COLUMNS, "max_hours": int(MAX_MONTHLY_HOURS)}
    return render(request, "clauses/hours/import.html", context)


@login_required
@require_GET
def hours_template(request):
    _require_declarer(request.user)
    # The template lists the names of the people whose hours the user declares.
    named = placements_for_hours(request.user).filter(pk__in=[row[0] for row in template_rows(request.user)])
    log_access(
        people=named.values_list("person_id", flat=True),
        user=request.user,
        action=PersonAccess.Action.EXPORT,
        request=request,
    )
    return xlsx_file_response(build_template(request.user), filename=TEMPLATE_FILENAME)
