"""The figure cache: the pages (Indicateurs, the report, a figure's page) and the report's background jobs read
figures through it; `warm_report_cache` fills it at night.

A figure is kept under (generation, scope, period, indicator). The figures of one scope and period are stored
together, as one cache entry (a bundle): a page reads a handful of entries, not one per figure, which matters
with the database cache of production (one row per entry).

The scope is what decides a user's figures: their active memberships (role × structure) and their account
flags, from which every capability follows (accounts/models.py: sees_all_people, sees_records, the masking of
reports/masking.py). Two référents of one structure, or the coordinators of the lead structure, share their
figures; None (the command line) is "all". An indicator must therefore never depend on the user beyond their
roles and structures (no "my own follow-ups" figure): such a figure would be served to a colleague.

The generation changes on every save or deletion of a record of the apps behind figures (the registered
modules, people, structures, accounts: model signals), and when a write that bypasses the signals calls
`figures_changed()`: bulk inserts (imports, the demo), raw SQL (the clauses recount). Within a transaction it
changes when the transaction commits (other processes cannot see the rows before), and until then that
transaction reads and stores no cached figure (it sees its own writes, the others do not). Entries also expire
(TREMPLIN_FIGURE_CACHE_SECONDS; the nightly warming keeps its own until the next night,
TREMPLIN_FIGURE_CACHE_WARM_SECONDS), the safety net for a write nobody told the cache about.

The cache is Django's default: LocMem in development (one per process), the database cache in production,
shared by every gunicorn worker, the task worker and the scheduled commands (config/settings/production.py).
`TREMPLIN_FIGURE_CACHE = False` turns it off (the tests, which roll back their data)."""

import contextlib
import contextvars
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from tremplin.core.modules import modules

logger = logging.getLogger(__name__)

VERSION_KEY = "reports:figures:generation"
FOUNDATION_APPS = {"people", "structures", "accounts", "territory"}
# Writes that change no figure: the log of record views, the report's own texts, the background jobs, a login.
IGNORED_MODELS = {"people.personaccess", "reports.narrative", "reports.historicalnarrative"}
IGNORED_APPS = {"ops"}
IGNORED_FIELDS = {"last_login"}
SEPARATOR = "#"  # between a bundle's key and the indicator's id


def enabled() -> bool:
    return getattr(settings, "TREMPLIN_FIGURE_CACHE", True)


# The generation ------------------------------------------------------------------------------------------


def version() -> str:
    """The current generation (a random token: two processes changing it at once still both change it)."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex[:12], None)
        current = cache.get(VERSION_KEY)
    return current


_changes_here = 0  # changes of generation made by this process
_timeout = contextvars.ContextVar("figure_cache_timeout", default=None)


def _new_generation() -> None:
    global _changes_here
    _changes_here += 1
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex[:12], None)
    except Exception:  # the cache unreachable must not fail the write: the entries' time limit still holds
        logger.exception("The figure cache's generation could not be changed")


class _AfterCommit:
    """The change of generation waiting for the current transaction to commit (one per transaction)."""

    def __init__(self):
        self.done = False

    def __call__(self):
        self.done = True
        _new_generation()


def _waiting(connection) -> bool:
    return any(isinstance(entry[1], _AfterCommit) and not entry[1].done for entry in connection.run_on_commit)


def figures_changed() -> None:
    """Every cached figure is stale from now on (from the commit, within a transaction). Called by the model
    signals, and by every write that bypasses them: bulk_create, bulk_update, QuerySet.update, raw SQL."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _new_generation()
    elif not _waiting(connection):
        transaction.on_commit(_AfterCommit(), robust=True)


def usable() -> bool:
    """Whether the cache may be read and written here: on, and not in a transaction that wrote figure data."""
    return enabled() and not _waiting(transaction.get_connection())


def watched_apps() -> set[str]:
    return (FOUNDATION_APPS | {module.name for module in modules}) - IGNORED_APPS


def _on_write(sender, update_fields=None, **kwargs):
    meta = sender._meta
    if meta.app_label not in watched_apps() or meta.label_lower in IGNORED_MODELS:
        return
    if update_fields and set(update_fields) <= IGNORED_FIELDS:
        return
    figures_changed()


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"reports_figures_changed_{signal}")


# Keys and entries ----------------------------------------------------------------------------------------


def scope(user) -> str:
    """What the user's figures depend on (see the module docstring), as a short digest."""
    if user is None:
        return "all"
    memberships = sorted((m.role, m.organization_id) for m in user.active_memberships)
    signature = repr((user.is_active, user.is_superuser, user.is_staff, memberships))
    return hashlib.sha256(signature.encode()).hexdigest()[:16]


def _current_version() -> str:
    # Read once per page (its shared computations), not once per figure; again after this process changed it.
    from tremplin.reports.registry import computed_once

    return computed_once(("reports.cache.version", _changes_here), version)


def key(indicator_id, period, user) -> str:
    return f"{bundle_key(period, user)}{SEPARATOR}{indicator_id}"


def bundle_key(period, user) -> str:
    return f"reports:figures:{_current_version()}:{scope(user)}:{period.start}:{period.end}"


def remembered(name: str, compute):
    """`compute()`, kept in the cache under `name` and the current generation where the cache is usable (the
    pages' other costly reads: the home counts, the PLIE's "à traiter" lists); computed anew elsewhere. `name`
    says whose and when the value is (user, day): the generation says whether the data changed since."""
    if not usable():
        return compute()
    full_key = f"reports:remembered:{_current_version()}:{name}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, settings.TREMPLIN_FIGURE_CACHE_SECONDS)
    return value


def _bundles(keys) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for item in keys:
        grouped.setdefault(item.rpartition(SEPARATOR)[0], []).append(item)
    return grouped


def get_many(keys: list[str]) -> dict:
    """{key: figure} of the keys found."""
    if not keys or not usable():
        return {}
    grouped = _bundles(keys)
    found = {}
    for bundle, figures in cache.get_many(list(grouped)).items():
        for item in grouped[bundle]:
            figure = figures.get(item.rpartition(SEPARATOR)[2])
            if figure is not None:
                found[item] = figure
    return found


@contextlib.contextmanager
def kept_for(seconds: int):
    """Figures stored within the block are kept this long (the nightly warming: until the next night)."""
    token = _timeout.set(seconds)
    try:
        yield
    finally:
        _timeout.reset(token)


def set_many(values: dict) -> None:
    """Store {key: figure}, added to the bundles already stored (a lost race only loses entries)."""
    if not values or not usable():
        return
    grouped = _bundles(values)
    bundles = cache.get_many(list(grouped))
    for bundle, items in grouped.items():
        figures = dict(bundles.get(bundle) or {})
        figures.update({item.rpartition(SEPARATOR)[2]: values[item] for item in items})
        bundles[bundle] = figures
    timeout = _timeout.get()
    cache.set_many(bundles, settings.TREMPLIN_FIGURE_CACHE_SECONDS if timeout is None else timeout)
