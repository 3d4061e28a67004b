"""The counting rules (domain spec §4): every convention, globalisation, insertion markets, and the
parity of the explained computation (record by record) with the SQL one (yearly figures)."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from tests.clauses.factories import (
    CountingConventionFactory,
    GlobalisationAgreementFactory,
    HoursRecordFactory,
    LotFactory,
    MarketFactory,
    OperationFactory,
    PlacementFactory,
)
from tremplin.clauses.counting import (
    annotate_counted_hours,
    cdi_equivalence_hours,
    explain_operation_hours,
    refresh_counted_hours,
)
from tremplin.clauses.enums import FulfilmentMode, HireContract
from tremplin.clauses.models import HoursRecord, Placement

D = Decimal
MARCH = datetime.date(2024, 3, 1)
PROVISION = [FulfilmentMode.PROVISION_ETTI, FulfilmentMode.PROVISION_AI, FulfilmentMode.PROVISION_GEIQ]
SUBCONTRACTING = [
    FulfilmentMode.SUBCONTRACTING_EI,
    FulfilmentMode.SUBCONTRACTING_ACI,
    FulfilmentMode.SUBCONTRACTING_EA,
]


def sql_counted(operation) -> Decimal:
    """The SQL computation for one operation: records plus CDI equivalences."""
    records = annotate_counted_hours(HoursRecord.objects.filter(placement__lot__market__operation=operation))
    total = records.aggregate(total=Sum("computed_hours"))["total"] or D("0")
    return total + cdi_equivalence_hours(Placement.objects.filter(lot__market__operation=operation))


def assert_parity(operation):
    """Both computations agree, in total and record by record; returns the explained result."""
    explained = explain_operation_hours(operation)
    assert explained.counted == sql_counted(operation)
    by_record = dict(
        annotate_counted_hours(HoursRecord.objects.filter(placement__lot__market__operation=operation)).values_list(
            "pk", "computed_hours"
        )
    )
    refresh_counted_hours()
    stored = dict(
        HoursRecord.objects.filter(placement__lot__market__operation=operation).values_list("pk", "counted_hours")
    )
    for line in explained.records:
        if line.record is not None:
            assert line.counted == by_record[line.record.pk], line.reason
            assert line.counted == stored[line.record.pk], line.reason
    return explained


def only_line(operation):
    explained = assert_parity(operation)
    assert len(explained.records) == 1
    return explained.records[0]


def operation_with(**convention):
    operation = OperationFactory()
    if convention:
        CountingConventionFactory(operation=operation, **convention)
    return operation


def placement_on(operation, **kwargs):
    lot_kwargs = {k.removeprefix("lot_"): kwargs.pop(k) for k in list(kwargs) if k.startswith("lot_")}
    lot = LotFactory(market=MarketFactory(operation=operation), **lot_kwargs)
    return PlacementFactory(lot=lot, **kwargs)


# --- Default convention ----------------------------------------------------------------------------


class TestDefaultConvention:
    """Without a convention: every mode counts, alternance training counts, no conversion, no CDI value."""

    def test_worked_hours_count_with_a_french_explanation(self):
        operation = operation_with()
        HoursRecordFactory(placement=placement_on(operation), month=MARCH, hours=D("151.67"))
        line = only_line(operation)
        assert line.counted == D("151.67")
        assert line.reason == "151,67 h travaillées."

    @pytest.mark.parametrize("mode", list(FulfilmentMode))
    def test_every_mode_counts(self, mode):
        operation = operation_with()
        HoursRecordFactory(placement=placement_on(operation, mode=mode), hours=D("35"))
        assert only_line(operation).counted == D("35.00")

    def test_alternance_training_hours_count(self):
        operation = operation_with()
        placement = placement_on(operation, contract=HireContract.APPRENTICESHIP)
        HoursRecordFactory(placement=placement, hours=D("100"), training_hours=D("40.5"))
        line = only_line(operation)
        assert line.counted == D("140.50")
        assert line.reason == "100,00 h travaillées, 40,50 h de formation en alternance."

    def test_the_operation_explains_its_total_with_the_provenance(self):
        operation = operation_with()
        HoursRecordFactory(placement=placement_on(operation), hours=D("100"))
        HoursRecordFactory(placement=placement_on(operation), hours=D("20.5"))
        explained = assert_parity(operation)
        assert explained.explanation.startswith("120,50 h comptées sur 2 mise(s) en emploi, selon la convention : ")
        assert "Convention par défaut" in explained.explanation


# --- Modes admitted or not ---------------------------------------------------------------------------

MODE_FLAGS = [(FulfilmentMode.DIRECT_HIRE, "count_direct_hire")]
MODE_FLAGS += [(mode, "count_staff_provision") for mode in PROVISION]
MODE_FLAGS += [(mode, "count_subcontracting") for mode in SUBCONTRACTING]


class TestModes:
    @pytest.mark.parametrize("mode,flag", MODE_FLAGS)
    def test_a_mode_the_convention_admits_counts(self, mode, flag):
        operation = operation_with(**{flag: True})
        HoursRecordFactory(placement=placement_on(operation, mode=mode), hours=D("80"))
        assert only_line(operation).counted == D("80.00")

    @pytest.mark.parametrize("mode,flag", MODE_FLAGS)
    def test_a_mode_the_convention_excludes_counts_nothing(self, mode, flag):
        operation = operation_with(**{flag: False})
        placement = placement_on(operation, mode=mode)
        HoursRecordFactory(placement=placement, hours=D("80"))
        line = only_line(operation)
        assert line.counted == 0
        assert line.reason == f"modalité « {placement.get_mode_display()} » non retenue par la convention."

    @pytest.mark.parametrize("mode,flag", MODE_FLAGS)
    def test_excluding_one_mode_leaves_the_others(self, mode, flag):
        operation = operation_with(**{flag: False})
        others = [m for m in FulfilmentMode if m not in dict(MODE_FLAGS) or dict(MODE_FLAGS)[m] != flag]
        for other in others:
            HoursRecordFactory(placement=placement_on(operation, mode=other), hours=D("10"))
        HoursRecordFactory(placement=placement_on(operation, mode=mode), hours=D("10"))
        assert assert_parity(operation).counted == D("10") * len(others)


# --- Alternance training hours ----------------------------------------------------------------------


class TestTrainingHours:
    @pytest.mark.parametrize("contract", [HireContract.PROFESSIONALISATION, HireContract.APPRENTICESHIP])
    def test_alternance_training_hours_count_when_the_convention_says_so(self, contract):
        operation = operation_with(count_alternance_training=True)
        HoursRecordFactory(placement=placement_on(operation, contract=contract), hours=D("70"), training_hours=D("35"))
        assert only_line(operation).counted == D("105.00")

    @pytest.mark.parametrize("contract", [HireContract.PROFESSIONALISATION, HireContract.APPRENTICESHIP])
    def test_alternance_training_hours_do_not_count_when_the_convention_excludes_them(self, contract):
        operation = operation_with(count_alternance_training=False)
        HoursRecordFactory(placement=placement_on(operation, contract=contract), hours=D("70"), training_hours=D("35"))
        line = only_line(operation)
        assert line.counted == D("70.00")
        assert line.reason == "70,00 h travaillées, 35,00 h de formation non retenues."

    @pytest.mark.parametrize("contract", [HireContract.CDD, HireContract.CDI, HireContract.CDDI, HireContract.CTTI])
    def test_training_hours_outside_alternance_never_count(self, contract):
        operation = operation_with(count_alternance_training=True)
        HoursRecordFactory(placement=placement_on(operation, contract=contract), hours=D("70"), training_hours=D("35"))
        line = only_line(operation)
        assert line.counted == D("70.00")
        assert "35,00 h de formation non retenues" in line.reason


# --- Sub-contracting amounts ------------------------------------------------------------------------


class TestSubcontractingConversion:
    @pytest.mark.parametrize("mode", SUBCONTRACTING)
    def test_an_amount_without_hours_is_converted_at_the_rate(self, mode):
        operation = operation_with(subcontracting_hourly_rate=D("30"))
        placement = placement_on(operation, mode=mode)
        HoursRecordFactory(placement=placement, hours=0, subcontracting_amount=D("4500"))
        line = only_line(operation)
        assert line.counted == D("150.00")
        assert line.reason == "4\u202f500,00 € sous-traités ÷ 30,00 €/h = 150,00 h."

    def test_an_amount_with_hours_is_not_converted(self):
        operation = operation_with(subcontracting_hourly_rate=D("30"))
        placement = placement_on(operation, mode=FulfilmentMode.SUBCONTRACTING_ACI)
        HoursRecordFactory(placement=placement, hours=D("60"), subcontracting_amount=D("4500"))
        assert only_line(operation).counted == D("60.00")

    def test_an_amount_is_not_converted_without_a_rate(self):
        operation = operation_with(subcontracting_hourly_rate=None)
        placement = placement_on(operation, mode=FulfilmentMode.SUBCONTRACTING_EI)
        HoursRecordFactory(placement=placement, hours=0, subcontracting_amount=D("4500"))
        assert only_line(operation).counted == 0

    def test_an_amount_is_not_converted_on_another_mode(self):
        operation = operation_with(subcontracting_hourly_rate=D("30"))
        placement = placement_on(operation, mode=FulfilmentMode.PROVISION_ETTI)
        HoursRecordFactory(placement=placement, hours=0, subcontracting_amount=D("4500"))
        assert only_line(operation).counted == 0

    def test_an_amount_is_not_converted_when_sub_contracting_is_excluded(self):
        operation = operation_with(subcontracting_hourly_rate=D("30"), count_subcontracting=False)
        placement = placement_on(operation, mode=FulfilmentMode.SUBCONTRACTING_EI)
        HoursRecordFactory(placement=placement, hours=0, subcontracting_amount=D("4500"))
        assert only_line(operation).counted == 0

    def test_converted_hours_are_rounded_to_the_cent_in_both_computations(self):
        # 1,000 ÷ 30 = 33.333… -> 33.33 per record: three records make 99.99, not 100.00.
        operation = operation_with(subcontracting_hourly_rate=D("30"))
        for month in (1, 2, 3):
            placement = placement_on(operation, mode=FulfilmentMode.SUBCONTRACTING_EA)
            HoursRecordFactory(
                placement=placement, month=datetime.date(2024, month, 1), hours=0, subcontracting_amount=D("1000")
            )
        assert assert_parity(operation).counted == D("99.99")


# --- CDI equivalence -------------------------------------------------------------------------------


class TestCdiEquivalence:
    def test_a_cdi_hire_is_valued_in_the_month_it_starts(self):
        operation = operation_with(cdi_equivalence_hours=D("400"))
        placement = placement_on(operation, contract=HireContract.CDI, started_on=datetime.date(2024, 3, 12))
        HoursRecordFactory(placement=placement, month=MARCH, hours=D("100"))
        explained = assert_parity(operation)
        assert explained.counted == D("500.00")
        cdi = [line for line in explained.records if line.record is None]
        assert [(line.month, line.counted) for line in cdi] == [(MARCH, D("400.00"))]
        assert cdi[0].reason == "embauche en CDI valorisée 400,00 h par la convention."

    def test_no_equivalence_without_one_in_the_convention(self):
        operation = operation_with(cdi_equivalence_hours=None)
        placement_on(operation, contract=HireContract.CDI)
        assert assert_parity(operation).counted == 0

    def test_no_equivalence_for_other_contracts(self):
        operation = operation_with(cdi_equivalence_hours=D("400"))
        placement_on(operation, contract=HireContract.CDD)
        placement_on(operation, contract=HireContract.PROFESSIONALISATION)
        assert assert_parity(operation).counted == 0

    def test_no_equivalence_when_the_mode_is_excluded(self):
        operation = operation_with(cdi_equivalence_hours=D("400"), count_direct_hire=False)
        placement_on(operation, contract=HireContract.CDI)
        assert assert_parity(operation).counted == 0

    def test_the_period_selects_cdi_hires_by_their_start(self):
        operation = operation_with(cdi_equivalence_hours=D("400"))
        placement_on(operation, contract=HireContract.CDI, started_on=datetime.date(2024, 3, 12))
        assert explain_operation_hours(operation, start=datetime.date(2024, 4, 1)).counted == 0
        assert explain_operation_hours(operation, end=datetime.date(2024, 3, 31)).counted == D("400.00")


# --- Globalisation -----------------------------------------------------------------------------------


class TestGlobalisation:
    @pytest.fixture
    def setting(self):
        """A person placed on "Groupe scolaire" works some months on "Médiathèque"; an agreement pools
        both operations from March to June 2024."""
        school = OperationFactory(name="Groupe scolaire")
        library = OperationFactory(name="Médiathèque")
        GlobalisationAgreementFactory(
            name="Accord ANRU Fontaine d'Ouche",
            operations=[school, library],
            started_on=datetime.date(2024, 3, 1),
            ended_on=datetime.date(2024, 6, 30),
        )
        placement = placement_on(school)
        return school, library, placement

    def test_hours_worked_on_the_placement_operation_always_count(self, setting):
        school, _, placement = setting
        HoursRecordFactory(placement=placement, month=datetime.date(2024, 1, 1), hours=D("50"), worked_on=school)
        assert only_line(school).counted == D("50.00")

    @pytest.mark.parametrize("month", [3, 4, 6])
    def test_hours_worked_elsewhere_count_while_the_agreement_is_in_force(self, setting, month):
        school, library, placement = setting
        HoursRecordFactory(placement=placement, month=datetime.date(2024, month, 1), hours=D("50"), worked_on=library)
        line = only_line(school)
        assert line.counted == D("50.00")
        assert line.reason == (
            "50,00 h travaillées (effectuées sur « Médiathèque », accord de globalisation "
            "« Accord ANRU Fontaine d'Ouche »)."
        )

    @pytest.mark.parametrize("month", [datetime.date(2024, 2, 1), datetime.date(2024, 7, 1)])
    def test_hours_worked_elsewhere_before_or_after_the_agreement_do_not_count(self, setting, month):
        school, library, placement = setting
        HoursRecordFactory(placement=placement, month=month, hours=D("50"), worked_on=library)
        line = only_line(school)
        assert line.counted == 0
        assert line.reason == "effectuées sur « Médiathèque », hors accord de globalisation."

    def test_an_agreement_without_an_end_stays_in_force(self):
        school, library = OperationFactory(), OperationFactory()
        GlobalisationAgreementFactory(operations=[school, library], started_on=datetime.date(2024, 1, 1))
        HoursRecordFactory(
            placement=placement_on(school), month=datetime.date(2025, 11, 1), hours=D("50"), worked_on=library
        )
        assert only_line(school).counted == D("50.00")

    def test_an_agreement_that_does_not_cover_both_operations_does_not_apply(self, setting):
        school, _, placement = setting
        elsewhere = OperationFactory(name="Piscine")
        GlobalisationAgreementFactory(operations=[elsewhere, OperationFactory()], started_on=datetime.date(2024, 1, 1))
        HoursRecordFactory(placement=placement, month=MARCH, hours=D("50"), worked_on=elsewhere)
        line = only_line(school)
        assert line.counted == 0
        assert "hors accord de globalisation" in line.reason

    def test_hours_worked_elsewhere_without_any_agreement_do_not_count(self):
        operation, other = OperationFactory(), OperationFactory()
        HoursRecordFactory(placement=placement_on(operation), month=MARCH, hours=D("50"), worked_on=other)
        assert only_line(operation).counted == 0

    def test_explaining_many_globalised_months_reads_the_agreements_once(self, setting, django_assert_max_num_queries):
        school, library, placement = setting
        for month in range(1, 13):
            HoursRecordFactory(
                placement=placement, month=datetime.date(2024, month, 1), hours=D("10"), worked_on=library
            )
        with django_assert_max_num_queries(6):
            explained = explain_operation_hours(school)
        assert explained.counted == D("40.00")  # March to June

    def test_globalised_hours_still_follow_the_convention_of_the_placement_operation(self, setting):
        school, library, _ = setting
        CountingConventionFactory(operation=school, count_staff_provision=False)
        placement = placement_on(school, mode=FulfilmentMode.PROVISION_GEIQ)
        HoursRecordFactory(placement=placement, month=MARCH, hours=D("50"), worked_on=library)
        assert only_line(school).counted == 0


# --- Insertion markets -----------------------------------------------------------------------------


class TestInsertionMarkets:
    def test_hours_on_an_insertion_market_count_nothing(self):
        operation = operation_with(count_alternance_training=True)
        placement = placement_on(operation, lot_insertion_market=True, contract=HireContract.APPRENTICESHIP)
        HoursRecordFactory(placement=placement, hours=D("120"), training_hours=D("30"))
        line = only_line(operation)
        assert line.counted == 0
        assert line.reason == "marché d'insertion : suivi qualitatif, sans heures."

    def test_a_cdi_hire_on_an_insertion_market_is_not_valued_either(self):
        operation = operation_with(cdi_equivalence_hours=D("400"))
        placement_on(operation, lot_insertion_market=True, contract=HireContract.CDI)
        assert assert_parity(operation).counted == 0

    def test_subcontracting_amounts_on_an_insertion_market_count_nothing(self):
        operation = operation_with(subcontracting_hourly_rate=D("25"))
        placement = placement_on(operation, lot_insertion_market=True, mode=FulfilmentMode.SUBCONTRACTING_ACI)
        HoursRecordFactory(placement=placement, hours=0, subcontracting_amount=D("2500"))
        assert only_line(operation).counted == 0


# --- Parity on a mixed world --------------------------------------------------------------------------


def test_explained_and_sql_computations_agree_on_several_operations():
    school = operation_with(
        count_staff_provision=False, subcontracting_hourly_rate=D("27.50"), cdi_equivalence_hours=D("600")
    )
    library = operation_with(count_alternance_training=False, count_subcontracting=False)
    pool = operation_with()  # default convention
    GlobalisationAgreementFactory(operations=[school, library], started_on=MARCH, ended_on=datetime.date(2024, 5, 31))
    months = [datetime.date(2024, m, 1) for m in range(1, 9)]
    for index, operation in enumerate([school, library, pool]):
        for mode in FulfilmentMode:
            for contract in (HireContract.CDD, HireContract.PROFESSIONALISATION, HireContract.CDI):
                placement = placement_on(operation, mode=mode, contract=contract)
                for step, month in enumerate(months):
                    worked_on = [None, school, library, pool][(step + index) % 4]
                    amount = D("1234.56") if step % 3 == 0 else None
                    hours = 0 if amount is not None and mode in SUBCONTRACTING else D("12.34") * (step + 1)
                    HoursRecordFactory(
                        placement=placement,
                        month=month,
                        hours=hours,
                        training_hours=D("7.25"),
                        subcontracting_amount=amount,
                        worked_on=worked_on,
                    )
        placement_on(operation, lot_insertion_market=True, contract=HireContract.CDI)
    totals = {operation.name: assert_parity(operation).counted for operation in (school, library, pool)}
    assert all(total > 0 for total in totals.values())
    grand_total = annotate_counted_hours(HoursRecord.objects.all()).aggregate(total=Sum("counted_hours"))["total"]
    grand_total += cdi_equivalence_hours(Placement.objects.all())
    assert grand_total == sum(totals.values())
