"""The shared generator of the demo: one seeded `random.Random` and one seeded Faker, the structures and
users (`structures.Structures`), and the people of the registry (`people.People`).

Everything is drawn from this one generator, in a fixed order, so that two loads on the same day give the
same data. Rows are written with bulk_create (with a creation history row for audited models): save() is
bypassed, so the fields it derives are set here.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from faker import Faker

from tremplin.accounts.models import User
from tremplin.core.text import fold
from tremplin.demo.context import DemoError
from tremplin.demo.data import COMMUNE_WEIGHTS, QPV_SHARE, SEED
from tremplin.demo.people import People
from tremplin.demo.structures import Structures
from tremplin.people.enums import Sex
from tremplin.people.models import Person
from tremplin.structures.models import Organization
from tremplin.territory.models import Commune, Qpv


class Generator(Structures, People):
    def __init__(self, today: date):
        self.today = today
        self.start = date(today.year - 3, 1, 1)
        self.rng = random.Random(SEED)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(SEED)
        self.communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=COMMUNE_WEIGHTS)}
        missing = sorted(set(COMMUNE_WEIGHTS) - set(self.communes))
        if missing:
            raise DemoError(
                f"Communes de référence absentes ({', '.join(missing)}) : lancez d'abord « manage.py migrate »."
            )
        self.metropole_codes = [code for code in COMMUNE_WEIGHTS if self.communes[code].is_metropole]
        self.outside_codes = [code for code in COMMUNE_WEIGHTS if not self.communes[code].is_metropole]
        self.qpvs = defaultdict(list)
        for qpv in Qpv.objects.filter(commune__insee_code__in=QPV_SHARE).select_related("commune").order_by("pk"):
            self.qpvs[qpv.commune.insee_code].append(qpv)
        # Phones and e-mails stay unique, including against people already in the database.
        self.phones = set(Person.objects.exclude(phone="").values_list("phone", flat=True))
        self.emails = set(Person.objects.exclude(email="").values_list("email", flat=True))
        self.organizations: dict[str, Organization] = {}
        self.users: dict[str, User] = {}
        self.referents: dict[str, list[User]] = defaultdict(list)
        # The people drafted for the registry (planned by a module, then the others), and every person saved.
        self.drafts = []
        self.person_ids: list[int] = []

    # Helpers ------------------------------------------------------------------------------------

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def workday(self, day: date) -> date:
        """The day itself on weekdays; else the next Monday, or the Friday before when Monday is to come."""
        if day.weekday() < 5:
            return day
        monday = day + timedelta(days=7 - day.weekday())
        if monday <= self.today:
            return monday
        friday = day - timedelta(days=day.weekday() - 4)
        return friday if friday >= self.start else day

    def moment(self, day: date) -> datetime:
        """An office-hours time on that day, for history rows."""
        return timezone.make_aware(datetime.combine(day, time(self.rng.randint(8, 17), self.rng.randint(0, 59))))

    def phone(self, prefix: str) -> str:
        while True:
            phone = f"{prefix}{self.rng.randrange(10_000):04d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def first_name(self, sex: str) -> str:
        if sex == Sex.WOMAN or (sex == Sex.NON_BINARY and self.rng.random() < 0.5):
            return self.fake.first_name_female()
        return self.fake.first_name_male()

    @staticmethod
    def email_part(name: str) -> str:
        return fold(name).replace(" ", "-")

    def address(self, streets: list[str]) -> str:
        number = self.rng.choice([self.rng.randint(1, 30), self.rng.randint(1, 30), self.rng.randint(31, 140)])
        suffix = " bis" if self.rng.random() < 0.04 else ""
        return f"{number}{suffix} {self.rng.choice(streets)}"
