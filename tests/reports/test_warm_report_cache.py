"""The nightly warming of the figure cache: after it, the pages compute no figure."""

import datetime
import io

import pytest
from django.core.cache import cache as django_cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import user_with_role
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.reports import cache
from tremplin.reports.management.commands.warm_report_cache import scopes_in_use, usual_periods
from tremplin.reports.registry import Indicator, Period


@pytest.fixture(autouse=True)
def figure_cache():
    django_cache.clear()
    with override_settings(TREMPLIN_FIGURE_CACHE=True):
        yield
    django_cache.clear()


def _commit():
    """What the test wrote so far counts as committed: the changes of generation waiting for it run."""
    for _, callback, _ in transaction.get_connection().run_on_commit:
        if isinstance(callback, cache._AfterCommit) and not callback.done:
            callback()


def _warm():
    out, err = io.StringIO(), io.StringIO()
    call_command("warm_report_cache", stdout=out, stderr=err)
    return out.getvalue()


def test_the_usual_periods():
    assert usual_periods(datetime.date(2025, 1, 10)) == [
        Period.year(2024),
        Period.year(2025),
        Period.month(2025, 1),
        Period.month(2024, 12),
    ]
    assert usual_periods(datetime.date(2025, 6, 30))[2:] == [Period.month(2025, 6), Period.month(2025, 5)]


def test_one_user_per_scope_the_most_shared_first(operator, alice, charlie, funder):
    colleague = user_with_role(Role.REFERENT, organization=operator)
    user_with_role(Role.COMPANY)  # reads no figure
    user_with_role(Role.REFERENT, organization=operator, is_active=False)
    scopes = scopes_in_use()
    assert scopes[0] == (alice, 2)
    assert {cache.scope(user) for user, _ in scopes} == {cache.scope(u) for u in (alice, charlie, funder)}
    assert cache.scope(colleague) == cache.scope(alice)


def test_after_warming_the_pages_compute_no_figure(client, coordinator, alice, funder, monkeypatch):
    last_year = timezone.localdate().year - 1
    PathwayFactory(entry_date=datetime.date(last_year, 3, 1))
    PathwayFactory(entry_date=datetime.date(last_year - 1, 5, 2))
    # Warmed through the coordinator (created first): the colleague reads the same entries.
    colleague = user_with_role(Role.COORDINATOR, organization=coordinator.primary_membership.organization)
    _commit()
    output = _warm()
    assert "Cache des chiffres préparé : 3 périmètre(s) (4 utilisateur·rice·s), 4 périodes" in output

    def computed(self, **kwargs):
        raise AssertionError(f"{self.id} computed after the warming")

    monkeypatch.setattr(Indicator, "evaluate", computed)
    for user in (coordinator, colleague, alice, funder):
        client.force_login(user)  # (a login changes no figure: the cache stays)
        assert client.get(reverse("reports:figures")).status_code == 200
        report = client.get(reverse("reports:report"))
        assert report.status_code == 200 and report.context["report"].sections
        assert client.get(reverse("reports:figures"), {"annee": last_year + 1}).status_code == 200
        figure = reverse("reports:figure", args=["plie.new_entrants"])
        assert client.get(figure, {"annee": last_year}).status_code == 200


def test_warming_stores_nothing_when_the_cache_is_off():
    with override_settings(TREMPLIN_FIGURE_CACHE=False), pytest.raises(CommandError, match="désactivé"):
        _warm()
