"""Realised vs planned (issue 4): planned, realised (counted), progress, forecast at the current pace and
the lots falling behind, per lot, operation, buyer and company; and the lists of the clauses screens."""

import datetime
from decimal import Decimal

import pytest

from tests.clauses.factories import (
    CandidateFactory,
    CountingConventionFactory,
    GlobalisationAgreementFactory,
    HoursRecordFactory,
    LotFactory,
    MarketFactory,
    OperationFactory,
    PlacementFactory,
)
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.clauses import selectors
from tremplin.clauses.counting import explain_operation_hours
from tremplin.clauses.enums import CandidateStatus, EligiblePublic, EvaluationStatus, FulfilmentMode, LegalBasis
from tremplin.people.enums import Programme
from tremplin.structures.enums import OrganizationKind, SiaeType
from tremplin.territory.models import RomeCode

# 2024 is a leap year: a lot running the whole year has 366 days; on 1 July, 183 have elapsed.
JULY_1 = datetime.date(2024, 7, 1)


@pytest.fixture
def coordinator():
    return user_with_role(Role.COORDINATOR)


@pytest.fixture
def lot():
    """€1,000,000 × 50 % × 5 % ÷ €30/h = 833.33 planned hours, executed over 2024."""
    return LotFactory(
        started_on=datetime.date(2024, 1, 1),
        ended_on=datetime.date(2024, 12, 31),
        market=MarketFactory(operation=OperationFactory(name="Résidence des Grésilles")),
    )


def hours(lot, *months, amount="100.00", **placement):
    placement = PlacementFactory(lot=lot, **placement)
    for month in months:
        HoursRecordFactory(placement=placement, month=datetime.date(2024, month, 1), hours=Decimal(amount))
    return placement


class TestLotProgress:
    def test_progress_and_forecast_have_exact_values(self, coordinator, lot):
        hours(lot, 3, 4, 5)  # 300 h realised by 1 July
        [row] = selectors.lots_progress(user=coordinator, today=JULY_1)
        assert row.planned == Decimal("833.33")
        assert row.realised == Decimal("300.00")
        assert (row.total_days, row.elapsed_days) == (366, 183)
        assert row.forecast == Decimal("600.00")  # 300 ÷ 183 × 366
        assert row.progress == Decimal("0.3600")  # 300 ÷ 833.33
        assert row.gap == Decimal("-233.33")
        assert row.running and row.behind

    def test_the_forecast_rounds_to_the_cent(self, coordinator, lot):
        hours(lot, 3, amount="100.00")
        [row] = selectors.lots_progress(user=coordinator, today=datetime.date(2024, 1, 3))
        assert row.elapsed_days == 3
        assert row.forecast == Decimal("12200.00")  # 100 ÷ 3 × 366
        assert not row.behind

        [row] = selectors.lots_progress(user=coordinator, today=datetime.date(2024, 1, 7))
        assert row.forecast == Decimal("5228.57")  # 100 ÷ 7 × 366 = 5228.571…

    def test_a_lot_on_pace_is_not_behind(self, coordinator, lot):
        hours(lot, 1, 2, 3, 4, 5, 6, amount="70.00")  # 420 h -> 840 h forecast
        [row] = selectors.lots_progress(user=coordinator, today=JULY_1)
        assert row.forecast == Decimal("840.00")
        assert not row.behind
        assert selectors.lots_falling_behind(user=coordinator, today=JULY_1) == []

    def test_a_lot_not_started_has_no_forecast(self, coordinator, lot):
        [row] = selectors.lots_progress(user=coordinator, today=datetime.date(2023, 12, 31))
        assert row.elapsed_days == 0 and row.forecast is None
        assert not row.running and not row.behind

    def test_an_ended_lot_forecasts_its_realised_hours_and_is_no_longer_running(self, coordinator, lot):
        hours(lot, 3, 4)
        [row] = selectors.lots_progress(user=coordinator, today=datetime.date(2025, 2, 1))
        assert row.elapsed_days == row.total_days == 366
        assert row.forecast == row.realised == Decimal("200.00")
        assert not row.running and not row.behind

    def test_an_insertion_market_plans_nothing_and_never_falls_behind(self, coordinator):
        lot = LotFactory(
            insertion_market=True, started_on=datetime.date(2024, 1, 1), ended_on=datetime.date(2024, 12, 31)
        )
        hours(lot, 3)
        [row] = selectors.lots_progress(user=coordinator, today=JULY_1)
        assert row.planned == 0 and row.realised == 0  # counted hours: none, qualitative follow-up
        assert row.progress is None and not row.behind

    def test_realised_hours_follow_the_operations_convention(self, coordinator, lot):
        operation = lot.market.operation
        CountingConventionFactory(
            operation=operation, count_staff_provision=False, cdi_equivalence_hours=Decimal("455.00")
        )
        hours(lot, 3)  # direct hire, CDD: 100 h count
        etti = OrganizationFactory(siae=True, siae_type=SiaeType.ETTI)
        hours(lot, 3, mode=FulfilmentMode.PROVISION_ETTI, employer=etti, contract="ctti")  # not admitted
        PlacementFactory(lot=lot, contract="cdi", started_on=datetime.date(2024, 4, 1))  # valued 455 h
        [row] = selectors.lots_progress(user=coordinator, today=JULY_1)
        assert row.realised == Decimal("555.00")
        assert row.realised == explain_operation_hours(operation).counted

    def test_hours_worked_elsewhere_count_under_a_globalisation_agreement(self, coordinator, lot):
        other = OperationFactory(name="Groupe scolaire")
        placement = hours(lot, 3)
        HoursRecordFactory(placement=placement, month=datetime.date(2024, 4, 1), worked_on=other)
        [row] = selectors.lots_progress(user=coordinator, today=JULY_1)
        assert row.realised == Decimal("100.00")
        GlobalisationAgreementFactory(operations=[lot.market.operation, other], started_on=datetime.date(2024, 1, 1))
        [row] = selectors.lots_progress(user=coordinator, today=JULY_1)
        assert row.realised == Decimal("200.00")

    def test_the_lots_sql_figures_equal_the_explained_ones(self, coordinator, lot):
        CountingConventionFactory(operation=lot.market.operation, subcontracting_hourly_rate=Decimal("30.00"))
        ei = OrganizationFactory(siae=True, siae_type=SiaeType.EI)
        placement = PlacementFactory(lot=lot, mode=FulfilmentMode.SUBCONTRACTING_EI, employer=ei, contract="cddi")
        for month in (1, 2, 3):
            HoursRecordFactory(
                placement=placement, month=datetime.date(2024, month, 1), hours=0, subcontracting_amount=Decimal("100")
            )
        hours(lot, 1, amount="10.25")
        [row] = selectors.lots_progress(user=coordinator, today=JULY_1)
        assert row.realised == explain_operation_hours(lot.market.operation).counted == Decimal("20.24")


class TestGroups:
    @pytest.fixture
    def world(self, lot):
        """Two operations of one buyer; lots of two companies."""
        buyer = lot.market.operation.buyer
        second_lot = LotFactory(
            market=MarketFactory(operation=OperationFactory(buyer=buyer, name="Groupe scolaire")),
            attributaire=lot.attributaire,
            started_on=datetime.date(2024, 4, 1),
            ended_on=datetime.date(2024, 9, 28),  # 181 days, 92 elapsed on 1 July
            planned_hours=Decimal("600.00"),
        )
        third_lot = LotFactory(
            market=lot.market,
            started_on=datetime.date(2024, 9, 1),  # not started on 1 July
            ended_on=datetime.date(2025, 8, 31),
            planned_hours=Decimal("200.00"),
        )
        hours(lot, 3, 4, 5)  # 300 h, forecast 600
        hours(second_lot, 4, 5, 6, amount="92.00")  # 276 h, forecast 276 ÷ 92 × 181 = 543
        return {"lot": lot, "second_lot": second_lot, "third_lot": third_lot, "buyer": buyer}

    def test_an_operation_adds_up_its_lots(self, coordinator, world):
        operation = world["lot"].market.operation
        group = selectors.operation_progress(user=coordinator, operation=operation, today=JULY_1)
        assert group.planned == Decimal("1033.33")
        assert group.realised == Decimal("300.00")
        assert group.forecast == Decimal("600.00")  # the lot not started yet has no forecast
        assert not group.forecast_covers_every_lot
        assert group.progress == Decimal("0.2903")
        assert group.lots_behind == 1

    def test_figures_by_buyer_and_by_company(self, coordinator, world):
        [by_buyer] = selectors.progress_by_buyer(user=coordinator, today=JULY_1)
        assert by_buyer.label == world["buyer"].name
        assert (by_buyer.planned, by_buyer.realised, by_buyer.forecast) == (
            Decimal("1633.33"),
            Decimal("576.00"),
            Decimal("1143.00"),
        )
        assert by_buyer.progress == Decimal("0.3527")  # 576 ÷ 1633.33
        by_company = {group.key: group for group in selectors.progress_by_company(user=coordinator, today=JULY_1)}
        first = by_company[world["lot"].attributaire_id]
        assert (first.planned, first.realised, first.forecast) == (
            Decimal("1433.33"),
            Decimal("576.00"),
            Decimal("1143.00"),
        )
        assert first.lots_behind == 2
        other = by_company[world["third_lot"].attributaire_id]
        assert (other.planned, other.realised, other.forecast) == (Decimal("200.00"), Decimal("0.00"), None)

    def test_the_lots_falling_behind_worst_first(self, coordinator, world):
        rows = selectors.lots_falling_behind(user=coordinator, today=JULY_1)
        assert [row.lot for row in rows] == [world["lot"], world["second_lot"]]  # 36 % then 46 %
        assert rows[1].forecast == Decimal("543.00")

    def test_a_buyer_sees_its_own_lots_only(self, world):
        buyer = user_with_role(Role.BUYER, organization=world["buyer"])
        assert len(selectors.lots_falling_behind(user=buyer, today=JULY_1)) == 2
        stranger = user_with_role(Role.BUYER)
        assert selectors.lots_falling_behind(user=stranger, today=JULY_1) == []
        assert selectors.lots_progress(user=stranger, today=JULY_1) == []

    def test_a_company_sees_its_own_lots_only(self, world):
        company = user_with_role(Role.COMPANY, organization=world["lot"].attributaire)
        lots = {row.lot for row in selectors.lots_progress(user=company, today=JULY_1)}
        assert lots == {world["lot"], world["second_lot"]}

    def test_a_facilitators_home_shows_the_lots_of_their_operations(self, world):
        facilitator = user_with_role(Role.FACILITATOR)
        colleague = user_with_role(Role.FACILITATOR)
        operation = world["second_lot"].market.operation
        operation.facilitator = colleague
        operation.save()
        rows = selectors.home_summary(user=facilitator, today=JULY_1)["lots_behind"]
        assert [row.lot for row in rows] == [world["lot"]]  # its operation has no facilitator yet
        rows = selectors.home_summary(user=colleague, today=JULY_1)["lots_behind"]
        assert [row.lot for row in rows] == [world["lot"], world["second_lot"]]


class TestExplanation:
    def test_buyers_read_the_explanation_without_names(self, lot):
        placement = hours(lot, 3, person=PersonFactory(first_name="Nadia", last_name="Benali"))
        buyer = user_with_role(Role.BUYER, organization=lot.market.operation.buyer)
        explanation, rows = selectors.operation_hours(user=buyer, operation=lot.market.operation)
        assert [(row.who, row.counted, row.reason) for row in rows] == [
            ("Salarié·e n° 1", Decimal("100.00"), "100,00 h travaillées.")
        ]
        assert explanation.counted == Decimal("100.00")
        coordinator = user_with_role(Role.COORDINATOR)
        _, rows = selectors.operation_hours(user=coordinator, operation=lot.market.operation)
        assert rows[0].who == "Nadia BENALI" and rows[0].person == placement.person

    def test_a_company_reads_its_own_lots_records_only(self, lot):
        other_lot = LotFactory(market=lot.market)
        hours(lot, 3)
        hours(other_lot, 3)
        company = user_with_role(Role.COMPANY, organization=lot.attributaire)
        _, rows = selectors.operation_hours(user=company, operation=lot.market.operation)
        assert [row.placement.lot for row in rows] == [lot]


class TestPeopleLists:
    def test_the_pool_filters(self):
        coordinator = user_with_role(Role.COORDINATOR)
        masonry = RomeCode.objects.get(code="F1703")
        mason = CandidateFactory(eligible_public=EligiblePublic.RSA, person=PersonFactory(last_name="Maçon"))
        mason.jobs_sought.add(masonry)
        cleaner = CandidateFactory(eligible_public=EligiblePublic.DELD, person=PersonFactory(last_name="Propre"))
        CandidateFactory(status=CandidateStatus.REFERRED)
        PlacementFactory(person=cleaner.person, candidate=cleaner)
        assert set(selectors.pool(user=coordinator)) == {mason, cleaner}
        assert list(selectors.pool(user=coordinator, job=masonry)) == [mason]
        assert list(selectors.pool(user=coordinator, eligible_public=EligiblePublic.DELD)) == [cleaner]
        assert list(selectors.pool(user=coordinator, placed=True)) == [cleaner]
        assert list(selectors.pool(user=coordinator, placed=False)) == [mason]
        assert list(selectors.pool(user=coordinator, query="macon")) == [mason]
        assert set(selectors.pool(user=coordinator, status=CandidateStatus.REFERRED)) == {mason, cleaner}

    def test_referents_and_prescribers_see_their_people_only(self):
        irfa = OrganizationFactory(name="IRFA")
        france_travail = OrganizationFactory(kind=OrganizationKind.PRESCRIBER)
        followed = CandidateFactory(prescriber=france_travail)
        FollowUpFactory(person=followed.person, organization=irfa, programme=Programme.PLIE)
        FollowUpFactory(
            person=followed.person,
            organization=OrganizationFactory(),
            programme=Programme.CLAUSES,
            prescriber=france_travail,
        )
        CandidateFactory()
        referent = user_with_role(Role.REFERENT, organization=irfa)
        prescriber = user_with_role(Role.PRESCRIBER, organization=france_travail)
        assert list(selectors.candidates(user=referent)) == [followed]
        assert list(selectors.candidates(user=prescriber)) == [followed]
        assert list(selectors.candidates(user=user_with_role(Role.MOBILITY_ADVISER))) == []
        assert list(selectors.candidates(user=user_with_role(Role.BUYER))) == []

    def test_evaluations_due(self):
        coordinator = user_with_role(Role.COORDINATOR)
        due = PlacementFactory(started_on=datetime.date(2024, 2, 1))
        PlacementFactory(evaluation_status=EvaluationStatus.DONE, evaluated_on=datetime.date(2024, 3, 1))
        older = PlacementFactory(started_on=datetime.date(2024, 1, 1))
        assert list(selectors.evaluations_due(user=coordinator)) == [older, due]

    def test_facilitators_are_the_active_facilitators(self):
        facilitator = user_with_role(Role.FACILITATOR)
        user_with_role(Role.FACILITATOR, is_active=False)
        user_with_role(Role.REFERENT)
        assert list(selectors.facilitators()) == [facilitator]


def test_an_operation_without_lots_has_no_figures():
    coordinator = user_with_role(Role.COORDINATOR)
    operation = OperationFactory()
    group = selectors.operation_progress(user=coordinator, operation=operation, today=JULY_1)
    assert (group.planned, group.realised, group.forecast, group.progress) == (
        Decimal("0.00"),
        Decimal("0.00"),
        None,
        None,
    )


def test_lots_of_a_reserved_market_carry_hours():
    coordinator = user_with_role(Role.COORDINATOR)
    LotFactory(
        legal_basis=LegalBasis.RESERVED_MARKET,
        started_on=datetime.date(2024, 1, 1),
        ended_on=datetime.date(2024, 12, 31),
    )
    [row] = selectors.lots_progress(user=coordinator, today=JULY_1)
    assert row.planned == Decimal("833.33") and row.behind
