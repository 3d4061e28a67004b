"""The PLIE journeys of the demo: orientations, pathways, étapes, interviews, contracts, exits, FSE+.

Volumes follow the 2023 activity report (seed 000), every year of the period: about 420 entries and
1,050 people accompanied a year, 550 contracts with the report's category mix, 330 accompagnements
spécifiques (31 % on health), 45 % of positive exits. Each positive exit is built from the records
that meet its criterion, and checked with the rule engine (`assess_exit`) before anything is written;
other exits are checked not to meet any criterion.

The timeline of each journey is planned first (`plan`), before the people are drawn, since people
register when they are oriented; the records are built once the people and their follow-ups exist.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from tremplin.people.enums import REFUSED, FactKind
from tremplin.plie.demo.data import (
    BARRIER_WEIGHTS,
    BUSINESSES,
    CONTRACT_MIX,
    CONTRACTS_PER_YEAR,
    DEFAULT_REASON,
    EXIT_EXPLANATIONS,
    INTERVIEW_NOTES,
    ISCED_OF_LEVEL,
    JOBS,
    NOT_ENTERED_NOTES,
    ORDINARY_EMPLOYERS,
    ORIENTATION_REASONS,
    OUTREACH_NOTES,
    PREQUALIFYING,
    PROGRAMME_ACTIONS,
    PUBLIC_EMPLOYERS,
    REFUSAL_NOTES,
    SPECIFIC_SUPPORTS_PER_YEAR,
    SUPPORTS,
    TEMP_AGENCIES,
    TRAININGS,
)
from tremplin.plie.demo.planning import ENTERED, FSE_ENTRY_DAYS, NOT_ENTERED, PROPOSED, REFUSED_ENTRY, Plan, Planning
from tremplin.plie.eligibility import DIFFICULTY_FACTS
from tremplin.plie.enums import (
    POSITIVE_EXIT_KINDS,
    POSITIVE_EXIT_OF_RULE,
    Answer,
    ContractType,
    EmployerKind,
    ExitKind,
    FseMoment,
    Household,
    InterviewKind,
    IscedLevel,
    LabourMarketStatus,
    OrientationStatus,
    PathwayStatus,
    ReportCategory,
    StepKind,
)
from tremplin.plie.exits import assess_exit
from tremplin.plie.models import (
    BusinessCreation,
    Contract,
    FseQuestionnaire,
    Interview,
    Orientation,
    Pathway,
    Step,
    add_months,
    report_category,
)
from tremplin.territory.models import RomeCode


@dataclass
class _Journey:
    """A pathway being built, with its records."""

    draft: object  # tremplin.demo.people.Draft
    plan: Plan
    orientation: Orientation | None = None
    pathway: Pathway | None = None
    steps: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    contracts: list = field(default_factory=list)
    businesses: list = field(default_factory=list)
    questionnaires: list = field(default_factory=list)

    @property
    def person(self):
        return self.draft.person

    @property
    def segments(self) -> list[dict]:
        """The PLIE follow-ups of the pathway (structure, référent, dates)."""
        return self.draft.plan_follow_ups

    def end(self, today) -> date:
        return self.plan.exit_date or today


class _Related(list):
    def all(self):
        return self


@dataclass
class _Draft:
    person: object
    contracts: _Related
    steps: _Related
    businesses: _Related


def assess(journey: _Journey, at: date):
    """The rule engine on the journey's records, before they are saved (stand-in keys, on copies)."""

    def stand_ins(records):
        copies = []
        for index, record in enumerate(records, start=1):
            record = copy.copy(record)
            record.pk = -index
            copies.append(record)
        return _Related(copies)

    draft = _Draft(
        journey.person, stand_ins(journey.contracts), stand_ins(journey.steps), stand_ins(journey.businesses)
    )
    return assess_exit(draft, at)


def confirming_outcome(assessment, exit_kind):
    matching = [o for o in assessment.outcomes if o.met and POSITIVE_EXIT_OF_RULE[o.rule] == exit_kind]
    return matching[0] if matching else None


class PlieDemo(Planning):
    # Building ------------------------------------------------------------------------------------

    def build(self, drafts) -> None:
        """Create the PLIE records of the drafts that have a plan (people and follow-ups are saved)."""
        b = self.b
        self.assistant, self.coordinator = b.users["assistance"], b.users["coordination"]
        self.romes = {r.code: r for r in RomeCode.objects.filter(code__in=[code for _, code in JOBS])}
        journeys = [_Journey(draft, draft.plan) for draft in drafts if draft.plan is not None]
        orientations = [self._orientation(j) for j in journeys]
        bulk_create_with_history(orientations, Orientation)
        for journey, orientation in zip(journeys, orientations, strict=True):
            journey.orientation = orientation
        entered = []
        for journey in journeys:
            if journey.plan.kind == NOT_ENTERED:
                continue
            journey.pathway = self._pathway(journey)
            if journey.plan.kind == ENTERED:
                self._story(journey)
                entered.append(journey)
        self._yearly_contracts(entered)
        self._yearly_supports(entered)
        for journey in entered:
            self._check_exit(journey)
            self._fse(journey)
        pathways = [j.pathway for j in journeys if j.pathway is not None]
        bulk_create_with_history(pathways, Pathway)
        records = defaultdict(list)
        for journey in entered:
            for name in ("steps", "interviews", "contracts", "businesses", "questionnaires"):
                for record in getattr(journey, name):
                    record.pathway = journey.pathway
                    records[name].append(record)
        bulk_create_with_history(records["steps"], Step)
        bulk_create_with_history(records["interviews"], Interview)
        bulk_create_with_history(records["contracts"], Contract)
        bulk_create_with_history(records["businesses"], BusinessCreation)
        bulk_create_with_history(records["questionnaires"], FseQuestionnaire)

    def _stamp(self, record, user, day: date):
        record._history_user = user
        record._history_date = self.b.moment(min(day, self.today))
        return record

    def _orientation(self, journey: _Journey) -> Orientation:
        plan, draft = journey.plan, journey.draft
        reason = next((ORIENTATION_REASONS[k] for k in ORIENTATION_REASONS if self._fact(draft, k)), DEFAULT_REASON)
        orientation = Orientation(
            person=draft.person,
            prescriber=draft.plan_prescriber,
            adviser_name=f"{self.b.fake.first_name()} {self.b.fake.last_name()}",
            oriented_on=plan.oriented_on,
            reason=reason,
            first_appointment_on=plan.first_appointment_on,
            appointment_outcome=plan.outcome,
            outreach_on=plan.outreach_on,
            outreach_notes=self.rng.choice(OUTREACH_NOTES) if plan.outreach_on else "",
            status=plan.orientation_status,
            created_by=self.assistant,
        )
        if plan.kind == NOT_ENTERED and plan.orientation_status == OrientationStatus.NOT_ENTERED:
            orientation.outreach_notes += (" " if orientation.outreach_notes else "") + self.rng.choice(
                NOT_ENTERED_NOTES
            )
        return self._stamp(orientation, self.assistant, plan.oriented_on)

    @staticmethod
    def _fact(draft, kind):
        return next((f for f in draft.facts if f["kind"] == kind and f["value"] != REFUSED), None)

    def _eligibility(self, journey: _Journey) -> dict:
        draft, plan = journey.draft, journey.plan
        at = plan.entry_proposed_on
        found = [label for kind, label in DIFFICULTY_FACTS.items() if self._fact(draft, kind)]
        age = draft.person.age_on(at)
        if age <= 25:
            found.append("jeune de 25 ans ou moins")
        if age >= 50:
            found.append("senior de 50 ans ou plus")
        if draft.person.sex == "F":
            found.append("femme")
        found = sorted(set(found)) or ["demandeur·se d'emploi de longue durée"]
        criteria = [
            ("territory", "Habite l'une des 23 communes de Dijon Métropole", f"Réside à {draft.person.commune.name}."),
            ("work", "Dispose d'une autorisation de travailler", "Autorisation de travail vérifiée."),
            (
                "difficulties",
                "Présente des difficultés d'insertion sociale et professionnelle (public cible)",
                "Publics cibles : " + ", ".join(found) + ".",
            ),
            (
                "wants_pathway",
                "Souhaite s'inscrire dans un parcours intégré d'accès à l'emploi",
                "Confirmé lors du premier rendez-vous.",
            ),
        ]
        return {
            "at": at.isoformat(),
            "eligible": True,
            "criteria": [{"code": c, "label": label, "met": True, "reason": r} for c, label, r in criteria],
            "difficulties": found,
        }

    def _pathway(self, journey: _Journey) -> Pathway:
        plan, segments = journey.plan, journey.segments
        first = segments[0]
        pathway = Pathway(
            person=journey.person,
            orientation=journey.orientation,
            status=plan.status or PathwayStatus.ENTRY_PROPOSED,
            eligibility=self._eligibility(journey),
            proposed_organization=first["organization"],
            proposed_referent=first["referent"],
            entry_proposed_on=plan.entry_proposed_on,
            entry_proposed_by=first["referent"],
        )
        decider = self.coordinator if self.rng.random() < 0.6 else self.assistant
        if plan.kind == REFUSED_ENTRY:
            pathway.entry_decided_by = decider
            pathway.entry_decision_notes = self.rng.choice(REFUSAL_NOTES)
            return self._stamp(pathway, decider, plan.decided_on)
        if plan.kind == PROPOSED:
            return self._stamp(pathway, first["referent"], plan.entry_proposed_on)
        pathway.entry_date = plan.entry_date
        pathway.entry_decided_by = decider
        pathway.entry_decision_notes = "Entrée validée en cellule de suivi."
        if plan.exit_date:
            last = segments[-1]
            pathway.exit_date = plan.exit_date
            pathway.exit_kind = plan.exit_kind
            pathway.exit_proposed_on = min(plan.exit_date + timedelta(days=self.rng.randint(0, 10)), self.today)
            pathway.exit_proposed_by = last["referent"]
            if plan.status == PathwayStatus.EXITED:
                pathway.exit_validated_by = decider
            pathway.exit_explanation = EXIT_EXPLANATIONS.get(plan.exit_kind, "")
            return self._stamp(pathway, decider, pathway.exit_proposed_on)
        return self._stamp(pathway, decider, plan.entry_date)

    def _segment_on(self, journey: _Journey, day: date) -> dict:
        for segment in reversed(journey.segments):
            if segment["started_on"] <= day:
                return segment
        return journey.segments[0]

    # A journey's story ---------------------------------------------------------------------------

    def _story(self, journey: _Journey) -> None:
        rng, plan = self.rng, journey.plan
        entry = plan.entry_date
        self._step(journey, StepKind.DIAGNOSTIC, "Diagnostic d'entrée", "", entry, 14, 42)
        if plan.exit_kind in POSITIVE_EXIT_KINDS:
            self._outcome(journey)
        if rng.random() < 0.45:
            self._step(
                journey, StepKind.PROJECT, "Construction du projet professionnel", "", self._during(journey, 60)
            )
        if rng.random() < 0.25:
            self._step(
                journey, StepKind.REMOBILISATION, "Remobilisation vers l'emploi", "CESAM", self._during(journey)
            )
        for _ in range(rng.choices([0, 1, 2], weights=[65, 25, 10])[0]):
            title, _ = rng.choice(JOBS)
            company = rng.choice(ORDINARY_EMPLOYERS)
            self._step(
                journey, StepKind.IMMERSION, f"Immersion (PMSMP) : {title}", company, self._during(journey), 5, 20
            )
        if rng.random() < 0.15:
            title, provider = rng.choice(PREQUALIFYING)
            self._step(journey, StepKind.TRAINING_PREQUALIFYING, title, provider, self._during(journey), 40, 120)
        if rng.random() < 0.10 and plan.exit_kind != ExitKind.POSITIVE_TRAINING:
            title, certification, provider = rng.choice(TRAININGS)
            step = self._step(
                journey,
                rng.choice([StepKind.TRAINING_QUALIFYING, StepKind.TRAINING_CERTIFYING]),
                title,
                provider,
                self._during(journey),
                90,
                270,
            )
            if step is not None:
                step.certification = certification
                if step.ended_on:
                    step.certification_obtained = rng.random() < 0.55
        if rng.random() < 0.30:
            title, provider = rng.choice(PROGRAMME_ACTIONS)
            self._step(journey, StepKind.PROGRAMME_ACTION, title, provider, self._during(journey), 5, 60)
        if rng.random() < 0.08:
            self._step(journey, StepKind.INSERTION_ACTION, "Chantier éducatif", "ACI", self._during(journey), 20, 90)
        self._interviews(journey)

    def _during(self, journey: _Journey, within_days: int | None = None) -> date:
        entry, end = journey.plan.entry_date, journey.end(self.today)
        last = end if within_days is None else min(end, entry + timedelta(days=within_days))
        return self.b.day_between(entry + timedelta(days=7), last)

    def _step(self, journey, kind, title, provider, started_on, min_days=30, max_days=120, barrier=""):
        end = journey.end(self.today)
        if started_on > end or started_on > self.today:
            return None
        ended_on = started_on + timedelta(days=self.rng.randint(min_days, max_days))
        if ended_on > self.today:
            ended_on = None
        elif journey.plan.exit_date and ended_on > journey.plan.exit_date:
            ended_on = max(journey.plan.exit_date, started_on)
        step = Step(
            kind=kind, barrier=barrier, title=title, provider=provider, started_on=started_on, ended_on=ended_on
        )
        journey.steps.append(self._stamp(step, self._segment_on(journey, started_on)["referent"], started_on))
        return step

    def _interviews(self, journey: _Journey) -> None:
        rng, today = self.rng, self.today
        end = journey.end(today)
        day = journey.plan.entry_date
        while day <= end and day <= today:
            segment = self._segment_on(journey, day)
            kind = rng.choices(list(InterviewKind), weights=[70, 20, 5, 5])[0]
            interview = Interview(
                held_on=day,
                kind=kind,
                author=segment["referent"],
                organization=segment["organization"],
                notes=rng.choice(INTERVIEW_NOTES),
            )
            journey.interviews.append(self._stamp(interview, segment["referent"], day))
            day += timedelta(days=rng.randint(30, 90))

    # Contracts -----------------------------------------------------------------------------------

    def _contract(self, journey, category, started_on, end_on, hours, *, ended=None, **extra) -> Contract:
        """A contract of the report category, from `started_on` to `end_on` (planned; None: open-ended)."""
        rng = self.rng
        organizations = self.b.organizations
        employer, employer_name, kind = None, "", EmployerKind.ORDINARY
        contract_type = {
            ReportCategory.CDD_SHORT: ContractType.CDD,
            ReportCategory.CDD_LONG: ContractType.CDD,
            ReportCategory.CDI: ContractType.CDI,
            ReportCategory.INTERIM: ContractType.INTERIM,
            ReportCategory.INTERIM_INSERTION: ContractType.CTTI,
            ReportCategory.CDDI: ContractType.CDDI,
            ReportCategory.ACI: ContractType.CDDI,
            ReportCategory.PROFESSIONALISATION: ContractType.PROFESSIONALISATION,
            ReportCategory.SUBSIDISED: ContractType.SUBSIDISED,
            ReportCategory.OTHER: ContractType.OTHER,
        }[category]
        if category == ReportCategory.CDI and rng.random() < 0.08:
            contract_type = ContractType.CDI_INTERIM
        if category == ReportCategory.INTERIM:
            employer_name = rng.choice(TEMP_AGENCIES)
        elif category == ReportCategory.INTERIM_INSERTION:
            employer, kind = organizations["etti"], EmployerKind.ETTI
        elif category == ReportCategory.CDDI:
            employer, kind = organizations["ei"], EmployerKind.EI
        elif category == ReportCategory.ACI:
            employer, kind = organizations[rng.choice(["aci-jardins", "aci-batiment"])], EmployerKind.ACI
        elif category == ReportCategory.PROFESSIONALISATION:
            employer, kind = organizations["geiq"], EmployerKind.GEIQ
        elif category == ReportCategory.SUBSIDISED:
            employer_name, kind = rng.choice(PUBLIC_EMPLOYERS), EmployerKind.PUBLIC
        elif rng.random() < 0.3:
            employer = organizations[rng.choice(["btp", "proprete", "logistique", "espaces-verts", "restauration"])]
        elif category == ReportCategory.CDD_SHORT and rng.random() < 0.1:
            employer, kind = organizations["ai"], EmployerKind.AI
        else:
            employer_name = rng.choice(ORDINARY_EMPLOYERS)
        title, rome = rng.choice(JOBS)
        if ended is None:
            ended = end_on if end_on and end_on <= self.today else None
        contract = Contract(
            contract_type=contract_type,
            employer=employer,
            employer_name=employer.name if employer else employer_name,
            employer_kind=kind,
            job_title=title,
            rome=self.romes.get(rome),
            started_on=started_on,
            planned_end_on=end_on,
            ended_on=ended,
            weekly_hours=Decimal(hours),
            **extra,
        )
        referent = self._segment_on(journey, started_on)["referent"]
        return self._stamp(contract, referent, started_on)

    def _hours(self, *, part_time=False) -> int:
        if part_time:
            return self.rng.randint(10, 17)
        return self.rng.choice([20, 24, 26, 28, 30, 35, 35, 35, 35])

    def _backwards(self, exit_date: date, earliest: date, months: int = 6) -> date | None:
        """A start date so that `months` calendar months are completed by the exit, not before `earliest`."""
        latest = add_months(exit_date, -months)
        if latest < earliest:
            return None
        return latest - timedelta(days=self.rng.randint(0, min(90, (latest - earliest).days)))

    def _outcome(self, journey: _Journey) -> None:
        """The records that meet the positive exit's criterion at the exit date."""
        rng, plan = self.rng, journey.plan
        kind, exit_date = plan.exit_kind, plan.exit_date
        earliest = plan.entry_date + timedelta(days=14)
        if kind == ExitKind.POSITIVE_TRAINING:
            title, certification, provider = rng.choice(TRAININGS)
            ended = exit_date - timedelta(days=rng.randint(0, 20))
            started = max(plan.entry_date + timedelta(days=7), ended - timedelta(days=rng.randint(60, 270)))
            step = Step(
                kind=rng.choice([StepKind.TRAINING_QUALIFYING, StepKind.TRAINING_CERTIFYING]),
                title=title,
                provider=provider,
                started_on=min(started, ended),
                ended_on=ended,
                certification=certification,
                certification_obtained=True,
            )
            journey.steps.append(self._stamp(step, self._segment_on(journey, step.started_on)["referent"], ended))
            return
        if kind == ExitKind.POSITIVE_BUSINESS:
            registered = self._backwards(exit_date, earliest) or earliest
            self._step(
                journey,
                StepKind.PROJECT,
                "Accompagnement à la création d'entreprise",
                "CMA Côte-d'Or",
                max(plan.entry_date, registered - timedelta(days=90)),
                60,
                90,
            )
            business = BusinessCreation(name=rng.choice(BUSINESSES), registered_on=registered)
            journey.businesses.append(
                self._stamp(business, self._segment_on(journey, registered)["referent"], registered)
            )
            return
        if kind == ExitKind.POSITIVE_INTERIM or (kind == ExitKind.POSITIVE_CDD and rng.random() < 0.3):
            if self._successive(journey, kind, exit_date, earliest):
                return
            if kind == ExitKind.POSITIVE_INTERIM:
                kind = ExitKind.POSITIVE_CDD
                plan.exit_kind = kind
        start = self._backwards(exit_date, earliest)
        if start is None:
            return  # too short: the check turns it into another exit
        if kind == ExitKind.POSITIVE_CDI:
            if rng.random() < 0.3:
                before = start - timedelta(days=rng.randint(30, 90))
                if before >= plan.entry_date:
                    journey.contracts.append(
                        self._contract(journey, ReportCategory.CDD_SHORT, before, start - timedelta(days=1), 35)
                    )
            journey.contracts.append(self._contract(journey, ReportCategory.CDI, start, None, self._hours()))
        elif kind == ExitKind.POSITIVE_CDD:
            end = add_months(start, rng.choice([6, 6, 9, 12])) + timedelta(days=rng.randint(0, 30))
            journey.contracts.append(self._contract(journey, ReportCategory.CDD_LONG, start, end, self._hours()))
        elif kind == ExitKind.POSITIVE_SUBSIDISED:
            end = add_months(start, rng.choice([6, 9, 12])) - timedelta(days=1)
            journey.contracts.append(self._contract(journey, ReportCategory.SUBSIDISED, start, end, 26))
        elif kind == ExitKind.POSITIVE_ACI_SENIOR:
            start = self._backwards(exit_date - timedelta(days=25), earliest)
            if start is None:
                return
            validated = add_months(start, 6) + timedelta(days=rng.randint(0, 20))
            end = add_months(start, 12) - timedelta(days=1)
            contract = self._contract(
                journey,
                ReportCategory.ACI,
                start,
                end,
                26,
                cell_validated_on=validated,
                cell_validated_by=self.coordinator,
            )
            journey.contracts.append(contract)

    def _successive(self, journey: _Journey, kind: str, exit_date: date, earliest: date) -> bool:
        """Successive short contracts (missions or CDD) totalling over 183 days in the 11 months to the exit."""
        rng = self.rng
        window_start = max(earliest, add_months(exit_date, -11))
        interim = kind == ExitKind.POSITIVE_INTERIM
        contracts, day, total = [], exit_date - timedelta(days=rng.randint(0, 5)), 0
        while total < 195:
            length = rng.randint(30, 100) if interim else rng.randint(60, 140)
            start = day - timedelta(days=length - 1)
            if start < window_start:
                return False
            contracts.append((start, day))
            total += length
            day = start - timedelta(days=rng.randint(1, 15))
        for start, end in reversed(contracts):
            if interim:
                category = ReportCategory.INTERIM_INSERTION if rng.random() < 0.15 else ReportCategory.INTERIM
            else:
                category = ReportCategory.CDD_SHORT
            journey.contracts.append(self._contract(journey, category, start, end, self._hours()))
        return True

    def _yearly_contracts(self, journeys: list[_Journey]) -> None:
        """Contracts of the other journeys, so that each year's count and mix are those of the report."""
        today = self.today
        total = sum(CONTRACT_MIX.values())
        by_year = Counter()
        for journey in journeys:
            for c in journey.contracts:
                category = report_category(c.contract_type, c.employer_kind, c.started_on, c.planned_or_actual_end)
                by_year[(c.started_on.year, category)] += 1
        for year in range(self.start.year, today.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), today)
            share = ((last - first).days + 1) / ((date(year, 12, 31) - first).days + 1)
            for category, weight in CONTRACT_MIX.items():
                missing = round(CONTRACTS_PER_YEAR * weight / total * share) - by_year[(year, category)]
                for _ in range(max(0, missing)):
                    self._place_contract(journeys, category, first, last)

    def _in_progress(self, journeys, first, last, *, margin=7):
        """A random journey in its pathway on a random day of [first, last], and that day."""
        rng = self.rng
        for _ in range(200):
            day = self.b.day_between(first, last)
            journey = rng.choice(journeys)
            entry, end = journey.plan.entry_date, journey.end(self.today)
            if entry + timedelta(days=margin) <= day <= end:
                return journey, day
        return None, None

    def _place_contract(self, journeys, category, first, last) -> None:
        rng, today = self.rng, self.today
        for _ in range(30):
            journey, start = self._in_progress(journeys, first, last)
            if journey is None:
                return
            hours, ended = self._hours(), None
            if category == ReportCategory.CDD_SHORT:
                end = start + timedelta(days=rng.randint(7, 150))
            elif category == ReportCategory.CDD_LONG:
                end = add_months(start, rng.choice([6, 7, 9, 12]))
                hours = self._hours(part_time=rng.random() < 0.35)
            elif category == ReportCategory.CDI:
                end = None
                if (today - start).days > 150 or rng.random() < 0.5:
                    ended = start + timedelta(days=rng.randint(14, 75))  # trial period not conclusive
                    ended = ended if ended <= today else None
            elif category in (ReportCategory.INTERIM, ReportCategory.OTHER):
                end = start + timedelta(days=rng.randint(1, 45))
            elif category == ReportCategory.INTERIM_INSERTION:
                end = start + timedelta(days=rng.randint(10, 90))
            elif category in (ReportCategory.CDDI, ReportCategory.ACI):
                end = add_months(start, rng.choice([4, 6, 6, 8, 12])) - timedelta(days=1)
                hours = rng.choice([20, 24, 26, 26])
            elif category == ReportCategory.PROFESSIONALISATION:
                end = add_months(start, rng.choice([6, 12, 18, 24])) - timedelta(days=1)
            else:  # subsidised
                end = add_months(start, rng.choice([6, 9, 12])) - timedelta(days=1)
                hours = 26
            contract = self._contract(journey, category, start, end, hours, ended=ended)
            if report_category(
                contract.contract_type, contract.employer_kind, start, contract.planned_or_actual_end
            ) != (category):
                continue
            journey.contracts.append(contract)
            if self._meets_a_criterion_unduly(journey):
                journey.contracts.pop()
                continue
            return

    def _meets_a_criterion_unduly(self, journey: _Journey) -> bool:
        """An exit that is not positive must not meet a criterion at its date."""
        plan = journey.plan
        if not plan.exit_date or plan.exit_kind in POSITIVE_EXIT_KINDS:
            return False
        return assess(journey, plan.exit_date).met

    def _yearly_supports(self, journeys: list[_Journey]) -> None:
        rng, today = self.rng, self.today
        barriers, weights = list(BARRIER_WEIGHTS), list(BARRIER_WEIGHTS.values())
        for year in range(self.start.year, today.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), today)
            share = ((last - first).days + 1) / ((date(year, 12, 31) - first).days + 1)
            for _ in range(round(SPECIFIC_SUPPORTS_PER_YEAR * share)):
                journey, day = self._in_progress(journeys, first, last, margin=14)
                if journey is None:
                    continue
                barrier = rng.choices(barriers, weights=weights)[0]
                title, provider = rng.choice(SUPPORTS[barrier])
                self._step(journey, StepKind.SPECIFIC_SUPPORT, title, provider, day, 30, 180, barrier=barrier)

    # Exits and FSE+ ------------------------------------------------------------------------------

    def _check_exit(self, journey: _Journey) -> None:
        """Positive exits are confirmed by the rule engine (else they become "no solution");
        other exits do not meet any criterion (a training validated by chance is marked failed)."""
        plan, pathway = journey.plan, journey.pathway
        pathway.exit_kind = plan.exit_kind  # the story may have changed it (no successive missions possible)
        if not plan.exit_date:
            return
        assessment = assess(journey, plan.exit_date)
        if plan.exit_kind in POSITIVE_EXIT_KINDS:
            outcome = confirming_outcome(assessment, plan.exit_kind)
            if outcome is not None:
                pathway.exit_rule = outcome.rule
                pathway.exit_explanation = (
                    f"Critère rempli le {outcome.met_on:%d/%m/%Y} : {outcome.label}, car {outcome.because}"
                )
                return
            plan.exit_kind = pathway.exit_kind = ExitKind.NO_SOLUTION
            pathway.exit_explanation = EXIT_EXPLANATIONS[ExitKind.NO_SOLUTION]
            assessment = assess(journey, plan.exit_date)
        if assessment.met:
            for step in journey.steps:
                if step.certification_obtained:
                    step.certification_obtained = False
            while assess(journey, plan.exit_date).met and journey.contracts:
                journey.contracts.pop()

    def _fse(self, journey: _Journey) -> None:
        rng, today, plan, draft = self.rng, self.today, journey.plan, journey.draft
        entry = plan.entry_date
        recent = (today - entry).days <= FSE_ENTRY_DAYS
        if rng.random() < (0.5 if recent else 0.95):
            late = rng.random() < 0.08
            collected = entry + timedelta(days=rng.randint(29, 60) if late else rng.randint(0, 27))
            if collected <= today:
                journey.questionnaires.append(
                    self._questionnaire(journey, FseMoment.ENTRY, collected, **self._entry_answers(draft))
                )
        if plan.status != PathwayStatus.EXITED:
            return
        positive = plan.exit_kind in POSITIVE_EXIT_KINDS
        training = plan.exit_kind == ExitKind.POSITIVE_TRAINING
        if rng.random() < 0.85:
            collected = min(plan.exit_date + timedelta(days=rng.randint(0, 14)), today)
            answers = {
                "job_searching": Answer.NO if positive and not training else Answer.YES,
                "in_education": Answer.YES if training else Answer.NO,
                "qualification_gained": Answer.YES if training else Answer.NO,
                "employed": Answer.YES if positive and not training else Answer.NO,
            }
            journey.questionnaires.append(self._questionnaire(journey, FseMoment.EXIT, collected, **answers))
        due = add_months(plan.exit_date, 6)
        if due > today:
            return
        # Exited 5 to 7 months ago: most 6-month questionnaires are still to collect.
        share = 0.25 if (today - due).days <= 31 else 0.75
        if rng.random() < share:
            collected = min(due + timedelta(days=rng.randint(0, 30)), today)
            employed = Answer.YES if (positive and rng.random() < 0.8) or rng.random() < 0.2 else Answer.NO
            answers = {"employed": employed, "improved_situation": employed if rng.random() < 0.9 else Answer.YES}
            journey.questionnaires.append(self._questionnaire(journey, FseMoment.SIX_MONTHS, collected, **answers))

    def _questionnaire(self, journey, moment, collected_on, **answers) -> FseQuestionnaire:
        referent = self._segment_on(journey, min(collected_on, journey.end(self.today)))["referent"]
        questionnaire = FseQuestionnaire(moment=moment, collected_on=collected_on, collected_by=referent, **answers)
        return self._stamp(questionnaire, referent, collected_on)

    def _entry_answers(self, draft) -> dict:
        rng = self.rng
        job_seeker = self._fact(draft, FactKind.JOB_SEEKER)
        if job_seeker is None:
            status = LabourMarketStatus.INACTIVE if rng.random() < 0.8 else LabourMarketStatus.EMPLOYED
        elif (draft.person.registered_on - job_seeker["started_on"]).days >= 365:
            status = LabourMarketStatus.LONG_TERM_UNEMPLOYED
        else:
            status = LabourMarketStatus.UNEMPLOYED
        level = self._fact(draft, FactKind.EDUCATION_LEVEL)
        isced = ISCED_OF_LEVEL.get(level["value"], IscedLevel.ISCED_5_8) if level else ""

        def yes_no(kind):
            fact = next((f for f in draft.facts if f["kind"] == kind), None)
            if fact is None:
                return Answer.NO
            return Answer.REFUSED if fact["value"] == REFUSED else Answer.YES

        household = Household.SINGLE_ADULT_WITH_CHILDREN if self._fact(draft, FactKind.SINGLE_PARENT) else None
        household = (
            household
            or rng.choices(
                [
                    Household.SINGLE_ADULT,
                    Household.COUPLE_WITH_CHILDREN,
                    Household.COUPLE,
                    Household.OTHER,
                    Household.REFUSED,
                ],
                weights=[45, 25, 10, 15, 5],
            )[0]
        )
        return {
            "labour_market_status": status,
            "isced_level": isced,
            "household": household,
            "disability": yes_no(FactKind.RQTH),
            "third_country_national": yes_no(FactKind.THIRD_COUNTRY),
            "foreign_background": rng.choices([Answer.YES, Answer.NO, Answer.REFUSED], weights=[20, 65, 15])[0],
            "minority": rng.choices([Answer.YES, Answer.NO, Answer.REFUSED], weights=[5, 60, 35])[0],
            "homeless": yes_no(FactKind.HOMELESS),
        }
