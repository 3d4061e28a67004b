"""Settings, read from the environment (see docs/environnement.md).

SQLite under var/ by default so that a newcomer runs the app at once; PostgreSQL when
DATABASE_URL is set. Both are first-class: the suite runs on both in CI.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as e:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from e


def envlist(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", False)
# For development and tests only: config.settings.production refuses to start without DJANGO_SECRET_KEY,
# and refuses this constant.
DEV_SECRET_KEY = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    # Login throttling (failures counted per account and per address) and TOTP second factor.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "tremplin.core",
    "tremplin.territory",
    "tremplin.accounts",
    "tremplin.structures",
    "tremplin.people",
    "tremplin.plie",
    "tremplin.clauses",
    "tremplin.mobility",
    "tremplin.companies",
    "tremplin.reports",
    "tremplin.funding",
    "tremplin.ops",
    "tremplin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tremplin.core.middleware.NoStoreMiddleware",
    "tremplin.core.middleware.SessionActivityMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tremplin.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Stamps every history row with the user who made the change.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tremplin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tremplin.core.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR = Path(os.environ.get("TREMPLIN_VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 0),
    )
}
# Heavy report reads go to DATABASE_REPLICA_URL when set (production.py adds the alias; config/routers.py).
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tremplin.accounts.security.NotOwnNameValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A session ends after a working day without activity (tremplin.core.middleware.SessionActivityMiddleware).
SESSION_COOKIE_AGE = envint("TREMPLIN_SESSION_HOURS", 9) * 3600

# Login protections, see docs/permissions.md « Connexion et sessions ».
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked account or address before the password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("TREMPLIN_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=envint("TREMPLIN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each one locks on its own
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "tremplin.accounts.security.login_name"
AXES_CLIENT_IP_CALLABLE = "tremplin.accounts.security.client_ip"
AXES_LOCKOUT_CALLABLE = "tremplin.accounts.security.lockout_response"
AXES_VERBOSE = False
# Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: use the connection's address).
TREMPLIN_PROXY_COUNT = envint("TREMPLIN_PROXY_COUNT", 0)
# Coordination, assistance, direction and admin give a TOTP code after their password (accounts/two_factor.py).
TREMPLIN_REQUIRE_2FA = envbool("TREMPLIN_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Tremplin"

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tremplin" / "static"]


def uploaded_files_storage(environ=os.environ):
    """Uploaded files (CVs, evidence, exports) on the filesystem under MEDIA_ROOT, or in any S3-compatible
    object store (Scaleway, OVH, Outscale, MinIO...) through django-storages when TREMPLIN_S3_BUCKET is set.
    Files are never public: the app reads them and serves them itself after its access checks."""
    bucket = environ.get("TREMPLIN_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "location": environ.get("TREMPLIN_S3_PREFIX", ""),
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    for option, variable in [
        ("endpoint_url", "TREMPLIN_S3_ENDPOINT_URL"),
        ("region_name", "TREMPLIN_S3_REGION"),
        ("access_key", "TREMPLIN_S3_ACCESS_KEY_ID"),
        ("secret_key", "TREMPLIN_S3_SECRET_ACCESS_KEY"),
    ]:
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": uploaded_files_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The app serves its own CSS and JS, from the finders when collectstatic has not run.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
# Where `manage.py backup` writes its archives by default (docs/sauvegarde.md): copy them off the server.
TREMPLIN_BACKUP_DIR = Path(os.environ.get("TREMPLIN_BACKUP_DIR", VAR_DIR / "backups"))

# Background tasks (tremplin/ops/jobs.py, django-tasks): "immediate" runs them within the request (development,
# tests: no worker to start); "database" queues them for the worker `manage.py db_worker` (production default).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_setting(name):
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(f"TREMPLIN_TASKS must be one of {', '.join(TASK_BACKENDS)}, not {name!r}")
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}


TASKS = tasks_setting(os.environ.get("TREMPLIN_TASKS", "immediate"))

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Tremplin <ne-pas-repondre@tremplin.example>")

# Figures shown to aggregate-only users (funders): cells below this count are hidden.
TREMPLIN_SMALL_CELL_THRESHOLD = envint("TREMPLIN_SMALL_CELL_THRESHOLD", 5)
# The pages read figures through a cache invalidated on every write (tremplin/reports/cache.py); this long at most.
TREMPLIN_FIGURE_CACHE = True
TREMPLIN_FIGURE_CACHE_SECONDS = envint("TREMPLIN_FIGURE_CACHE_SECONDS", 600)


def caches_setting(name):
    """The cache of the figures and of the "à traiter" lists (tremplin/reports/cache.py):
    - "locmem": one cache per process (development, tests);
    - "file": files under TREMPLIN_VAR_DIR/cache, shared by every process of one host (the gunicorn workers, the
      task worker, the scheduled commands): the production default, read about twice as fast as the database;
    - "database": the table `tremplin_cache` (`manage.py createcachetable`, run by make serve and
      tremplin-web.service), shared by several application hosts, at one SQL query per read.
    The figure cache stores a bundle per scope and period: MAX_ENTRIES leaves room for a night's warming
    (scopes × periods) and the charts; past it, each write culls a third of the entries."""
    options = {"MAX_ENTRIES": envint("DJANGO_CACHE_MAX_ENTRIES", 50_000), "CULL_FREQUENCY": 3}
    if name == "locmem":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if name == "file":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(VAR_DIR / "cache"),
                "OPTIONS": options,
            }
        }
    if name == "database":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "tremplin_cache",
                "OPTIONS": options,
            }
        }
    raise ImproperlyConfigured(f"DJANGO_CACHE must be locmem, file or database, not {name!r}")


CACHES = caches_setting(os.environ.get("DJANGO_CACHE", "locmem"))
# Personal data kept this many years after the last follow-up (CNIL social-sector reference: 2).
TREMPLIN_RETENTION_YEARS = envint("TREMPLIN_RETENTION_YEARS", 2)
# The FSE+ archive duty: a record in the restricted archive is kept until 31 December of this many years
# after its last activity, then anonymised (docs/protection.md; the duration is the intermediate body's).
TREMPLIN_FSE_ARCHIVE_YEARS = envint("TREMPLIN_FSE_ARCHIVE_YEARS", 5)
# Programmes co-financed by the FSE+ (people.Programme values): at the end of the active period, the records of
# people they followed go to the restricted archive until the FSE+ archive duty ends, instead of being anonymised.
TREMPLIN_FSE_PROGRAMMES = envlist("TREMPLIN_FSE_PROGRAMMES", ["plie"])
# Whether a convention's avenant that extends it counts as one of its (at most 2) renewals (docs/programmation.md).
FUNDING_AVENANTS_COUNT_AS_RENEWAL = envbool("FUNDING_AVENANTS_COUNT_AS_RENEWAL", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# A refused form (CSRF) answers in French in the app's layout (tremplin/templates/403_csrf.html).
CSRF_FAILURE_VIEW = "tremplin.core.views.csrf_failure"
