from django.urls import include, path

app_name = "clauses"

# Each part of the clauses module keeps its own URL list (operations and people, hours, reports).
urlpatterns = [
    path("", include("tremplin.clauses.urls_operations")),
    path("", include("tremplin.clauses.urls_hours")),
    path("", include("tremplin.clauses.urls_reports")),
]
