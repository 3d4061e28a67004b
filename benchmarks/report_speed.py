"""The activity report at scale: the 8 main PLIE figures through the registry beside one hand-written SQL
query computing the same 8 values, and the whole report (every figure, the previous year, the charts).

    DATABASE_URL=postgres://user@host:5432/tremplin .venv/bin/python benchmarks/report_speed.py --participants 100000
    .venv/bin/python benchmarks/report_speed.py --participants 2000          # SQLite, in a temporary file

Same database handling and data as benchmarks/plie_scale.py (its BenchDatabase and Builder): a dedicated
database, built, measured, dropped (unless --keep). Figures are printed, never asserted. The hand-written query
computes the 8 values only; the registry also computes their breakdowns (sex, commune, structure, contract
category, exit kind, criterion): the ratio counts that extra work against the registry.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from plie_scale import BenchDatabase, Builder, best_of  # noqa: E402

MAIN_PLIE = [
    "plie.people_accompanied",
    "plie.new_entrants",
    "plie.contracts_signed",
    "plie.exits",
    "plie.positive_exits",
    "plie.women_share",
    "plie.rsa_share",
    "plie.qpv_share",
]
REPORT_TARGET = 10.0

ACTIVE = "p.entry_date IS NOT NULL AND p.entry_date <= %s AND (p.exit_date IS NULL OR p.exit_date >= %s)"
COMBINED_SQL = f"""
WITH acc AS (SELECT DISTINCT p.person_id FROM plie_pathway p WHERE {ACTIVE}),
facts AS (
  SELECT DISTINCT f.person_id, f.kind FROM people_situationfact f
  WHERE f.kind IN ('rsa', 'qpv_residence') AND (f.value IS NULL OR f.value <> 'refused')
    AND f.started_on <= %s AND (f.ended_on IS NULL OR f.ended_on >= %s)
)
SELECT
  (SELECT COUNT(*) FROM acc),
  (SELECT COUNT(DISTINCT p.person_id) FROM plie_pathway p WHERE p.entry_date BETWEEN %s AND %s),
  (SELECT COUNT(*) FROM plie_contract c JOIN plie_pathway p ON p.id = c.pathway_id
     WHERE {ACTIVE} AND c.started_on BETWEEN %s AND %s),
  (SELECT COUNT(*) FROM plie_pathway p WHERE p.status = 'exited' AND p.exit_date BETWEEN %s AND %s),
  (SELECT COUNT(*) FROM plie_pathway p WHERE p.status = 'exited' AND p.exit_date BETWEEN %s AND %s
     AND p.exit_kind IN ({{positive}})),
  (SELECT COUNT(*) FROM acc JOIN people_person pp ON pp.id = acc.person_id WHERE pp.sex = 'F'),
  (SELECT COUNT(*) FROM facts JOIN acc ON acc.person_id = facts.person_id WHERE facts.kind = 'rsa'),
  (SELECT COUNT(*) FROM facts JOIN acc ON acc.person_id = facts.person_id WHERE facts.kind = 'qpv_residence')
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--year", type=int, default=None, help="year of the report (default: last full year)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-name", default="tremplin_report_bench")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--seed", type=int, default=2024)
    return parser.parse_args()


def hand_written(period):
    from django.db import connection

    from tremplin.plie.enums import POSITIVE_EXIT_KINDS

    s, e = period.start, period.end
    sql = COMBINED_SQL.replace("{positive}", ", ".join(f"'{kind}'" for kind in sorted(POSITIVE_EXIT_KINDS)))
    params = [e, s, e, s, s, e, e, s, s, e, s, e, s, e]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        accompanied, entrants, contracts, exits, positive, women, rsa, qpv = cursor.fetchone()

    def ratio(n):
        return round(n / accompanied, 4) if accompanied else None

    return {
        "plie.people_accompanied": accompanied,
        "plie.new_entrants": entrants,
        "plie.contracts_signed": contracts,
        "plie.exits": exits,
        "plie.positive_exits": positive,
        "plie.women_share": ratio(women),
        "plie.rsa_share": ratio(rsa),
        "plie.qpv_share": ratio(qpv),
    }


def measure(args, year):
    from django.utils import timezone

    from tremplin.reports.registry import Period, registry
    from tremplin.reports.report import build_report

    period = Period.year(year)
    indicators = [registry.get(i) for i in MAIN_PLIE]
    best_registry, median_registry, results = best_of(
        args.repeat, lambda: registry.evaluate_all(period=period, user=None, indicators=indicators)
    )
    best_sql, median_sql, values = best_of(args.repeat, lambda: hand_written(period))
    print(f"\n8 indicateurs plie.* principaux, année {year}, meilleur de {args.repeat} :")
    print(
        f"  registre (avec les ventilations) : {best_registry * 1000:8.1f} ms (médiane {median_registry * 1000:.1f})"
    )
    print(f"  une requête SQL écrite à la main : {best_sql * 1000:8.1f} ms (médiane {median_sql * 1000:.1f})")
    print(f"  rapport registre / SQL : {best_registry / best_sql:.2f}x (cible ≤ 1,5x)")
    for result in results:
        same = "=" if float(result.figure.value or 0) == float(values[result.indicator.id] or 0) else "≠ DIFFÈRE"
        print(f"    {result.indicator.id:<28} {result.figure.value!s:>10} {same} {values[result.indicator.id]}")

    today = timezone.localdate()
    best, median, report = best_of(
        max(1, args.repeat // 2),
        lambda: build_report(period=period, user=None, today=today, with_charts=True),
    )
    print(
        f"\nRapport complet ({len(report.comparisons)} indicateurs, année précédente, graphiques) : "
        f"{best:.2f} s (médiane {median:.2f} s), cible < {REPORT_TARGET:.0f} s"
    )


def main():
    args = parse_args()
    database = BenchDatabase(args.database_name, args.keep)
    where = database.create()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    try:
        print(f"Base du banc : {where}")
        call_command("migrate", verbosity=0)
        today = timezone.localdate()
        started = time.perf_counter()
        Builder(args.participants, args.seed, today).build()
        print(f"Construction de {args.participants:,} participant·es : {time.perf_counter() - started:.1f} s")
        measure(args, args.year or today.year - 1)
    finally:
        database.drop()


if __name__ == "__main__":
    main()
