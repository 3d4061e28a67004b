"""Loading and deleting the demo data set (`manage.py demo`): Creativ' and its partners in Dijon, the people of
the registry, then what each registered module builds (tremplin.core.modules: the PLIE journeys, the clauses
d'insertion...), in the modules' order.

This app is the only one that may import every module; it imports their demo builders by their dotted path
(`Module.demo`), each exposing `build(ctx) -> list[str]` and `delete(ctx)`, and optionally `plan(ctx)` (drafts
people before the registry is drawn) and `is_loaded(ctx) -> bool` (whether a loaded demo has the module's data).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from time import monotonic

from django.db import connection, transaction
from django.db.models import ProtectedError, Q
from django.test.utils import override_settings
from django.utils import timezone

from tremplin.accounts.models import Membership, User
from tremplin.core.modules import modules
from tremplin.demo.context import DemoContext, DemoError
from tremplin.demo.data import ADMIN_EMAIL, ALL_USERS, DEMO_PASSWORD, EMAIL_DOMAIN, LEAD_NAME
from tremplin.demo.generator import Generator
from tremplin.demo.structures import demo_organizations
from tremplin.demo.summary import summary
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.reports.cache import figures_changed
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Contact, Organization


@dataclass
class DemoUser:
    email: str
    name: str
    role: str
    structure: str


@dataclass
class DemoReport:
    created: bool
    users: list[DemoUser]
    summary: list[str] = field(default_factory=list)
    seconds: float = 0.0
    password: str = DEMO_PASSWORD


def demo_builders() -> list:
    """The registered modules' demo builders, in the modules' order."""
    return [import_module(path) for path in modules.demo_builders()]


def _demo_present() -> bool:
    """Whether the demo is loaded (its lead structure exists); refuses a database with a real Creativ'."""
    lead = Organization.objects.filter(name=LEAD_NAME, kind=OrganizationKind.LEAD).first()
    if lead is None:
        return False
    if not (lead.email.endswith(EMAIL_DOMAIN) or User.objects.filter(email=ADMIN_EMAIL).exists()):
        raise DemoError(
            f"La structure « {LEAD_NAME} » existe déjà et ne vient pas du jeu de démonstration : "
            "la commande demo ne s'utilise que sur une base de démonstration."
        )
    return True


def load_demo(*, reset: bool = False, today: date | None = None) -> DemoReport:
    """Load the demo unless it is there already; with reset, delete it first and reload it.

    A demo loaded by an earlier version, without the data of one of the modules, is reloaded."""
    started = monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        if _demo_present() and not reset and _demo_complete(today):
            return DemoReport(created=False, users=demo_users())
        # Also clears what a partly deleted demo left behind (users, structures).
        delete_demo(today=today)
        lines = build_demo(today)
        _analyze()
        figures_changed()  # rows bulk inserted, without signals: the figures are recomputed after the commit
    return DemoReport(created=True, users=demo_users(), summary=lines, seconds=monotonic() - started)


def build_demo(today: date) -> list[str]:
    """Build the shared structures, users and people, then each module's data; return the summary lines."""
    generator = Generator(today)
    generator.create_users()
    generator.create_organizations()
    generator.create_memberships()
    ctx = DemoContext.for_generator(generator)
    builders = demo_builders()
    # The people a module plans (the PLIE's participants register when they are oriented) are drawn first.
    for builder in builders:
        if hasattr(builder, "plan"):
            builder.plan(ctx)
    generator.create_registry()
    lines = []
    for builder in builders:
        # Statistics of the rows bulk inserted so far: a module's queries (the clauses' recount locks its
        # operations through a four-table join) must not be planned from the stale statistics that earlier
        # small data sets left (a test suite), which turn a second into minutes.
        _analyze()
        lines += builder.build(ctx)
    return summary() + lines


def _analyze() -> None:
    """Refresh PostgreSQL's statistics after the bulk load, so that the planner sizes the new tables from
    their rows (autovacuum would do it later, and never inside the transaction of a test)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _existing(today: date) -> DemoContext:
    """The context of the demo in the database: its users, structures and the people they follow or created."""
    user_ids = list(User.objects.filter(email__iendswith="@" + EMAIL_DOMAIN).values_list("pk", flat=True))
    org_ids = list(Organization.objects.filter(demo_organizations()).values_list("pk", flat=True))
    person_ids = list(
        Person.objects.filter(Q(created_by__in=user_ids) | Q(follow_ups__organization__in=org_ids))
        .values_list("pk", flat=True)
        .distinct()
    )
    return DemoContext(today=today, user_ids=user_ids, organization_ids=org_ids, person_ids=person_ids)


def _demo_complete(today: date) -> bool:
    """Whether the loaded demo has what this version builds (each module that can tell says so)."""
    ctx = _existing(today)
    return all(builder.is_loaded(ctx) for builder in demo_builders() if hasattr(builder, "is_loaded"))


def delete_demo(*, today: date | None = None) -> None:
    """Delete the demo's structures, users and the people they follow or created, with their history: each
    module's data first (in reverse order), then the shared rows."""
    ctx = _existing(today or timezone.localdate())
    user_ids, org_ids, person_ids = ctx.user_ids, ctx.organization_ids, ctx.person_ids
    # The demo's history goes with it: no "deleted" rows are written, the existing ones are removed.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        try:
            for builder in reversed(demo_builders()):
                builder.delete(ctx)
            Person.objects.filter(pk__in=person_ids).delete()
            Membership.objects.filter(Q(user__in=user_ids) | Q(organization__in=org_ids)).delete()
            Organization.objects.filter(pk__in=org_ids).delete()
            User.objects.filter(pk__in=user_ids).delete()
        except ProtectedError as e:
            blocking = sorted({obj._meta.verbose_name for obj in e.protected_objects})
            raise DemoError(
                "Impossible de supprimer les données de démonstration : d'autres données y font référence "
                f"({', '.join(blocking)})."
            ) from e
    Person.history.model.objects.filter(id__in=person_ids).delete()
    SituationFact.history.model.objects.filter(person_id__in=person_ids).delete()
    FollowUp.history.model.objects.filter(person_id__in=person_ids).delete()
    Membership.history.model.objects.filter(Q(user_id__in=user_ids) | Q(organization_id__in=org_ids)).delete()
    Contact.history.model.objects.filter(organization_id__in=org_ids).delete()
    Organization.history.model.objects.filter(id__in=org_ids).delete()


def demo_users() -> list[DemoUser]:
    """The demo users, in the order of the data set, with their active roles."""
    order = {f"{spec.local}@{EMAIL_DOMAIN}": index for index, spec in enumerate(ALL_USERS)}
    users = User.objects.filter(email__iendswith="@" + EMAIL_DOMAIN)
    memberships = defaultdict(list)
    for membership in Membership.objects.active().filter(user__in=users).select_related("organization"):
        memberships[membership.user_id].append(membership)
    rows = []
    for user in sorted(users, key=lambda u: (order.get(u.email, len(order)), u.email)):
        roles = [m.get_role_display() for m in memberships[user.pk]]
        if user.is_superuser:
            roles.insert(0, "Superutilisateur·rice")
        structures = sorted({m.organization.name for m in memberships[user.pk]})
        rows.append(
            DemoUser(
                email=user.email,
                name=user.get_full_name(),
                role=" + ".join(roles) or "aucun rôle",
                structure=", ".join(structures) or "—",
            )
        )
    return rows
