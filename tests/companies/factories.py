import datetime

import factory
from factory.django import DjangoModelFactory

from tests.factories import OrganizationFactory, PersonFactory, UserFactory, commune
from tremplin.companies.enums import ContractType, EventKind, InteractionKind, Public, QualificationClass
from tremplin.companies.models import (
    CompanyProfile,
    Event,
    Hire,
    Immersion,
    Interaction,
    Interest,
    JobSearchProfile,
    Offer,
    Proposal,
    Registration,
)
from tremplin.territory.models import RomeCode


def rome(code):
    """ROME codes are reference data loaded by migration: tests pick them."""
    return RomeCode.objects.get(code=code)


class CompanyProfileFactory(DjangoModelFactory):
    class Meta:
        model = CompanyProfile

    organization = factory.SubFactory(OrganizationFactory, company=True)
    naf_code = "43.21A"
    sector = "BTP"


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = Interaction

    company = factory.SubFactory(OrganizationFactory, company=True)
    kind = InteractionKind.VISIT
    programme = "plie"
    happened_on = datetime.date(2024, 3, 1)
    by = factory.SubFactory(UserFactory)
    subject = "Présentation du PLIE"


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    company = factory.SubFactory(OrganizationFactory, company=True)
    title = "Agent·e d'entretien"
    rome = factory.LazyFunction(lambda: rome("K2204"))
    contract_type = ContractType.CDD
    weekly_hours = 35
    qualification = QualificationClass.UNQUALIFIED
    commune = factory.LazyFunction(commune)
    received_on = datetime.date(2024, 3, 1)
    starts_on = datetime.date(2024, 4, 1)


class JobSearchProfileFactory(DjangoModelFactory):
    class Meta:
        model = JobSearchProfile

    person = factory.SubFactory(PersonFactory)
    rome_1 = factory.LazyFunction(lambda: rome("K2204"))


class InterestFactory(DjangoModelFactory):
    class Meta:
        model = Interest

    person = factory.SubFactory(PersonFactory)
    offer = factory.SubFactory(OfferFactory)
    expressed_on = datetime.date(2024, 3, 10)


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    offer = factory.SubFactory(OfferFactory)
    person = factory.SubFactory(PersonFactory)
    proposed_on = datetime.date(2024, 3, 15)
    proposed_by = factory.SubFactory(UserFactory)


class HireFactory(DjangoModelFactory):
    class Meta:
        model = Hire

    proposal = factory.SubFactory(ProposalFactory, outcome="hired")
    person = factory.SelfAttribute("proposal.person")
    offer = factory.SelfAttribute("proposal.offer")
    started_on = datetime.date(2024, 4, 1)
    contract_type = ContractType.CDD


class ImmersionFactory(DjangoModelFactory):
    class Meta:
        model = Immersion

    person = factory.SubFactory(PersonFactory)
    company = factory.SubFactory(OrganizationFactory, company=True)
    starts_on = datetime.date(2024, 5, 6)
    ends_on = datetime.date(2024, 5, 17)
    objective = "Découvrir le métier"
    tutor = "Mme Durand"


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    kind = EventKind.JOB_FAIR
    title = "La Voie des Talents"
    starts_on = datetime.date(2024, 10, 10)
    ends_on = datetime.date(2024, 10, 10)


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    public = Public.JOB_SEEKER
    registered_on = datetime.date(2024, 10, 1)
