"""The PLIE journeys of the demo, planned: the timeline of each orientation and pathway is drawn first, before
the people (they register when they are oriented); tremplin.plie.demo.journeys builds the records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from tremplin.people.enums import Programme
from tremplin.plie.demo.data import (
    NOT_ENTERED_SHARE,
    OTHER_EXIT_WEIGHTS,
    PATHWAY_DAYS,
    PLIE_ENTRIES_PER_YEAR,
    PLIE_LEAD_IN_YEARS,
    POSITIVE_EXIT_RATE,
    POSITIVE_EXIT_WEIGHTS,
)
from tremplin.plie.enums import AppointmentOutcome, ExitKind, OrientationStatus, PathwayStatus

ENTERED, PROPOSED, REFUSED_ENTRY, NOT_ENTERED = "entered", "proposed", "refused", "not_entered"
# Pathways awaiting the cellule on the day the demo is loaded.
PENDING_PROPOSALS = 12
# People who missed their first appointment in the last days, not reached yet: the aller-vers list is never
# empty, whatever the day the demo is loaded (the random not-entered orientations may leave it so).
RECENTLY_MISSED = 4
REFUSALS_PER_YEAR = 4
# Exits of the last weeks not validated yet by the cellule.
RECENT_EXIT_DAYS = 20
FSE_ENTRY_DAYS = 28


@dataclass
class Plan:
    """The timeline of one person's orientation and, when there is one, pathway."""

    kind: str
    oriented_on: date
    first_appointment_on: date | None = None
    outcome: str = AppointmentOutcome.PRESENT
    outreach_on: date | None = None
    orientation_status: str = OrientationStatus.ENTERED
    entry_proposed_on: date | None = None
    entry_date: date | None = None
    decided_on: date | None = None
    exit_date: date | None = None
    status: str = ""
    exit_kind: str = ""
    change_on: date | None = None  # the pathway moves to another structure that day
    min_age: int = 16  # at registration

    @property
    def registered_on(self) -> date:
        return self.oriented_on


class Planning:
    """The timelines of the PLIE journeys, drawn before the people (they register when they are oriented)."""

    def __init__(self, builder):
        self.b = builder
        self.rng = builder.rng
        self.today = builder.today
        self.start = builder.start
        self.first_year = self.start.year - PLIE_LEAD_IN_YEARS
        # Short pathways (under 230 days) rarely end positively (a short qualifying training).
        self.short_positive_rate = 0.15

    # Planning ------------------------------------------------------------------------------------

    def plan(self) -> list[Plan]:
        rng, today, start = self.rng, self.today, self.start
        plans = []
        for year in range(self.first_year, today.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), today)
            share = ((last - first).days + 1) / ((date(year, 12, 31) - first).days + 1)
            entries = round(PLIE_ENTRIES_PER_YEAR * share)
            for _ in range(entries):
                entry = self._weekday(self.b.day_between(first, last), first, last)
                (low, high) = rng.choices([d for d, _ in PATHWAY_DAYS], weights=[w for _, w in PATHWAY_DAYS])[0]
                exit_date = entry + timedelta(days=rng.randint(low, high))
                if exit_date < start:
                    continue  # over before the period: not part of the demo
                if exit_date <= today:
                    exit_date = self._weekday(exit_date, entry, today)
                plans.append(self._entered(entry, exit_date))
            if year < start.year:
                continue
            for _ in range(round(entries * NOT_ENTERED_SHARE / (1 - NOT_ENTERED_SHARE))):
                plans.append(self._not_entered(first, last))
            for _ in range(round(REFUSALS_PER_YEAR * share)):
                plans.append(self._refused(first, last))
        for _ in range(PENDING_PROPOSALS):
            proposed = self._weekday(today - timedelta(days=rng.randint(0, 15)), self.start, today)
            plans.append(self._before_entry(Plan(PROPOSED, proposed), proposed))
        self._exit_kinds(plans)
        for _ in range(RECENTLY_MISSED):
            plans.append(self._recently_missed())
        return plans

    def _recently_missed(self) -> Plan:
        rng, today = self.rng, self.today
        appointment = self._weekday(today - timedelta(days=rng.randint(2, 9)), self.start, today - timedelta(days=1))
        oriented = self._weekday(appointment - timedelta(days=rng.randint(5, 20)), self.start, appointment)
        plan = Plan(NOT_ENTERED, oriented, first_appointment_on=appointment)
        plan.orientation_status = OrientationStatus.OPEN
        plan.outcome = AppointmentOutcome.ABSENT
        return plan

    def _weekday(self, day: date, first: date, last: date | None) -> date:
        """The weekday on or after `day`, or else before it, within [first, last] and never after today."""
        last = min(last or self.today, self.today)
        day = min(day, last)
        forward = day
        while forward.weekday() >= 5:
            forward += timedelta(days=1)
        if forward <= last:
            return forward
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return max(day, first)

    def _before_entry(self, plan: Plan, proposed: date) -> Plan:
        """Orientation and first appointment a few weeks before the entry proposal."""
        rng = self.rng
        plan.entry_proposed_on = proposed
        plan.first_appointment_on = proposed - timedelta(days=rng.randint(0, 10))
        plan.oriented_on = self._weekday(
            plan.first_appointment_on - timedelta(days=rng.randint(5, 25)), date.min, None
        )
        plan.orientation_status = OrientationStatus.OPEN if plan.kind == PROPOSED else OrientationStatus.ENTERED
        if plan.kind == ENTERED and rng.random() < 0.01:
            # Missed the first appointment, reached by the aller-vers, then entered.
            plan.outcome = AppointmentOutcome.ABSENT
            plan.outreach_on = plan.first_appointment_on + timedelta(days=rng.randint(3, 8))
            plan.entry_proposed_on = max(proposed, plan.outreach_on)
        return plan

    def _entered(self, entry: date, exit_date: date) -> Plan:
        rng, today = self.rng, self.today
        plan = Plan(ENTERED, entry, entry_date=entry, status=PathwayStatus.ACTIVE)
        self._before_entry(plan, entry - timedelta(days=rng.randint(3, 21)))
        plan.entry_proposed_on = min(plan.entry_proposed_on, entry)
        if exit_date <= today:
            plan.exit_date = exit_date
            recent = (today - exit_date).days <= RECENT_EXIT_DAYS
            plan.status = PathwayStatus.EXIT_PROPOSED if recent and rng.random() < 0.4 else PathwayStatus.EXITED
        end = plan.exit_date or today
        if (end - entry).days > 400 and rng.random() < 0.08:
            plan.change_on = self._weekday(
                entry + timedelta(days=rng.randint(150, (end - entry).days - 90)), entry, end
            )
        return plan

    def _exit_kinds(self, plans: list[Plan]) -> None:
        """The exit kinds, year by year: 45 % of each year's exits are positive (short pathways, under
        230 days, only through a short qualifying training), the others among the other kinds."""
        rng = self.rng
        by_year = defaultdict(list)
        for plan in plans:
            if plan.exit_date:
                by_year[plan.exit_date.year].append(plan)
        positive_kinds, positive_weights = list(POSITIVE_EXIT_WEIGHTS), list(POSITIVE_EXIT_WEIGHTS.values())
        other_kinds, other_weights = list(OTHER_EXIT_WEIGHTS), list(OTHER_EXIT_WEIGHTS.values())
        for year in sorted(by_year):
            exits = by_year[year]
            rng.shuffle(exits)
            positives = round(POSITIVE_EXIT_RATE * len(exits))
            for plan in exits:
                short = (plan.exit_date - plan.entry_date).days < 230
                if positives and (not short or rng.random() < self.short_positive_rate):
                    plan.exit_kind = (
                        ExitKind.POSITIVE_TRAINING if short else rng.choices(positive_kinds, positive_weights)[0]
                    )
                    positives -= 1
                else:
                    plan.exit_kind = rng.choices(other_kinds, other_weights)[0]
                if plan.exit_kind == ExitKind.POSITIVE_ACI_SENIOR:
                    if plan.entry_date < self.start:
                        plan.exit_kind = ExitKind.POSITIVE_CDD  # 55 and over long ago: too old for the registry
                    else:
                        plan.min_age = 55

    def _not_entered(self, first: date, last: date) -> Plan:
        rng, today = self.rng, self.today
        oriented = self._weekday(self.b.day_between(first, last), first, last)
        plan = Plan(NOT_ENTERED, oriented, first_appointment_on=oriented + timedelta(days=rng.randint(5, 20)))
        appointment = plan.first_appointment_on
        if (today - oriented).days <= 45:
            plan.orientation_status = OrientationStatus.OPEN
            if appointment > today:
                plan.outcome = AppointmentOutcome.SCHEDULED
            elif rng.random() < 0.6:
                plan.outcome = AppointmentOutcome.ABSENT
                if (today - appointment).days > 10 and rng.random() < 0.5:
                    plan.outreach_on = appointment + timedelta(days=rng.randint(3, 10))
        else:
            plan.orientation_status = OrientationStatus.NOT_ENTERED
            if rng.random() < 0.5:
                plan.outcome = AppointmentOutcome.ABSENT
                plan.outreach_on = min(appointment + timedelta(days=rng.randint(3, 20)), today)
        return plan

    def _refused(self, first: date, last: date) -> Plan:
        decided = self._weekday(self.b.day_between(first, last), first, last)
        plan = Plan(REFUSED_ENTRY, decided, decided_on=decided, status=PathwayStatus.ENTRY_REFUSED)
        self._before_entry(plan, decided - timedelta(days=self.rng.randint(5, 15)))
        plan.orientation_status = OrientationStatus.NOT_ENTERED
        return plan

    def follow_up_segments(self, plan: Plan) -> list[tuple[date, date | None]]:
        """(start, end) of the PLIE follow-ups: from the entry (the proposal before it), to the exit."""
        if plan.kind == NOT_ENTERED:
            return []
        if plan.kind == PROPOSED:
            return [(plan.entry_proposed_on, None)]
        if plan.kind == REFUSED_ENTRY:
            return [(plan.entry_proposed_on, plan.decided_on)]
        end = plan.exit_date if plan.status == PathwayStatus.EXITED else None
        if plan.change_on:
            return [(plan.entry_date, plan.change_on - timedelta(days=1)), (plan.change_on, end)]
        return [(plan.entry_date, end)]

    def follow_ups(self, draft) -> None:
        """The PLIE follow-ups of a planned person (`Draft.planner`): the follow-ups of the pathway, by one of the
        7 structures of the référents (a few pathways move to another structure on the way)."""
        b, rng = self.b, self.rng
        code = draft.person.commune.insee_code
        draft.plan_prescriber = b.prescriber(draft, required=True)
        key = ""
        for started_on, ended_on in self.follow_up_segments(draft.plan):
            key = b.operator(code, draft.age, exclude=key)
            follow_up = {
                "organization": b.organizations[key],
                "programme": Programme.PLIE,
                "referent": rng.choice(b.referents[key]),
                "prescriber": draft.plan_prescriber,
                "started_on": started_on,
                "ended_on": ended_on,
            }
            draft.follow_ups.append(follow_up)
            draft.plan_follow_ups.append(follow_up)
