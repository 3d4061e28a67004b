"""Positive exits: the one place that decides, for a participant at a date, whether a criterion of
the 2024 call for projects (seed 003) is met, which one, since when, and why.

The choices the call leaves open are written down in RULE_SETTINGS, with their reason:
- "6 months" for a single contract is 6 calendar months, reached the day before the same date six
  months later (1 Jan -> 30 Jun); cumulated contracts count worked days (183 by default) within a
  sliding 12-month window ending on the day assessed;
- a contract counts up to its actual end, or its planned end when it has no actual end, and never
  beyond the date assessed: criteria are met by time worked, not by signatures alone;
- half-time: weekly hours at least 50 % of the 35 h full time, unless the participant's agreement to
  less is recorded; it applies to the CDI and CDD criteria only, as the call writes; a criterion that
  rests on a part-time contract is met at the earliest on the day the agreement is recorded;
- intérim d'insertion (CTTI, ETTI) counts as intérim; a CDDI in an EI or an ACI is not a contrat aidé,
  nor is any contract with an ACI ("hors ACI");
- 55 and over in an ACI: the age is taken on the contract's first day, and the criterion is met only
  once the cellule's case-by-case validation is recorded.
"""

from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta

from tremplin.core import contracts
from tremplin.core.formatting import number as french_number
from tremplin.plie.enums import ALTERNANCE, QUALIFYING_TRAININGS, ContractType, EmployerKind, ExitRule
from tremplin.plie.models import Contract, Pathway, add_months


@dataclass(frozen=True)
class RuleSettings:
    cumulative_days: int = 183
    window_months: int = 12
    single_contract_months: int = 6
    senior_age: int = 55
    interim_types: frozenset = contracts.TEMPORARY_WORK
    subsidised_types: frozenset = contracts.SUBSIDISED


RULE_SETTINGS = RuleSettings()


@dataclass(frozen=True)
class UsedRecord:
    kind: str  # "contract", "step", "business"
    pk: int
    label: str

    def as_dict(self):
        return {"kind": self.kind, "id": self.pk, "label": self.label}


@dataclass
class RuleOutcome:
    rule: str
    met: bool
    met_on: date | None = None
    because: str = ""
    records: list[UsedRecord] = field(default_factory=list)
    pending: str = ""

    @property
    def label(self) -> str:
        return ExitRule(self.rule).label

    @property
    def summary(self) -> str:
        if not self.met:
            return f"Critère non rempli : {self.label}, car {self.because}"
        return f"Critère rempli le {self.met_on:%d/%m/%Y} : {self.label}, car {self.because}"


@dataclass
class ExitAssessment:
    at: date
    outcomes: list[RuleOutcome]

    @property
    def outcome(self) -> RuleOutcome | None:
        """The criterion met first (rules order breaks ties), or None."""
        met = [o for o in self.outcomes if o.met]
        return min(met, key=lambda o: o.met_on) if met else None

    @property
    def met(self) -> bool:
        return self.outcome is not None

    @property
    def summary(self) -> str:
        outcome = self.outcome
        if outcome is None:
            return f"Aucun critère de sortie positive rempli au {self.at:%d/%m/%Y}."
        return outcome.summary

    def as_dict(self) -> dict:
        outcome = self.outcome
        return {
            "at": self.at.isoformat(),
            "rule": outcome.rule if outcome else None,
            "rule_label": outcome.label if outcome else None,
            "met_on": outcome.met_on.isoformat() if outcome else None,
            "explanation": self.summary,
            "records": [r.as_dict() for r in outcome.records] if outcome else [],
            "pending": [{"rule": o.rule, "reason": o.pending} for o in self.outcomes if o.pending],
        }


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _contract_label(contract: Contract) -> str:
    end = contract.ended_on or contract.planned_end_on
    period = f"du {_d(contract.started_on)}" + (f" au {_d(end)}" if end else "")
    hours = french_number(contract.weekly_hours)
    return f"{contract.get_contract_type_display()} chez {contract.employer_name} {period} ({hours} h/semaine)"


def _record(contract: Contract) -> UsedRecord:
    return UsedRecord("contract", contract.pk, _contract_label(contract))


def _worked_until(contract: Contract, at: date) -> date | None:
    """Last day worked in the contract, as known on `at` (None if it had not started)."""
    if contract.started_on > at:
        return None
    end = contract.ended_on or contract.planned_end_on
    return min(end, at) if end else at


def _counts_from(contract: Contract, at: date) -> date | None:
    """For the half-time rule: the first day the contract may count (None: not as known on `at`).

    A contract of at least half time counts from the start; one below counts once the participant's
    agreement is recorded, so that the criterion is met on a day when every condition holds."""
    if contract.is_half_time_or_more:
        return date.min
    if contract.part_time_agreed_on is not None and contract.part_time_agreed_on <= at:
        return contract.part_time_agreed_on
    return None


def _six_months_reached(contract: Contract, at: date, settings: RuleSettings) -> date | None:
    """The day 6 calendar months of presence are completed in this contract, if by `at`."""
    completed_on = add_months(contract.started_on, settings.single_contract_months) - timedelta(days=1)
    last_day = _worked_until(contract, at)
    if last_day is None or last_day < completed_on:
        return None
    return completed_on


def _window_start(day: date, settings: RuleSettings) -> date:
    """First day of the sliding window ending on `day`: (day - 12 months, day]."""
    return add_months(day, -settings.window_months) + timedelta(days=1)


def _in_window(contracts, day: date, settings: RuleSettings) -> list[Contract]:
    """The contracts worked at least one day in the window ending on `day`."""
    start = _window_start(day, settings)
    return [c for c in contracts if c.started_on <= day and _worked_until(c, day) >= start]


def _first_cumulative_date(
    contracts, at: date, settings: RuleSettings, *, from_day: date = date.min
) -> tuple[date | None, int]:
    """First day D, from_day <= D <= at, on which the days worked in (D - 12 months, D] reach the threshold.

    Overlapping contracts count each day once. Returns (D or None, best count seen)."""
    days = set()
    for contract in contracts:
        last_day = _worked_until(contract, at)
        if last_day is None:
            continue
        day = contract.started_on
        while day <= last_day:
            days.add(day)
            day += timedelta(days=1)
    window, best = deque(), 0
    for day in sorted(days):
        window.append(day)
        window_start = _window_start(day, settings)
        while window[0] < window_start:
            window.popleft()
        best = max(best, len(window))
        if len(window) >= settings.cumulative_days and day >= from_day:
            return day, best
    return None, best


def _first_cumulative_date_with_agreements(contracts, at: date, settings: RuleSettings):
    """As _first_cumulative_date, for contracts under the half-time rule: a part-time contract joins
    the count on the day its agreement is recorded. Returns (D or None, contracts counted on D, best)."""
    since = {c.pk: _counts_from(c, at) for c in contracts}
    steps = sorted({s for s in since.values() if s is not None})
    best = 0
    for i, step in enumerate(steps):
        step_end = steps[i + 1] - timedelta(days=1) if i + 1 < len(steps) else at
        counted = [c for c in contracts if since[c.pk] is not None and since[c.pk] <= step]
        reached_on, step_best = _first_cumulative_date(counted, step_end, settings, from_day=step)
        best = max(best, step_best)
        if reached_on:
            return reached_on, counted, best
    return None, [], best


def _single_contract_rule(rule, contracts, at, settings, *, half_time: bool, what: str) -> RuleOutcome:
    best, too_short, part_time = None, [], []
    for contract in contracts:
        since = _counts_from(contract, at) if half_time else date.min
        if since is None:
            part_time.append(contract)
            continue
        reached = _six_months_reached(contract, at, settings)
        if reached:
            reached = max(reached, since)
        if reached and (best is None or reached < best[0]):
            best = (reached, contract)
        elif not reached:
            too_short.append(contract)
    if best:
        reached, contract = best
        return RuleOutcome(
            rule,
            True,
            reached,
            f"{_contract_label(contract)} : 6 mois de présence atteints le {_d(reached)}.",
            [_record(contract)],
        )
    if part_time:
        because = f"{what} à moins d'un mi-temps sans accord du participant : {_contract_label(part_time[0])}."
    elif too_short:
        because = f"{what} de moins de 6 mois à cette date : {_contract_label(too_short[0])}."
    else:
        because = f"aucun {what}."
    return RuleOutcome(rule, False, because=because)


def _cdi(contracts, at, settings) -> RuleOutcome:
    # Includes alternance concluded as a CDI and the CDI intérimaire (seed 003).
    open_ended = [c for c in contracts if c.is_open_ended]
    return _single_contract_rule(ExitRule.CDI, open_ended, at, settings, half_time=True, what="CDI")


def _cdd(contracts, at, settings) -> RuleOutcome:
    # One CDD or successive CDDs totalling 6 months within 12 months; alternance included.
    fixed_term = [
        c
        for c in contracts
        if c.contract_type == ContractType.CDD or (c.contract_type in ALTERNANCE and not c.open_ended)
    ]
    eligible = [c for c in fixed_term if _counts_from(c, at) is not None]
    single = _single_contract_rule(ExitRule.CDD, fixed_term, at, settings, half_time=True, what="CDD")
    cumulative_on, counted, best = _first_cumulative_date_with_agreements(eligible, at, settings)
    if cumulative_on and (not single.met or cumulative_on < single.met_on):
        used = _in_window(counted, cumulative_on, settings)
        return RuleOutcome(
            ExitRule.CDD,
            True,
            cumulative_on,
            f"{settings.cumulative_days} jours de CDD cumulés en 12 mois atteints le {_d(cumulative_on)} : "
            + " ; ".join(_contract_label(c) for c in used)
            + ".",
            [_record(c) for c in used],
        )
    if single.met:
        return single
    if len(eligible) < len(fixed_term) and not eligible:
        single.because = "CDD à moins d'un mi-temps sans accord du participant."
    elif eligible:
        single.because = f"{best} jours de CDD cumulés au mieux sur 12 mois, {settings.cumulative_days} requis."
    return single


def _interim(contracts, at, settings) -> RuleOutcome:
    missions = [c for c in contracts if c.contract_type in settings.interim_types]
    if not missions:
        return RuleOutcome(ExitRule.INTERIM, False, because="aucune mission d'intérim.")
    reached_on, best = _first_cumulative_date(missions, at, settings)
    if reached_on is None:
        return RuleOutcome(
            ExitRule.INTERIM,
            False,
            because=f"{best} jours de missions cumulés au mieux sur 12 mois, {settings.cumulative_days} requis.",
        )
    used = _in_window(missions, reached_on, settings)
    return RuleOutcome(
        ExitRule.INTERIM,
        True,
        reached_on,
        f"{settings.cumulative_days} jours de missions d'intérim cumulés sur 12 mois atteints le {_d(reached_on)} : "
        + " ; ".join(_contract_label(c) for c in used)
        + ".",
        [_record(c) for c in used],
    )


def _in_aci(contract: Contract) -> bool:
    return contract.employer_kind == EmployerKind.ACI and contract.contract_type in (
        ContractType.CDDI,
        ContractType.SUBSIDISED,
    )


def _subsidised(contracts, at, settings) -> RuleOutcome:
    # "Contrats aidés de 6 mois ou plus (hors ACI)": a contract with an ACI never counts here.
    aided = [
        c for c in contracts if c.contract_type in settings.subsidised_types and c.employer_kind != EmployerKind.ACI
    ]
    return _single_contract_rule(ExitRule.SUBSIDISED, aided, at, settings, half_time=False, what="contrat aidé")


def _aci_senior(pathway, contracts, at, settings) -> RuleOutcome:
    in_aci = [c for c in contracts if _in_aci(c)]
    seniors = [c for c in in_aci if pathway.person.age_on(c.started_on) >= settings.senior_age]
    if not seniors:
        because = "contrat en ACI commencé avant 55 ans." if in_aci else "aucun contrat en ACI."
        return RuleOutcome(ExitRule.ACI_SENIOR, False, because=because)
    pending = ""
    for contract in sorted(seniors, key=lambda c: c.started_on):
        reached = _six_months_reached(contract, at, settings)
        if reached is None:
            continue
        if contract.cell_validated_on is None or contract.cell_validated_on > at:
            pending = f"6 mois en ACI atteints le {_d(reached)} ; validation au cas par cas de la cellule à obtenir."
            continue
        met_on = max(reached, contract.cell_validated_on)
        return RuleOutcome(
            ExitRule.ACI_SENIOR,
            True,
            met_on,
            f"{_contract_label(contract)} : 6 mois dans l'emploi le {_d(reached)}, "
            f"validé par la cellule le {_d(contract.cell_validated_on)}.",
            [_record(contract)],
        )
    return RuleOutcome(
        ExitRule.ACI_SENIOR, False, because=pending or "moins de 6 mois en ACI à cette date.", pending=pending
    )


def _training(steps, at) -> RuleOutcome:
    validated = sorted(
        (
            s
            for s in steps
            if s.kind in QUALIFYING_TRAININGS and s.certification_obtained and s.ended_on and s.ended_on <= at
        ),
        key=lambda s: s.ended_on,
    )
    if not validated:
        return RuleOutcome(ExitRule.TRAINING, False, because="aucune formation qualifiante validée à cette date.")
    step = validated[0]
    certification = step.certification or step.title
    return RuleOutcome(
        ExitRule.TRAINING,
        True,
        step.ended_on,
        f"{step.get_kind_display()} « {step.title} » validée le {_d(step.ended_on)} ({certification}).",
        [UsedRecord("step", step.pk, f"{step.get_kind_display()} : {step.title}")],
    )


def _business(businesses, at, settings) -> RuleOutcome:
    for business in sorted(businesses, key=lambda b: b.registered_on):
        consolidated_on = add_months(business.registered_on, settings.single_contract_months) - timedelta(days=1)
        if consolidated_on > at:
            continue
        if business.ceased_on and business.ceased_on < consolidated_on:
            continue
        return RuleOutcome(
            ExitRule.BUSINESS,
            True,
            consolidated_on,
            f"{business.name}, immatriculée le {_d(business.registered_on)}, active 6 mois le {_d(consolidated_on)}.",
            [UsedRecord("business", business.pk, str(business))],
        )
    return RuleOutcome(ExitRule.BUSINESS, False, because="aucune entreprise créée active depuis 6 mois.")


def assess_exit(pathway: Pathway, at: date, *, settings: RuleSettings = RULE_SETTINGS) -> ExitAssessment:
    """Every positive-exit criterion for this pathway on `at`, each with its answer and reason.

    Use `prefetch_related("contracts", "steps", "businesses")` and `select_related("person")` when
    assessing many pathways."""
    contracts = sorted((c for c in pathway.contracts.all() if c.started_on <= at), key=lambda c: (c.started_on, c.pk))
    outcomes = [
        _cdi(contracts, at, settings),
        _cdd(contracts, at, settings),
        _interim(contracts, at, settings),
        _subsidised(contracts, at, settings),
        _aci_senior(pathway, contracts, at, settings),
        _training(pathway.steps.all(), at),
        _business(pathway.businesses.all(), at, settings),
    ]
    return ExitAssessment(at=at, outcomes=outcomes)
