"""The figures export as a background job (tremplin/ops/jobs.py): asked with `?format=xlsx&async=1`, or
automatically for a period longer than a year."""

import io
from datetime import date

from django.core.exceptions import ValidationError

from config.routers import using_replica
from tremplin.core.exports import XLSX_MIME, build_workbook
from tremplin.ops import jobs
from tremplin.reports import masking
from tremplin.reports.exports import FIGURE_COLUMNS, figure_rows
from tremplin.reports.registry import Period, registry, shared_computations

FIGURES_XLSX = "reports.figures_xlsx"


def figures_filename(period: Period) -> str:
    return f"tremplin-indicateurs-{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def figures_preamble(period: Period, user) -> list[str]:
    return [f"Tremplin – indicateurs, {period.label}", f"Calculés pour {user} ({user.email})"]


def start_figures_export(*, user, period: Period):
    return jobs.start(
        user=user,
        kind=FIGURES_XLSX,
        label=f"Export des indicateurs, {period.label}",
        params={"start": period.start.isoformat(), "end": period.end.isoformat()},
    )


@jobs.register(FIGURES_XLSX)
def figures_xlsx(job, progress) -> jobs.Output:
    try:
        period = Period(date.fromisoformat(job.params["start"]), date.fromisoformat(job.params["end"]))
    except (KeyError, ValueError) as e:
        raise jobs.JobFailure(
            "La période demandée n'est pas valide : relancez l'export depuis la page Indicateurs."
        ) from e
    if not job.user.is_active or not job.user.sees_aggregates:
        raise jobs.JobFailure("Votre compte n'a plus accès aux indicateurs : l'export n'a pas été produit.")
    try:
        masking.check_period(period.start, period.end, job.user)
    except ValidationError as e:
        raise jobs.JobFailure(e.messages[0]) from e
    indicators = list(registry)
    results = []
    with using_replica(), shared_computations():
        for done, indicator in enumerate(indicators):
            progress(done, len(indicators) + 1, f"Calcul : {indicator.label}")
            results.append(indicator.evaluate(period=period, user=job.user))
    progress(len(indicators), len(indicators) + 1, "Écriture du classeur")
    buffer = io.BytesIO()
    workbook = build_workbook(
        figure_rows(results), FIGURE_COLUMNS, title="Indicateurs", preamble=figures_preamble(period, job.user)
    )
    workbook.save(buffer)
    return jobs.Output(filename=f"{figures_filename(period)}.xlsx", content=buffer.getvalue(), content_type=XLSX_MIME)
