"""Production settings: base settings, plus what a server on the Internet needs (see docs/deploiement.md).

Everything still comes from the environment (docs/environnement.md); this module only refuses to start
without the three variables that have no safe default, and turns on the protections that a developer's
machine does not want (HTTPS only, HSTS, compressed and hashed static files, persistent connections).
`DJANGO_SETTINGS_MODULE=config.settings.production manage.py check --deploy` prints no warning.
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import DEV_SECRET_KEY, caches_setting, envbool, envint, envlist, tasks_setting


def required(name: str, what: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} est obligatoire en production ({what}). "
            f"/ The environment variable {name} is required in production. "
            "Voir docs/environnement.md."
        )
    return value


SECRET_KEY = required("DJANGO_SECRET_KEY", "clé secrète longue et aléatoire, au moins 50 caractères")
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY doit être une clé aléatoire d'au moins 50 caractères, pas la clé de développement "
        "(par ex. `python -c 'import secrets; print(secrets.token_urlsafe(64))'`). "
        "/ DJANGO_SECRET_KEY must be a random key of at least 50 characters, not the development key."
    )

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    required("DJANGO_ALLOWED_HOSTS", "noms d'hôte servis, séparés par des virgules")

if envbool("DJANGO_DEBUG", False):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG ne peut pas être activé en production : les pages d'erreur montreraient le code et les "
        "données. / DJANGO_DEBUG cannot be on in production."
    )
DEBUG = False

# Persistent connections, checked before reuse: a worker keeps its connection ten minutes instead of opening
# one per request, and never hands a request a connection the server has closed meanwhile.
DATABASES = {
    "default": dj_database_url.parse(
        required("DATABASE_URL", "par ex. postgres://tremplin:…@localhost:5432/tremplin"),
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# Heavy report reads go to a replica when there is one (config/routers.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=envint("DJANGO_CONN_MAX_AGE", 600), conn_health_checks=True
    )

# Background tasks queued in the database, run by `manage.py db_worker` (deploy/tremplin-worker.service).
TASKS = tasks_setting(os.environ.get("TREMPLIN_TASKS", "database"))

# One cache for every process (config/settings/base.py: caches_setting): the figures computed by one gunicorn
# worker serve the others, a write seen by one (tremplin/reports/cache.py: the cache's generation) is seen by all,
# and the nightly warming (warm_report_cache) fills what the pages read. "file" (the default) for one host,
# "database" for several application hosts. A cache per process (locmem) would show each worker its own figures,
# some stale: refused.
CACHE_KIND = os.environ.get("DJANGO_CACHE", "file")
if CACHE_KIND not in {"file", "database"}:
    raise ImproperlyConfigured(
        "DJANGO_CACHE ne peut valoir que « file » ou « database » en production : un cache propre à chaque "
        "processus montrerait à chacun ses propres chiffres. / DJANGO_CACHE must be file or database in production."
    )
CACHES = caches_setting(CACHE_KIND)

# HTTPS behind a reverse proxy (nginx, see deploy/nginx.conf) that terminates TLS and says so in
# X-Forwarded-Proto. The proxy must overwrite that header: a client must not be able to set it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
# The health endpoint answers the local supervisor over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The preload directive only matters once the domain is submitted to hstspreload.org.
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Static files collected by `manage.py collectstatic` (make serve), compressed (gzip, brotli) and named
# after their content, so that WhiteNoise serves them with a far-future cache header.
STORAGES = {
    **STORAGES,  # noqa: F405  (the uploaded files' storage: filesystem or S3, see base.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

# Logs on stdout (journald or the container's log collector keeps them), one line per record.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "line"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Requests ending in 5xx are logged with their traceback here, never shown to the user.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
    },
}
