"""PLIE at scale: build N participants in a dedicated database, then time the PLIE figures and the
référent's list.

    DATABASE_URL=postgres://user@host:5432/tremplin .venv/bin/python benchmarks/plie_scale.py --participants 100000
    .venv/bin/python benchmarks/plie_scale.py --participants 5000          # SQLite, in a temporary file

The database named by DATABASE_URL is only used to reach the server: the benchmark creates its own
database (`tremplin_bench` by default) next to it, migrates it, fills it with bulk inserts (no
history rows), times, and drops it (unless --keep). Figures are printed, never asserted:
- every `plie.*` indicator of the registry for one year (the command line's view, user None, and a
  référent's, whose scope goes through `people.visible_to`), best of --repeat runs; target < 1 s;
- `plie.selectors.participants_for_referent(user=<a référent>)`, first page of 50 rendered to a list
  (with the page's count, as the Paginator does), best of --repeat runs; target < 150 ms.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Indexes the models do not have, measured with --candidate-indexes (PostgreSQL: covering, for
# index-only scans; SQLite: the same keys).
CANDIDATE_INDEXES = {
    "postgresql": [
        "CREATE INDEX bench_fact_kind_person ON people_situationfact (kind, person_id) "
        "INCLUDE (started_on, ended_on, value)",
        "CREATE INDEX bench_pathway_dates_person ON plie_pathway (entry_date, exit_date) INCLUDE (person_id)",
    ],
    "sqlite": [
        "CREATE INDEX bench_fact_kind_person ON people_situationfact (kind, person_id, started_on, ended_on, value)",
        "CREATE INDEX bench_pathway_dates_person ON plie_pathway (entry_date, exit_date, person_id)",
    ],
}
INDICATOR_TARGET = 1.0
LIST_TARGET = 0.150
CHUNK = 5000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=100_000, help="PLIE participants to build")
    parser.add_argument("--year", type=int, default=None, help="year of the figures (default: last full year)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measure (the best is kept)")
    parser.add_argument("--database-name", default="tremplin_bench", help="name of the benchmark database")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database at the end")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the référent's list")
    parser.add_argument(
        "--candidate-indexes",
        action="store_true",
        help="measure again after creating the candidate indexes (CANDIDATE_INDEXES) in the benchmark database",
    )
    parser.add_argument("--seed", type=int, default=2024)
    return parser.parse_args()


# --- The dedicated database ----------------------------------------------------------------------


class BenchDatabase:
    """Creates and drops the benchmark database; points DATABASE_URL at it before Django starts."""

    def __init__(self, name: str, keep: bool):
        import dj_database_url

        self.name, self.keep = name, keep
        self.url = os.environ.get("DATABASE_URL", "")
        self.config = dj_database_url.parse(self.url) if self.url else None
        self.tmpdir = None
        self.vendor = "postgresql" if self.config and "postgresql" in self.config["ENGINE"] else "sqlite"
        if self.config and self.vendor != "postgresql" and "sqlite" not in self.config["ENGINE"]:
            raise SystemExit(f"Base non prise en charge : {self.config['ENGINE']}")
        if self.config and self.vendor == "postgresql" and self.config["NAME"] == name:
            raise SystemExit(f"DATABASE_URL désigne déjà « {name} » : indiquez la base de travail, pas celle du banc.")

    def _admin_connection(self):
        """A connection to the server, through the database of DATABASE_URL or else "postgres"."""
        import psycopg

        c = self.config
        options = {
            "user": c["USER"] or None,
            "password": c["PASSWORD"] or None,
            "host": c["HOST"] or None,
            "port": c["PORT"] or None,
            "autocommit": True,
        }
        try:
            return psycopg.connect(dbname=c["NAME"] or "postgres", **options)
        except psycopg.OperationalError:
            return psycopg.connect(dbname="postgres", **options)

    def create(self):
        if self.vendor == "postgresql":
            with self._admin_connection() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                connection.execute(f'CREATE DATABASE "{self.name}"')
            c = self.config
            credentials = c["USER"] + (f":{c['PASSWORD']}" if c["PASSWORD"] else "") + "@" if c["USER"] else ""
            port = f":{c['PORT']}" if c["PORT"] else ""
            os.environ["DATABASE_URL"] = f"postgres://{credentials}{c['HOST']}{port}/{self.name}"
            where = f"PostgreSQL, base « {self.name} » sur {c['HOST'] or 'socket local'}{port}"
        else:
            self.tmpdir = tempfile.mkdtemp(prefix="tremplin-bench-")
            path = Path(self.tmpdir) / f"{self.name}.sqlite3"
            os.environ["DATABASE_URL"] = f"sqlite:///{path}"
            where = f"SQLite, {path}"
        os.environ["TREMPLIN_VAR_DIR"] = os.environ.get("TREMPLIN_VAR_DIR", tempfile.gettempdir())
        return where

    def drop(self):
        from django.db import connections

        connections.close_all()
        if self.keep:
            print(f"\nBase conservée : {os.environ['DATABASE_URL']}")
            return
        if self.vendor == "postgresql":
            with self._admin_connection() as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
        elif self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


# --- Building the data ---------------------------------------------------------------------------

# Pathway length in days -> weight (as in the demo: 1.5 year on average).
PATHWAY_DAYS = [((120, 365), 32), ((366, 730), 43), ((731, 1095), 19), ((1096, 1460), 6)]
CONTRACT_KINDS = [  # (contract type, employer kind, months or None for open-ended, weight)
    ("cdd", "ordinary", 2, 169),
    ("interim", "ordinary", 1, 91),
    ("cdi", "ordinary", None, 89),
    ("cddi", "EI", 6, 73),
    ("cdd", "ordinary", 8, 67),
    ("cddi", "ACI", 6, 39),
    ("ctti", "ETTI", 2, 29),
    ("professionalisation", "GEIQ", 12, 11),
    ("subsidised", "public", 9, 7),
    ("other", "ordinary", 1, 10),
]
OTHER_EXITS = ["abandonment", "moved", "health", "reorientation", "no_solution", "unreachable"]
POSITIVE_EXITS = [
    ("positive_cdi", "cdi"),
    ("positive_cdd", "cdd"),
    ("positive_interim", "interim"),
    ("positive_training", "training"),
]
BARRIERS = ["health"] * 31 + ["housing"] * 14 + ["mobility"] * 14 + ["access_to_rights"] * 10 + ["budget"] * 8


class Builder:
    def __init__(self, participants: int, seed: int, today: date):
        self.n = participants
        self.rng = random.Random(seed)
        self.today = today
        self.first_entry = date(today.year - 5, 1, 1)

    def build(self):
        from django.db import connection

        from tremplin.accounts.enums import Role
        from tremplin.accounts.models import Membership, User
        from tremplin.structures.models import Organization
        from tremplin.territory.models import Commune, Qpv

        self.communes = list(Commune.objects.filter(is_metropole=True).order_by("insee_code"))
        weights = {"21231": 55, "21166": 9, "21617": 6, "21355": 5, "21515": 4}
        self.commune_weights = [weights.get(c.insee_code, 1) for c in self.communes]
        self.qpvs = {}
        for qpv in Qpv.objects.all():
            self.qpvs.setdefault(qpv.commune_id, []).append(qpv)
        structures = max(7, self.n // 2000)
        referents_per_structure = max(2, self.n // 250 // structures)
        organizations = Organization.objects.bulk_create(
            [
                Organization(name=f"Structure de suivi {i + 1}", kind="operator", search_text=f"structure {i}")
                for i in range(structures)
            ]
            + [
                Organization(name=f"Prescripteur {i + 1}", kind="prescriber", search_text=f"prescripteur {i}")
                for i in range(10)
            ]
        )
        self.operators, self.prescribers = organizations[:structures], organizations[structures:]
        users, memberships = [], []
        for index in range(len(self.operators)):
            for k in range(referents_per_structure):
                users.append(
                    User(email=f"referent{index}-{k}@bench.example", first_name="Réf", last_name=f"{index}-{k}")
                )
        users.append(User(email="coordination@bench.example", first_name="Coordination", last_name="PLIE"))
        users = User.objects.bulk_create(users)
        users = list(User.objects.order_by("pk"))
        self.coordinator = users[-1]
        lead = Organization.objects.create(name="Structure d'animation", kind="lead", search_text="animation")
        memberships.append(Membership(user=self.coordinator, organization=lead, role=Role.COORDINATOR))
        self.referents = {}
        for index, organization in enumerate(self.operators):
            team = users[index * referents_per_structure : (index + 1) * referents_per_structure]
            self.referents[organization.pk] = team
            memberships += [Membership(user=u, organization=organization, role=Role.REFERENT) for u in team]
        Membership.objects.bulk_create(memberships)
        started = time.perf_counter()
        done = 0
        while done < self.n:
            size = min(CHUNK, self.n - done)
            self._chunk(done, size)
            done += size
            rate = done / (time.perf_counter() - started)
            if sys.stdout.isatty():
                print(f"\r  {done:>7} participants ({rate:,.0f}/s)", end="", flush=True)
            elif done % (10 * CHUNK) == 0 or done == self.n:
                print(f"  {done:>7} participants ({rate:,.0f}/s)", flush=True)
        if sys.stdout.isatty():
            print()
        # As autovacuum leaves a live database: statistics, and the visibility map for index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        return structures, len(users) - 1

    def _pathway_dates(self):
        rng, today = self.rng, self.today
        entry = self.first_entry + timedelta(days=rng.randint(0, (today - self.first_entry).days))
        (low, high) = rng.choices([d for d, _ in PATHWAY_DAYS], weights=[w for _, w in PATHWAY_DAYS])[0]
        exit_date = entry + timedelta(days=rng.randint(low, high))
        return entry, (exit_date if exit_date <= today else None)

    def _chunk(self, offset, size):
        from tremplin.core.text import fold
        from tremplin.people.models import FollowUp, Person, SituationFact
        from tremplin.plie.models import Contract, Orientation, Pathway, Step

        rng, today = self.rng, self.today
        people, plans = [], []
        for i in range(offset, offset + size):
            entry, exit_date = self._pathway_dates()
            age = rng.randint(18, 62)
            commune = rng.choices(self.communes, weights=self.commune_weights)[0]
            last, first = f"Nom{i}", rng.choice(["Camille", "Léa", "Hugo", "Inès", "Adam", "Sarah", "Yanis"])
            person = Person(
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                first_name=first,
                last_name=last,
                sex=rng.choices("FMX", weights=[56, 43.6, 0.4])[0],
                birth_date=entry - timedelta(days=age * 365 + rng.randint(0, 364)),
                commune=commune,
                registered_on=entry - timedelta(days=rng.randint(10, 40)),
                name_key=f"nom{i}|{fold(first)}",
                search_text=f"nom{i} {fold(first)} {fold(commune.name)}",
            )
            people.append(person)
            plans.append((entry, exit_date))
        people = Person.objects.bulk_create(people, batch_size=1000)
        facts, orientations = [], []
        for person, (entry, _) in zip(people, plans, strict=True):
            facts.append(SituationFact(person=person, kind="work_authorisation", value="national", started_on=entry))
            if rng.random() < 0.5:
                facts.append(SituationFact(person=person, kind="rsa", started_on=entry - timedelta(days=400)))
            if rng.random() < 0.1:
                facts.append(SituationFact(person=person, kind="rqth", started_on=entry - timedelta(days=800)))
            if rng.random() < 0.85:
                facts.append(SituationFact(person=person, kind="job_seeker", started_on=entry - timedelta(days=500)))
            if rng.random() < 0.9:
                level = rng.choice(["1-2", "1-2", "3", "3", "4", "5"])
                facts.append(SituationFact(person=person, kind="education_level", value=level, started_on=entry))
            qpvs = self.qpvs.get(person.commune_id)
            if qpvs and rng.random() < 0.4:
                facts.append(
                    SituationFact(person=person, kind="qpv_residence", qpv=rng.choice(qpvs), started_on=entry)
                )
            orientations.append(
                Orientation(
                    person=person,
                    prescriber=rng.choice(self.prescribers),
                    oriented_on=person.registered_on,
                    reason="Orientation",
                    appointment_outcome="present",
                    status="entered",
                )
            )
        SituationFact.objects.bulk_create(facts, batch_size=2000)
        orientations = Orientation.objects.bulk_create(orientations, batch_size=1000)
        pathways, follow_ups = [], []
        for person, orientation, (entry, exit_date) in zip(people, orientations, plans, strict=True):
            organization = rng.choice(self.operators)
            referent = rng.choice(self.referents[organization.pk])
            pathway = Pathway(
                person=person,
                orientation=orientation,
                status="exited" if exit_date else "active",
                proposed_organization=organization,
                proposed_referent=referent,
                entry_proposed_on=entry - timedelta(days=5),
                entry_date=entry,
            )
            if exit_date:
                pathway.exit_date = exit_date
                if rng.random() < 0.45:
                    pathway.exit_kind, pathway.exit_rule = rng.choice(POSITIVE_EXITS)
                else:
                    pathway.exit_kind = rng.choice(OTHER_EXITS)
            pathways.append(pathway)
            follow_ups.append(
                FollowUp(
                    person=person,
                    organization=organization,
                    programme="plie",
                    referent=referent,
                    prescriber=orientation.prescriber,
                    started_on=entry,
                    ended_on=exit_date,
                )
            )
        pathways = Pathway.objects.bulk_create(pathways, batch_size=1000)
        FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
        steps, contracts = [], []
        for pathway in pathways:
            entry, end = pathway.entry_date, pathway.exit_date or today
            span = max(1, (end - entry).days)
            steps.append(Step(pathway=pathway, kind="diagnostic", title="Diagnostic", started_on=entry))
            if rng.random() < 0.35:
                start = entry + timedelta(days=rng.randint(0, span))
                barrier = rng.choice(BARRIERS)
                steps.append(
                    Step(pathway=pathway, kind="specific_support", barrier=barrier, title="Frein", started_on=start)
                )
            if rng.random() < 0.15:
                start = entry + timedelta(days=rng.randint(0, span))
                steps.append(
                    Step(
                        pathway=pathway,
                        kind="training_qualifying",
                        title="Formation",
                        started_on=start,
                        ended_on=start + timedelta(days=120),
                        certification_obtained=rng.random() < 0.6,
                    )
                )
            for _ in range(rng.choices([0, 1, 2, 3], weights=[35, 35, 20, 10])[0]):
                contract_type, employer_kind, months, _ = rng.choices(
                    CONTRACT_KINDS, weights=[k[3] for k in CONTRACT_KINDS]
                )[0]
                start = entry + timedelta(days=rng.randint(0, span))
                planned = start + timedelta(days=months * 30) if months else None
                contracts.append(
                    Contract(
                        pathway=pathway,
                        contract_type=contract_type,
                        employer_kind=employer_kind,
                        employer_name="Employeur",
                        started_on=start,
                        planned_end_on=planned,
                        ended_on=planned if planned and planned <= today else None,
                        weekly_hours=Decimal(rng.choice([20, 24, 26, 35])),
                    )
                )
        Step.objects.bulk_create(steps, batch_size=2000)
        Contract.objects.bulk_create(contracts, batch_size=2000)


# --- Measures ------------------------------------------------------------------------------------


def best_of(repeat, func):
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), result


def verdict(seconds, target):
    return "OK" if seconds <= target else "AU-DESSUS DE LA CIBLE"


def measure(args, year, referent):
    from django.core.paginator import Paginator
    from django.db import connection

    from tremplin.plie.models import Pathway
    from tremplin.reports.registry import Period, registry

    period = Period.year(year)
    indicators = [indicator for indicator in registry if indicator.id.startswith("plie.")]
    print(f"\nIndicateurs plie.* ({len(indicators)}), année {year}, meilleur de {args.repeat} :")
    if not indicators:
        print("  aucun indicateur plie.* enregistré (tremplin/plie/indicators.py absent ?)")

    def evaluate_all(user=None):
        return [indicator.evaluate(period=period, user=user) for indicator in indicators]

    if indicators:
        best, median, results = best_of(args.repeat, evaluate_all)
        print(
            f"  ligne de commande (user=None) : {best * 1000:8.0f} ms (médiane {median * 1000:.0f} ms) "
            f"cible < {INDICATOR_TARGET * 1000:.0f} ms : {verdict(best, INDICATOR_TARGET)}"
        )
        per_indicator = []
        for indicator in indicators:
            b, _, _ = best_of(max(1, min(args.repeat, 3)), lambda i=indicator: i.evaluate(period=period, user=None))
            per_indicator.append((b, indicator.id))
        for seconds, indicator_id in sorted(per_indicator, reverse=True)[:8]:
            print(f"    {indicator_id:<45} {seconds * 1000:7.1f} ms")
        figures = {r.indicator.id: r.figure.value for r in results}
        for key in ("plie.people_accompanied", "plie.new_entrants", "plie.contracts_signed", "plie.exits"):
            if key in figures:
                print(f"    {key} = {figures[key]}")
        best, median, _ = best_of(args.repeat, lambda: evaluate_all(referent))
        print(f"  périmètre d'un·e référent·e : {best * 1000:8.0f} ms (médiane {median * 1000:.0f} ms)")

    print(f"\nListe « Mes participants » de {referent.email} (1re page de 50), meilleur de {args.repeat} :")
    try:
        from tremplin.plie.selectors import OPEN, participants_for_referent
    except ImportError:
        OPEN, participants_for_referent = "open", None
        print("  tremplin.plie.selectors.participants_for_referent absent : requête équivalente mesurée")

    def referent_list(**filters):
        if participants_for_referent is not None:
            queryset = participants_for_referent(user=referent, **filters)
        else:
            queryset = (
                Pathway.objects.visible_to(referent)
                .open()
                .select_related("person")
                .order_by("person__last_name", "person__first_name", "pk")
            )
        page = Paginator(queryset, 50).page(1)
        return len(page.object_list), page.paginator.count, queryset

    for label, filters in (
        ("tous ses parcours (visible_to)", {}),
        ("parcours en cours dont il/elle est référent·e (page d'accueil)", {"status": OPEN, "referent": referent}),
    ):
        best, median, (shown, count, queryset) = best_of(args.repeat, lambda f=filters: referent_list(**f))
        print(
            f"  {label} : {best * 1000:6.1f} ms (médiane {median * 1000:.1f} ms), {shown} affichés sur {count}, "
            f"cible < {LIST_TARGET * 1000:.0f} ms : {verdict(best, LIST_TARGET)}"
        )
        if args.explain:
            print(queryset[:50].explain(**({"analyze": True} if connection.vendor == "postgresql" else {})))


def main():
    args = parse_args()
    database = BenchDatabase(args.database_name, args.keep)
    where = database.create()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    try:
        print(f"Base du banc : {where}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"Migrations : {time.perf_counter() - started:.1f} s")
        today = timezone.localdate()
        year = args.year or today.year - 1
        started = time.perf_counter()
        print(f"Construction de {args.participants:,} participant·es (parcours, faits, étapes, contrats) :")
        structures, referents = Builder(args.participants, args.seed, today).build()
        print(f"  {time.perf_counter() - started:.1f} s ; {structures} structures, {referents} référent·es")
        with connection.cursor() as cursor:
            for table in ("people_person", "people_situationfact", "plie_pathway", "plie_step", "plie_contract"):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                print(f"  {table:<22} {cursor.fetchone()[0]:>9,}")
        from django.db.models import Count

        from tremplin.accounts.models import User
        from tremplin.plie.models import Pathway

        # The busiest référent: the one with the most open pathways.
        busiest = Pathway.objects.open().values("proposed_referent").annotate(n=Count("pk")).order_by("-n").first()
        referent = User.objects.get(pk=busiest["proposed_referent"])
        measure(args, year, referent)
        if args.candidate_indexes:
            print("\nAvec les index candidats :")
            with connection.cursor() as cursor:
                for sql in CANDIDATE_INDEXES[connection.vendor]:
                    print(f"  {sql}")
                    cursor.execute(sql)
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            measure(args, year, referent)
    finally:
        database.drop()


if __name__ == "__main__":
    main()
