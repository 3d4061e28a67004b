"""The plan of the clauses' demo, in memory before anything is written: operations, lots, agreements,
placements with their monthly records, workers; and the counting rules applied while planning."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tremplin.clauses.demo.data import (
    CENT,
    PROVISION_MODES,
    BuyerSpec,
    M,
    Profile,
)
from tremplin.clauses.enums import (
    ALTERNANCE_CONTRACTS,
    NO_HOURS_BASES,
    SUBCONTRACTING_MODES,
    CandidateStatus,
)
from tremplin.clauses.models import (
    Candidate,
    CountingConvention,
    GlobalisationAgreement,
    Lot,
    Operation,
)
from tremplin.people.enums import REFUSED
from tremplin.structures.models import Organization


def to_cents(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, 28))


# --- Plan -------------------------------------------------------------------------------------------------


@dataclass
class PlannedOperation:
    obj: Operation
    buyer: BuyerSpec
    works: str  # "building", "public_works", a service, or "insertion"
    convention: CountingConvention | None = None
    lots: list = field(default_factory=list)
    agreement: object = None  # PlannedAgreement


@dataclass
class PlannedLot:
    obj: Lot
    operation: PlannedOperation
    trade: str  # building trade, public works trade, or service
    weight: float = 0.0  # planned hours a month

    @property
    def sector(self) -> str:
        return self.operation.obj.sector


@dataclass
class PlannedAgreement:
    obj: GlobalisationAgreement
    operations: list


@dataclass
class PlannedRecord:
    month: date
    hours: Decimal
    training: Decimal = Decimal("0.00")
    amount: Decimal | None = None
    worked_on: PlannedOperation | None = None
    counted: Decimal = Decimal("0.00")


@dataclass
class PlannedPlacement:
    lot: PlannedLot
    profile: Profile
    employer: Organization
    started_on: date
    end: date  # the last day worked (planned end when to come)
    job_title: str
    records: list = field(default_factory=list)
    worker: object = None  # PlannedWorker
    index: int = 0

    @property
    def sector(self) -> str:
        return self.lot.sector


@dataclass
class PlannedWorker:
    """A person of the clauses service: from the registry (draft), or to create."""

    sex: str
    referred_on: date
    draft: object = None  # generator._Draft, once known
    follow_up: dict | None = None  # the registry person's CLAUSES follow-up
    placements: list = field(default_factory=list)
    busy_until: date = date.min
    sector: str = ""
    status: str = CandidateStatus.VALIDATED
    decided_on: date | None = None
    left_on: date | None = None  # refusal or withdrawal: the end of the follow-up
    candidate: Candidate | None = None
    prescriber: Organization | None = None

    @property
    def window_end(self) -> date | None:
        return self.follow_up["ended_on"] if self.follow_up else None


# --- Counting (the rules of tremplin/clauses/counting.py, for the planning) -------------------------


def is_admitted(convention: CountingConvention, mode: str) -> bool:
    if mode == M.DIRECT_HIRE:
        return convention.count_direct_hire
    if mode in PROVISION_MODES:
        return convention.count_staff_provision
    return convention.count_subcontracting


def counted_hours(record: PlannedRecord, placement: PlannedPlacement) -> Decimal:
    operation = placement.lot.operation
    convention = operation.convention
    profile = placement.profile
    if placement.lot.obj.legal_basis in NO_HOURS_BASES:
        return Decimal("0.00")
    if convention is not None and not is_admitted(convention, profile.mode):
        return Decimal("0.00")
    if record.worked_on is not None and record.worked_on is not operation:
        agreement = operation.agreement
        if (
            agreement is None
            or record.worked_on not in agreement.operations
            or not agreement.obj.is_in_force(record.month)
        ):
            return Decimal("0.00")
    total = record.hours
    if profile.contract in ALTERNANCE_CONTRACTS and (convention is None or convention.count_alternance_training):
        total += record.training
    if (
        profile.mode in SUBCONTRACTING_MODES
        and not record.hours
        and record.amount
        and convention is not None
        and convention.subcontracting_hourly_rate
    ):
        total += to_cents(record.amount / convention.subcontracting_hourly_rate)
    return to_cents(total)


def has_fact(draft, kind, day: date | None = None) -> bool:
    for fact in draft.facts:
        if fact["kind"] != kind or fact["value"] == REFUSED:
            continue
        if day is None or (fact["started_on"] <= day and (fact["ended_on"] is None or fact["ended_on"] >= day)):
            return True
    return False


def of_buyer(name: str) -> str:
    """ "Ville de Talant" -> "de la Ville de Talant", "CHU Dijon Bourgogne" -> "du CHU Dijon Bourgogne"."""
    if name.startswith(("Préfecture", "Rectorat")):
        name = name[0].lower() + name[1:]
    if name.startswith(("Ville", "Communauté", "Région", "SPLAAD", "préfecture", "CAF", "CDC")):
        return f"de la {name}"
    if name.startswith(("CHU", "Centre", "CROUS", "SDIS", "rectorat", "Département")):
        return f"du {name}"
    if name.startswith(("Université", "Institut", "Opéra")):
        return f"de l'{name}"
    if name[0] in "AEIOUÉH":
        return f"d'{name}"
    return f"de {name}"
