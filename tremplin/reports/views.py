from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from config.routers import using_replica
from tremplin.core.exports import xlsx_response
from tremplin.reports.exports import FIGURE_COLUMNS, figure_rows
from tremplin.reports.forms import PeriodForm
from tremplin.reports.jobs import figures_filename, figures_preamble, start_figures_export
from tremplin.reports.registry import registry

# An export over a longer period runs as a background job, with its progress page.
LARGE_EXPORT_DAYS = 366


@login_required
def figures(request):
    if not request.user.sees_aggregates:
        raise Http404
    form = PeriodForm(request.GET or None)
    period = form.period()
    export = request.GET.get("format") == "xlsx" and (not form.is_bound or form.is_valid())
    if export and (request.GET.get("async") == "1" or (period.end - period.start).days > LARGE_EXPORT_DAYS):
        return redirect(start_figures_export(user=request.user, period=period))
    with using_replica():
        results = registry.evaluate_all(period=period, user=request.user)
    if export:
        return xlsx_response(
            figure_rows(results),
            FIGURE_COLUMNS,
            filename=figures_filename(period),
            title="Indicateurs",
            preamble=figures_preamble(period, request.user),
        )
    areas = {}
    for result in results:
        areas.setdefault(result.indicator.area or "Autres", []).append(result)
    return render(
        request,
        "reports/figures.html",
        {"form": form, "period": period, "areas": areas, "aggregates_only": not request.user.sees_records},
    )
