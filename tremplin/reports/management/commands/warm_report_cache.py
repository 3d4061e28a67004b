"""Fill the figure cache at night (deploy/crontab, deploy/systemd/tremplin-warm-report-cache.timer): the figures
and charts of the "Indicateurs" page, the report and a figure's page, for the periods people open and for every
scope in use, so that the first pages of the morning read them instead of computing them.

A scope is what decides a user's figures (tremplin/reports/cache.py: their roles and structures): one user per
scope is enough, the others read the same entries. The entries are kept until the next night (`--keep-hours`),
or until the first write behind figures, which changes the cache's generation."""

from time import monotonic

from django.core.cache import cache as django_cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.routers import using_replica
from tremplin.accounts.models import User
from tremplin.reports import cache
from tremplin.reports.registry import Period, shared_computations
from tremplin.reports.report import build_report


def usual_periods(today) -> list[Period]:
    """The last full year (what the pages open by default), the current year, the current and the last month;
    the report reads each one's previous period too, and its charts the years before."""
    last_month = Period.month(today.year - 1, 12) if today.month == 1 else Period.month(today.year, today.month - 1)
    return [
        Period.year(today.year - 1),
        Period.year(today.year),
        Period.month(today.year, today.month),
        last_month,
    ]


def scopes_in_use() -> list[tuple[User, int]]:
    """One active user per scope among those who read figures, with how many users share it, the most shared
    first."""
    by_scope: dict[str, list[User]] = {}
    for user in User.objects.filter(is_active=True).order_by("pk"):
        if user.sees_aggregates:
            by_scope.setdefault(cache.scope(user), []).append(user)
    return sorted(((users[0], len(users)) for users in by_scope.values()), key=lambda item: -item[1])


class Command(BaseCommand):
    help = (
        "Prépare le cache des chiffres (pages Indicateurs et rapport d'activité, graphiques compris) pour les "
        "périodes usuelles (année écoulée, année en cours, mois en cours, mois écoulé) et pour chaque périmètre "
        "d'utilisateurs (rôles et structures). À lancer chaque nuit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-hours",
            type=int,
            default=26,
            help="Durée de conservation des chiffres préparés, en heures (26 : jusqu'à la nuit suivante).",
        )
        parser.add_argument(
            "--max-scopes", type=int, help="Ne préparer que les N périmètres partagés par le plus d'utilisateurs."
        )

    def handle(self, *args, keep_hours=26, max_scopes=None, **options):
        if not cache.enabled():
            raise CommandError("Le cache des chiffres est désactivé (TREMPLIN_FIGURE_CACHE) : rien à préparer.")
        if isinstance(django_cache, LocMemCache):
            self.stderr.write(
                "Attention : le cache est propre à chaque processus (LocMemCache) ; les pages ne liront pas ce qui "
                "est préparé ici. En production, le cache partagé est en base (config/settings/production.py)."
            )
        started, today = monotonic(), timezone.localdate()
        periods = usual_periods(today)
        scopes = scopes_in_use()[:max_scopes] if max_scopes else scopes_in_use()
        charts = 0
        with cache.kept_for(keep_hours * 3600), using_replica():
            for user, _ in scopes:
                for period in periods:
                    # One block per report: the cache's generation is read again for each.
                    with shared_computations():
                        report = build_report(period=period, user=user, today=today, with_charts=True, cached=True)
                    for section in report.sections:
                        for chart in section.charts:
                            chart.svg  # noqa: B018  (drawn and stored in the cache)
                            charts += 1
        users = sum(count for _, count in scopes)
        self.stdout.write(
            f"Cache des chiffres préparé : {len(scopes)} périmètre(s) ({users} utilisateur·rice·s), "
            f"{len(periods)} périodes ({', '.join(p.label for p in periods)}), {charts} graphique(s), "
            f"en {monotonic() - started:.0f} s ; conservé {keep_hours} h ou jusqu'à la prochaine écriture."
        )
