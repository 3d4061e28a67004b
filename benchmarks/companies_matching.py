"""CV-free matching at scale: rank 100,000 job seekers for one offer (tremplin.companies.matching).

    DATABASE_URL=postgres://user@host:5432/tremplin .venv/bin/python benchmarks/companies_matching.py --people 100000
    .venv/bin/python benchmarks/companies_matching.py --people 10000     # SQLite, temporary file

As the other benchmarks, the database of DATABASE_URL only reaches the server: a dedicated database
(`tremplin_matching_bench`) is created, migrated, filled by bulk_create (people, follow-ups in 50 structures,
one job search profile each, and for --diagnosed of them a mobility prescription from their structure with its
diagnostic, some with two) and dropped (unless --keep). Printed, never asserted, best of --repeat runs:
- the 50 best people for one offer, as the coordination (everyone) and as a référent·e (her structure), each
  reading the latest mobility diagnostic she may see (the "person_mobility" hook, joined in the same query);
- the 50 best offers among 2,000 for one person.
Target: under 1 s for 100,000 people on PostgreSQL.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from plie_scale import BenchDatabase, best_of, verdict  # noqa: E402 (the PLIE benchmark's dedicated database)

TARGET = 1.0
CHUNK = 5000
FIRST_NAMES = ["Amandine", "Bastien", "Chloé", "Damien", "Elsa", "Farid", "Gaëlle", "Hugo", "Inès", "Jules"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=2_000)
    parser.add_argument("--diagnosed", type=float, default=0.05, help="share of people with a mobility diagnostic")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--database-name", default="tremplin_matching_bench")
    return parser.parse_args()


def build(args, today):
    from tests.factories import valid_siret
    from tremplin.accounts.enums import Role
    from tremplin.accounts.models import Membership, User
    from tremplin.companies.enums import ContractType, QualificationClass
    from tremplin.companies.models import JobSearchProfile, Offer
    from tremplin.core.text import name_key
    from tremplin.mobility.enums import LicenceStatus, MeansOfTransport
    from tremplin.mobility.models import Diagnostic, Prescription
    from tremplin.people.enums import Programme, Sex
    from tremplin.people.models import FollowUp, Person
    from tremplin.structures.enums import OrganizationKind
    from tremplin.structures.models import Organization
    from tremplin.territory.models import Commune, RomeCode

    rng = random.Random(args.seed)
    communes = list(Commune.objects.values_list("pk", flat=True))
    metropole = list(Commune.objects.metropole().values_list("pk", flat=True))
    codes = list(RomeCode.objects.values_list("code", flat=True))
    contracts = ContractType.values
    structures = Organization.objects.bulk_create(
        Organization(name=f"Structure {i}", kind=OrganizationKind.OPERATOR, search_text=f"structure {i}")
        for i in range(50)
    )
    referent = User.objects.create_user("referente@bench.example", first_name="Rita", last_name="Référente")
    coordinator = User.objects.create_user("coordination@bench.example", first_name="Côme", last_name="Coordination")
    lead = Organization.objects.create(name="Creativ'", kind=OrganizationKind.LEAD)
    Membership.objects.create(user=referent, organization=structures[0], role=Role.REFERENT)
    Membership.objects.create(user=coordinator, organization=lead, role=Role.COORDINATOR)
    platform = Organization.objects.create(name="Plateforme mobilité", kind=OrganizationKind.LEAD)
    diagnosed = 0
    for start in range(0, args.people, CHUNK):
        people = []
        for i in range(start, min(start + CHUNK, args.people)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            people.append(
                Person(
                    first_name=first,
                    last_name=f"{last}{i}",
                    sex=rng.choice([Sex.WOMAN, Sex.MAN]),
                    birth_date=date(1970, 1, 1) + timedelta(days=rng.randrange(12_000)),
                    commune_id=rng.choice(metropole) if rng.random() < 0.7 else rng.choice(communes),
                    registered_on=today - timedelta(days=rng.randrange(1000)),
                    name_key=name_key(f"{last}{i}") + "|" + name_key(first),
                    search_text=f"{last}{i} {first}".lower(),
                )
            )
        people = Person.objects.bulk_create(people)
        follow_ups = FollowUp.objects.bulk_create(
            FollowUp(
                person=p, organization=rng.choice(structures), programme=Programme.PLIE, started_on=p.registered_on
            )
            for p in people
        )
        # Some people went through the mobility platform, prescribed by their structure; a few twice.
        prescribed = [f for f in follow_ups if rng.random() < args.diagnosed]
        prescribed += [f for f in prescribed if rng.random() < 0.2]
        prescriptions = Prescription.objects.bulk_create(
            Prescription(
                person_id=f.person_id,
                platform=platform,
                prescriber_id=f.organization_id,
                prescribed_on=today - timedelta(days=rng.randrange(700)),
                reason="Aller au travail",
            )
            for f in prescribed
        )
        Diagnostic.objects.bulk_create(
            Diagnostic(
                prescription=prescription,
                held_on=prescription.prescribed_on + timedelta(days=rng.randrange(30)),
                licence=rng.choice(LicenceStatus.values),
                means=rng.sample(MeansOfTransport.values, rng.randint(0, 3)),
            )
            for prescription in prescriptions
        )
        diagnosed += len(prescriptions)
        profiles = []
        for p in people:
            accepted = rng.sample(contracts, rng.randint(0, 3))
            low = rng.choice([None, 15, 20, 24])
            profiles.append(
                JobSearchProfile(
                    person=p,
                    rome_1_id=rng.choice(codes),
                    rome_2_id=rng.choice(codes) if rng.random() < 0.5 else None,
                    rome_3_id=rng.choice(codes) if rng.random() < 0.2 else None,
                    has_licence=rng.random() < 0.55,
                    has_vehicle=rng.random() < 0.4,
                    contract_types=f",{','.join(accepted)}," if accepted else "",
                    min_weekly_hours=low,
                    max_weekly_hours=None if rng.random() < 0.4 else (low or 10) + rng.choice([5, 10, 15, 20]),
                    available_from=None if rng.random() < 0.3 else today + timedelta(days=rng.randrange(-200, 120)),
                )
            )
        JobSearchProfile.objects.bulk_create(profiles)
    companies = Organization.objects.bulk_create(
        Organization(
            name=f"Entreprise {i}",
            kind=OrganizationKind.COMPANY,
            siret=valid_siret(9000 + i),
            search_text=f"entreprise {i}",
        )
        for i in range(200)
    )
    offers = Offer.objects.bulk_create(
        Offer(
            company=rng.choice(companies),
            title=f"Poste {i}",
            rome_id=rng.choice(codes),
            contract_type=rng.choice(contracts),
            weekly_hours=rng.choice([None, 20, 24, 35, 39]),
            qualification=rng.choice(QualificationClass.values),
            commune_id=rng.choice(metropole),
            requires_licence=rng.random() < 0.3,
            requires_vehicle=rng.random() < 0.1,
            starts_on=today + timedelta(days=rng.randrange(60)),
        )
        for i in range(args.offers)
    )
    return coordinator, referent, offers[0], profiles[0], diagnosed


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

    from tremplin.companies import matching
    from tremplin.companies.models import Offer
    from tremplin.people.models import Person

    try:
        print(f"Base du banc : {where}")
        call_command("migrate", verbosity=0)
        today = timezone.localdate()
        started = time.perf_counter()
        coordinator, referent, offer, profile, diagnosed = build(args, today)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(
            f"Construction de {args.people:,} personnes ({diagnosed:,} diagnostics mobilité) et {args.offers:,} "
            "offres : "
            f"{time.perf_counter() - started:.1f} s"
        )
        offer = Offer.objects.select_related("commune").get(pk=offer.pk)
        for label, user in (("coordination (tout le monde)", coordinator), ("référente (sa structure)", referent)):
            people = Person.objects.visible_to(user)
            best, median, rows = best_of(
                args.repeat,
                lambda people=people, user=user: list(matching.rank_people(offer, people, today=today, user=user)),
            )
            print(
                f"Classement pour une offre, {label} : meilleur {best:.3f} s, médiane {median:.3f} s "
                f"({len(rows)} premières lignes, meilleur score {rows[0].score if rows else '—'}) "
                f"[{verdict(best, TARGET)}]"
            )
        # The same ranking without the mobility diagnostics (no user: the job search profiles only), for comparison.
        people = Person.objects.visible_to(coordinator)
        best, median, rows = best_of(
            args.repeat, lambda: list(matching.rank_people(offer, people, today=today, user=None))
        )
        print(
            f"Classement pour une offre, coordination, sans lire les diagnostics : meilleur {best:.3f} s, "
            f"médiane {median:.3f} s"
        )
        profile.person = Person.objects.select_related("commune").get(pk=profile.person_id)
        best, median, rows = best_of(
            args.repeat,
            lambda: matching.offers_for_person(profile, Offer.objects.open(), today=today, user=coordinator),
        )
        print(f"Offres pour une personne ({args.offers:,} offres) : meilleur {best:.3f} s, médiane {median:.3f} s")
    finally:
        database.drop()


if __name__ == "__main__":
    main()
