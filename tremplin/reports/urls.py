from django.urls import path

from tremplin.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("rapport/", views.report, name="report"),
    path("rapport/fichier/", views.report_export, name="report_export"),
    path("rapport/chiffre/<str:indicator_id>/", views.figure_detail, name="figure"),
    path("rapport/texte/<int:year>/<slug:section>/", views.narrative_edit, name="narrative"),
]
