"""The reports' background jobs (tremplin/ops/jobs.py): the figures export (asked with `?format=xlsx&async=1`,
or automatically for a period longer than a year), and the activity report's PDF and XLSX, asked from the report
page. Each is computed as the user who asked for it, with their scope and masking, in the task worker."""

import io
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from config.routers import using_replica
from tremplin.core.exports import XLSX_MIME, build_workbook
from tremplin.ops import jobs
from tremplin.reports import masking
from tremplin.reports.exports import FIGURE_COLUMNS, figure_rows, report_workbook
from tremplin.reports.printing import report_pdf
from tremplin.reports.registry import Period, registry, shared_computations
from tremplin.reports.report import build_report

FIGURES_XLSX = "reports.figures_xlsx"
REPORT_FILE = "reports.report_file"
REPORT_FORMATS = {"pdf": "PDF", "xlsx": "XLSX"}


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


def _checked_period(job, *, page: str) -> Period:
    """The job's period, if its user may still read figures over it; otherwise a failure that says why."""
    try:
        period = Period(date.fromisoformat(job.params["start"]), date.fromisoformat(job.params["end"]))
    except (KeyError, ValueError) as e:
        raise jobs.JobFailure(
            f"La période demandée n'est pas valide : relancez l'export depuis la page {page}."
        ) from e
    if not job.user.is_active or not job.user.sees_aggregates:
        raise jobs.JobFailure("Votre compte n'a plus accès aux indicateurs : l'export n'a pas été produit.")
    try:
        masking.check_period(period.start, period.end, job.user)
    except ValidationError as e:
        raise jobs.JobFailure(e.messages[0]) from e
    return period


@jobs.register(FIGURES_XLSX)
def figures_xlsx(job, progress) -> jobs.Output:
    period = _checked_period(job, page="Indicateurs")
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


# The activity report as a file ------------------------------------------------------------------------------


def report_filename(period: Period) -> str:
    return f"tremplin-rapport-{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def report_for_whom(user) -> str:
    return f"{user.get_full_name()} ({user.email})"


def start_report_export(*, user, period: Period, output: str):
    if output not in REPORT_FORMATS:
        raise ValueError(f"Unknown report format {output!r}.")
    return jobs.start(
        user=user,
        kind=REPORT_FILE,
        label=f"Rapport d'activité ({REPORT_FORMATS[output]}), {period.label}",
        params={"start": period.start.isoformat(), "end": period.end.isoformat(), "format": output},
    )


def _step(progress, first: int, last: int):
    """A part of the job, from `first` to `last` percent: its own (done, total, label) spread over that range."""

    def report(done: int, total: int, label: str) -> None:
        progress(first + (last - first) * done // max(total, 1), 100, label)

    return report


@jobs.register(REPORT_FILE)
def report_file(job, progress) -> jobs.Output:
    """The report for the job's user and period: the figures area by area, the charts section by section, then
    the PDF laid out and written (or the workbook written)."""
    output = job.params.get("format")
    if output not in REPORT_FORMATS:
        raise jobs.JobFailure("Le format demandé n'est pas connu : relancez l'export depuis la page du rapport.")
    period = _checked_period(job, page="du rapport")
    user, today, pdf = job.user, timezone.localdate(), output == "pdf"
    steps = (_step(progress, 0, 55), _step(progress, 55, 85)) if pdf else (_step(progress, 0, 90), None)
    with using_replica():
        report = build_report(period=period, user=user, today=today, with_charts=pdf, cached=True, progress=steps)
    filename = report_filename(period)
    if pdf:
        content = report_pdf(report, for_whom=report_for_whom(user), progress=_step(progress, 85, 100))
        return jobs.Output(filename=f"{filename}.pdf", content=content, content_type="application/pdf")
    progress(90, 100, "Écriture du classeur")
    buffer = io.BytesIO()
    preamble = [f"Tremplin – rapport d'activité, {period.label}", f"Calculé pour {report_for_whom(user)}"]
    report_workbook(report, preamble=preamble).save(buffer)
    return jobs.Output(filename=f"{filename}.xlsx", content=buffer.getvalue(), content_type=XLSX_MIME)
