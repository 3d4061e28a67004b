"""Writes that send no model signal (raw SQL, bulk inserts) change the figure cache's generation themselves:
the clauses recount, the hours import, the PLIE import."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache as django_cache
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from tests.clauses.factories import HoursRecordFactory, hours_world
from tests.clauses.test_hours_import import csv_bytes as hours_csv
from tests.plie.test_import import cell, france_travail, irfa, journeys, referent, xlsx_bytes  # noqa: F401
from tremplin.clauses.hours import import_hours
from tremplin.clauses.models import HoursRecord
from tremplin.plie.imports import import_file
from tremplin.reports import cache
from tremplin.reports.registry import Period, registry

TODAY = datetime.date(2025, 6, 15)
YEAR = Period.year(2024)


@pytest.fixture(autouse=True)
def figure_cache():
    django_cache.clear()
    with override_settings(TREMPLIN_FIGURE_CACHE=True):
        yield
    django_cache.clear()


def _figure(indicator_id):
    """The figure as the pages read it (through the cache), for the command line's scope."""
    indicator = registry.get(indicator_id)
    return registry.compare_all(period=YEAR, today=TODAY, indicators=[indicator], cached=True)[0].value


def _cached(indicator_id):
    return cache.get_many([cache.key(indicator_id, YEAR, None)])[cache.key(indicator_id, YEAR, None)].value


def _commit():
    """What the test wrote so far counts as committed: the changes of generation waiting for it run."""
    for _, callback, _ in transaction.get_connection().run_on_commit:
        if isinstance(callback, cache._AfterCommit) and not callback.done:
            callback()


def test_after_a_recount_the_cached_figure_changes_at_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = HoursRecordFactory(placement=hours_world().placement, hours=Decimal("100.00"))
        # A restored database, or counting rules changed in code: the stored counts are stale.
        HoursRecord.objects.filter(pk=record.pk).update(counted_hours=Decimal("0.00"))
        cache.figures_changed()
    assert _figure("clauses.hours_realised") == Decimal("0.00")
    assert _cached("clauses.hours_realised") == Decimal("0.00")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("clauses_recount", stdout=io.StringIO())

    assert _figure("clauses.hours_realised") == Decimal("100.00")


def test_an_hours_import_is_seen_at_once(django_capture_on_commit_callbacks):
    world = hours_world()
    _commit()
    assert _figure("clauses.hours_realised") == 0
    assert _cached("clauses.hours_realised") == 0
    content = hours_csv([(world.placement.pk, "", "", "2024-03", "120", "", "")])
    with django_capture_on_commit_callbacks(execute=True):
        report = import_hours(content, by=world["company"], filename="releve.csv")
    assert report.ok, report.lines()
    assert _figure("clauses.hours_realised") == Decimal("120.00")


def test_a_plie_import_is_seen_at_once(cell, django_capture_on_commit_callbacks):  # noqa: F811
    _commit()
    before = _figure("plie.new_entrants")
    assert _cached("plie.new_entrants") == before
    with django_capture_on_commit_callbacks(execute=True):
        report = import_file(xlsx_bytes(journeys()), by=cell, filename="parcours.xlsx")
    assert report.ok, report.lines()
    # Camille entered on 1 February 2024 (Noah in 2025).
    assert _figure("plie.new_entrants") == before + 1
