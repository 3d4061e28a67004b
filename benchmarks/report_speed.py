"""The activity report at scale, side by side with hand-written SQL on the same database.

    # National scale: 100,000 PLIE participants and the clauses data of clauses_scale.py (10 M monthly records).
    DATABASE_URL=postgres://user@host:5432/tremplin .venv/bin/python benchmarks/report_speed.py \\
        --participants 100000 --hour-rows 10000000 --keep
    # ... again on the kept database, without building it (what is missing is built: PLIE participants in a
    # database kept by clauses_scale.py --keep, for instance):
    DATABASE_URL=... .venv/bin/python benchmarks/report_speed.py --participants 100000 --hour-rows 10000000 --reuse
    # Dijon scale: the demonstration (manage.py demo) in the benchmark database.
    DATABASE_URL=... .venv/bin/python benchmarks/report_speed.py --demo
    .venv/bin/python benchmarks/report_speed.py --participants 2000 --hour-rows 100000     # SQLite, temporary file

Same database handling as benchmarks/plie_scale.py (its BenchDatabase): a dedicated database, built, measured,
dropped (unless --keep). The PLIE participants are built by plie_scale.py's Builder, the clauses data by
clauses_scale.py's. Figures are printed, never asserted, best of --repeat runs:
- the 8 main PLIE figures through the registry (`evaluate_all`, with their breakdowns) beside one hand-written
  SQL query computing the 8 values (without breakdowns: the ratio counts that extra work against the registry);
  target ≤ 1.5x;
- every `clauses.*` figure through the registry beside one hand-written SQL pre-aggregation computing every
  value and breakdown the figures print (the year's records summed by placement, joined, then grouped by each
  dimension in the database); target ≤ 1.5x;
- the whole report as `activity_report --format json` computes it (every registered figure, the previous
  period's, the partial-data flags); target < 10 s at national scale, < 2 s at Dijon scale (--demo); then the
  report with its charts (--charts: the page, the PDF; each "years" chart evaluates its figure over ten years).
The registry and the hand-written SQL are measured in turn (one run of each, then again), so that the load of a
shared machine weighs on both alike; the ratio of their best runs is printed.
The values of each side are compared, figure by figure.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from plie_scale import BenchDatabase, Builder, best_of  # noqa: E402


def side_by_side(repeat, first, second):
    """Both measures taken in turn (first, second, first, second…) so that the load of a shared machine weighs
    on both alike: (best, median, result) of each."""
    import statistics

    times, results = ([], []), [None, None]
    for _ in range(repeat):
        for i, func in enumerate((first, second)):
            started = time.perf_counter()
            results[i] = func()
            times[i].append(time.perf_counter() - started)
    return tuple((min(t), statistics.median(t), r) for t, r in zip(times, results, strict=True))


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
RATIO_TARGET = 1.5
NATIONAL_TARGET = 10.0
DIJON_TARGET = 2.0

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

# The clauses figures by hand: the year's counted hours summed by placement (the stored column, as the counting
# module keeps it), plus the CDI hires valued by their convention, each described by its operation, mode,
# contract, employer (and its report kind) and person (and sex); then every total and count grouped in the
# database. {placeholders} are filled from the enums (values, not parameters).
CLAUSES_SQL = """
WITH per_placement AS (
  SELECT h.placement_id, SUM(h.counted_hours) AS hours FROM clauses_hoursrecord h
  WHERE h.month >= %(first_month)s AND h.month <= %(end)s GROUP BY h.placement_id
),
hours AS (
  SELECT pp.placement_id, pp.hours FROM per_placement pp
  UNION ALL
  SELECT p.id, c.cdi_equivalence_hours FROM clauses_placement p
  JOIN clauses_lot l ON l.id = p.lot_id
  JOIN clauses_market m ON m.id = l.market_id
  JOIN clauses_countingconvention c ON c.operation_id = m.operation_id
  WHERE p.started_on BETWEEN %(start)s AND %(end)s AND p.contract = 'cdi'
    AND c.cdi_equivalence_hours IS NOT NULL AND l.legal_basis NOT IN ({no_hours})
    AND ((p.mode = 'direct_hire' AND c.count_direct_hire) OR (p.mode IN ({provision}) AND c.count_staff_provision)
      OR (p.mode IN ({subcontracting}) AND c.count_subcontracting))
),
rows AS MATERIALIZED (
  SELECT o.id AS operation, o.sector, o.buyer_id, p.mode, p.contract, p.employer_id, p.person_id, pe.sex,
    CASE WHEN e.kind = 'siae' AND e.siae_type IN ('EI', 'AI', 'ACI') THEN 'EI/AI/ACI'
         WHEN e.kind = 'siae' AND e.siae_type = 'ETTI' THEN 'ETTI'
         WHEN e.kind = 'siae' AND e.siae_type = 'GEIQ' THEN 'GEIQ'
         WHEN e.kind <> 'siae' AND e.activity = 'building' THEN 'Bâtiment'
         WHEN e.kind <> 'siae' AND e.activity = 'public_works' THEN 'Travaux publics'
         WHEN e.kind <> 'siae' AND e.activity = 'services' THEN 'Services'
         WHEN e.kind <> 'siae' AND e.activity = 'esat' THEN 'ESAT'
         WHEN e.kind <> 'siae' AND e.activity = 'adapted' THEN 'Entreprise adaptée (EA)'
         ELSE 'Autre ou non renseigné' END AS employer_kind,
    hours.hours
  FROM hours
  JOIN clauses_placement p ON p.id = hours.placement_id
  JOIN clauses_lot l ON l.id = p.lot_id
  JOIN clauses_market m ON m.id = l.market_id
  JOIN clauses_operation o ON o.id = m.operation_id
  JOIN structures_organization e ON e.id = p.employer_id
  JOIN people_person pe ON pe.id = p.person_id
)
SELECT 'sector', sector, SUM(hours) FROM rows GROUP BY sector
UNION ALL SELECT 'mode', mode, SUM(hours) FROM rows GROUP BY mode
UNION ALL SELECT 'contract', contract, SUM(hours) FROM rows GROUP BY contract
UNION ALL SELECT 'operations', sector, COUNT(DISTINCT operation) FROM rows WHERE hours > 0 GROUP BY sector
UNION ALL SELECT 'buyers', NULL, COUNT(DISTINCT buyer_id) FROM rows WHERE hours > 0
UNION ALL SELECT 'companies', employer_kind, COUNT(DISTINCT employer_id) FROM rows WHERE hours > 0
  GROUP BY employer_kind
UNION ALL SELECT 'employees', sex, COUNT(DISTINCT person_id) FROM rows WHERE hours > 0 GROUP BY sex
UNION ALL SELECT 'qpv', NULL, COUNT(DISTINCT person_id) FROM rows WHERE hours > 0 AND person_id IN (
  SELECT f.person_id FROM people_situationfact f WHERE f.kind = 'qpv_residence' AND f.value <> 'refused'
    AND f.started_on <= %(end)s AND (f.ended_on IS NULL OR f.ended_on >= %(start)s))
UNION ALL SELECT * FROM (
  SELECT 'top', CAST(operation AS VARCHAR(20)), SUM(hours) FROM rows GROUP BY operation HAVING SUM(hours) > 0
  ORDER BY SUM(hours) DESC, operation LIMIT {top}) top
UNION ALL SELECT 'hires', p.contract, COUNT(*) FROM clauses_placement p
  WHERE p.started_on BETWEEN %(start)s AND %(end)s AND p.contract IN ({hire_contracts}) GROUP BY p.contract
UNION ALL SELECT 'planned', o.sector, SUM(l.planned_hours) FROM clauses_lot l
  JOIN clauses_market m ON m.id = l.market_id JOIN clauses_operation o ON o.id = m.operation_id
  WHERE l.legal_basis NOT IN ({no_hours}) AND l.started_on <= %(end)s AND l.ended_on >= %(start)s GROUP BY o.sector
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=100_000, help="PLIE participants to build")
    parser.add_argument("--hour-rows", type=int, default=0, help="clauses monthly hours records to build (0: none)")
    parser.add_argument("--operations", type=int, default=20_000, help="clauses operations (with --hour-rows)")
    parser.add_argument("--demo", action="store_true", help="measure on the demonstration (Dijon scale) instead")
    parser.add_argument("--year", type=int, default=None, help="year of the report (default: last full year)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-name", default="tremplin_report_bench")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: measure on the database kept by an earlier --keep run (of this benchmark or of "
        "clauses_scale.py), building only what it lacks (implies --keep)",
    )
    parser.add_argument(
        "--charts", action="store_true", help="measure the report with its charts too (the page, the PDF)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    return parser.parse_args()


def ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 0.00051


# --- PLIE ----------------------------------------------------------------------------------------


def plie_by_hand(period):
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


def measure_plie(args, period):
    from tremplin.reports.registry import registry

    indicators = [registry.get(i) for i in MAIN_PLIE]
    (registry_best, registry_median, results), (sql_best, sql_median, values) = side_by_side(
        args.repeat,
        lambda: registry.evaluate_all(period=period, user=None, indicators=indicators),
        lambda: plie_by_hand(period),
    )
    ratio = registry_best / sql_best
    print(f"\n8 indicateurs plie.* principaux, {period.label}, meilleur de {args.repeat} (mesurés en alternance) :")
    print(
        f"  registre (evaluate_all, avec les ventilations) : {ms(registry_best)} "
        f"(médiane {registry_median * 1000:.1f})"
    )
    print(f"  une requête SQL écrite à la main (sans ventilation) : {ms(sql_best)} (médiane {sql_median * 1000:.1f})")
    print(f"  rapport registre / SQL : {ratio:.2f}x (cible ≤ {RATIO_TARGET}x)")
    for result in results:
        flag = "=" if same(result.figure.value, values[result.indicator.id]) else "≠ DIFFÈRE"
        print(f"    {result.indicator.id:<28} {result.figure.value!s:>10} {flag} {values[result.indicator.id]}")
    return registry_best, sql_best


# --- Clauses -------------------------------------------------------------------------------------


def clauses_sql():
    from tremplin.clauses.counting import PROVISION_MODES
    from tremplin.clauses.enums import NO_HOURS_BASES, SUBCONTRACTING_MODES
    from tremplin.clauses.indicators import HIRE_CONTRACTS, TOP_OPERATIONS

    def values(items):
        return ", ".join(f"'{item}'" for item in sorted(items))

    return CLAUSES_SQL.format(
        no_hours=values(NO_HOURS_BASES),
        provision=values(PROVISION_MODES),
        subcontracting=values(SUBCONTRACTING_MODES),
        hire_contracts=values(HIRE_CONTRACTS),
        top=TOP_OPERATIONS,
    )


def clauses_by_hand(period, sql):
    """The values of the clauses figures from the hand-written query: {indicator id: value}."""
    from collections import defaultdict
    from decimal import Decimal

    from django.db import connection

    params = {"first_month": period.start.replace(day=1), "start": period.start, "end": period.end}
    groups = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, key, value in cursor.fetchall():
            groups[kind][key] = value
    total = sum((Decimal(str(v)) for v in groups["sector"].values()), Decimal(0))
    employees = sum(groups["employees"].values())

    def share(n, d):
        return round(float(n) / float(d), 4) if d else None

    return {
        "clauses.hours_realised": total,
        "clauses.hours_btp_share": share(groups["sector"].get("btp", 0), total),
        "clauses.hours_by_mode": sum((Decimal(str(v)) for v in groups["mode"].values()), Decimal(0)),
        "clauses.hours_by_contract": sum((Decimal(str(v)) for v in groups["contract"].values()), Decimal(0)),
        "clauses.top_operations": sum((Decimal(str(v)) for v in groups["top"].values()), Decimal(0)),
        "clauses.hours_planned": sum((Decimal(str(v)) for v in groups["planned"].values()), Decimal(0)),
        "clauses.operations": sum(groups["operations"].values()),
        "clauses.buyers": groups["buyers"].get(None, 0),
        "clauses.companies": sum(groups["companies"].values()),
        "clauses.employees": employees,
        "clauses.women_share": share(groups["employees"].get("F", 0), employees),
        "clauses.qpv_share": share(groups["qpv"].get(None, 0), employees),
        "clauses.hires": sum(groups["hires"].values()),
    }


def measure_clauses(args, period):
    from tremplin.reports.registry import registry

    indicators = [i for i in registry if i.id.startswith("clauses.")]
    sql = clauses_sql()
    (registry_best, registry_median, results), (sql_best, sql_median, values) = side_by_side(
        args.repeat,
        lambda: registry.evaluate_all(period=period, user=None, indicators=indicators),
        lambda: clauses_by_hand(period, sql),
    )
    ratio = registry_best / sql_best
    print(
        f"\n{len(indicators)} indicateurs clauses.*, {period.label}, meilleur de {args.repeat} "
        "(mesurés en alternance) :"
    )
    print(
        f"  registre (evaluate_all, avec les ventilations) : {ms(registry_best)} "
        f"(médiane {registry_median * 1000:.1f})"
    )
    print(
        f"  une requête SQL écrite à la main (pré-agrégation, avec les ventilations) : {ms(sql_best)} "
        f"(médiane {sql_median * 1000:.1f})"
    )
    print(f"  rapport registre / SQL : {ratio:.2f}x (cible ≤ {RATIO_TARGET}x)")
    for result in results:
        expected = values.get(result.indicator.id)
        flag = "=" if same(result.figure.value, expected) else "≠ DIFFÈRE"
        print(f"    {result.indicator.id:<28} {result.figure.value!s:>14} {flag} {expected}")
    return registry_best, sql_best


# --- The whole report ----------------------------------------------------------------------------


def measure_report(args, period, target):
    from django.core.management import call_command
    from django.utils import timezone

    from tremplin.reports.registry import registry
    from tremplin.reports.report import build_report

    def command_line():
        out = io.StringIO()
        call_command("activity_report", year=period.start.year, format="json", stdout=out)
        return out.getvalue()

    repeat = max(1, min(args.repeat, 3))
    best, median, output = best_of(repeat, command_line)
    print(
        f"\nRapport complet, activity_report --year {period.start.year} --format json ({len(registry)} indicateurs, "
        f"année précédente, données partielles ; {len(output) / 1024:.0f} Ko de JSON), meilleur de {repeat} : "
        f"{best:.2f} s (médiane {median:.2f} s), cible < {target:.0f} s : {'OK' if best < target else 'AU-DESSUS'}"
    )
    if not args.charts:
        return best
    today = timezone.localdate()
    best_charts, median_charts, report = best_of(
        repeat, lambda: build_report(period=period, user=None, today=today, with_charts=True)
    )
    charts = sum(len(section.charts) for section in report.sections)
    print(
        f"  le même avec ses {charts} graphiques (page, PDF ; les courbes « années » évaluent leur indicateur sur "
        f"dix ans, les SVG sont ensuite en cache) : {best_charts:.2f} s (médiane {median_charts:.2f} s)"
    )
    return best


# --- Data ----------------------------------------------------------------------------------------


def attach(database) -> str:
    from clauses_scale import attach as attach_kept

    return attach_kept(database)


def build(args, today):
    from django.core.management import call_command
    from django.db import connection

    from tremplin.clauses.models import HoursRecord
    from tremplin.plie.models import Pathway

    if args.demo:
        if Pathway.objects.exists():
            print("Démonstration déjà chargée.")
            return
        started = time.perf_counter()
        call_command("demo", stdout=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"Démonstration (manage.py demo) : {time.perf_counter() - started:.1f} s")
        return
    if args.participants and not Pathway.objects.exists():
        started = time.perf_counter()
        # Another seed than clauses_scale.py's: the two builders may fill one database.
        Builder(args.participants, args.seed + 1, today).build()
        print(f"Construction de {args.participants:,} participant·es du PLIE : {time.perf_counter() - started:.1f} s")
    if args.hour_rows and not HoursRecord.objects.exists():
        from clauses_scale import Builder as ClausesBuilder

        options = SimpleNamespace(
            seed=args.seed,
            operations=args.operations,
            placements=None,
            hour_rows=args.hour_rows,
            import_rows=0,
            refresh_once=False,
        )
        builder = ClausesBuilder(options, today)
        print(
            f"Construction des clauses : {args.operations:,} opérations, {builder.placements:,} mises en emploi, "
            f"~{args.hour_rows:,} relevés mensuels :"
        )
        started = time.perf_counter()
        builder.build()
        print(f"  total : {time.perf_counter() - started:.1f} s")


def describe(period):
    from django.db import connection
    from django.db.models import Count, Sum

    from tremplin.clauses.models import HoursRecord

    with connection.cursor() as cursor:
        for table in ("people_person", "people_situationfact", "plie_pathway", "plie_contract", "clauses_hoursrecord"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            print(f"  {table:<22} {cursor.fetchone()[0]:>12,}")
    year = HoursRecord.objects.filter(month__range=(period.start, period.end)).aggregate(
        rows=Count("pk"), hours=Sum("counted_hours")
    )
    total = HoursRecord.objects.aggregate(hours=Sum("counted_hours"))["hours"]
    print(
        f"  heures comptées : {float(total or 0):,.0f} en tout, {float(year['hours'] or 0):,.0f} dans l'année "
        f"{period.start.year} ({year['rows'] or 0:,} relevés)"
    )


def main():
    args = parse_args()
    database = BenchDatabase(args.database_name, args.keep or args.reuse)
    where = attach(database) if args.reuse else database.create()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from tremplin.reports.registry import Period

    try:
        print(f"Base du banc : {where}")
        load = os.getloadavg()
        print(
            f"Charge de la machine au départ : {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} ({os.cpu_count()} cœurs)"
        )
        if not args.reuse:
            call_command("migrate", verbosity=0)
        today = timezone.localdate()
        build(args, today)
        period = Period.year(args.year or today.year - 1)
        describe(period)
        measure_plie(args, period)
        measure_clauses(args, period)
        measure_report(args, period, DIJON_TARGET if args.demo else NATIONAL_TARGET)
        load = os.getloadavg()
        print(f"\nCharge de la machine à la fin : {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    finally:
        database.drop()


if __name__ == "__main__":
    main()
