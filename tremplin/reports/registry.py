"""The indicator registry: every figure of every module, registered once with a stable id.

A module declares its figures in its own `indicators.py`:

    @registry.indicator(
        id="people.count",
        label="Personnes inscrites au registre",
        definition="...",
        unit=Unit.COUNT,
        breakdowns=("sexe",),
    )
    def people_count(*, period, user):
        return Figure(value=..., breakdown={...})

Computation functions take the period and the user (None for the command line, which sees
everything): a user who may not see records still gets aggregates, with small cells hidden.

Figures of one structure. A module may need another module's figures restricted to one structure
(the funding module compares an operator's convention targets with the PLIE data of that operator)
without importing it. An indicator registered with `by_organization=True` promises that its
computation honours `current_organization()`: when it is not None, only the records of that structure
count (for the PLIE: the people the structure follows in the PLIE). `registry.evaluate_for_organization(
id, period=..., organization=...)` evaluates it so, as the command line would (no user), with its own
shared computations; asking it of an indicator that does not honour the scope is an error, never a
silently unscoped figure.
"""

import calendar
import contextlib
import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.db import models

from tremplin.reports import masking


class Unit(models.TextChoices):
    COUNT = "count", "nombre"
    SHARE = "share", "part (entre 0 et 1)"
    HOURS = "hours", "heures"
    AMOUNT = "amount", "euros"


class PeriodKind(models.TextChoices):
    SNAPSHOT = "snapshot", "à la fin de la période"
    FLOW = "flow", "au cours de la période"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("La fin de la période doit suivre son début.")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @property
    def label(self) -> str:
        if self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31):
            return f"année {self.start.year}"
        return f"du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


@dataclass
class Figure:
    """What a computation returns: the value, and for a share its denominator. After masking (for users who
    may not see the records, see reports/masking.py), a masked value, denominator or cell is None and named
    in `masked` ("valeur", "dénominateur" or the cell's label)."""

    value: int | float | Decimal | None
    denominator: int | None = None
    breakdown: dict[str, int | float | Decimal | None] | None = None
    masked: frozenset = frozenset()

    @property
    def value_masked(self) -> bool:
        return VALUE in self.masked

    @property
    def denominator_masked(self) -> bool:
        return DENOMINATOR in self.masked


VALUE, DENOMINATOR = "valeur", "dénominateur"


def share(numerator: int, denominator: int) -> float | None:
    """A share between 0 and 1, or None when there is nothing to divide (null is not 0)."""
    if not denominator:
        return None
    return round(numerator / denominator, 4)


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    definition: str
    unit: str
    compute: Callable[..., Figure]
    period_kind: str = PeriodKind.FLOW
    denominator: str = ""
    breakdowns: tuple[str, ...] = ()
    area: str = ""
    # Who sees this figure unmasked besides the roles that see every person (reports/masking.py); by
    # default the users who see records, the figure being computed on their own scope.
    unmasked_for: Callable[..., bool] | None = None
    # False for counts and shares of something else than people (operations, companies, hours): never masked.
    counts_people: bool = True
    # The computation honours current_organization() (see the module docstring).
    by_organization: bool = False

    def evaluate(self, *, period: Period, user=None) -> "Result":
        masked = masking.masks(self, user)
        if masked and not masking.is_long_enough(period.start, period.end):
            raise ValidationError(masking.SHORT_PERIOD, code="period_too_short")
        figure = self.compute(period=period, user=user)
        return Result(indicator=self, period=period, figure=_normalise(self, figure, masked=masked))


@dataclass
class Result:
    indicator: Indicator
    period: Period
    figure: Figure
    hidden_cells: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = {
            "id": self.indicator.id,
            "label": self.indicator.label,
            "value": _jsonable(self.figure.value),
            "unit": self.indicator.unit,
            "period": self.period.as_dict(),
        }
        if self.indicator.unit == Unit.SHARE or self.figure.denominator is not None:
            data["denominator"] = self.figure.denominator
        if self.indicator.breakdowns:
            data["breakdown"] = {k: _jsonable(v) for k, v in (self.figure.breakdown or {}).items()}
        if self.figure.masked:
            data["masked"] = sorted(self.figure.masked)
        return data


def _jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def _round(unit, value):
    if value is None:
        return None
    if unit == Unit.SHARE:
        return round(float(value), 4)
    if unit in (Unit.HOURS, Unit.AMOUNT):
        # str() first: Decimal(2.675) is 2.67499…, which would round down despite ROUND_HALF_UP.
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value


def _normalise(indicator: Indicator, figure: Figure, *, masked: bool) -> Figure:
    breakdown = None
    if figure.breakdown is not None:
        breakdown = {k: _round(indicator.unit, v) for k, v in figure.breakdown.items()}
    figure = Figure(value=_round(indicator.unit, figure.value), denominator=figure.denominator, breakdown=breakdown)
    if masked:
        figure = _mask(indicator, figure)
    return figure


def _mask(indicator: Indicator, figure: Figure) -> Figure:
    """Statistical secrecy (reports/masking.py) on counts and shares of people; hours, amounts and counts of
    other things as they are."""
    cells = figure.breakdown or {}
    if not indicator.counts_people:
        return figure
    if indicator.unit == Unit.COUNT:
        hidden = _masked_count_parts(indicator, figure, cells)
    elif indicator.unit == Unit.SHARE:
        hidden = _masked_share_parts(figure, cells)
    else:
        return figure
    return Figure(
        value=None if VALUE in hidden else figure.value,
        denominator=None if DENOMINATOR in hidden else figure.denominator,
        breakdown=None if figure.breakdown is None else {k: None if k in hidden else v for k, v in cells.items()},
        masked=frozenset(hidden),
    )


def _masked_count_parts(indicator: Indicator, figure: Figure, cells: dict) -> set:
    if len(indicator.breakdowns) <= 1:
        suppression = masking.suppress(cells, figure.value)
        return set(suppression.masked) | ({VALUE} if suppression.total_masked else set())
    # Several breakdowns in one dict ("Sexe – Femme", "Commune – …"): each adds up to the total on its own,
    # so any of them shown in full would give a masked total back. A small total hides everything; otherwise
    # the total stays and each breakdown hides enough of its own cells.
    if masking.is_small(figure.value):
        return {VALUE} | {label for label, count in cells.items() if count is not None}
    groups = {}
    for label, count in cells.items():
        groups.setdefault(label.split(" – ", 1)[0], {})[label] = count
    hidden = set()
    for group in groups.values():
        hidden |= masking.suppress(group, figure.value, total_fixed=True).masked
    return hidden


def _masked_share_parts(figure: Figure, cells: dict) -> set:
    """A share shows its numerator (share × denominator) and the rest of its population: both must not be
    small; its cells are shares of the same denominator, adding up to the numerator."""
    denominator = figure.denominator

    def people(value):
        return None if value is None or not denominator else round(value * denominator)

    if masking.is_small(denominator):
        return {VALUE, DENOMINATOR} | {label for label, value in cells.items() if value is not None}
    numerator = people(figure.value)
    counts = {label: people(value) for label, value in cells.items()}
    if numerator is not None and masking.is_small(denominator - numerator):
        # Nearly everyone: the value goes, and every cell with it (they would add up to the numerator).
        return {VALUE} | {label for label, count in counts.items() if count is not None}
    value_hidden = masking.is_small(numerator)
    suppression = masking.suppress(counts, None if value_hidden else numerator)
    return set(suppression.masked) | ({VALUE} if value_hidden or suppression.total_masked else set())


# Computations shared by the figures of one report or one page ------------------------------------

_shared = contextvars.ContextVar("indicator_shared_computations", default=None)


@contextlib.contextmanager
def shared_computations():
    """Figures evaluated inside the block compute what they have in common once (`computed_once`): the
    figures of one report or one page, on the same data. A nested block uses the outer one's."""
    if _shared.get() is not None:
        yield
        return
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _open_request_computations(**kwargs):
    _shared.set({})


def _close_request_computations(**kwargs):
    _shared.set(None)


# One web request is one page: its figures share their computations.
request_started.connect(_open_request_computations, dispatch_uid="indicator_computations_open")
request_finished.connect(_close_request_computations, dispatch_uid="indicator_computations_close")


_organization = contextvars.ContextVar("indicator_organization", default=None)


def current_organization():
    """The structure the figures are being evaluated for (`Registry.evaluate_for_organization`), or None."""
    return _organization.get()


def computed_once(key, compute):
    """compute() once per key within a `shared_computations` block (the key says what it depends on:
    period, scope…); every time outside one."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class Registry:
    def __init__(self):
        self._indicators: dict[str, Indicator] = {}

    def indicator(self, **kwargs):
        def decorator(func):
            self.register(Indicator(compute=func, **kwargs))
            return func

        return decorator

    def register(self, indicator: Indicator) -> Indicator:
        if indicator.id in self._indicators:
            raise ValueError(f"L'indicateur {indicator.id} est déjà enregistré.")
        if indicator.unit not in Unit.values:
            raise ValueError(f"Unité inconnue pour {indicator.id} : {indicator.unit}")
        if indicator.unit == Unit.SHARE and not indicator.denominator:
            raise ValueError(f"L'indicateur {indicator.id} est une part : son dénominateur doit être décrit.")
        self._indicators[indicator.id] = indicator
        return indicator

    def get(self, indicator_id: str) -> Indicator:
        return self._indicators[indicator_id]

    def __iter__(self):
        return iter(sorted(self._indicators.values(), key=lambda i: i.id))

    def __len__(self):
        return len(self._indicators)

    def evaluate_for_organization(self, indicator_id: str, *, period: Period, organization) -> "Result":
        """The figure restricted to one structure's records (the indicator must be `by_organization`)."""
        indicator = self.get(indicator_id)
        if not indicator.by_organization:
            raise ValueError(f"L'indicateur {indicator_id} ne sait pas se restreindre à une structure.")
        # Its own memo: computations shared with unscoped figures would mix the populations.
        memo_token = _shared.set({})
        organization_token = _organization.set(organization)
        try:
            return indicator.evaluate(period=period, user=None)
        finally:
            _organization.reset(organization_token)
            _shared.reset(memo_token)

    def evaluate_all(self, *, period: Period, user=None, indicators=None) -> list[Result]:
        """Every indicator (or these ones), evaluated together: they share their computations."""
        with shared_computations():
            return [indicator.evaluate(period=period, user=user) for indicator in indicators or self]


registry = Registry()
