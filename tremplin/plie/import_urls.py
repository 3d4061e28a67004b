"""URLs of the PLIE import (participants, pathways, contracts from the tool used today)."""

from django.urls import path

from tremplin.plie import import_views

urlpatterns = [
    path("import/", import_views.import_upload, name="import"),
    path("import/modele.xlsx", import_views.import_template, name="import_template"),
]
