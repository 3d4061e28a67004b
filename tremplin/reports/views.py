from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from tremplin.core.exports import xlsx_response
from tremplin.reports import masking
from tremplin.reports.exports import FIGURE_COLUMNS, figure_rows
from tremplin.reports.forms import PeriodForm
from tremplin.reports.registry import registry


@login_required
def figures(request):
    if not request.user.sees_aggregates:
        raise Http404
    form = PeriodForm(request.GET or None, user=request.user)
    period = form.period()
    results = registry.evaluate_all(period=period, user=request.user)
    if request.GET.get("format") == "xlsx" and (not form.is_bound or form.is_valid()):
        return xlsx_response(
            figure_rows(results),
            FIGURE_COLUMNS,
            filename=f"tremplin-indicateurs-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
            title="Indicateurs",
            preamble=[
                f"Tremplin – indicateurs, {period.label}",
                f"Calculés pour {request.user} ({request.user.email})",
            ],
        )
    areas = {}
    for result in results:
        areas.setdefault(result.indicator.area or "Autres", []).append(result)
    return render(
        request,
        "reports/figures.html",
        {
            "form": form,
            "period": period,
            "areas": areas,
            "aggregates_only": not request.user.sees_records,
            "masked_any": request.user.sees_records and not masking.sees_everything(request.user),
        },
    )
