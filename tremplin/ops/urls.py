from django.urls import path

from tremplin.ops import views

app_name = "ops"

urlpatterns = [
    path("<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("<uuid:job_id>/resultat/", views.job_download, name="job_download"),
]
