import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.funding.factories import (
    AnswerFactory,
    CallActionFactory,
    CallFactory,
    ConventionFactory,
    FseOperationFactory,
    FunderFactory,
    FundingLineFactory,
    ProjectFactory,
)
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.funding import documents, selectors, services
from tremplin.funding.enums import CommitteeOutcome, Dispositif, FunderCategory, ObligationKind
from tremplin.funding.models import Convention, FseExpenseLine, StaffAllocation, StaffYear
from tremplin.people.enums import Programme
from tremplin.plie.enums import ExitKind, PathwayStatus

UTC = datetime.UTC
PARIS = services.PARIS


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


@pytest.fixture
def coordinator():
    return user_with_role(Role.COORDINATOR)


@pytest.fixture
def operator_user():
    return user_with_role(Role.REFERENT, organization=OrganizationFactory(name="IRFA"))


@pytest.fixture
def answer(operator_user):
    return AnswerFactory(operator=operator_user.primary_membership.organization)


class TestDeadline:
    def test_midnight_of_the_first_of_december_is_the_end_of_that_day_in_paris(self):
        deadline = services.end_of_day_in_paris(datetime.date(2023, 12, 1))
        # Winter time: Paris is UTC+1.
        assert deadline == at(2023, 12, 1, 23, 0)

    @pytest.mark.parametrize(
        "day,utc",
        [
            # The night summer time starts (31 March 2024, 02:00 -> 03:00): the deadline is 00:00 CEST, UTC+2.
            (datetime.date(2024, 3, 31), at(2024, 3, 31, 22, 0)),
            # The night before the change: still winter time at midnight.
            (datetime.date(2024, 3, 30), at(2024, 3, 30, 23, 0)),
            # The night summer time ends (27 October 2024, 03:00 -> 02:00): 00:00 on the 28th is CET, UTC+1.
            (datetime.date(2024, 10, 27), at(2024, 10, 27, 23, 0)),
            (datetime.date(2024, 10, 26), at(2024, 10, 26, 22, 0)),
        ],
    )
    def test_the_deadline_follows_paris_summer_and_winter_time(self, day, utc):
        assert services.end_of_day_in_paris(day) == utc

    def test_an_answer_at_the_deadline_is_on_time_one_second_later_is_late(self, answer, operator_user):
        deadline = answer.call.deadline
        with pytest.raises(ValidationError, match="réponse refusée, reçue le 02/12/2023 à 00:00:01"):
            services.submit_answer(answer=answer, by=operator_user, now=deadline + datetime.timedelta(seconds=1))
        answer.refresh_from_db()
        assert answer.submitted_at is None
        submitted = services.submit_answer(answer=answer, by=operator_user, now=deadline)
        assert submitted.submitted_at == deadline

    def test_a_microsecond_late_is_late(self, answer, operator_user):
        late = answer.call.deadline + datetime.timedelta(microseconds=1)
        with pytest.raises(ValidationError):
            services.submit_answer(answer=answer, by=operator_user, now=late)

    def test_the_deadline_is_compared_in_absolute_time_whatever_the_offset_written(self, answer, operator_user):
        # 23:30 in Paris on 1 December is 22:30 UTC: on time, although 23:30 UTC would be late.
        services.submit_answer(answer=answer, by=operator_user, now=at(2023, 12, 1, 23, 30, tz=PARIS))
        other = AnswerFactory(action=answer.action)
        with pytest.raises(ValidationError):
            services.submit_answer(answer=other, by=operator_user, now=at(2023, 12, 1, 23, 30))

    def test_a_deadline_on_the_night_summer_time_starts(self, operator_user):
        call = CallFactory(deadline=services.end_of_day_in_paris(datetime.date(2024, 3, 31)))
        answer = AnswerFactory(action=CallActionFactory(call=call))
        # 23:59:59 on 31 March in Paris (CEST) is 21:59:59 UTC: on time; 00:00:01 on 1 April is late.
        with pytest.raises(ValidationError):
            services.submit_answer(answer=answer, by=operator_user, now=at(2024, 4, 1, 0, 0, 1, tz=PARIS))
        services.submit_answer(answer=answer, by=operator_user, now=at(2024, 3, 31, 23, 59, 59, tz=PARIS))

    def test_naive_datetimes_are_refused(self):
        with pytest.raises(ValueError):
            services.is_on_time(datetime.datetime(2023, 12, 1), at(2023, 12, 1, 23, 0))

    def test_an_answer_is_submitted_once(self, answer, operator_user):
        services.submit_answer(answer=answer, by=operator_user, now=at(2023, 11, 20, 10, 0))
        with pytest.raises(ValidationError, match="déjà déposée"):
            services.submit_answer(answer=answer, by=operator_user, now=at(2023, 11, 20, 11, 0))

    def test_an_unpublished_call_takes_no_answer(self, operator_user):
        answer = AnswerFactory(action=CallActionFactory(call=CallFactory(published_at=None)))
        with pytest.raises(ValidationError, match="pas publié"):
            services.submit_answer(answer=answer, by=operator_user, now=at(2023, 11, 20, 10, 0))

    def test_the_plie_ceiling_of_the_action_holds(self, operator_user):
        answer = AnswerFactory(amount_plie=Decimal("21201.01"), total_budget=Decimal("50000"))
        with pytest.raises(ValidationError) as error:
            services.submit_answer(answer=answer, by=operator_user, now=at(2023, 11, 20, 10, 0))
        assert "21\u202f201,00\u00a0€" in error.value.message_dict["amount_plie"][0]

    def test_publishing_needs_actions_and_a_future_deadline(self, coordinator):
        call = CallFactory(published_at=None)
        with pytest.raises(ValidationError, match="au moins une action"):
            services.publish_call(call=call, by=coordinator, now=at(2023, 11, 9, 9, 0))
        CallActionFactory(call=call)
        with pytest.raises(ValidationError, match="passée"):
            services.publish_call(call=call, by=coordinator, now=call.deadline)
        services.publish_call(call=call, by=coordinator, now=at(2023, 11, 9, 9, 0))
        assert call.published_at == at(2023, 11, 9, 9, 0)


class TestReceipt:
    def test_the_receipt_prints_the_exact_submission_time_in_paris(self, answer, operator_user):
        answer = services.submit_answer(answer=answer, by=operator_user, now=at(2023, 12, 1, 22, 59, 59))
        html = documents.receipt_html(answer)
        assert "01/12/2023 à 23:59:59" in html
        assert answer.receipt_number in html
        assert answer.receipt_number == f"AAP2024-{answer.call_id:03d}-{answer.pk:05d}"
        assert "IRFA" in html

    def test_summer_time_submission(self, operator_user):
        call = CallFactory(deadline=services.end_of_day_in_paris(datetime.date(2024, 7, 1)))
        answer = AnswerFactory(action=CallActionFactory(call=call))
        answer = services.submit_answer(answer=answer, by=operator_user, now=at(2024, 6, 30, 10, 15, 30))
        assert "30/06/2024 à 12:15:30" in documents.receipt_html(answer)

    def test_the_receipt_is_a_pdf(self, answer, operator_user):
        answer = services.submit_answer(answer=answer, by=operator_user, now=at(2023, 11, 30, 8, 0, 0))
        assert documents.receipt_pdf(answer).startswith(b"%PDF")

    def test_a_draft_has_no_receipt(self, answer):
        with pytest.raises(ValueError):
            documents.receipt_html(answer)


def submitted(answer, by):
    return services.submit_answer(answer=answer, by=by, now=at(2023, 11, 30, 8, 0))


class TestCommitteeAndConvention:
    def test_questions_and_refusals_are_motivated(self, answer, operator_user, coordinator):
        submitted(answer, operator_user)
        for outcome in (CommitteeOutcome.REFUSED, CommitteeOutcome.QUESTIONS):
            with pytest.raises(ValidationError, match="Motivez"):
                services.record_decision(
                    answer=answer, held_on=datetime.date(2023, 12, 7), outcome=outcome, by=coordinator
                )

    def test_a_refused_answer_makes_no_convention(self, answer, operator_user, coordinator):
        submitted(answer, operator_user)
        services.record_decision(
            answer=answer,
            held_on=datetime.date(2023, 12, 7),
            outcome=CommitteeOutcome.REFUSED,
            comments="Budget insuffisant",
            by=coordinator,
        )
        with pytest.raises(ValidationError, match="retenue"):
            services.create_convention_from_answer(
                answer=answer, number="C-1", starts_on=datetime.date(2024, 1, 1), by=coordinator
            )

    def test_an_accepted_answer_becomes_a_one_year_convention_with_its_obligations(
        self, answer, operator_user, coordinator
    ):
        submitted(answer, operator_user)
        with pytest.raises(ValidationError):
            services.record_decision(
                answer=answer,
                held_on=datetime.date(2023, 12, 7),
                outcome=CommitteeOutcome.ACCEPTED,
                amount_granted=Decimal("21201.01"),
                by=coordinator,
            )
        services.record_decision(
            answer=answer,
            held_on=datetime.date(2023, 12, 7),
            outcome=CommitteeOutcome.ACCEPTED,
            amount_granted=Decimal("20000.00"),
            by=coordinator,
        )
        convention = services.create_convention_from_answer(
            answer=answer, number="PLIE-2024-01", starts_on=datetime.date(2024, 1, 1), by=coordinator
        )
        assert (convention.starts_on, convention.ends_on) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
        assert convention.amount_plie == Decimal("20000.00")
        assert (convention.people_target, convention.positive_exit_target) == (90, Decimal("25.00"))
        kinds = sorted(convention.obligations.values_list("kind", flat=True))
        assert kinds.count(ObligationKind.FOLLOW_UP_SHEETS) == 4
        assert {ObligationKind.MIDTERM_REPORT, ObligationKind.FINAL_REPORT, ObligationKind.FSE_DATA} <= set(kinds)
        assert convention.history.first().history_user == coordinator
        with pytest.raises(ValidationError, match="déjà sa convention"):
            services.create_convention_from_answer(
                answer=answer, number="PLIE-2024-02", starts_on=datetime.date(2024, 1, 1), by=coordinator
            )

    def test_scores_stay_within_the_grid(self, answer, operator_user, coordinator):
        from tremplin.funding.models import ScoringCriterion

        criterion = ScoringCriterion.objects.create(call=answer.call, label="Méthode", max_points=10)
        with pytest.raises(ValidationError, match="déposée"):
            services.score_answer(answer=answer, criterion=criterion, points=Decimal("5"), by=coordinator)
        submitted(answer, operator_user)
        with pytest.raises(ValidationError):
            services.score_answer(answer=answer, criterion=criterion, points=Decimal("10.5"), by=coordinator)
        services.score_answer(answer=answer, criterion=criterion, points=Decimal("7"), by=coordinator)
        services.score_answer(answer=answer, criterion=criterion, points=Decimal("8"), by=coordinator)
        assert list(answer.scores.values_list("points", flat=True)) == [Decimal("8.0")]


class TestRenewals:
    def test_a_convention_is_renewed_at_most_twice(self, coordinator):
        first = ConventionFactory()
        second = services.renew_convention(convention=first, number="R1", by=coordinator)
        assert (second.starts_on, second.ends_on) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
        third = services.renew_convention(convention=second, number="R2", by=coordinator)
        with pytest.raises(ValidationError, match="renouvelée 2 fois"):
            services.renew_convention(convention=third, number="R3", by=coordinator)
        assert Convention.objects.count() == 3
        assert services.renewal_chain(third) == [first, second, third]

    def test_a_convention_is_renewed_once(self, coordinator):
        first = ConventionFactory()
        services.renew_convention(convention=first, number="R1", by=coordinator)
        with pytest.raises(ValidationError, match="déjà renouvelée"):
            services.renew_convention(convention=first, number="R1b", by=coordinator)

    def test_avenants_need_the_committee_and_do_not_count_by_default(self, coordinator, settings):
        settings.FUNDING_AVENANTS_COUNT_AS_RENEWAL = False
        first = ConventionFactory()
        avenant = services.add_avenant(
            convention=first,
            purpose="Prolongation de trois mois",
            committee_validated_on=datetime.date(2024, 11, 15),
            new_ends_on=datetime.date(2025, 3, 31),
            by=coordinator,
        )
        assert avenant.number == 1
        first.refresh_from_db()
        assert first.current_ends_on == datetime.date(2025, 3, 31)
        second = services.renew_convention(convention=first, number="R1", by=coordinator)
        assert second.starts_on == datetime.date(2025, 4, 1)
        third = services.renew_convention(convention=second, number="R2", by=coordinator)
        assert services.renewals_used(third) == 2
        with pytest.raises(ValidationError):
            services.add_avenant(convention=first, purpose="x", committee_validated_on=None, by=coordinator)

    def test_when_avenants_count_an_extension_uses_a_renewal(self, coordinator, settings):
        settings.FUNDING_AVENANTS_COUNT_AS_RENEWAL = True
        first = ConventionFactory()
        services.add_avenant(
            convention=first,
            purpose="Prolongation",
            committee_validated_on=datetime.date(2024, 11, 15),
            new_ends_on=datetime.date(2025, 3, 31),
            by=coordinator,
        )
        second = services.renew_convention(convention=first, number="R1", by=coordinator)
        with pytest.raises(ValidationError, match="plus de 2 fois"):
            services.renew_convention(convention=second, number="R2", by=coordinator)
        # An avenant that does not extend (an amount) is not a renewal.
        services.add_avenant(
            convention=second,
            purpose="Montant",
            committee_validated_on=datetime.date(2025, 6, 1),
            amount_change=Decimal("1000"),
            by=coordinator,
        )
        with pytest.raises(ValidationError, match="compte comme un renouvellement"):
            services.add_avenant(
                convention=second,
                purpose="Prolongation",
                committee_validated_on=datetime.date(2025, 11, 15),
                new_ends_on=datetime.date(2026, 6, 30),
                by=coordinator,
            )


class TestSplit:
    def test_parts_add_up_to_the_cent(self):
        parts = selectors.split_amount(Decimal("100.00"), [Decimal(1), Decimal(1), Decimal(1)])
        assert parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
        assert sum(parts) == Decimal("100.00")

    @pytest.mark.parametrize(
        "total,weights",
        [
            ("45678.91", ["33.33", "33.33", "33.34"]),
            ("0.05", ["50", "30", "20"]),
            ("536000.00", ["200000", "300000", "36000"]),
            ("1.00", ["7", "7", "7", "7", "7", "7", "7"]),
        ],
    )
    def test_any_split_adds_up_exactly(self, total, weights):
        parts = selectors.split_amount(Decimal(total), [Decimal(w) for w in weights])
        assert sum(parts) == Decimal(total)
        assert all(part == part.quantize(Decimal("0.01")) for part in parts)

    def test_the_2024_metropole_subsidy_split(self):
        parts = selectors.split_amount(Decimal("536000"), [Decimal(200000), Decimal(300000), Decimal(36000)])
        assert parts == [Decimal("200000.00"), Decimal("300000.00"), Decimal("36000.00")]

    def test_analytic_split_by_project_and_dispositif(self, coordinator):
        plie = ProjectFactory(code="211", dispositif=Dispositif.PLIE)
        clauses = ProjectFactory(code="215", dispositif=Dispositif.CLAUSES)
        pfm = ProjectFactory(code="350", dispositif=Dispositif.PFM)
        alice = StaffYear.objects.create(year=2023, staff_name="Alice", annual_cost=Decimal("45000.01"))
        bob = StaffYear.objects.create(year=2023, staff_name="Bob", annual_cost=Decimal("38000.00"))
        StaffYear.objects.create(year=2022, staff_name="Ancienne", annual_cost=Decimal("99999"))
        services.allocate_staff_time(staff_year=alice, project=plie, percent=Decimal("33.33"), by=coordinator)
        services.allocate_staff_time(staff_year=alice, project=clauses, percent=Decimal("33.33"), by=coordinator)
        services.allocate_staff_time(staff_year=alice, project=pfm, percent=Decimal("33.34"), by=coordinator)
        services.allocate_staff_time(staff_year=bob, project=plie, percent=Decimal("80"), by=coordinator)
        with pytest.raises(ValidationError, match="100 %"):
            services.allocate_staff_time(staff_year=bob, project=pfm, percent=Decimal("20.01"), by=coordinator)
        split = selectors.analytic_split(2023)
        assert split.total_cost == Decimal("83000.01")
        assert sum(r.cost for r in split.by_project) == split.total_cost
        assert sum(r.cost for r in split.by_dispositif) == split.total_cost
        costs = {r.label: r.cost for r in split.by_project}
        # Alice: 45,000.01 × 33.33 % = 14,998.50333 -> 14,998.50; Bob: 38,000 × 80 % = 30,400.
        assert costs["211 – " + plie.title] == Decimal("14998.50") + Decimal("30400.00")
        assert costs["Non affecté"] == Decimal("7600.00")
        assert split.total_fte == Decimal("2.00")
        assert StaffAllocation.objects.count() == 4


class TestFse:
    @pytest.mark.parametrize(
        "start,end,days,participant",
        [
            (datetime.date(2023, 5, 10), datetime.date(2023, 5, 10), 1, False),  # one day: not a participant
            (datetime.date(2023, 5, 10), datetime.date(2023, 5, 11), 2, True),
            (datetime.date(2022, 11, 1), datetime.date(2023, 1, 1), 1, False),  # one day inside the operation
            (datetime.date(2023, 12, 31), None, 1, False),
            (datetime.date(2023, 12, 30), None, 2, True),
        ],
    )
    def test_one_day_or_less_is_not_a_participant(self, start, end, days, participant):
        operation = FseOperationFactory()
        FollowUpFactory(organization=operation.organization, started_on=start, ended_on=end)
        summary = selectors.fse_summary(operation)
        assert [row[1:] for row in summary.people] == [(days, participant)]
        assert summary.participants == int(participant)
        assert summary.not_participants == int(not participant)

    def test_participants_are_those_of_the_structure_in_the_dispositif(self):
        operation = FseOperationFactory()
        person = PersonFactory()
        # Two follow-ups of the same person overlapping: counted once, days not doubled.
        FollowUpFactory(
            person=person,
            organization=operation.organization,
            started_on=datetime.date(2023, 3, 1),
            ended_on=datetime.date(2023, 3, 10),
        )
        FollowUpFactory(
            person=person,
            organization=operation.organization,
            started_on=datetime.date(2023, 3, 5),
            ended_on=datetime.date(2023, 3, 12),
        )
        FollowUpFactory(organization=operation.organization, programme=Programme.MOBILITY)
        FollowUpFactory(started_on=datetime.date(2023, 3, 1))  # another structure
        summary = selectors.fse_summary(operation)
        assert [row[1] for row in summary.people] == [12]
        assert summary.participants == 1

    def test_fse_share_per_line_and_totals(self):
        operation = FseOperationFactory()
        FseExpenseLine.objects.create(
            operation=operation, label="Salaires", eligible_amount=Decimal("100000.01"), fse_rate=Decimal("60")
        )
        FseExpenseLine.objects.create(
            operation=operation, label="Forfait", eligible_amount=Decimal("15000.00"), fse_rate=Decimal("33.33")
        )
        summary = selectors.fse_summary(operation)
        assert [share for _, share in summary.lines] == [Decimal("60000.01"), Decimal("4999.50")]
        assert summary.fse_total == Decimal("64999.51")
        assert summary.eligible_total == Decimal("115000.01")

    def test_names_only_for_those_who_see_the_person(self):
        operation = FseOperationFactory()
        FollowUpFactory(organization=operation.organization)
        outsider = user_with_role(Role.REFERENT)
        assert selectors.fse_summary(operation, user=outsider).people[0][0] is None
        coordinator = user_with_role(Role.COORDINATOR)
        assert selectors.fse_summary(operation, user=coordinator).people[0][0] is not None


SEED_2023 = {
    FunderCategory.METROPOLE: "642788",
    FunderCategory.REGION: "365027",
    FunderCategory.STATE: "356782",
    FunderCategory.FSE: "268128",
    FunderCategory.COMMUNES: "154000",
    FunderCategory.OTHER: "70554",
    FunderCategory.SALES: "144525",
}


class TestTotals:
    def test_the_funders_total_is_the_sum_of_the_lines_not_the_printed_one(self):
        for category, amount in SEED_2023.items():
            funder = FunderFactory(category=category)
            # Two lines per funder, to the cent.
            half = Decimal(amount) / 2
            FundingLineFactory(funder=funder, amount_requested=half)
            FundingLineFactory(funder=funder, amount_requested=Decimal(amount) - half)
        # An operator's project: in the programmation, not in the association's funders table.
        FundingLineFactory(project=ProjectFactory(operator=OrganizationFactory()), amount_requested=Decimal("999"))
        FundingLineFactory(year=2022, amount_requested=Decimal("5"))
        table = selectors.funders_table(2023)
        assert table.total.granted == Decimal("2001804.00")
        assert table.total.granted != Decimal("2001350")
        assert table.total.granted == sum(row.granted for row in table.rows)
        assert [row.label for row in table.rows][:2] == ["Dijon Métropole", "Région Bourgogne-Franche-Comté"]
        assert table.total.lines == 14

    def test_programmation_counts_plie_projects_of_the_association_and_operators(self):
        fse = FunderFactory(category=FunderCategory.FSE)
        metropole = FunderFactory(category=FunderCategory.METROPOLE)
        sa = ProjectFactory(code="211", dispositif=Dispositif.PLIE)
        irfa = ProjectFactory(code="221", dispositif=Dispositif.PLIE, operator=OrganizationFactory(name="IRFA"))
        FundingLineFactory(project=sa, funder=fse, amount_requested=Decimal("100000.10"))
        FundingLineFactory(project=sa, funder=metropole, amount_requested=Decimal("50000"))
        FundingLineFactory(project=irfa, funder=fse, amount_requested=Decimal("20000"))
        FundingLineFactory(project=ProjectFactory(dispositif=Dispositif.PFM), amount_requested=Decimal("7"))
        table = selectors.programmation_table(2023)
        assert table.total.granted == Decimal("170000.10")
        assert table.total.fse == Decimal("120000.10")
        assert [row.detail for row in table.rows] == ["Structure d'animation", "IRFA"]


class TestConventionResults:
    def test_results_come_from_the_operator_plie_data(self):
        irfa = OrganizationFactory(name="IRFA")
        other = OrganizationFactory(name="CESAM")
        convention = ConventionFactory(operator=irfa, people_target=2, positive_exit_target=Decimal("50"))
        for structure, exit_kind in (
            (irfa, ExitKind.POSITIVE_CDI),
            (irfa, None),
            (other, ExitKind.POSITIVE_CDI),
            (other, None),
        ):
            pathway = PathwayFactory(
                proposed_organization=structure,
                status=PathwayStatus.EXITED if exit_kind else PathwayStatus.ACTIVE,
                entry_date=datetime.date(2024, 2, 1),
                exit_date=datetime.date(2024, 9, 1) if exit_kind else None,
                exit_kind=exit_kind or "",
            )
            FollowUpFactory(person=pathway.person, organization=structure, programme=Programme.PLIE)
        results = selectors.convention_results(convention)
        assert results.people_accompanied == 2
        assert results.positive_exit_rate == 1.0
        assert results.targets_met
        convention.people_target = 3
        assert not selectors.convention_results(convention).targets_met
