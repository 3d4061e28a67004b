"""Factories of the clauses module (operations, conventions, globalisations, markets, lots, people, hours).

Defaults build one coherent chain: an hours record → placement → lot (execution condition, €1,000,000,
sized 50 % × 5 % ÷ €30) → market → operation (BTP, in 2024). Pass `lot=`, `placement=`… to share objects.
Hours records, conventions and agreements recount what they affect (HoursRecord.counted_hours), as the
services do; a lot or a placement changed afterwards by hand is not recounted.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests.factories import OrganizationFactory, PersonFactory, commune
from tremplin.clauses.counting import recount
from tremplin.clauses.enums import CandidateStatus, FulfilmentMode, HireContract, LegalBasis, Sector
from tremplin.clauses.models import (
    Candidate,
    CountingConvention,
    GlobalisationAgreement,
    HoursRecord,
    Lot,
    Market,
    Operation,
    Placement,
)
from tremplin.structures.enums import OrganizationKind


class OperationFactory(DjangoModelFactory):
    class Meta:
        model = Operation

    name = factory.Sequence(lambda n: f"Opération {n}")
    buyer = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.BUYER)
    commune = factory.LazyFunction(commune)
    sector = Sector.BTP
    started_on = datetime.date(2024, 1, 1)
    ended_on = datetime.date(2025, 12, 31)


class CountingConventionFactory(DjangoModelFactory):
    class Meta:
        model = CountingConvention

    operation = factory.SubFactory(OperationFactory)
    provenance = "Charte locale des clauses sociales"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        convention = super()._create(model_class, *args, **kwargs)
        recount(operations=[convention.operation_id])
        return convention


class GlobalisationAgreementFactory(DjangoModelFactory):
    """Pass `operations=[op_a, op_b]` to cover them."""

    class Meta:
        model = GlobalisationAgreement
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Accord de globalisation {n}")
    started_on = datetime.date(2024, 1, 1)
    ended_on = None

    @factory.post_generation
    def operations(self, create, extracted, **kwargs):
        if create and extracted:
            self.operations.set(extracted)
            recount(operations=extracted)


class MarketFactory(DjangoModelFactory):
    class Meta:
        model = Market

    operation = factory.SubFactory(OperationFactory)
    reference = factory.Sequence(lambda n: f"M{n:04d}")
    name = factory.Sequence(lambda n: f"Marché {n}")


class LotFactory(DjangoModelFactory):
    class Meta:
        model = Lot

    market = factory.SubFactory(MarketFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    name = factory.Sequence(lambda n: f"Gros œuvre {n}")
    legal_basis = LegalBasis.EXECUTION_CONDITION
    amount = Decimal("1000000.00")
    attributaire = factory.SubFactory(OrganizationFactory, company=True)
    started_on = datetime.date(2024, 1, 1)
    ended_on = datetime.date(2025, 12, 31)
    labour_share = Decimal("0.5000")
    insertion_rate = Decimal("0.0500")
    hourly_cost = Decimal("30.00")
    planned_hours = Decimal("833.33")

    class Params:
        insertion_market = factory.Trait(legal_basis=LegalBasis.INSERTION_MARKET, planned_hours=Decimal("0"))


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    person = factory.SubFactory(PersonFactory)
    prescriber = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.PRESCRIBER)
    referred_on = datetime.date(2023, 12, 1)
    reason = "Recherche d'un emploi dans le BTP."
    status = CandidateStatus.VALIDATED


class PlacementFactory(DjangoModelFactory):
    """By default a direct hire (CDD) by the lot's attributaire."""

    class Meta:
        model = Placement

    person = factory.SubFactory(PersonFactory)
    candidate = None
    lot = factory.SubFactory(LotFactory)
    mode = FulfilmentMode.DIRECT_HIRE
    contract = HireContract.CDD
    employer = factory.LazyAttribute(lambda o: o.lot.attributaire or OrganizationFactory(company=True))
    job_title = "Maçon·ne"
    started_on = datetime.date(2024, 1, 1)
    ended_on = datetime.date(2024, 12, 31)


class HoursRecordFactory(DjangoModelFactory):
    class Meta:
        model = HoursRecord

    placement = factory.SubFactory(PlacementFactory)
    month = datetime.date(2024, 3, 1)
    hours = Decimal("100.00")
    training_hours = Decimal("0.00")
    subcontracting_amount = None
    worked_on = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = super()._create(model_class, *args, **kwargs)
        recount(records=[record])
        record.refresh_from_db(fields=["counted_hours"])
        return record


@dataclass
class HoursWorld:
    """A placement on the lot of "BTP Bourgogne" (attributaire), followed by the clauses service, and personas."""

    operation: Operation
    lot: Lot
    placement: Placement
    company: object  # the attributaire
    users: dict = field(default_factory=dict)

    def __getitem__(self, persona):
        return self.users[persona]


def hours_world() -> HoursWorld:
    """Personas: facilitator (her structure follows the person for clauses), coordinator, assistant, company
    (attributaire's user), other_company, manager and referent (see or not the person but declare no hours),
    buyer, funder, facilitator_elsewhere."""
    from tests.factories import FollowUpFactory, user_with_role
    from tremplin.accounts.enums import Role
    from tremplin.people.enums import Programme

    clauses_service = OrganizationFactory(name="Maison de l'emploi – clauses", kind=OrganizationKind.LEAD)
    company = OrganizationFactory(name="BTP Bourgogne", company=True)
    operation = OperationFactory(name="Groupe scolaire Champollion")
    lot = LotFactory(market=MarketFactory(operation=operation), attributaire=company, name="Gros œuvre")
    person = PersonFactory(first_name="Zoé", last_name="Lefèvre")
    FollowUpFactory(person=person, organization=clauses_service, programme=Programme.CLAUSES)
    placement = PlacementFactory(
        person=person,
        lot=lot,
        employer=company,
        started_on=datetime.date(2024, 2, 12),
        ended_on=datetime.date(2024, 9, 30),
    )
    users = {
        "facilitator": user_with_role(Role.FACILITATOR, organization=clauses_service),
        "coordinator": user_with_role(Role.COORDINATOR),
        "assistant": user_with_role(Role.ASSISTANT),
        "company": user_with_role(Role.COMPANY, organization=company),
        "other_company": user_with_role(Role.COMPANY, organization=OrganizationFactory(company=True)),
        "manager": user_with_role(Role.MANAGER),
        "referent": user_with_role(Role.REFERENT),
        "buyer": user_with_role(Role.BUYER, organization=operation.buyer),
        "funder": user_with_role(Role.FUNDER),
        "facilitator_elsewhere": user_with_role(Role.FACILITATOR),
    }
    return HoursWorld(operation, lot, placement, company, users)
