"""The reads behind "Mes participants" and the "à traiter" lists: each scoped to the user, each with its rule."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.plie.factories import ContractFactory, OrientationFactory, PathwayFactory, StepFactory
from tremplin.accounts.enums import Role
from tremplin.people.models import FollowUp
from tremplin.plie import selectors
from tremplin.plie.enums import AppointmentOutcome, ContractType, EmployerKind, FseMoment, PathwayStatus, StepKind
from tremplin.plie.models import FseQuestionnaire, Interview, add_months

TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - timedelta(days=n)


@pytest.fixture
def irfa():
    return OrganizationFactory(name="IRFA")


@pytest.fixture
def referent(irfa):
    return user_with_role(Role.REFERENT, organization=irfa)


def followed(irfa, *, referent=None, ended_on=None, **pathway_kwargs):
    """A pathway whose person IRFA follows in the PLIE."""
    pathway_kwargs.setdefault("entry_date", days_ago(200))
    pathway_kwargs.setdefault("entry_proposed_on", pathway_kwargs["entry_date"] or days_ago(1))
    pathway = PathwayFactory(proposed_organization=irfa, **pathway_kwargs)
    FollowUpFactory(
        person=pathway.person, organization=irfa, referent=referent, started_on=days_ago(400), ended_on=ended_on
    )
    return pathway


def elsewhere(**pathway_kwargs):
    """A pathway followed by another structure: never in IRFA's lists."""
    pathway_kwargs.setdefault("entry_date", days_ago(200))
    pathway = PathwayFactory(**pathway_kwargs)
    FollowUpFactory(person=pathway.person, organization=pathway.proposed_organization, started_on=days_ago(400))
    return pathway


def pathways(todos):
    return [t.pathway for t in todos]


# Mes participants


class TestParticipantsForReferent:
    def test_it_is_scoped_to_the_users_structures(self, irfa, referent):
        mine = followed(irfa)
        elsewhere()
        assert list(selectors.participants_for_referent(user=referent)) == [mine]
        assert set(selectors.participants_for_referent(user=user_with_role(Role.COORDINATOR))) >= {mine}
        assert not selectors.participants_for_referent(user=user_with_role(Role.FACILITATOR)).exists()

    def test_it_filters_by_status(self, irfa, referent):
        active = followed(irfa)
        exited = followed(irfa, status=PathwayStatus.EXITED, exit_date=days_ago(10), exit_kind="moved")
        proposed = followed(irfa, status=PathwayStatus.ENTRY_PROPOSED, entry_date=None)
        assert set(selectors.participants_for_referent(user=referent, status="open")) == {active, proposed}
        assert list(selectors.participants_for_referent(user=referent, status=PathwayStatus.EXITED)) == [exited]
        assert set(selectors.participants_for_referent(user=referent)) == {active, exited, proposed}

    def test_it_filters_by_current_referent_and_structure(self, irfa, referent):
        colleague = user_with_role(Role.REFERENT, organization=irfa)
        mine = followed(irfa, referent=referent)
        theirs = followed(irfa, referent=colleague)
        # Awaiting the cellule: the proposed référent counts.
        proposed = PathwayFactory(
            proposed=True, proposed_organization=irfa, proposed_referent=referent, entry_proposed_on=days_ago(2)
        )
        FollowUpFactory(person=proposed.person, organization=irfa, started_on=days_ago(30))
        assert set(selectors.participants_for_referent(user=referent, referent=referent)) == {mine, proposed}
        assert list(selectors.participants_for_referent(user=referent, referent=colleague)) == [theirs]
        coordinator = user_with_role(Role.COORDINATOR)
        other = elsewhere()
        assert set(selectors.participants_for_referent(user=coordinator, structure=irfa)) == {mine, theirs, proposed}
        assert list(selectors.participants_for_referent(user=coordinator, structure=other.proposed_organization)) == [
            other
        ]

    def test_it_searches_by_name_without_accents(self, irfa, referent):
        zoe = followed(irfa, person=PersonFactory(first_name="Zoé", last_name="Lefèvre"))
        followed(irfa, person=PersonFactory(first_name="Paul", last_name="Martin"))
        assert list(selectors.participants_for_referent(user=referent, query="lefevre zoe")) == [zoe]


# À traiter


class TestNoRecentContact:
    def test_it_lists_active_pathways_without_interview_for_3_months(self, irfa, referent):
        silent = followed(irfa, entry_date=days_ago(120))
        talked = followed(irfa, entry_date=days_ago(120))
        Interview.objects.create(
            pathway=talked, held_on=days_ago(30), organization=irfa, author=referent, notes="Point d'étape."
        )
        old_talk = followed(irfa, entry_date=days_ago(300))
        Interview.objects.create(
            pathway=old_talk, held_on=days_ago(100), organization=irfa, author=referent, notes="Point."
        )
        followed(irfa, entry_date=days_ago(60))  # entered less than 3 months ago
        followed(irfa, entry_date=days_ago(300), status=PathwayStatus.EXITED, exit_date=days_ago(5), exit_kind="moved")
        elsewhere(entry_date=days_ago(300))
        todos = selectors.no_recent_contact(user=referent, today=TODAY)
        assert pathways(todos) == [old_talk, silent]
        assert todos[0].detail == f"Dernier entretien le {days_ago(100):%d/%m/%Y}"
        assert todos[1].detail.startswith("Aucun entretien depuis l'entrée")

    def test_the_boundary_is_90_days(self, irfa, referent):
        just = followed(irfa, entry_date=days_ago(91))
        followed(irfa, entry_date=days_ago(90))
        assert pathways(selectors.no_recent_contact(user=referent, today=TODAY)) == [just]

    def test_a_former_structure_no_longer_has_the_task(self, irfa, referent):
        followed(irfa, entry_date=days_ago(200), ended_on=days_ago(10))
        assert selectors.no_recent_contact(user=referent, today=TODAY) == []


class TestFseEntryOverdue:
    def test_it_lists_pathways_entered_more_than_4_weeks_ago_without_entry_questionnaire(self, irfa, referent):
        overdue = followed(irfa, entry_date=days_ago(29))
        followed(irfa, entry_date=days_ago(28))  # due today: not late yet
        done = followed(irfa, entry_date=days_ago(100))
        FseQuestionnaire.objects.create(pathway=done, moment=FseMoment.ENTRY, collected_on=days_ago(90))
        followed(irfa, status=PathwayStatus.ENTRY_PROPOSED, entry_date=None)
        elsewhere(entry_date=days_ago(100))
        todos = selectors.fse_entry_overdue(user=referent, today=TODAY)
        assert pathways(todos) == [overdue]
        assert todos[0].since == days_ago(1)


class TestPositiveExitsNewlyMet:
    def cdi(self, pathway, started_on, **kwargs):
        return ContractFactory(
            pathway=pathway,
            contract_type=ContractType.CDI,
            started_on=started_on,
            weekly_hours=Decimal("35"),
            **kwargs,
        )

    def test_it_lists_criteria_met_in_the_last_30_days(self, irfa, referent):
        recent = followed(irfa)
        self.cdi(recent, add_months(TODAY, -6) - timedelta(days=10))  # 6 months reached about 10 days ago
        old = followed(irfa)
        self.cdi(old, add_months(TODAY, -9))  # met three months ago: not "newly" met
        not_yet = followed(irfa)
        self.cdi(not_yet, add_months(TODAY, -3))
        trained = followed(irfa)
        StepFactory(
            pathway=trained,
            kind=StepKind.TRAINING_QUALIFYING,
            title="CAP cuisine",
            started_on=days_ago(300),
            ended_on=days_ago(3),
            certification="CAP",
            certification_obtained=True,
        )
        proposed_exit = followed(irfa, status=PathwayStatus.EXIT_PROPOSED, exit_date=TODAY, exit_kind="positive_cdi")
        self.cdi(proposed_exit, add_months(TODAY, -6) - timedelta(days=10))
        other = elsewhere()
        self.cdi(other, add_months(TODAY, -6) - timedelta(days=10))
        todos = selectors.positive_exits_newly_met(user=referent, today=TODAY)
        assert pathways(todos) == [recent, trained]
        assert todos[0].detail.startswith("Critère rempli le ")
        assert todos[0].assessment.outcome.rule == "cdi"
        assert todos[1].since == days_ago(3)

    def test_it_costs_a_constant_number_of_queries(self, irfa, referent, django_assert_num_queries):
        for _ in range(6):
            pathway = followed(irfa)
            self.cdi(pathway, add_months(TODAY, -6) - timedelta(days=5))
            StepFactory(pathway=pathway)
        referent = type(referent).objects.get(pk=referent.pk)
        assert referent.roles == {Role.REFERENT}  # memberships are read once per request, then cached
        # pathways + contracts + steps + businesses
        with django_assert_num_queries(4):
            assert len(selectors.positive_exits_newly_met(user=referent, today=TODAY)) == 6


class TestSixMonthFollowUpsDue:
    def test_it_lists_exits_whose_6_months_fall_within_30_days(self, irfa, referent):
        def exited(exit_date):
            return followed(
                irfa,
                status=PathwayStatus.EXITED,
                entry_date=days_ago(390),
                exit_date=exit_date,
                exit_kind="moved",
                ended_on=exit_date,
            )

        due_soon = exited(add_months(TODAY, -6) + timedelta(days=20))
        overdue = exited(add_months(TODAY, -7))
        exited(add_months(TODAY, -6) + timedelta(days=40))  # due in 40 days: later
        recorded = exited(add_months(TODAY, -7))
        FseQuestionnaire.objects.create(pathway=recorded, moment=FseMoment.SIX_MONTHS, collected_on=days_ago(3))
        followed(irfa)  # still in pathway
        todos = selectors.six_month_follow_ups_due(user=referent, today=TODAY)
        assert pathways(todos) == [overdue, due_soon]
        assert todos[1].since == add_months(due_soon.exit_date, 6)

    def test_month_ends_are_counted_in_calendar_months(self, irfa, referent):
        today = datetime.date(2025, 1, 29)  # horizon: 28 February 2025
        pathway = followed(
            irfa, status=PathwayStatus.EXITED, entry_date=datetime.date(2024, 1, 1), exit_kind="moved",
            exit_date=datetime.date(2024, 8, 31),  # + 6 months = 28 February 2025
        )  # fmt: skip
        assert pathways(selectors.six_month_follow_ups_due(user=referent, today=today)) == [pathway]


class TestMissedFirstAppointments:
    def test_it_lists_absent_people_until_someone_reaches_them(self, irfa, referent):
        mine = FollowUpFactory(organization=irfa).person
        absent = OrientationFactory(person=mine, appointment_outcome=AppointmentOutcome.ABSENT)
        OrientationFactory(person=mine, appointment_outcome=AppointmentOutcome.PRESENT)
        OrientationFactory(
            person=mine, appointment_outcome=AppointmentOutcome.ABSENT, outreach_on=TODAY, outreach_notes="Joint."
        )
        OrientationFactory(person=mine, appointment_outcome=AppointmentOutcome.ABSENT, status="not_entered")
        OrientationFactory(person=FollowUpFactory().person, appointment_outcome=AppointmentOutcome.ABSENT)
        assert list(selectors.missed_first_appointments(user=referent)) == [absent]


def test_worklists_are_for_referents_and_the_cellule(irfa, referent):
    assert set(selectors.worklists(user=referent, today=TODAY)) == {
        "no_contact",
        "fse_entry",
        "newly_met",
        "six_months",
        "missed",
    }
    assert selectors.worklists(user=user_with_role(Role.MANAGER), today=TODAY) == {}
    assert selectors.worklists(user=user_with_role(Role.PRESCRIBER), today=TODAY) == {}


def test_the_cellule_agenda(irfa):
    coordinator = user_with_role(Role.COORDINATOR)
    entry = followed(irfa, status=PathwayStatus.ENTRY_PROPOSED, entry_date=None)
    exit_ = followed(irfa, status=PathwayStatus.EXIT_PROPOSED, exit_date=TODAY, exit_kind="moved")
    senior = followed(irfa, person=PersonFactory(birth_date=datetime.date(TODAY.year - 60, 1, 1)))
    aci = ContractFactory(
        pathway=senior, contract_type=ContractType.CDDI, employer_kind=EmployerKind.ACI, started_on=days_ago(30)
    )
    young = followed(irfa, person=PersonFactory(birth_date=datetime.date(TODAY.year - 30, 1, 1)))
    ContractFactory(
        pathway=young, contract_type=ContractType.CDDI, employer_kind=EmployerKind.ACI, started_on=days_ago(30)
    )
    agenda = selectors.cell_agenda(user=coordinator)
    assert agenda["entries"] == [entry]
    assert agenda["exits"] == [(exit_, None)]  # not a positive exit: nothing to assess
    assert agenda["aci_contracts"] == [aci]


def test_referent_history_keeps_each_change_of_referent(irfa, referent):
    pathway = followed(irfa, referent=referent)
    follow_up = FollowUp.objects.get(person=pathway.person)
    colleague = user_with_role(Role.REFERENT, organization=irfa)
    follow_up.referent = colleague
    follow_up.save()
    history = selectors.referent_history(pathway=pathway)
    assert [p.referent for p in history] == [colleague, referent]
    assert history[1].until == history[0].since == TODAY
    assert history[0].until is None


class TestWorklistsFromTheFigureCache:
    """Writes are committed (their on-commit callbacks run): within a transaction that wrote, the figure cache is
    neither read nor written (tremplin/reports/cache.py, `usable`), and its generation changes at the commit."""

    @pytest.fixture(autouse=True)
    def figure_cache(self, request, django_capture_on_commit_callbacks):
        self.committed = lambda: django_capture_on_commit_callbacks(execute=True)
        django_cache.clear()
        with override_settings(TREMPLIN_FIGURE_CACHE=True):
            with self.committed():
                request.getfixturevalue("irfa")
                request.getfixturevalue("referent")
            yield
        django_cache.clear()

    def newly_met(self, irfa):
        with self.committed():
            pathway = followed(irfa)
            ContractFactory(
                pathway=pathway,
                contract_type=ContractType.CDI,
                started_on=add_months(TODAY, -6) - timedelta(days=5),
                weekly_hours=Decimal("35"),
            )
        return pathway

    def test_a_second_reading_gives_the_same_lists_without_the_exit_engine(self, irfa, referent):
        met = [self.newly_met(irfa) for _ in range(3)]
        first = selectors.worklists(user=referent, today=TODAY)
        with CaptureQueriesContext(connection) as queries:
            second = selectors.worklists(user=referent, today=TODAY)
        assert {name: pathways(todos) for name, todos in second.items() if name != "missed"} == {
            name: pathways(todos) for name, todos in first.items() if name != "missed"
        }
        assert pathways(second["newly_met"]) == met
        assert [t.detail for t in second["newly_met"]] == [t.detail for t in first["newly_met"]]
        # the named pathways (with their people) and the absences at a first appointment, nothing else
        assert len(queries.captured_queries) == 2
        assert not any("plie_contract" in q["sql"] for q in queries.captured_queries)

    def test_a_write_is_seen_on_the_next_reading(self, irfa, referent):
        assert selectors.worklists(user=referent, today=TODAY)["newly_met"] == []
        pathway = self.newly_met(irfa)
        assert pathways(selectors.worklists(user=referent, today=TODAY)["newly_met"]) == [pathway]

    def test_each_user_and_day_has_its_own_lists(self, irfa, referent):
        pathway = self.newly_met(irfa)
        assert pathways(selectors.worklists(user=referent, today=TODAY)["newly_met"]) == [pathway]
        with self.committed():
            other = user_with_role(Role.REFERENT)
        assert selectors.worklists(user=other, today=TODAY)["newly_met"] == []
        assert selectors.worklists(user=referent, today=TODAY + timedelta(days=60))["newly_met"] == []

    def test_the_home_summary_is_read_once_per_version(self, irfa, referent):
        self.newly_met(irfa)
        assert selectors.home_summary(user=referent, today=TODAY)["todo"]["newly_met"] == 1
        with CaptureQueriesContext(connection) as queries:
            assert selectors.home_summary(user=referent, today=TODAY)["todo"]["newly_met"] == 1
        assert len(queries.captured_queries) == 0
        self.newly_met(irfa)
        assert selectors.home_summary(user=referent, today=TODAY)["todo"]["newly_met"] == 2
