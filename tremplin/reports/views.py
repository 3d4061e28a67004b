from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from config.routers import using_replica
from tremplin.core.exports import xlsx_response
from tremplin.people.services import log_shown
from tremplin.reports import masking
from tremplin.reports.exports import FIGURE_COLUMNS, figure_rows
from tremplin.reports.forms import NarrativeForm, PeriodForm
from tremplin.reports.jobs import (
    REPORT_FORMATS,
    figures_filename,
    figures_preamble,
    report_filename,
    start_figures_export,
    start_report_export,
)
from tremplin.reports.models import Narrative
from tremplin.reports.perms import can_write_narratives
from tremplin.reports.printing import report_json
from tremplin.reports.registry import Period, PeriodKind, registry
from tremplin.reports.report import build_report
from tremplin.reports.services import save_narrative

RECORDS_PER_PAGE = 100
# An export over a longer period runs as a background job, with its progress page.
LARGE_EXPORT_DAYS = 366


def _period_query(period: Period) -> str:
    if period.is_year:
        return urlencode({"annee": period.start.year})
    return urlencode({"du": period.start.isoformat(), "au": period.end.isoformat()})


def _check_access(user):
    if not user.sees_aggregates:
        raise Http404


@login_required
def figures(request):
    _check_access(request.user)
    form = PeriodForm.from_query(request.GET, user=request.user)
    period = form.period()
    export = request.GET.get("format") == "xlsx" and (not form.is_bound or form.is_valid())
    if export and (request.GET.get("async") == "1" or (period.end - period.start).days > LARGE_EXPORT_DAYS):
        return redirect(start_figures_export(user=request.user, period=period))
    if export:
        with using_replica():
            results = registry.evaluate_all(period=period, user=request.user)
        return xlsx_response(
            figure_rows(results),
            FIGURE_COLUMNS,
            filename=figures_filename(period),
            title="Indicateurs",
            preamble=figures_preamble(period, request.user),
        )
    with using_replica():
        report = build_report(period=period, user=request.user, today=timezone.localdate(), cached=True)
    areas = {section.title: [c.current for c in section.comparisons] for section in report.sections}
    return render(
        request,
        "reports/figures.html",
        {
            "form": form,
            "period": period,
            "report": report,
            "areas": areas,
            "masked_any": request.user.sees_records and not masking.sees_everything(request.user),
            "period_query": _period_query(period),
            "aggregates_only": not request.user.sees_records,
        },
    )


@login_required
def report(request):
    _check_access(request.user)
    form = PeriodForm.from_query(request.GET, user=request.user)
    period = form.period()
    if request.GET.get("format") == "json":
        report = build_report(period=period, user=request.user, today=timezone.localdate(), cached=True)
        response = HttpResponse(report_json(report), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{report_filename(period)}.json"'
        return response
    # The PDF and the XLSX are files prepared in the background (report_export). Not on the replica: the page
    # shows a section's text just written.
    report = build_report(period=period, user=request.user, today=timezone.localdate(), with_charts=True, cached=True)
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "period": period,
            "report": report,
            "period_query": _period_query(period),
            "aggregates_only": not request.user.sees_records,
            "writes_narratives": can_write_narratives(request.user) and period.is_year,
        },
    )


@login_required
@require_POST
def report_export(request):
    """The report's PDF or XLSX, computed as the user in a background job: its page shows the progress, then
    offers the file."""
    _check_access(request.user)
    form = PeriodForm.from_query(request.POST, user=request.user)
    output = request.POST.get("format")
    if output not in REPORT_FORMATS or (form.is_bound and not form.is_valid()):
        messages.error(request, "Choisissez une période valide et un format (PDF ou XLSX) pour préparer le fichier.")
        return redirect(reverse("reports:report") + (f"?{_period_query(form.period())}" if form.is_bound else ""))
    return redirect(start_report_export(user=request.user, period=form.period(), output=output))


@login_required
def narrative_edit(request, year, section):
    if not can_write_narratives(request.user):
        raise Http404
    areas = {slugify(indicator.area): indicator.area for indicator in registry if indicator.area}
    if section not in areas or not 2000 <= year <= 2100:
        raise Http404
    narrative = Narrative.objects.filter(year=year, section=section).first()
    form = NarrativeForm(request.POST or None, initial={"text": narrative.text if narrative else ""})
    if request.method == "POST" and form.is_valid():
        save_narrative(year=year, section=section, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, f"Texte de la section « {areas[section]} » enregistré pour {year}.")
        return redirect(f"{reverse('reports:report')}?annee={year}#{section}")
    return render(
        request,
        "reports/narrative_form.html",
        {"form": form, "year": year, "section": section, "area": areas[section], "narrative": narrative},
    )


@login_required
def figure_detail(request, indicator_id):
    _check_access(request.user)
    try:
        indicator = registry.get(indicator_id)
    except KeyError:
        raise Http404 from None
    form = PeriodForm.from_query(request.GET, user=request.user)
    period = form.period()
    comparison = indicator.compare(period=period, user=request.user, today=timezone.localdate(), cached=True)
    previous = comparison.previous.figure.breakdown or {}
    records_page = None
    if request.user.sees_records and indicator.records is not None:
        records = indicator.records(period=period, user=request.user)
        records_page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
        records_page.rows = [
            [(column.value(row), column.link(row) if column.link else None) for column in indicator.record_columns]
            for row in records_page
        ]
        # The people the list names are logged as read (docs/permissions.md).
        log_shown(request, list(records_page.object_list))
    breakdown_rows = [
        (label, value, previous.get(label)) for label, value in (comparison.current.figure.breakdown or {}).items()
    ]
    return render(
        request,
        "reports/figure_detail.html",
        {
            "form": form,
            "period": period,
            "c": comparison,
            "indicator": indicator,
            "breakdown_rows": breakdown_rows,
            "records_page": records_page,
            "threshold": settings.TREMPLIN_SMALL_CELL_THRESHOLD,
            "section_slug": slugify(indicator.area),
            "period_kind_label": PeriodKind(indicator.period_kind).label,
            "period_query": _period_query(period),
            "aggregates_only": not request.user.sees_records,
        },
    )
