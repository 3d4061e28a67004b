from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.core.modules import modules
from tremplin.people import selectors
from tremplin.people.services import log_shown
from tremplin.reports import cache as figure_cache

MY_FOLLOW_UPS_SHOWN = 15
HOME_TEMPLATES = {
    Role.COORDINATOR: "accounts/home/coordination.html",
    Role.ASSISTANT: "accounts/home/coordination.html",
    Role.MANAGER: "accounts/home/management.html",
    Role.REFERENT: "accounts/home/referent.html",
    Role.FACILITATOR: "accounts/home/programme.html",
    Role.MOBILITY_ADVISER: "accounts/home/programme.html",
    Role.PROJECT_OFFICER: "accounts/home/programme.html",
    Role.PRESCRIBER: "accounts/home/prescriber.html",
    Role.BUYER: "accounts/home/external.html",
    Role.COMPANY: "accounts/home/external.html",
    Role.FUNDER: "accounts/home/external.html",
}


def _record_counts(user, **querysets) -> dict:
    """The home page's counts (one COUNT over the user's scope each), kept in the figure cache
    (tremplin.reports.cache: its version changes on every write of people, follow-ups or accounts)."""
    return figure_cache.remembered(
        f"accounts:home:{user.pk}", lambda: {name: queryset.count() for name, queryset in querysets.items()}
    )


@login_required
def home(request):
    """A home page made for the user's role (their first active membership)."""
    user = request.user
    role = user.primary_role
    template = HOME_TEMPLATES.get(
        role, "accounts/home/coordination.html" if user.is_superuser else "accounts/home/no_role.html"
    )
    context = {"membership": user.primary_membership, "today": timezone.localdate()}
    if user.sees_records:
        # Each count comes from the selector of the list it summarises (tremplin.people.selectors).
        people = selectors.registry(user)
        follow_ups = selectors.open_follow_ups(user)
        mine = selectors.my_open_follow_ups(user)
        context.update(
            _record_counts(
                user,
                people_count=people,
                open_follow_ups=follow_ups,
                followed_people=selectors.people_of(follow_ups),
                my_follow_ups_count=mine,
                my_people_count=selectors.people_of(mine),
            ),
            my_follow_ups=mine.select_related("person", "organization").order_by("person__last_name", "pk")[
                :MY_FOLLOW_UPS_SHOWN
            ],
            recent_people=people.select_related("commune").order_by("-created_at")[:10],
        )
    # The panels of the registered modules (tremplin.core.modules), in the modules' order: the PLIE's and the
    # clauses' worklists...
    context["module_panels"] = modules.home_panels_for(user, context["today"])
    # Every person the page names, the panels' worklists included, is logged as read.
    log_shown(request, context, *[panel for _, panel in context["module_panels"]])
    return render(request, template, context)
