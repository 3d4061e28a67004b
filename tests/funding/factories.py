import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests.factories import OrganizationFactory
from tremplin.funding import models
from tremplin.funding.enums import Dispositif, FunderCategory
from tremplin.funding.services import end_of_day_in_paris
from tremplin.people.enums import Programme
from tremplin.structures.enums import OrganizationKind


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = models.Project

    code = factory.Sequence(lambda n: f"{300 + n}")
    title = factory.Sequence(lambda n: f"Action {n}")
    dispositif = Dispositif.PLIE


class FunderFactory(DjangoModelFactory):
    class Meta:
        model = models.Funder
        django_get_or_create = ("organization",)

    organization = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.FUNDER)
    category = FunderCategory.METROPOLE


class FundingLineFactory(DjangoModelFactory):
    class Meta:
        model = models.FundingLine

    funder = factory.SubFactory(FunderFactory)
    project = factory.SubFactory(ProjectFactory)
    year = 2023
    amount_requested = Decimal("10000.00")
    amount_granted = factory.LazyAttribute(lambda o: o.amount_requested)
    decided_on = datetime.date(2023, 3, 21)


class CallFactory(DjangoModelFactory):
    class Meta:
        model = models.CallForProjects

    title = "Appel à projets PLIE 2024"
    year = 2024
    published_at = factory.LazyFunction(lambda: datetime.datetime(2023, 11, 9, 9, 0, tzinfo=datetime.UTC))
    deadline = factory.LazyFunction(lambda: end_of_day_in_paris(datetime.date(2023, 12, 1)))
    committee_on = datetime.date(2023, 12, 7)


class CallActionFactory(DjangoModelFactory):
    class Meta:
        model = models.CallAction

    call = factory.SubFactory(CallFactory)
    title = "Accompagnement des participants des clauses BTP"
    people_target = 90
    positive_exit_target = Decimal("25.00")
    plie_ceiling = Decimal("21201.00")


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = models.Answer

    action = factory.SubFactory(CallActionFactory)
    call = factory.LazyAttribute(lambda o: o.action.call)
    operator = factory.SubFactory(OrganizationFactory)
    summary = "Suivi de chantier, modules de présentation des métiers."
    people_planned = 90
    positive_exit_planned = Decimal("25.00")
    amount_plie = Decimal("21000.00")
    amount_fse = Decimal("15000.00")
    total_budget = Decimal("40000.00")


class ConventionFactory(DjangoModelFactory):
    class Meta:
        model = models.Convention

    operator = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: f"PLIE-2024-{n:03d}")
    title = "Accompagnement des participants des clauses BTP"
    starts_on = datetime.date(2024, 1, 1)
    ends_on = datetime.date(2024, 12, 31)
    amount_plie = Decimal("21000.00")
    people_target = 90
    positive_exit_target = Decimal("25.00")


class ObligationFactory(DjangoModelFactory):
    class Meta:
        model = models.Obligation

    convention = factory.SubFactory(ConventionFactory)
    kind = "midterm_report"
    due_on = datetime.date(2024, 7, 30)


class FseOperationFactory(DjangoModelFactory):
    class Meta:
        model = models.FseOperation

    title = "Accompagnement renforcé PLIE 2023"
    project = factory.SubFactory(ProjectFactory)
    organization = factory.SubFactory(OrganizationFactory)
    programme = Programme.PLIE
    starts_on = datetime.date(2023, 1, 1)
    ends_on = datetime.date(2023, 12, 31)
