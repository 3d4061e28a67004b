"""URLs of the clauses reports (included under the "clauses" namespace, at /clauses/)."""

from django.urls import path

from tremplin.clauses.views import reports

urlpatterns = [
    path("operations/<int:operation_id>/bilan/", reports.operation_report_page, name="operation_report"),
    path("operations/<int:operation_id>/bilan.pdf", reports.operation_report_pdf, name="operation_report_pdf"),
    path("operations/<int:operation_id>/bilan.xlsx", reports.operation_report_xlsx, name="operation_report_xlsx"),
]
