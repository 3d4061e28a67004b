"""The figure cache: the pages read figures through it, every write of a record behind figures invalidates it."""

import datetime

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests.factories import user_with_role
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.plie.models import Pathway
from tremplin.reports import cache
from tremplin.reports.registry import Period, registry

TODAY = datetime.date(2024, 6, 15)
YEAR = Period.year(2023)


@pytest.fixture(autouse=True)
def figure_cache():
    django_cache.clear()
    with override_settings(TREMPLIN_FIGURE_CACHE=True):
        yield
    django_cache.clear()


def _new_entrants(user=None):
    return registry.compare_all(
        period=YEAR, user=user, today=TODAY, indicators=[registry.get("plie.new_entrants")], cached=True
    )[0]


def committed(django_capture_on_commit_callbacks, build):
    """Records written and committed (the test's transaction runs what waits for the commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        return build()


def test_a_second_reading_comes_from_the_cache(django_capture_on_commit_callbacks):
    committed(django_capture_on_commit_callbacks, lambda: PathwayFactory(entry_date=datetime.date(2023, 3, 1)))
    assert _new_entrants().value == 1
    with CaptureQueriesContext(connection) as queries:
        assert _new_entrants().value == 1
    # Only the look at the first record (the partial-data flag) is read again, not the figure's count.
    assert len(queries.captured_queries) == 1
    assert "BETWEEN" not in queries.captured_queries[0]["sql"]


def test_a_write_behind_the_figures_is_seen_once_committed(django_capture_on_commit_callbacks):
    committed(django_capture_on_commit_callbacks, lambda: PathwayFactory(entry_date=datetime.date(2023, 3, 1)))
    assert _new_entrants().value == 1
    before = cache.version()
    with django_capture_on_commit_callbacks(execute=True):
        PathwayFactory(entry_date=datetime.date(2023, 4, 1))
        # Before the commit: the writing transaction reads its own rows, and stores nothing for the others.
        assert cache.version() == before
        assert _new_entrants().value == 2
        assert cache.get_many([cache.key("plie.new_entrants", YEAR, None)]) == {}
    assert cache.version() != before
    assert _new_entrants().value == 2


def test_a_bulk_write_is_seen_once_it_says_so(django_capture_on_commit_callbacks):
    pathway = committed(
        django_capture_on_commit_callbacks, lambda: PathwayFactory(entry_date=datetime.date(2023, 3, 1))
    )
    assert _new_entrants().value == 1
    Pathway.objects.filter(pk=pathway.pk).update(entry_date=datetime.date(2024, 1, 1))  # no signal
    assert _new_entrants().value == 1  # still the cached figure
    cache.figures_changed()
    assert _new_entrants().value == 0


def test_the_scope_is_part_of_the_key(coordinator, funder):
    assert cache.key("plie.new_entrants", YEAR, coordinator) != cache.key("plie.new_entrants", YEAR, funder)
    assert cache.key("plie.new_entrants", YEAR, None) != cache.key("plie.new_entrants", YEAR, coordinator)


def test_users_with_the_same_roles_in_the_same_structures_share_their_figures(alice, charlie, operator):
    colleague = user_with_role(Role.REFERENT, organization=operator)
    assert cache.scope(colleague) == cache.scope(alice)
    assert cache.scope(charlie) != cache.scope(alice)  # another structure
    manager_too = user_with_role(Role.REFERENT, organization=operator)
    manager_too.memberships.create(organization=operator, role=Role.MANAGER)
    assert cache.scope(manager_too) != cache.scope(alice)  # one role more
    assert cache.scope(None) == "all"


def test_the_log_of_record_views_does_not_invalidate(coordinator, person):
    from tremplin.people.models import PersonAccess

    before = cache.version()
    PersonAccess.objects.create(person=person, user=coordinator, action=PersonAccess.Action.choices[0][0])
    assert cache.version() == before


def test_the_cache_can_be_turned_off():
    PathwayFactory(entry_date=datetime.date(2023, 3, 1))
    with override_settings(TREMPLIN_FIGURE_CACHE=False):
        _new_entrants()
        assert cache.get_many([cache.key("plie.new_entrants", YEAR, None)]) == {}
