"""The activity report as one printable HTML document (cover, table of contents, one section per area, charts
embedded as SVG data URIs, page numbers from CSS @page counters) and its PDF through WeasyPrint. The same HTML
is the `--format html` output: it fetches nothing."""

import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from tremplin.reports.report import Report


def report_html(report: Report, *, for_whom: str = "") -> str:
    return render_to_string(
        "reports/report_print.html", {"report": report, "for_whom": for_whom, "printed_at": timezone.now()}
    )


def report_pdf(report: Report, *, for_whom: str = "", progress=None) -> bytes:
    """`progress(done, total, label)`, when given, hears of the layout and of the writing of the file."""
    # Imported here: only the PDF needs WeasyPrint and its Pango libraries.
    import weasyprint

    base_url = str(settings.BASE_DIR / "tremplin" / "static")
    html = weasyprint.HTML(string=report_html(report, for_whom=for_whom), base_url=base_url)
    if progress is None:
        return html.write_pdf()
    progress(0, 2, "Mise en page du PDF")
    document = html.render()
    progress(1, 2, f"Écriture du PDF ({len(document.pages)} pages)")
    return document.write_pdf()


def report_json(report: Report) -> str:
    """Every figure with the previous period's value, the change and the partial-data flags (a list of the
    figures, as `activity_report --format json` has always written, each with more keys)."""
    return json.dumps([c.as_dict() for c in report.comparisons], ensure_ascii=False, indent=2)
