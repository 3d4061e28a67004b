"""The positive-exit rule engine (domain spec §3.5, call for projects 2024): each criterion and its edges."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import PersonFactory
from tests.plie.factories import BusinessCreationFactory, ContractFactory, PathwayFactory, StepFactory
from tremplin.plie.enums import ContractType, EmployerKind, ExitRule, StepKind
from tremplin.plie.exits import assess_exit

D = datetime.date
JAN_1_2023 = D(2023, 1, 1)


@pytest.fixture
def pathway():
    # Born in 1985: neither young nor 55 and over on any date used here.
    return PathwayFactory(person=PersonFactory(birth_date=D(1985, 4, 12)), entry_date=D(2022, 1, 3))


def contract(pathway, contract_type=ContractType.CDD, start=JAN_1_2023, *, end=None, planned=None, hours="35", **kw):
    return ContractFactory(
        pathway=pathway,
        contract_type=contract_type,
        started_on=start,
        ended_on=end,
        planned_end_on=planned,
        weekly_hours=Decimal(hours),
        **kw,
    )


def outcome_of(pathway, at, rule):
    return next(o for o in assess_exit(pathway, at).outcomes if o.rule == rule)


def assert_met(pathway, at, rule, met_on):
    """The criterion is met on `met_on`, it is the one retained, and assessing on `met_on` agrees."""
    assessment = assess_exit(pathway, at)
    assert assessment.outcome is not None, assessment.summary
    assert (assessment.outcome.rule, assessment.outcome.met_on) == (rule, met_on)
    on_the_day = assess_exit(pathway, met_on).outcome
    assert on_the_day is not None and (on_the_day.rule, on_the_day.met_on) == (rule, met_on)
    return assessment.outcome


def assert_not_met(pathway, at, rule):
    outcome = outcome_of(pathway, at, rule)
    assert not outcome.met and outcome.met_on is None, outcome.because
    return outcome


class TestCdi:
    def test_met_exactly_at_six_calendar_months(self, pathway):
        contract(pathway, ContractType.CDI, D(2024, 1, 1))
        outcome = assert_met(pathway, D(2024, 12, 31), ExitRule.CDI, D(2024, 6, 30))
        assert "6 mois de présence atteints le 30/06/2024" in outcome.because

    def test_not_met_the_day_before(self, pathway):
        contract(pathway, ContractType.CDI, D(2024, 1, 1))
        assert_not_met(pathway, D(2024, 6, 29), ExitRule.CDI)
        assert not assess_exit(pathway, D(2024, 6, 29)).met

    def test_calendar_months_of_a_shorter_month(self, pathway):
        # 31 August + 6 months = 29 February 2024: presence is complete on the 28th.
        contract(pathway, ContractType.CDI, D(2023, 8, 31))
        assert_met(pathway, D(2024, 6, 1), ExitRule.CDI, D(2024, 2, 28))
        assert_not_met(pathway, D(2024, 2, 27), ExitRule.CDI)

    def test_ended_one_day_short(self, pathway):
        contract(pathway, ContractType.CDI, D(2024, 1, 1), end=D(2024, 6, 29))
        outcome = assert_not_met(pathway, D(2024, 12, 31), ExitRule.CDI)
        assert "moins de 6 mois" in outcome.because

    def test_cdi_interimaire_counts_as_cdi_not_as_interim(self, pathway):
        contract(pathway, ContractType.CDI_INTERIM, D(2024, 1, 1), employer_kind=EmployerKind.ORDINARY)
        assert_met(pathway, D(2024, 7, 15), ExitRule.CDI, D(2024, 6, 30))
        assert_not_met(pathway, D(2024, 7, 15), ExitRule.INTERIM)

    @pytest.mark.parametrize("alternance", [ContractType.PROFESSIONALISATION, ContractType.APPRENTICESHIP])
    def test_alternance_concluded_as_a_cdi_counts_as_cdi(self, pathway, alternance):
        contract(pathway, alternance, D(2024, 1, 1), open_ended=True)
        assert_met(pathway, D(2024, 7, 15), ExitRule.CDI, D(2024, 6, 30))
        assert_not_met(pathway, D(2024, 7, 15), ExitRule.CDD)

    def test_open_ended_flag_on_a_cdd_does_not_make_a_cdi(self, pathway):
        contract(pathway, ContractType.CDD, D(2024, 1, 1), open_ended=True, planned=D(2024, 3, 31))
        assert_not_met(pathway, D(2024, 7, 15), ExitRule.CDI)


class TestHalfTime:
    def test_cdi_under_half_time_without_agreement_is_not_met(self, pathway):
        contract(pathway, ContractType.CDI, D(2024, 1, 1), hours="17")
        outcome = assert_not_met(pathway, D(2024, 12, 31), ExitRule.CDI)
        assert "moins d'un mi-temps sans accord du participant" in outcome.because

    def test_cdi_under_half_time_with_agreement_is_met(self, pathway):
        contract(
            pathway,
            ContractType.CDI,
            D(2024, 1, 1),
            hours="17",
            part_time_agreed_on=D(2024, 1, 1),
            part_time_agreement_evidence="Avenant signé",
        )
        assert_met(pathway, D(2024, 12, 31), ExitRule.CDI, D(2024, 6, 30))

    def test_agreement_dated_after_the_assessment_does_not_count(self, pathway):
        contract(pathway, ContractType.CDI, D(2024, 1, 1), hours="17", part_time_agreed_on=D(2024, 7, 15))
        assert_not_met(pathway, D(2024, 7, 14), ExitRule.CDI)

    def test_criterion_is_met_on_the_agreement_when_it_comes_after_six_months(self, pathway):
        # Met on the day both conditions hold: proposing the exit on that day must be accepted.
        contract(pathway, ContractType.CDI, D(2024, 1, 1), hours="17", part_time_agreed_on=D(2024, 7, 15))
        assert_met(pathway, D(2024, 12, 31), ExitRule.CDI, D(2024, 7, 15))

    def test_exactly_half_time_counts(self, pathway):
        contract(pathway, ContractType.CDI, D(2024, 1, 1), hours="17.5")
        assert_met(pathway, D(2024, 12, 31), ExitRule.CDI, D(2024, 6, 30))

    def test_single_cdd_under_half_time_is_not_met(self, pathway):
        contract(pathway, ContractType.CDD, D(2023, 1, 1), planned=D(2023, 12, 31), hours="17")
        outcome = assert_not_met(pathway, D(2023, 12, 31), ExitRule.CDD)
        assert "mi-temps" in outcome.because

    def test_part_time_cdd_counts_towards_the_cumulation_from_the_agreement(self, pathway):
        # 89 days at 10 h (agreed on 15/09) + a full-time CDD from 1 May: the 183 days are there on
        # 2 August, but the part-time days count only once the agreement is recorded.
        contract(
            pathway,
            ContractType.CDD,
            D(2023, 1, 2),
            end=D(2023, 3, 31),
            hours="10",
            part_time_agreed_on=D(2023, 9, 15),
        )
        contract(pathway, ContractType.CDD, D(2023, 5, 1), planned=D(2023, 9, 30))
        assert_not_met(pathway, D(2023, 9, 14), ExitRule.CDD)
        outcome = assert_met(pathway, D(2023, 12, 31), ExitRule.CDD, D(2023, 9, 15))
        assert len(outcome.records) == 2


class TestCdd:
    def test_single_cdd_of_six_calendar_months(self, pathway):
        # 1 Jan - 30 Jun 2023 is 181 days: met through calendar months, not through the 183 days.
        cdd = contract(pathway, ContractType.CDD, D(2023, 1, 1), end=D(2023, 6, 30))
        outcome = assert_met(pathway, D(2023, 12, 31), ExitRule.CDD, D(2023, 6, 30))
        assert "6 mois de présence" in outcome.because
        assert [r.pk for r in outcome.records] == [cdd.pk]

    def test_single_cdd_one_day_short(self, pathway):
        contract(pathway, ContractType.CDD, D(2023, 1, 1), end=D(2023, 6, 29))
        outcome = assert_not_met(pathway, D(2023, 12, 31), ExitRule.CDD)
        assert "180 jours de CDD cumulés au mieux" in outcome.because

    def test_single_cdd_of_183_days_is_met_by_the_day_count_before_six_calendar_months(self, pathway):
        # 1 Jul - 31 Dec holds 184 days: the 183rd (30 Dec) comes before the 6 calendar months (31 Dec).
        # The engine retains the earlier of the two readings, even for a single contract.
        contract(pathway, ContractType.CDD, D(2023, 7, 1), end=D(2023, 12, 31))
        outcome = assert_met(pathway, D(2024, 3, 31), ExitRule.CDD, D(2023, 12, 30))
        assert "183 jours de CDD cumulés" in outcome.because

    def test_successive_cdds_with_a_gap_reach_183_days(self, pathway):
        # 89 days (2 Jan - 31 Mar), a month without work, then from 1 May: the 94th day is 2 August.
        first = contract(pathway, ContractType.CDD, D(2023, 1, 2), end=D(2023, 3, 31))
        second = contract(pathway, ContractType.CDD, D(2023, 5, 1), planned=D(2023, 9, 30), employer_name="Autre")
        assert_not_met(pathway, D(2023, 8, 1), ExitRule.CDD)
        outcome = assert_met(pathway, D(2023, 12, 31), ExitRule.CDD, D(2023, 8, 2))
        assert "183 jours de CDD cumulés en 12 mois atteints le 02/08/2023" in outcome.because
        assert sorted(r.pk for r in outcome.records) == sorted([first.pk, second.pk])

    def test_days_older_than_twelve_months_drop_out(self, pathway):
        # 100 days early 2023 + 100 days in 2024: never 183 within 12 months.
        contract(pathway, ContractType.CDD, D(2023, 1, 1), end=D(2023, 4, 10))
        contract(pathway, ContractType.CDD, D(2024, 3, 1), end=D(2024, 6, 8))
        outcome = assert_not_met(pathway, D(2024, 12, 31), ExitRule.CDD)
        assert "jours de CDD cumulés au mieux" in outcome.because

    def test_window_is_twelve_months_to_the_day(self, pathway):
        # On 2 January 2024 the window starts on 3 January 2023: 118 + 63 days. A day more of window
        # (2 January 2023) would make 183.
        contract(pathway, ContractType.CDD, D(2023, 1, 1), end=D(2023, 4, 30))
        contract(pathway, ContractType.CDD, D(2023, 11, 1), end=D(2024, 1, 2))
        outcome = assert_not_met(pathway, D(2024, 6, 30), ExitRule.CDD)
        assert outcome.because == "181 jours de CDD cumulés au mieux sur 12 mois, 183 requis."

    def test_records_used_are_those_of_the_window(self, pathway):
        # A CDD of early 2022 is outside the 12 months ending on 29 September 2023: not a record used.
        contract(pathway, ContractType.CDD, D(2022, 1, 3), end=D(2022, 2, 28))
        spring = contract(pathway, ContractType.CDD, D(2023, 3, 1), end=D(2023, 5, 31))
        summer = contract(pathway, ContractType.CDD, D(2023, 7, 1), end=D(2023, 9, 30))
        outcome = assert_met(pathway, D(2023, 12, 31), ExitRule.CDD, D(2023, 9, 29))
        assert sorted(r.pk for r in outcome.records) == sorted([spring.pk, summer.pk])

    def test_overlapping_contracts_count_each_day_once(self, pathway):
        # 120 + 107 days, but together only 1 Jan - 15 Jun (166 days).
        contract(pathway, ContractType.CDD, D(2023, 1, 1), end=D(2023, 4, 30))
        contract(pathway, ContractType.CDD, D(2023, 3, 1), end=D(2023, 6, 15), employer_name="Autre")
        outcome = assert_not_met(pathway, D(2023, 12, 31), ExitRule.CDD)
        assert "166 jours" in outcome.because

    @pytest.mark.parametrize("alternance", [ContractType.PROFESSIONALISATION, ContractType.APPRENTICESHIP])
    def test_fixed_term_alternance_counts_as_cdd(self, pathway, alternance):
        contract(pathway, alternance, D(2023, 9, 1), planned=D(2025, 8, 31))
        assert_met(pathway, D(2024, 6, 30), ExitRule.CDD, D(2024, 2, 29))
        assert_not_met(pathway, D(2024, 6, 30), ExitRule.CDI)

    def test_planned_end_is_used_when_there_is_no_actual_end(self, pathway):
        contract(pathway, ContractType.CDD, D(2023, 1, 1), planned=D(2023, 6, 30))
        assert_met(pathway, D(2023, 12, 31), ExitRule.CDD, D(2023, 6, 30))

    def test_planned_end_short_of_six_months(self, pathway):
        contract(pathway, ContractType.CDD, D(2023, 1, 1), planned=D(2023, 6, 29))
        assert_not_met(pathway, D(2023, 12, 31), ExitRule.CDD)

    def test_actual_end_prevails_over_the_planned_one(self, pathway):
        contract(pathway, ContractType.CDD, D(2023, 1, 1), planned=D(2023, 12, 31), end=D(2023, 5, 31))
        assert_not_met(pathway, D(2023, 12, 31), ExitRule.CDD)

    def test_never_counts_beyond_the_date_assessed(self, pathway):
        # Signed for a year: not met on 1 June, whatever the planned end says.
        contract(pathway, ContractType.CDD, D(2023, 1, 1), planned=D(2023, 12, 31))
        assert_not_met(pathway, D(2023, 6, 1), ExitRule.CDD)


class TestInterim:
    MISSIONS = [
        (D(2023, 1, 9), D(2023, 3, 31)),  # 82 days
        (D(2023, 5, 2), D(2023, 7, 31)),  # 91 days
        (D(2023, 9, 1), D(2023, 9, 30)),  # the 10th day, 10 September, makes 183
    ]

    def missions(self, pathway, last_type=ContractType.INTERIM, last_hours="35"):
        made = [contract(pathway, ContractType.INTERIM, start, end=end) for start, end in self.MISSIONS[:2]]
        start, end = self.MISSIONS[2]
        made.append(contract(pathway, last_type, start, end=end, hours=last_hours))
        return made

    def test_missions_with_gaps_reach_183_days_on_the_exact_day(self, pathway):
        missions = self.missions(pathway)
        assert_not_met(pathway, D(2023, 9, 9), ExitRule.INTERIM)
        outcome = assert_met(pathway, D(2023, 12, 31), ExitRule.INTERIM, D(2023, 9, 10))
        assert sorted(r.pk for r in outcome.records) == sorted(m.pk for m in missions)
        assert "183 jours de missions d'intérim cumulés sur 12 mois atteints le 10/09/2023" in outcome.because

    @pytest.mark.parametrize(
        ("last_type", "last_hours"),
        [(ContractType.CTTI, "35"), (ContractType.INTERIM, "10")],
        ids=["ctti-counts-as-interim", "no-half-time-rule-for-interim"],
    )
    def test_mission_that_makes_the_183_days(self, pathway, last_type, last_hours):
        self.missions(pathway, last_type, last_hours)
        assert_met(pathway, D(2023, 12, 31), ExitRule.INTERIM, D(2023, 9, 10))

    def test_without_the_last_mission_it_is_not_met(self, pathway):
        self.missions(pathway, last_type=ContractType.CDDI)
        outcome = assert_not_met(pathway, D(2023, 12, 31), ExitRule.INTERIM)
        assert "173 jours de missions cumulés au mieux" in outcome.because

    def test_missions_older_than_twelve_months_drop_out(self, pathway):
        contract(pathway, ContractType.INTERIM, D(2022, 1, 3), end=D(2022, 4, 30))
        contract(pathway, ContractType.INTERIM, D(2023, 2, 1), end=D(2023, 5, 31))
        assert_not_met(pathway, D(2023, 12, 31), ExitRule.INTERIM)

    def test_overlapping_missions_count_each_day_once(self, pathway):
        contract(pathway, ContractType.INTERIM, D(2023, 1, 1), end=D(2023, 4, 30))
        contract(pathway, ContractType.CTTI, D(2023, 3, 1), end=D(2023, 6, 15))
        outcome = assert_not_met(pathway, D(2023, 12, 31), ExitRule.INTERIM)
        assert "166 jours" in outcome.because


class TestSubsidised:
    def test_contrat_aide_of_six_months(self, pathway):
        contract(pathway, ContractType.SUBSIDISED, D(2023, 3, 1), planned=D(2024, 2, 29), hours="20")
        assert_not_met(pathway, D(2023, 8, 30), ExitRule.SUBSIDISED)
        assert_met(pathway, D(2023, 12, 31), ExitRule.SUBSIDISED, D(2023, 8, 31))

    def test_cddi_in_an_aci_is_not_a_contrat_aide(self, pathway):
        contract(pathway, ContractType.CDDI, D(2023, 3, 1), planned=D(2024, 2, 29), employer_kind=EmployerKind.ACI)
        assert_not_met(pathway, D(2024, 2, 29), ExitRule.SUBSIDISED)
        assert not assess_exit(pathway, D(2024, 2, 29)).met

    def test_contrat_aide_in_an_aci_is_excluded(self, pathway):
        contract(
            pathway, ContractType.SUBSIDISED, D(2023, 3, 1), planned=D(2024, 2, 29), employer_kind=EmployerKind.ACI
        )
        assert_not_met(pathway, D(2024, 2, 29), ExitRule.SUBSIDISED)


class TestAciSenior:
    @pytest.fixture
    def senior(self):
        # 55 on 10 May 2022.
        return PathwayFactory(person=PersonFactory(birth_date=D(1967, 5, 10)), entry_date=D(2022, 9, 1))

    def aci(self, pathway, **kw):
        return contract(
            pathway,
            ContractType.CDDI,
            D(2023, 1, 2),
            planned=D(2024, 1, 1),
            hours="26",
            employer_kind=EmployerKind.ACI,
            **kw,
        )

    def test_not_met_without_the_cell_validation(self, senior):
        self.aci(senior)
        outcome = assert_not_met(senior, D(2023, 9, 1), ExitRule.ACI_SENIOR)
        assert "validation au cas par cas de la cellule" in outcome.pending
        pending = assess_exit(senior, D(2023, 9, 1)).as_dict()["pending"]
        assert pending == [{"rule": ExitRule.ACI_SENIOR, "reason": outcome.pending}]

    def test_met_on_the_validation_when_it_comes_after_six_months(self, senior):
        self.aci(senior, cell_validated_on=D(2023, 8, 15))
        assert_not_met(senior, D(2023, 8, 14), ExitRule.ACI_SENIOR)
        outcome = assert_met(senior, D(2023, 9, 1), ExitRule.ACI_SENIOR, D(2023, 8, 15))
        assert outcome.pending == ""

    def test_met_at_six_months_when_validated_before(self, senior):
        self.aci(senior, cell_validated_on=D(2023, 5, 2))
        assert_not_met(senior, D(2023, 6, 30), ExitRule.ACI_SENIOR)
        assert_met(senior, D(2023, 9, 1), ExitRule.ACI_SENIOR, D(2023, 7, 1))

    def test_not_met_for_someone_54_at_the_start_of_the_contract(self):
        # 55 on 1 March 2023, two months into the contract.
        pathway = PathwayFactory(person=PersonFactory(birth_date=D(1968, 3, 1)), entry_date=D(2022, 9, 1))
        self.aci(pathway, cell_validated_on=D(2023, 8, 15))
        outcome = assert_not_met(pathway, D(2023, 12, 31), ExitRule.ACI_SENIOR)
        assert "avant 55 ans" in outcome.because

    def test_contrat_aide_with_an_aci_counts_here(self, senior):
        contract(
            senior,
            ContractType.SUBSIDISED,
            D(2023, 1, 2),
            planned=D(2024, 1, 1),
            employer_kind=EmployerKind.ACI,
            cell_validated_on=D(2023, 8, 15),
        )
        assert_met(senior, D(2023, 9, 1), ExitRule.ACI_SENIOR, D(2023, 8, 15))
        assert_not_met(senior, D(2023, 9, 1), ExitRule.SUBSIDISED)

    def test_cddi_outside_an_aci_does_not_count(self, senior):
        contract(
            senior,
            ContractType.CDDI,
            D(2023, 1, 2),
            planned=D(2024, 1, 1),
            employer_kind=EmployerKind.EI,
            cell_validated_on=D(2023, 8, 15),
        )
        assert_not_met(senior, D(2023, 12, 31), ExitRule.ACI_SENIOR)


class TestTraining:
    def training(self, pathway, kind=StepKind.TRAINING_QUALIFYING, obtained=True):
        return StepFactory(
            pathway=pathway,
            kind=kind,
            title="Titre professionnel agent·e de propreté",
            certification="TP APH",
            started_on=D(2023, 9, 4),
            ended_on=D(2024, 3, 15),
            certification_obtained=obtained,
        )

    @pytest.mark.parametrize("kind", [StepKind.TRAINING_QUALIFYING, StepKind.TRAINING_CERTIFYING])
    def test_validated_training_is_met_on_its_end(self, pathway, kind):
        step = self.training(pathway, kind)
        assert_not_met(pathway, D(2024, 3, 14), ExitRule.TRAINING)
        outcome = assert_met(pathway, D(2024, 6, 30), ExitRule.TRAINING, D(2024, 3, 15))
        assert [(r.kind, r.pk) for r in outcome.records] == [("step", step.pk)]
        assert "TP APH" in outcome.because

    @pytest.mark.parametrize(
        ("kind", "obtained"),
        [
            (StepKind.TRAINING_QUALIFYING, False),
            (StepKind.TRAINING_QUALIFYING, None),
            (StepKind.TRAINING_PREQUALIFYING, True),
            (StepKind.IMMERSION, True),
        ],
    )
    def test_not_met(self, pathway, kind, obtained):
        self.training(pathway, kind, obtained)
        assert_not_met(pathway, D(2024, 6, 30), ExitRule.TRAINING)


class TestBusiness:
    def test_registered_and_active_six_months(self, pathway):
        business = BusinessCreationFactory(pathway=pathway, registered_on=D(2023, 6, 1))
        assert_not_met(pathway, D(2023, 11, 29), ExitRule.BUSINESS)
        outcome = assert_met(pathway, D(2024, 6, 30), ExitRule.BUSINESS, D(2023, 11, 30))
        assert [(r.kind, r.pk) for r in outcome.records] == [("business", business.pk)]

    def test_ceased_before_six_months(self, pathway):
        BusinessCreationFactory(pathway=pathway, registered_on=D(2023, 6, 1), ceased_on=D(2023, 11, 29))
        assert_not_met(pathway, D(2024, 6, 30), ExitRule.BUSINESS)

    def test_ceased_on_the_last_day_of_the_six_months(self, pathway):
        BusinessCreationFactory(pathway=pathway, registered_on=D(2023, 6, 1), ceased_on=D(2023, 11, 30))
        assert_met(pathway, D(2024, 6, 30), ExitRule.BUSINESS, D(2023, 11, 30))


class TestAssessment:
    def test_contract_starting_after_the_date_is_ignored(self, pathway):
        contract(pathway, ContractType.CDI, D(2024, 1, 1))
        outcome = assert_not_met(pathway, D(2023, 12, 31), ExitRule.CDI)
        assert outcome.because == "aucun CDI."

    def test_earliest_criterion_wins(self, pathway):
        StepFactory(
            pathway=pathway,
            kind=StepKind.TRAINING_CERTIFYING,
            title="CACES R489",
            started_on=D(2023, 1, 9),
            ended_on=D(2023, 3, 10),
            certification_obtained=True,
        )
        contract(pathway, ContractType.CDI, D(2023, 4, 1))
        assessment = assess_exit(pathway, D(2023, 12, 31))
        assert {o.rule for o in assessment.outcomes if o.met} == {ExitRule.TRAINING, ExitRule.CDI}
        assert (assessment.outcome.rule, assessment.outcome.met_on) == (ExitRule.TRAINING, D(2023, 3, 10))

    def test_earliest_criterion_wins_whatever_the_rule_order(self, pathway):
        contract(pathway, ContractType.CDI, D(2023, 4, 1))
        BusinessCreationFactory(pathway=pathway, registered_on=D(2023, 1, 1))
        assessment = assess_exit(pathway, D(2023, 12, 31))
        assert (assessment.outcome.rule, assessment.outcome.met_on) == (ExitRule.BUSINESS, D(2023, 6, 30))

    def test_ties_go_to_the_first_rule(self, pathway):
        contract(pathway, ContractType.CDD, D(2024, 1, 1), planned=D(2024, 12, 31))
        contract(pathway, ContractType.CDI, D(2024, 1, 1), employer_name="Autre")
        assessment = assess_exit(pathway, D(2024, 7, 31))
        assert {(o.rule, o.met_on) for o in assessment.outcomes if o.met} == {
            (ExitRule.CDI, D(2024, 6, 30)),
            (ExitRule.CDD, D(2024, 6, 30)),
        }
        assert assessment.outcome.rule == ExitRule.CDI

    def test_every_rule_is_answered_with_a_reason(self, pathway):
        assessment = assess_exit(pathway, D(2024, 6, 30))
        assert [o.rule for o in assessment.outcomes] == list(ExitRule)
        assert all(o.because and not o.met for o in assessment.outcomes)

    def test_summary_and_dict_when_met(self, pathway):
        cdi = contract(pathway, ContractType.CDI, D(2024, 1, 1), hours="24.5", employer_name="Boulangerie des Ducs")
        assessment = assess_exit(pathway, D(2024, 7, 1))
        label = "CDI chez Boulangerie des Ducs du 01/01/2024 (24,5 h/semaine)"
        assert assessment.summary == (
            "Critère rempli le 30/06/2024 : CDI au terme de 6 mois de présence dans l'entreprise, "
            f"car {label} : 6 mois de présence atteints le 30/06/2024."
        )
        assert assessment.as_dict() == {
            "at": "2024-07-01",
            "rule": "cdi",
            "rule_label": "CDI au terme de 6 mois de présence dans l'entreprise",
            "met_on": "2024-06-30",
            "explanation": assessment.summary,
            "records": [{"kind": "contract", "id": cdi.pk, "label": label}],
            "pending": [],
        }

    def test_summary_and_dict_when_not_met(self, pathway):
        contract(pathway, ContractType.CDI, D(2024, 1, 1))
        assessment = assess_exit(pathway, D(2024, 6, 29))
        assert assessment.summary == "Aucun critère de sortie positive rempli au 29/06/2024."
        data = assessment.as_dict()
        assert (data["rule"], data["rule_label"], data["met_on"], data["records"]) == (None, None, None, [])
