import io

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

from config.routers import using_replica
from tremplin.core.exports import XLSX_MIME, xlsx_response
from tremplin.people.services import log_shown
from tremplin.reports import masking
from tremplin.reports.exports import FIGURE_COLUMNS, figure_rows, report_workbook
from tremplin.reports.forms import NarrativeForm, PeriodForm
from tremplin.reports.jobs import figures_filename, figures_preamble, start_figures_export
from tremplin.reports.models import Narrative
from tremplin.reports.perms import can_write_narratives
from tremplin.reports.printing import report_json, report_pdf
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
    output = request.GET.get("format")
    report = build_report(period=period, user=request.user, today=timezone.localdate(), with_charts=output != "json")
    filename = f"tremplin-rapport-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    for_whom = f"{request.user.get_full_name()} ({request.user.email})"
    if output == "pdf":
        # Generated within the request: the app has no background task queue yet (django-tasks).
        response = HttpResponse(report_pdf(report, for_whom=for_whom), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    if output == "xlsx":
        buffer = io.BytesIO()
        report_workbook(
            report, preamble=[f"Tremplin – rapport d'activité, {period.label}", f"Calculé pour {for_whom}"]
        ).save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if output == "json":
        response = HttpResponse(report_json(report), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
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
