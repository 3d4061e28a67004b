"""URLs of the hours ledger (included under the "clauses" namespace, at /clauses/)."""

from django.urls import path

from tremplin.clauses.views import hours

urlpatterns = [
    path("heures/", hours.hours_placements, name="hours_placements"),
    path("heures/mises-en-emploi/<int:placement_id>/", hours.placement_hours, name="placement_hours"),
    path("heures/mises-en-emploi/<int:placement_id>/saisir/", hours.hours_create, name="hours_create"),
    path("heures/releves/<int:record_id>/modifier/", hours.hours_update, name="hours_update"),
    path("heures/releves/<int:record_id>/justificatif/", hours.hours_evidence, name="hours_evidence"),
    path("heures/import/", hours.hours_import, name="hours_import"),
    path("heures/import/modele.xlsx", hours.hours_template, name="hours_template"),
]
