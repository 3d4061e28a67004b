from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# On PostgreSQL the server itself cancels a statement running over two minutes (a query planned badly, a
# lock never released): the test fails with its query instead of stalling the run. None comes near it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c statement_timeout=120000"  # noqa: F405

# Tests roll their data back without signals: a figure cached by one test would be read by the next.
TREMPLIN_FIGURE_CACHE = False
# Background jobs run within the request (one test runs the database backend's worker).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests log users in with force_login or the password form: no lockout, no second factor, except in the
# tests of these protections (tests/accounts/test_security.py), which turn them back on.
AXES_ENABLED = False
TREMPLIN_REQUIRE_2FA = False
