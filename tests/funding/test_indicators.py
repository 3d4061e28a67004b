import datetime
from decimal import Decimal

import pytest
import time_machine

from tests.factories import FollowUpFactory, OrganizationFactory, user_with_role
from tests.funding.factories import (
    ConventionFactory,
    FunderFactory,
    FundingLineFactory,
    ObligationFactory,
    ProjectFactory,
)
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.funding.enums import Dispositif, FunderCategory, ObligationKind
from tremplin.funding.models import StaffAllocation, StaffYear
from tremplin.people.enums import Programme
from tremplin.plie.enums import ExitKind, PathwayStatus
from tremplin.reports.registry import Period, registry

Y2023 = Period.year(2023)


def value(indicator_id, period=Y2023, user=None):
    return registry.get(indicator_id).evaluate(period=period, user=user).figure


@pytest.fixture
def lines():
    metropole = FunderFactory(category=FunderCategory.METROPOLE)
    fse = FunderFactory(category=FunderCategory.FSE)
    irfa = OrganizationFactory(name="IRFA")
    sa = ProjectFactory(code="211", dispositif=Dispositif.PLIE)
    clauses = ProjectFactory(code="215", dispositif=Dispositif.CLAUSES)
    irfa_project = ProjectFactory(code="221", dispositif=Dispositif.PLIE, operator=irfa)
    FundingLineFactory(funder=metropole, project=sa, amount_requested=Decimal("300000.00"))
    FundingLineFactory(funder=fse, project=sa, amount_requested=Decimal("200000.01"), amount_received=Decimal("5"))
    FundingLineFactory(funder=metropole, project=clauses, amount_requested=Decimal("36000.00"))
    FundingLineFactory(funder=fse, project=irfa_project, amount_requested=Decimal("50000.00"))
    # Not decided yet: requested, not granted.
    FundingLineFactory(funder=metropole, project=clauses, amount_requested=Decimal("999"), amount_granted=None)
    # Other years: outside 2023.
    FundingLineFactory(funder=metropole, project=sa, year=2022, amount_requested=Decimal("1"))
    FundingLineFactory(funder=metropole, project=sa, year=2024, amount_requested=Decimal("2"))
    return irfa


class TestFunding:
    def test_total_is_the_association_funders_table(self, lines):
        figure = value("funding.total")
        assert figure.value == Decimal("536000.01")
        assert figure.breakdown["Dijon Métropole"] == Decimal("336000.00")
        assert figure.breakdown["FSE+"] == Decimal("200000.01")
        assert figure.breakdown["Région Bourgogne-Franche-Comté"] == Decimal("0.00")

    def test_granted_includes_operators_by_dispositif(self, lines):
        figure = value("funding.granted")
        assert figure.value == Decimal("586000.01")
        assert figure.breakdown["PLIE"] == Decimal("550000.01")
        assert figure.breakdown["Clauses d'insertion"] == Decimal("36000.00")

    def test_received(self, lines):
        assert value("funding.received").value == Decimal("5.00")

    def test_fse_share_and_its_denominator(self, lines):
        figure = value("funding.fse_share")
        assert figure.value == round(250000.01 / 586000.01, 4)
        assert figure.denominator == 586000.01

    def test_period_boundaries_follow_the_years(self, lines):
        assert value("funding.granted", Period(datetime.date(2023, 12, 31), datetime.date(2024, 1, 1))).value == (
            Decimal("586002.01")
        )
        assert value("funding.granted", Period.year(2021)).value == Decimal("0.00")
        assert value("funding.fse_share", Period.year(2021)).value is None

    def test_operators_and_other_roles_get_no_association_figure(self, lines):
        referent = user_with_role(Role.REFERENT, organization=lines)
        assert value("funding.total", user=referent).value is None
        assert value("funding.total", user=user_with_role(Role.FACILITATOR)).value is None
        funder = user_with_role(Role.FUNDER)
        assert value("funding.total", user=funder).value == Decimal("536000.01")


class TestProgrammation:
    def test_actions_and_amount_by_carrier_with_the_fse_share(self, lines):
        actions = value("programmation.actions")
        assert actions.value == 2
        assert actions.breakdown == {"IRFA": 1, "Structure d'animation": 1}
        amount = value("programmation.amount")
        assert amount.value == Decimal("550000.01")
        assert amount.breakdown == {
            "IRFA": Decimal("50000.00"),
            "Structure d'animation": Decimal("500000.01"),
            "dont FSE+": Decimal("250000.01"),
        }

    def test_an_operator_counts_its_own_structure_only(self, lines):
        referent = user_with_role(Role.REFERENT, organization=lines)
        amount = value("programmation.amount", user=referent)
        assert amount.value == Decimal("50000.00")
        assert "Structure d'animation" not in amount.breakdown
        other = user_with_role(Role.REFERENT)
        assert value("programmation.amount", user=other).value == Decimal("0.00")


class TestConventions:
    @time_machine.travel(datetime.date(2024, 2, 1))
    def test_obligations_late_in_the_period(self):
        convention = ConventionFactory(starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 12, 31))
        ObligationFactory(convention=convention, kind=ObligationKind.MIDTERM_REPORT, due_on=datetime.date(2023, 7, 30))
        ObligationFactory(
            convention=convention,
            kind=ObligationKind.ATTENDANCE,
            due_on=datetime.date(2023, 3, 9),
            done_on=datetime.date(2023, 3, 10),  # one day late: late
        )
        ObligationFactory(
            convention=convention,
            kind=ObligationKind.ATTENDANCE,
            due_on=datetime.date(2023, 3, 9),
            done_on=datetime.date(2023, 3, 9),  # on the day: on time
        )
        ObligationFactory(convention=convention, due_on=datetime.date(2024, 1, 31))  # due in 2024
        ObligationFactory(convention=convention, due_on=datetime.date(2024, 2, 15))  # not due yet
        figure = value("conventions.obligations_late")
        assert figure.value == 2
        assert figure.breakdown["Bilan à mi-parcours"] == 1
        assert figure.breakdown["Feuilles d'émargement"] == 1
        assert value("conventions.obligations_late", Period.year(2024)).value == 1

    def test_targets_met_over_conventions_ended_in_the_period(self):
        irfa, cesam = OrganizationFactory(name="IRFA"), OrganizationFactory(name="CESAM")
        ConventionFactory(
            operator=irfa,
            starts_on=datetime.date(2023, 1, 1),
            ends_on=datetime.date(2023, 12, 31),
            people_target=1,
            positive_exit_target=Decimal("50"),
        )
        ConventionFactory(
            operator=cesam,
            starts_on=datetime.date(2023, 1, 1),
            ends_on=datetime.date(2023, 12, 31),
            people_target=1,
            positive_exit_target=Decimal("50"),
        )
        # Ends in 2024: not in the 2023 denominator.
        ConventionFactory(operator=irfa, starts_on=datetime.date(2023, 6, 1), ends_on=datetime.date(2024, 5, 31))
        exited = PathwayFactory(
            proposed_organization=irfa,
            status=PathwayStatus.EXITED,
            entry_date=datetime.date(2023, 2, 1),
            exit_date=datetime.date(2023, 10, 1),
            exit_kind=ExitKind.POSITIVE_CDI,
        )
        FollowUpFactory(person=exited.person, organization=irfa, programme=Programme.PLIE)
        active = PathwayFactory(proposed_organization=cesam, entry_date=datetime.date(2023, 2, 1))
        FollowUpFactory(person=active.person, organization=cesam, programme=Programme.PLIE)
        figure = value("conventions.targets_met")
        # IRFA: 1 person, 100 % positive exits; CESAM: 1 person but no exit, its rate cannot be computed.
        assert (figure.value, figure.denominator) == (0.5, 2)
        assert value("conventions.targets_met", Period.year(2022)).value is None


def test_analytic_split_by_dispositif():
    plie = ProjectFactory(dispositif=Dispositif.PLIE)
    pfm = ProjectFactory(dispositif=Dispositif.PFM)
    staff = StaffYear.objects.create(year=2023, staff_name="Agnès", annual_cost=Decimal("40000.03"))
    StaffAllocation.objects.create(staff_year=staff, project=plie, percent=Decimal("50"))
    StaffAllocation.objects.create(staff_year=staff, project=pfm, percent=Decimal("50"))
    StaffYear.objects.create(year=2024, staff_name="Agnès", annual_cost=Decimal("1"))
    figure = value("funding.analytic_split")
    assert figure.value == Decimal("40000.03")
    assert figure.breakdown == {"PLIE": Decimal("20000.02"), "Plateforme mobilité": Decimal("20000.01")}
