from django.contrib import admin
from django.urls import include, path

from tremplin.accounts import views as accounts_views
from tremplin.ops import views as ops_views

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("comptes/", include("tremplin.accounts.urls")),
    path("personnes/", include("tremplin.people.urls")),
    path("structures/", include("tremplin.structures.urls")),
    path("plie/", include("tremplin.plie.urls")),
    path("clauses/", include("tremplin.clauses.urls")),
    path("mobilite/", include("tremplin.mobility.urls")),
    path("entreprises/", include("tremplin.companies.urls")),
    path("indicateurs/", include("tremplin.reports.urls")),
    path("programmation/", include("tremplin.funding.urls")),
    path("taches/", include("tremplin.ops.urls")),
    path("sante/", ops_views.health, name="health"),
    path("admin/", admin.site.urls),
]
