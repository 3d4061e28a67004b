"""The clauses' panels of the role home pages (registered in tremplin/clauses/registry.py)."""

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from tremplin.accounts.enums import Role
from tremplin.clauses import selectors
from tremplin.clauses.hours import placements_for_hours
from tremplin.clauses.reports import buyer_operations
from tremplin.reports import masking
from tremplin.reports.registry import Period, registry

# The figures of the year a buyer sees for its own operations (the registry's, on its scope).
BUYER_FIGURES = [
    "clauses.hours_realised",
    "clauses.operations",
    "clauses.companies",
    "clauses.employees",
    "clauses.women_share",
    "clauses.qpv_share",
    "clauses.hires",
]


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# The home pages of these roles show the external panel (accounts/home/external.html).
EXTERNAL_HOME_ROLES = {Role.BUYER, Role.COMPANY, Role.FUNDER}


def facilitator_panel(user, today) -> dict | None:
    """The facilitator's worklist: lots falling behind, referrals to receive, evaluations to do."""
    if user.primary_role != Role.FACILITATOR:
        return None
    return selectors.home_summary(user=user, today=today)


def external_panel(user, today) -> dict | None:
    """A buyer's operations with their progress and report links, and the year's figures on them; a
    company's placements whose hours it declares."""
    if user.primary_role not in EXTERNAL_HOME_ROLES:
        return None
    summary = {}
    if user.organization_ids(Role.BUYER):
        summary["operations"] = buyer_operations(user, today=today)
        period = Period(today.replace(month=1, day=1), today)
        if not masking.is_long_enough(period.start, period.end):
            # Early January: a buyer's figures cover a month at least (statistical secrecy).
            period = Period.year(today.year - 1)
        figures = [registry.get(i) for i in BUYER_FIGURES]
        summary["figures"] = registry.evaluate_all(period=period, user=user, indicators=figures)
        summary["period"] = period
    if user.organization_ids(Role.COMPANY):
        placements = placements_for_hours(user)
        summary["placements"] = placements.count()
        summary["running"] = placements.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today)).count()
        summary["hours_url"] = _url("clauses:hours_placements")
        summary["import_url"] = _url("clauses:hours_import")
    return summary or None
