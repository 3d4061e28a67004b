"""The mobility demo builder on a stand-in of the demo context (tremplin.demo.context.DemoContext), built
from factories: same attributes, a small scale."""

import datetime
import random
from types import SimpleNamespace

from faker import Faker

from tests.factories import OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.mobility import demo
from tremplin.mobility.enums import RentalStatus
from tremplin.mobility.models import Prescription, Rental, Vehicle, WorkshopSession
from tremplin.people.models import FollowUp
from tremplin.structures.enums import OrganizationKind
from tremplin.territory.models import Commune

TODAY = datetime.date(2026, 3, 15)


class StandInPeople:
    """people.create(count, *, created_by, organization=None, programme=None, ages=(16, 64), on=None)."""

    def __init__(self, rng, ids):
        self.rng, self.ids = rng, ids
        self.communes = list(Commune.objects.filter(department="21", postcode__gt="").order_by("insee_code")[:60])

    def create(self, count, *, created_by, organization=None, programme=None, ages=(16, 64), on=None):
        on = on or TODAY
        people = []
        for _ in range(count):
            age = self.rng.randint(*ages)
            birth = on.replace(year=on.year - age) - datetime.timedelta(days=self.rng.randint(1, 300))
            person = PersonFactory(birth_date=birth, registered_on=on, commune=self.rng.choice(self.communes))
            if organization is not None and programme is not None:
                FollowUp.objects.create(person=person, organization=organization, programme=programme, started_on=on)
            self.ids.append(person.pk)
            people.append(person)
        return people


def stand_in_context():
    rng = random.Random(21231)
    person_ids = []
    creativ = OrganizationFactory(name="Creativ'", kind=OrganizationKind.LEAD)
    organizations = {
        "Creativ'": creativ,
        "France Travail Dijon": OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER),
        "Mission Locale": OrganizationFactory(name="Mission Locale", kind=OrganizationKind.PRESCRIBER),
    }
    adviser = user_with_role(Role.MOBILITY_ADVISER, organization=creativ, email="mobilite@demo.tremplin.fr")
    return SimpleNamespace(
        today=TODAY,
        rng=rng,
        faker=Faker("fr_FR"),
        organizations=organizations,
        users={"mobilite": adviser},
        people=StandInPeople(rng, person_ids),
        persons=lambda programme=None: [],
        user_ids=[adviser.pk],
        organization_ids=[o.pk for o in organizations.values()],
        person_ids=person_ids,
    )


def test_the_builder_makes_a_coherent_platform_and_delete_removes_it():
    ctx = stand_in_context()
    lines = demo.build(ctx, scale=0.1)
    assert len(lines) == 3 and lines[0].startswith("Plateforme mobilité : flotte de")
    prescriptions = Prescription.objects.all()
    # Four years (2023 to today), about 26 new prescriptions a year at this scale.
    assert {p.prescribed_on.year for p in prescriptions} == {2023, 2024, 2025, 2026}
    assert 70 <= prescriptions.count() <= 100
    assert all(p.person_id in ctx.person_ids for p in prescriptions)
    # Every minor who rented had a guardian's consent first.
    for rental in Rental.objects.select_related("prescription__person"):
        person = rental.prescription.person
        if person.age_on(rental.starts_on) < 18:
            assert person.mobility_consents.filter(given_on__lte=rental.starts_on).exists()
    # One vehicle is out at most once at a time, never a car for a minor.
    assert Rental.objects.filter(status=RentalStatus.ONGOING).values("vehicle").distinct().count() == (
        Rental.objects.filter(status=RentalStatus.ONGOING).count()
    )
    metropole = prescriptions.filter(person__commune__is_metropole=True).count() / prescriptions.count()
    assert 0.8 <= metropole <= 0.92
    assert Rental.objects.count() > 20 and WorkshopSession.objects.exists()
    assert "bénéficiaires" in lines[1]

    demo.delete(ctx)
    assert not Prescription.objects.exists() and not Rental.objects.exists()
    assert not Vehicle.objects.exists() and not WorkshopSession.objects.exists()
