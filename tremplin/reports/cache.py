"""The figure cache: the pages (Indicateurs, the report, a figure's page) read figures through it.

A figure is kept under (indicator, period, scope = the user, version): the version is a counter bumped on
every save or deletion of a record of the apps behind figures (the registered modules, people, structures,
accounts), so a write is seen on the next page. Writes that bypass the model signals (bulk updates, raw SQL:
the clauses recount) are caught by the time limit (TREMPLIN_FIGURE_CACHE_SECONDS), or by calling
`figures_changed()` after them. The cache is Django's (LocMem by default; a database cache in production, see
config/settings/base.py); `TREMPLIN_FIGURE_CACHE = False` turns it off (the tests, which roll back their data)."""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from tremplin.core.modules import modules

VERSION_KEY = "reports:figures:version"
FOUNDATION_APPS = {"people", "structures", "accounts", "territory"}
# Writes that change no figure: the log of record views, the sessions, the report's own texts.
IGNORED_MODELS = {"people.personaccess", "reports.narrative", "reports.historicalnarrative"}


def enabled() -> bool:
    return getattr(settings, "TREMPLIN_FIGURE_CACHE", True)


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, None)
        current = cache.get(VERSION_KEY, 1)
    return current


def figures_changed() -> None:
    """Every cached figure is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new one differs from the keys in use
        cache.add(VERSION_KEY, 1, None)


def watched_apps() -> set[str]:
    return FOUNDATION_APPS | {module.name for module in modules}


def _on_write(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in watched_apps() and meta.label_lower not in IGNORED_MODELS:
        figures_changed()


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"reports_figures_changed_{signal}")


def key(indicator_id, period, user) -> str:
    scope = "all" if user is None else f"u{user.pk}"
    return f"reports:figure:{version()}:{indicator_id}:{period.start}:{period.end}:{scope}"


def get_many(keys: list[str]) -> dict:
    if not enabled():
        return {}
    return cache.get_many(keys)


def set_many(values: dict) -> None:
    if enabled() and values:
        cache.set_many(values, settings.TREMPLIN_FIGURE_CACHE_SECONDS)
