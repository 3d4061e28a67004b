"""The clauses' demo, last part: who is placed (people of the registry followed by the clauses service, the pool,
or new people), the candidacies, then the rows written."""

from __future__ import annotations

from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from tremplin.clauses.demo.data import (
    BTP,
    EVALUATION_DAYS,
    EVALUATION_NOTES,
    INTELLECTUAL,
    OUTSIDE_METROPOLE_SHARE,
    OVERDUE_EVALUATIONS,
    PENDING_REFERRALS,
    POOL_DAYS,
    PROOFS,
    PUBLIC_WORKS_TRADES,
    QPV_FACTOR,
    REFERRAL_REASONS,
    REFUSAL_REASONS,
    REFUSALS_PER_YEAR,
    REUSE_SHARE,
    SERVICE_JOBS,
    SERVICES,
    TRADES,
    VALIDATION_REASONS,
    WAITING_IN_POOL,
    WITHDRAWAL_REASONS,
    WOMEN_SHARE,
    C,
    M,
)
from tremplin.clauses.demo.planned import (
    PlannedPlacement,
    PlannedWorker,
    has_fact,
)
from tremplin.clauses.enums import (
    CandidateStatus,
    EligiblePublic,
    EvaluationStatus,
)
from tremplin.clauses.models import (
    Candidate,
    CountingConvention,
    GlobalisationAgreement,
    HoursRecord,
    Lot,
    Market,
    Operation,
    Placement,
)
from tremplin.demo.data import EMAIL_DOMAIN, ORGANIZATIONS
from tremplin.people.enums import EducationLevel, FactKind, Programme, Sex
from tremplin.structures.models import Organization


class People:
    # People ----------------------------------------------------------------------------------------------

    def _people(self, drafts) -> None:
        """Who is placed: people of the registry followed by the clauses service when their follow-up fits,
        the pool (people placed before), or new people; then the candidacies without placements."""
        rng = self.rng
        existing = []
        for draft in drafts:
            for follow_up in draft.follow_ups:
                if follow_up["programme"] == Programme.CLAUSES:
                    worker = PlannedWorker(draft.person.sex, follow_up["started_on"], draft=draft, follow_up=follow_up)
                    existing.append(worker)
        self.existing = existing
        unused = {Sex.WOMAN: [], Sex.MAN: []}
        for worker in existing:
            unused[Sex.WOMAN if worker.sex == Sex.WOMAN else Sex.MAN].append(worker)
        pool = {Sex.WOMAN: [], Sex.MAN: []}
        ordered = sorted(self.placements, key=lambda p: (p.started_on, p.index))
        for number, placement in enumerate(ordered):
            sex = Sex.WOMAN if rng.random() < WOMEN_SHARE[placement.sector] else Sex.MAN
            start, end = placement.started_on, placement.end
            worker = None
            if rng.random() < REUSE_SHARE:
                recent = pool[sex]
                for _ in range(8):
                    if not recent:
                        break
                    candidate = recent[rng.randrange(len(recent))]
                    if candidate.busy_until < start and candidate.busy_until >= start - timedelta(days=POOL_DAYS):
                        if candidate.window_end is None or candidate.window_end >= end:
                            worker = candidate
                            break
            if worker is None:
                worker = self._registry_worker(unused[sex], start, end)
            if worker is None:
                referred_on = self._day(start - timedelta(days=50), start - timedelta(days=12))
                worker = PlannedWorker(sex, referred_on)
                self.workers.append(worker)
            if not worker.placements:
                worker.sector = placement.sector
                pool[sex].append(worker)
            worker.placements.append(placement)
            worker.busy_until = max(worker.busy_until, end)
            placement.worker = worker
            if number % 300 == 0:
                for key in pool:
                    pool[key] = [w for w in pool[key] if w.busy_until >= start - timedelta(days=POOL_DAYS)]
        self._statuses()
        self._extra_candidacies()
        new_drafts = []
        for worker in self.workers:
            if worker.draft is None:
                worker.draft = self.b.draft(
                    sex=worker.sex,
                    registered_on=worker.referred_on,
                    min_age=18,
                    qpv_factor=QPV_FACTOR,
                    outside=rng.random() < OUTSIDE_METROPOLE_SHARE,
                    follow_ups=False,
                )
                worker.prescriber = self._prescriber(worker)
                worker.draft.follow_ups.append(
                    {
                        "organization": self.creativ,
                        "programme": Programme.CLAUSES,
                        "referent": self.facilitator,
                        "prescriber": worker.prescriber,
                        "started_on": worker.referred_on,
                        "ended_on": worker.left_on,
                    }
                )
                person = worker.draft.person
                person.created_by = self.facilitator
                person._history_user = self.facilitator
                new_drafts.append(worker.draft)
            else:
                worker.prescriber = self._prescriber(worker)
        self.b.save_drafts(new_drafts)

    def _registry_worker(self, unused: list, start: date, end: date):
        """A person of the registry whose clauses follow-up covers the placement, validated before it starts."""
        if not unused:
            return None
        offset = self.rng.randrange(len(unused))
        for step in range(len(unused)):
            worker = unused[(offset + step) % len(unused)]
            if worker.referred_on + timedelta(days=14) <= start and (
                worker.window_end is None or worker.window_end >= end
            ):
                unused.remove(worker)
                self.workers.append(worker)
                return worker
        return None

    def _statuses(self) -> None:
        """Placed people stay in the pool until POOL_DAYS after their last placement, then leave it."""
        rng, today = self.rng, self.today
        for worker in self.workers:
            worker.decided_on = self._interview_day(worker)
            if worker.follow_up is not None:
                if worker.window_end is not None:
                    worker.status, worker.left_on = CandidateStatus.WITHDRAWN, worker.window_end
                continue
            if worker.busy_until < today - timedelta(days=POOL_DAYS):
                left_on = worker.busy_until + timedelta(days=rng.randint(20, 120))
                if left_on < today:
                    worker.status, worker.left_on = CandidateStatus.WITHDRAWN, self._day(left_on, left_on)

    def _interview_day(self, worker: PlannedWorker) -> date:
        first = worker.placements[0].started_on if worker.placements else self.today
        latest = min(first - timedelta(days=2), worker.referred_on + timedelta(days=25), self.today)
        return self._day(min(worker.referred_on + timedelta(days=5), latest), latest)

    def _extra_candidacies(self) -> None:
        """Referrals that did not lead to a placement: refused, validated then withdrawn, waiting in the pool,
        to receive; people of the registry followed by the clauses service first, then new people."""
        rng, today = self.rng, self.today
        placed = {id(w) for w in self.workers}
        for worker in self.existing:
            if id(worker) in placed:
                continue
            follow_up = worker.follow_up
            if follow_up["ended_on"] is None:
                if (today - worker.referred_on).days <= 30:
                    worker.status = CandidateStatus.REFERRED
                else:
                    worker.status = CandidateStatus.VALIDATED
                    worker.decided_on = self._day(
                        worker.referred_on + timedelta(days=5), worker.referred_on + timedelta(days=25)
                    )
            elif (follow_up["ended_on"] - worker.referred_on).days <= 60:
                worker.status, worker.left_on = CandidateStatus.REFUSED, follow_up["ended_on"]
                worker.decided_on = follow_up["ended_on"]
            else:
                worker.status, worker.left_on = CandidateStatus.WITHDRAWN, follow_up["ended_on"]
                worker.decided_on = self._day(
                    worker.referred_on + timedelta(days=5), worker.referred_on + timedelta(days=25)
                )
            worker.sector = BTP if worker.sex != Sex.WOMAN and rng.random() < 0.6 else SERVICES
            self.workers.append(worker)
        first = date(self.first_year, 1, 1)
        for _ in range(round(REFUSALS_PER_YEAR * ((today - first).days / 365))):
            referred_on = self._day(first, today - timedelta(days=35))
            worker = self._new_extra(referred_on, CandidateStatus.REFUSED)
            worker.decided_on = self._day(referred_on + timedelta(days=5), referred_on + timedelta(days=25))
            worker.left_on = worker.decided_on
        for _ in range(WAITING_IN_POOL):
            referred_on = self._day(today - timedelta(days=75), today - timedelta(days=20))
            worker = self._new_extra(referred_on, CandidateStatus.VALIDATED)
            worker.decided_on = self._day(
                referred_on + timedelta(days=5), min(today, referred_on + timedelta(days=18))
            )
        for _ in range(PENDING_REFERRALS):
            referred_on = self._day(today - timedelta(days=21), today)
            self._new_extra(referred_on, CandidateStatus.REFERRED)

    def _new_extra(self, referred_on: date, status: str) -> PlannedWorker:
        sector = BTP if self.rng.random() < 0.45 else SERVICES
        sex = Sex.WOMAN if self.rng.random() < WOMEN_SHARE[sector] + 0.1 else Sex.MAN
        worker = PlannedWorker(sex, referred_on, status=status, sector=sector)
        self.workers.append(worker)
        return worker

    def _prescriber(self, worker: PlannedWorker) -> Organization:
        rng, draft = self.rng, worker.draft
        organizations = self.b.organizations
        if has_fact(draft, FactKind.RSA) and rng.random() < 0.5:
            return organizations["cd21-rsa"]
        if has_fact(draft, FactKind.RQTH) and rng.random() < 0.6:
            return organizations["cap-emploi"]
        code = draft.person.commune.insee_code
        if code == "21231" and rng.random() < 0.1:
            return organizations["ccas"]
        if code in ("21166", "21390", "21355", "21481"):
            return organizations["ft-chenove"]
        return organizations[rng.choice(["ft-marbotte", "ft-toison"])]

    # Writing -----------------------------------------------------------------------------------------------

    def _write(self) -> None:
        rng = self.rng
        facilitator = self.facilitator
        bulk_create_with_history([p.obj for p in self.operations], Operation)
        conventions = [p.convention for p in self.operations if p.convention is not None]
        for convention in conventions:
            convention.operation = convention.operation  # the saved operation's primary key
        bulk_create_with_history(conventions, CountingConvention)
        agreements = [a.obj for a in self.agreements]
        bulk_create_with_history(agreements, GlobalisationAgreement)
        through = GlobalisationAgreement.operations.through
        through.objects.bulk_create(
            [
                through(globalisationagreement_id=a.obj.pk, operation_id=o.obj.pk)
                for a in self.agreements
                for o in a.operations
            ]
        )
        markets = {id(lot.obj.market): lot.obj.market for lot in self.lots}
        bulk_create_with_history(list(markets.values()), Market)
        for lot in self.lots:
            lot.obj.market = lot.obj.market
        bulk_create_with_history([lot.obj for lot in self.lots], Lot)
        # Candidacies, with the jobs they seek.
        candidates = [self._candidate(worker) for worker in self.workers]
        bulk_create_with_history(candidates, Candidate)
        jobs = Candidate.jobs_sought.through
        links = []
        for worker in self.workers:
            if worker.status in (CandidateStatus.VALIDATED, CandidateStatus.WITHDRAWN):
                for code in self._jobs_sought(worker):
                    if code in self.romes:
                        links.append(jobs(candidate_id=worker.candidate.pk, romecode_id=self.romes[code].pk))
        jobs.objects.bulk_create(links, batch_size=2000)
        # Placements, then their monthly hours.
        placements = []
        for planned in self.placements:
            placement = self._placement(planned)
            planned.obj = placement
            placements.append(placement)
        bulk_create_with_history(placements, Placement)
        records = []
        for planned in self.placements:
            recorder = self.company_user if planned.employer.pk == self.b.organizations["btp"].pk else None
            for record in planned.records:
                records.append(
                    HoursRecord(
                        placement=planned.obj,
                        month=record.month,
                        hours=record.hours,
                        training_hours=record.training,
                        subcontracting_amount=record.amount,
                        worked_on=record.worked_on.obj if record.worked_on else None,
                        recorded_by=recorder or (facilitator if rng.random() < 0.7 else self.assistant),
                    )
                )
        HoursRecord.objects.bulk_create(records, batch_size=2000)

    def _eligibility(self, worker: PlannedWorker):
        """The eligible public and its proof, from the person's situation on the day of the referral."""
        rng, draft = self.rng, worker.draft
        person, day = draft.person, worker.referred_on
        first = worker.placements[0] if worker.placements else None
        if first is not None and first.profile.mode != M.DIRECT_HIRE and rng.random() < 0.3:
            return EligiblePublic.SIAE_EMPLOYEE
        if has_fact(draft, FactKind.RSA, day):
            return EligiblePublic.RSA
        if has_fact(draft, FactKind.RQTH, day):
            return EligiblePublic.RQTH
        age = person.age_on(day)
        levels = [f["value"] for f in draft.facts if f["kind"] == FactKind.EDUCATION_LEVEL]
        if age < 26 and levels and levels[-1] in (EducationLevel.NONE, EducationLevel.LEVEL_3):
            return EligiblePublic.YOUNG_LOW_QUALIFIED
        for fact in draft.facts:
            if fact["kind"] == FactKind.JOB_SEEKER and fact["started_on"] <= day - timedelta(days=365):
                return EligiblePublic.DELD
        if age < 26 and rng.random() < 0.3:
            return EligiblePublic.EPIDE_E2C
        return rng.choices(
            [EligiblePublic.ASS, EligiblePublic.AAH, EligiblePublic.FACILITATOR_DECISION], weights=[50, 15, 35]
        )[0]

    def _candidate(self, worker: PlannedWorker) -> Candidate:
        rng = self.rng
        prescriber = worker.prescriber
        contact_first = self.b.fake.first_name_female() if rng.random() < 0.7 else self.b.fake.first_name_male()
        contact_last = self.b.fake.last_name()
        slug = next(spec.key for spec in ORGANIZATIONS if spec.name == prescriber.name)
        candidate = Candidate(
            person=worker.draft.person,
            prescriber=prescriber,
            prescriber_contact=f"{contact_first} {contact_last}",
            prescriber_email=f"{self.b.email_part(contact_first)}.{self.b.email_part(contact_last)}@"
            f"{slug}.{EMAIL_DOMAIN}",
            referred_on=worker.referred_on,
            reason=rng.choice(REFERRAL_REASONS[worker.sector or SERVICES]),
            status=worker.status,
        )
        today = self.today
        if worker.status != CandidateStatus.REFERRED or rng.random() < 0.5:
            public = self._eligibility(worker)
            candidate.eligible_public = public
            candidate.proof_seen = PROOFS[public]
            candidate.proof_date = worker.referred_on - timedelta(days=rng.randint(0, 90))
        if worker.status == CandidateStatus.REFERRED:
            if rng.random() < 0.7:
                candidate.interview_on = self._day(
                    max(today - timedelta(days=2), worker.referred_on), today + timedelta(days=12)
                )
                if rng.random() < 0.2:
                    candidate.interview_on = today
        else:
            candidate.interview_on = worker.decided_on
            candidate.decided_by = self.facilitator
            if worker.status == CandidateStatus.REFUSED:
                candidate.decision_reason = rng.choice(REFUSAL_REASONS)
                candidate.eligible_public = candidate.eligible_public or EligiblePublic.FACILITATOR_DECISION
            else:
                label = EligiblePublic(candidate.eligible_public).label
                label = label[0].lower() + label[1:]
                candidate.decision_reason = rng.choice(VALIDATION_REASONS).format(public=label)
            if worker.status == CandidateStatus.WITHDRAWN:
                candidate.decision_reason += (
                    f"\nSortie du vivier le {worker.left_on:%d/%m/%Y} : {rng.choice(WITHDRAWAL_REASONS)}"
                )
        moment = worker.left_on or worker.decided_on or worker.referred_on
        self._stamp(candidate, self.facilitator, moment)
        worker.candidate = candidate
        return candidate

    def _jobs_sought(self, worker: PlannedWorker) -> list[str]:
        rng = self.rng
        if worker.placements:
            lot = worker.placements[0].lot
            spec = TRADES.get(lot.trade) or PUBLIC_WORKS_TRADES.get(lot.trade)
            if spec:
                codes = list(spec[2])
            elif lot.sector == INTELLECTUAL:
                codes = list(SERVICE_JOBS["intellectual"][0])
            else:
                codes = list(
                    SERVICE_JOBS.get(lot.trade, SERVICE_JOBS.get(lot.operation.works, SERVICE_JOBS["cleaning"]))[0]
                )
        elif worker.sector == BTP:
            codes = rng.choice([TRADES["Gros œuvre"][2], PUBLIC_WORKS_TRADES["Terrassements – VRD"][2], ["F1606"]])
        else:
            codes = rng.choice([SERVICE_JOBS["cleaning"][0], SERVICE_JOBS["green"][0], SERVICE_JOBS["logistics"][0]])
        return codes[: rng.randint(1, 3)]

    def _placement(self, planned: PlannedPlacement) -> Placement:
        rng, today = self.rng, self.today
        end = planned.end
        ended_on = end if end <= today else None
        if ended_on is None and planned.profile.contract != C.CDI and rng.random() < 0.5:
            ended_on = end  # planned end, to come
        placement = Placement(
            person=planned.worker.draft.person,
            candidate=planned.worker.candidate,
            lot=planned.lot.obj,
            mode=planned.profile.mode,
            contract=planned.profile.contract,
            employer=planned.employer,
            job_title=planned.job_title,
            started_on=planned.started_on,
            ended_on=ended_on,
        )
        evaluated_on = planned.started_on + timedelta(days=rng.randint(*EVALUATION_DAYS))
        evaluated_on = min(evaluated_on, end)
        overdue = rng.random() < OVERDUE_EVALUATIONS / max(1, len(self.placements))
        if evaluated_on < today - timedelta(days=2) and not overdue:
            placement.evaluation_status = EvaluationStatus.DONE
            placement.evaluated_on = evaluated_on
            placement.evaluation_notes = rng.choice(EVALUATION_NOTES)
        self._stamp(placement, self.facilitator, planned.started_on - timedelta(days=rng.randint(1, 10)))
        return placement
