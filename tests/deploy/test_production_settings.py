"""config.settings.production: refuses to start without its variables, and passes `check --deploy`."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.urls import path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k3y-" + "aZ9_" * 16

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "tremplin.example.org",
    "DATABASE_URL": "postgres://tremplin@localhost:5432/tremplin",
}


def load_production(monkeypatch, **env):
    for name in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "DJANGO_DEBUG",
        "DATABASE_REPLICA_URL",
        "DJANGO_CACHE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("config.settings.production", None)
    try:
        return importlib.import_module("config.settings.production")
    finally:
        sys.modules.pop("config.settings.production", None)


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_it_refuses_to_start_without_a_required_variable_and_names_it(monkeypatch, missing):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    with pytest.raises(ImproperlyConfigured, match=f"La variable d'environnement {missing} est obligatoire"):
        load_production(monkeypatch, **env)


@pytest.mark.parametrize("key", ["dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production", "court", "a" * 60])
def test_it_refuses_the_development_key_and_weak_keys(monkeypatch, key):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY doit être une clé aléatoire"):
        load_production(monkeypatch, **{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": key})


def test_it_refuses_debug(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG ne peut pas être activé en production"):
        load_production(monkeypatch, **PRODUCTION_ENV, DJANGO_DEBUG="true")


def test_it_serves_https_only_with_persistent_connections_and_hashed_static_files(monkeypatch):
    settings = load_production(monkeypatch, **PRODUCTION_ENV)
    assert settings.DEBUG is False
    assert settings.ALLOWED_HOSTS == ["tremplin.example.org"]
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.SECURE_SSL_REDIRECT and settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 60 * 60 * 24 * 365
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_MAX_AGE"] == 600 and database["CONN_HEALTH_CHECKS"] is True
    assert "replica" not in settings.DATABASES
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert settings.LOGGING["handlers"]["stdout"]["stream"] == "ext://sys.stdout"


def test_it_refuses_a_cache_per_process(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_CACHE ne peut valoir que « file » ou « database »"):
        load_production(monkeypatch, **PRODUCTION_ENV, DJANGO_CACHE="locmem")


def test_check_deploy_prints_no_warning():
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    code = "import django; django.setup(); from django.core.management import call_command; "
    code += "call_command('check', deploy=True, fail_level='WARNING')"
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "WARNING" not in output and "System check identified no issues" in output, output


def broken_view(request):
    raise RuntimeError("secret-detail-of-the-crash")


urlpatterns = [path("casse/", broken_view)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_error_page_never_shows_a_trace():
    response = Client(raise_request_exception=False).get("/casse/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Erreur du serveur" in page
    assert "secret-detail-of-the-crash" not in page and "Traceback" not in page and "RuntimeError" not in page


def test_the_cache_is_shared_by_the_server_processes(monkeypatch):
    # The figure cache must be one for all gunicorn workers: a LocMem cache is one per process.
    monkeypatch.delenv("DJANGO_CACHE", raising=False)
    settings = load_production(monkeypatch, **PRODUCTION_ENV)
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert settings.CACHES["default"]["LOCATION"] == str(settings.VAR_DIR / "cache")
    assert settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] >= 10_000
    settings = load_production(monkeypatch, **PRODUCTION_ENV, DJANGO_CACHE="database")
    cache = settings.CACHES["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache["LOCATION"] == "tremplin_cache" and cache["OPTIONS"]["MAX_ENTRIES"] >= 10_000
