import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests.factories import OrganizationFactory, PersonFactory
from tremplin.plie.enums import ContractType, EmployerKind, PathwayStatus, StepKind
from tremplin.plie.models import BusinessCreation, Contract, Orientation, Pathway, Step
from tremplin.structures.enums import OrganizationKind


class OrientationFactory(DjangoModelFactory):
    class Meta:
        model = Orientation

    person = factory.SubFactory(PersonFactory)
    prescriber = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.PRESCRIBER, name="France Travail Dijon")
    oriented_on = datetime.date(2023, 1, 10)
    reason = "Recherche d'emploi depuis plus d'un an, freins de mobilité."


class PathwayFactory(DjangoModelFactory):
    """An active pathway (entry validated) unless told otherwise."""

    class Meta:
        model = Pathway

    person = factory.SubFactory(PersonFactory)
    proposed_organization = factory.SubFactory(OrganizationFactory)
    status = PathwayStatus.ACTIVE
    entry_proposed_on = datetime.date(2023, 1, 20)
    entry_date = datetime.date(2023, 2, 1)

    class Params:
        proposed = factory.Trait(status=PathwayStatus.ENTRY_PROPOSED, entry_date=None)
        exited = factory.Trait(
            status=PathwayStatus.EXITED, exit_date=datetime.date(2024, 3, 31), exit_kind="no_solution"
        )


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    pathway = factory.SubFactory(PathwayFactory)
    contract_type = ContractType.CDD
    employer_name = "Boulangerie des Ducs"
    employer_kind = EmployerKind.ORDINARY
    started_on = datetime.date(2023, 3, 1)
    weekly_hours = Decimal("35")


class StepFactory(DjangoModelFactory):
    class Meta:
        model = Step

    pathway = factory.SubFactory(PathwayFactory)
    kind = StepKind.DIAGNOSTIC
    title = "Diagnostic d'entrée"
    started_on = datetime.date(2023, 2, 2)


class BusinessCreationFactory(DjangoModelFactory):
    class Meta:
        model = BusinessCreation

    pathway = factory.SubFactory(PathwayFactory)
    name = "Atelier Couture Chenôve"
    registered_on = datetime.date(2023, 6, 1)
