"""The companies demo builder against a stand-in for tremplin.demo.context.DemoContext (same attributes),
at a small scale: it builds a consistent year, its summary says what it built, delete() removes it all."""

import datetime
import random
from types import SimpleNamespace

import pytest
from faker import Faker

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.companies import demo
from tremplin.companies.enums import CommitteeDecision, EventKind
from tremplin.companies.models import (
    CompanyProfile,
    Event,
    Hire,
    Interaction,
    Offer,
    Proposal,
    Registration,
    RelaisContact,
)
from tremplin.people.enums import Programme
from tremplin.people.models import Person
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


class StandInPeople:
    def __init__(self, ctx):
        self.ctx = ctx

    def create(self, count, *, created_by, organization=None, programme=None, ages=(16, 64), on=None):
        people = []
        for _ in range(count):
            age = self.ctx.rng.randint(*ages)
            person = PersonFactory(
                birth_date=TODAY - datetime.timedelta(days=365 * age + 30),
                registered_on=on or TODAY,
                created_by=created_by,
            )
            if organization is not None:
                FollowUpFactory(person=person, organization=organization, programme=programme or Programme.PLIE)
            people.append(person)
        return people


@pytest.fixture
def ctx():
    lead = OrganizationFactory(name="Creativ'", kind=OrganizationKind.LEAD)
    company = OrganizationFactory(name="Entreprise démo", company=True)
    OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)
    officer = user_with_role(Role.PROJECT_OFFICER, organization=lead, email="chargee-de-projet@demo.tremplin.fr")
    company_user = user_with_role(Role.COMPANY, organization=company, email="entreprise@demo.tremplin.fr")
    plie = [FollowUpFactory(organization=OrganizationFactory()).person for _ in range(3)]
    context = SimpleNamespace(
        today=TODAY,
        rng=random.Random(21231),
        faker=Faker("fr_FR"),
        organizations={"creativ": lead, "entreprise": company},
        users={"chargee-de-projet": officer, "entreprise": company_user},
        user_ids=[officer.pk, company_user.pk],
        organization_ids=[lead.pk, company.pk],
        person_ids=[p.pk for p in plie],
        scale=0.02,
    )
    context.faker.seed_instance(21231)
    context.people = StandInPeople(context)
    context.persons = lambda programme=None: Person.objects.filter(pk__in=[p.pk for p in plie]).order_by("pk")
    return context


def test_the_builder_makes_a_consistent_year_and_delete_removes_it(ctx):
    lines = demo.build(ctx)
    assert demo.is_loaded(ctx) is True
    assert len(lines) == 4 and lines[0].startswith("Entreprises : ")
    companies = Organization.objects.filter(company_profile__isnull=False)
    assert companies.count() == 4  # 3 new (150 × 0.02) and the demo company user's
    assert all(len(org.siret) == 14 for org in companies)
    assert Interaction.objects.count() == 9
    offers = Offer.objects.all()
    assert offers.count() == 3 + 1
    assert all(offer.received_on <= TODAY for offer in offers)
    fair = Event.objects.get(kind=EventKind.JOB_FAIR)
    assert fair.offers.count() == 3 and fair.registrations.count() == 18
    past_sas = Event.objects.filter(kind=EventKind.SAS, ends_on__lt=TODAY).get()
    assert past_sas.registrations.count() == 12
    assert past_sas.registrations.filter(decision=CommitteeDecision.IMMEDIATE).count() == 9
    assert Event.objects.filter(kind=EventKind.CITE_SESSION).count() == 2
    assert Hire.objects.count() == Proposal.objects.filter(outcome="hired").count()
    assert RelaisContact.objects.count() == 8
    # The chargée de projet sees the people drawn for her events (followed by her structure in the Cité
    # programme); the job seekers at the fair are first the registry's PLIE participants, whom their
    # référent·es see.
    officer = ctx.users["chargee-de-projet"]
    cite = Registration.objects.filter(
        person__follow_ups__programme=Programme.CITE,
        person__follow_ups__organization=officer.primary_membership.organization,
    )
    assert set(Registration.objects.visible_to(officer)) == set(cite)
    assert fair.registrations.filter(person__in=ctx.persons(Programme.PLIE)).count() == 3
    # The company user's own offer received proposals.
    company = ctx.users["entreprise"].primary_membership.organization
    assert Proposal.objects.filter(offer__company=company).exists()

    demo.delete(ctx)
    for model in (Interaction, Offer, Event, Registration, Proposal, Hire, RelaisContact, CompanyProfile):
        assert not model.objects.exists(), model
    # Companies created by the builder are handed to the shared deletion (ctx.organization_ids).
    companies = Organization.objects.filter(kind=OrganizationKind.COMPANY)
    assert set(companies.values_list("pk", flat=True)) <= set(ctx.organization_ids)
    # ...and carry the demo's e-mail domain, by which the demo finds its structures when it is deleted.
    assert all(org.email.endswith(".demo.tremplin.fr") for org in companies.exclude(name="Entreprise démo"))
    assert demo.is_loaded(ctx) is False
    assert Person.objects.filter(pk__in=ctx.person_ids).count() == len(ctx.person_ids)
