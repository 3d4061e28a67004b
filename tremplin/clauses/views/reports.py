"""The buyer's operation report (bilan): a printable page, its PDF and its XLSX.

Access: the operation must be among `reports.reportable_operations(user)` (the clauses team: every
operation it sees, `Operation.objects.visible_to`; a buyer: its own); everyone else gets 404, as for an
unknown operation. Names appear only in the annex an internal user entitled to names asks for
(`?noms=1`); never for buyers.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from tremplin.clauses import perms
from tremplin.clauses.exports import REPORT_COLUMNS, report_preamble, report_rows
from tremplin.clauses.reports import operation_report, reportable_operations
from tremplin.core.exports import xlsx_response
from tremplin.people.models import PersonAccess
from tremplin.people.services import log_access
from tremplin.reports import masking

TEMPLATE = "clauses/reports/operation_report.html"


class ReportPeriodForm(forms.Form):
    start = forms.DateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "La date de fin doit suivre la date de début.")
        elif start and self.user is not None and not perms.is_clauses_staff(self.user):
            # A buyer reads counts of people: no period under a month (reports/masking.py).
            try:
                masking.check_period(start, end or timezone.localdate(), self.user)
            except forms.ValidationError as e:
                self.add_error("end" if end else "start", e)
        return data


def _report(request, operation_id, *, action=PersonAccess.Action.LIST):
    operation = get_object_or_404(reportable_operations(request.user), pk=operation_id)
    form = ReportPeriodForm(request.GET or None, user=request.user)
    period = form.cleaned_data if form.is_bound and form.is_valid() else {}
    names = request.GET.get("noms") == "1" and perms.shows_names(request.user)
    report = operation_report(
        operation,
        start=period.get("start"),
        end=period.get("end"),
        user=request.user,
        names=names,
        today=timezone.localdate(),
    )
    if report.named:
        named = [line.person_id for line in report.named if line.person_id]
        log_access(people=named, user=request.user, action=action, request=request)
    return report, form


def _filename(report, extension):
    end = f"{report.end:%Y%m%d}"
    start = f"{report.start:%Y%m%d}" if report.start else "debut"
    return f"bilan-clauses-{slugify(report.operation.name)[:60]}-{start}-{end}{extension}"


def _query(request):
    """The period and names options, to repeat on the PDF and XLSX links."""
    return request.GET.urlencode()


@login_required
@require_GET
def operation_report_page(request, operation_id):
    report, form = _report(request, operation_id)
    return render(
        request,
        TEMPLATE,
        {
            "report": report,
            "form": form,
            "query": _query(request),
            "can_name": perms.shows_names(request.user),
            "printable": False,
        },
    )


@login_required
@require_GET
def operation_report_pdf(request, operation_id):
    report, _ = _report(request, operation_id, action=PersonAccess.Action.EXPORT)
    html = render_to_string(TEMPLATE, {"report": report, "printable": True}, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, ".pdf")}"'
    return response


@login_required
@require_GET
def operation_report_xlsx(request, operation_id):
    report, _ = _report(request, operation_id, action=PersonAccess.Action.EXPORT)
    return xlsx_response(
        report_rows(report),
        REPORT_COLUMNS,
        filename=_filename(report, ""),
        title="Bilan clauses",
        preamble=report_preamble(report),
    )


def render_pdf(html: str) -> bytes:
    """Printable HTML to PDF with WeasyPrint (imported here: only this page needs it and its Pango
    libraries). Every style is inline, so nothing is fetched over the network; relative URLs would
    resolve to the app's own static files."""
    import weasyprint

    base_url = str(settings.BASE_DIR / "tremplin" / "static")
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()
