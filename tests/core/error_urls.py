"""The app's routes plus three that fail on purpose, to render the error pages."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def forbidden(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-interdit/", forbidden),
    path("test-panne/", crash),
    *app_urlpatterns,
]
