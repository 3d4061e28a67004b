"""What the external home page (buyers, companies) shows of the clauses module."""

from django import template
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.clauses.hours import placements_for_hours
from tremplin.clauses.reports import buyer_operations
from tremplin.reports import masking
from tremplin.reports.registry import Period, registry

register = template.Library()

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


@register.simple_tag(takes_context=True)
def clauses_external_home(context):
    """A buyer's operations with their progress and report links, and the year's figures on them; a
    company's placements whose hours it declares."""
    user = context["user"]
    today = timezone.localdate()
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
    return summary
