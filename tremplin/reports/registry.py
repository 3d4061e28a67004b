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
from datetime import date, timedelta
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

    @property
    def is_year(self) -> bool:
        return self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)

    def previous(self) -> "Period":
        """The period of the same length just before: a year -> the year before; whole calendar months
        (January-September) -> as many months just before; any other period -> as many days just before."""
        if self.is_year:
            return Period.year(self.start.year - 1)
        months = _whole_months(self)
        if months:
            end = self.start - timedelta(days=1)
            first = end.year * 12 + end.month - 1 - (months - 1)
            return Period(date(first // 12, first % 12 + 1, 1), end)
        days = (self.end - self.start).days + 1
        return Period(self.start - timedelta(days=days), self.start - timedelta(days=1))


def _whole_months(period: Period) -> int:
    """The number of calendar months the period covers exactly (1st of a month to the last day of a month), else 0."""
    last_day = calendar.monthrange(period.end.year, period.end.month)[1]
    if period.start.day != 1 or period.end.day != last_day:
        return 0
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def change(current, previous) -> float | None:
    """(N - N-1) / N-1, rounded to 4 decimals; None when either is missing or N-1 is 0 (never a made-up 0)."""
    if current is None or previous is None or previous == 0:
        return None
    return round((float(current) - float(previous)) / float(previous), 4)


def partial_data(period: Period, coverage, *, today: date, period_kind: str = "flow") -> str:
    """Why the data of the period is incomplete ("" when it is complete).

    `coverage` is (first_date, last_date) of the indicator's records (None when there is none at all; a last
    date None means "up to today"). Data is partial when the period runs beyond today (not lived yet) or beyond
    the last record, or, for a figure over the period (flow), when it starts before the first record: the
    months before were never entered, their 0 would be a lie. A figure at the end of the period (snapshot)
    only needs its end date covered."""
    if period.end > today:
        return f"période en cours : données jusqu'au {today:%d/%m/%Y}"
    if coverage is None:
        return ""
    first, last = coverage
    if first is None:
        return "aucune donnée enregistrée"
    if period.end < first or (period_kind == PeriodKind.FLOW and period.start < first):
        return f"données enregistrées à partir du {first:%d/%m/%Y}"
    if last is not None and period.end > last:
        return f"données enregistrées jusqu'au {last:%d/%m/%Y}"
    return ""


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
class RecordColumn:
    """A column of the list of records behind a figure: `value(row)`, and `link(row)` an URL or None."""

    label: str
    value: Callable
    link: Callable | None = None


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
    # The module (tremplin.core.modules name) whose section shows the figure; by default the id's prefix.
    module: str = ""
    # A key figure of its section, printed in the report's summary: True, or its rank there (1, 2…).
    key: bool | int = False
    # coverage(user) -> (first_date, last_date) | None of the records behind the figure: the partial-data flag.
    coverage: Callable | None = None
    # Charts of the figure: "breakdown" (a bar per breakdown cell), "years" (the value over the last years).
    charts: tuple[str, ...] = ()
    # records(period, user) -> QuerySet of the rows behind the figure, within what the user may read (its
    # `visible_to` door), shown in `record_columns`; or, when a figure cannot list its records, `aggregate_only`
    # says why. Every indicator chooses one (tests/reports/test_records.py).
    records: Callable | None = None
    record_columns: tuple[RecordColumn, ...] = ()
    aggregate_only: str = ""

    @property
    def module_name(self) -> str:
        return self.module or self.id.split(".", 1)[0]

    # Who sees this figure unmasked besides the roles that see every person (reports/masking.py); by
    # default the users who see records, the figure being computed on their own scope.
    unmasked_for: Callable[..., bool] | None = None
    # False for counts and shares of something else than people (operations, companies, hours): never masked.
    counts_people: bool = True
    # The computation honours current_organization() (see the module docstring).
    by_organization: bool = False
    # The id of the figure counting the people this figure counts part of, when its denominator does not name
    # it: the figures of one population are masked together (reports/masking.py, `cross_check`).
    population: str = ""

    def evaluate(self, *, period: Period, user=None) -> "Result":
        masked = masking.masks(self, user)
        if masked and not masking.is_long_enough(period.start, period.end):
            raise ValidationError(masking.SHORT_PERIOD, code="period_too_short")
        figure = _normalise(self, self.compute(period=period, user=user), masked=masked)
        if masked:
            figure = _cross_checked(self, figure, period=period, user=user)
        return Result(indicator=self, period=period, figure=figure)

    def compare(self, *, period: Period, user=None, today: date, cached=False) -> "Comparison":
        """The figure of the period beside the previous period's, the change and the partial-data flags."""
        evaluated = evaluate_many([(self, period), (self, period.previous())], user=user, cached=cached)
        return self.comparison(evaluated[(self.id, period)], evaluated[(self.id, period.previous())], user, today)

    def comparison(self, current: "Result", previous: "Result", user, today: date) -> "Comparison":
        period = current.period
        coverage = None
        if self.coverage is not None:
            coverage = computed_once(("coverage", self.coverage, _scope_key(user)), lambda: self.coverage(user))
        return Comparison(
            current=current,
            previous=previous,
            change=change(current.figure.value, previous.figure.value),
            partial=partial_data(period, coverage, today=today, period_kind=self.period_kind),
            previous_partial=partial_data(period.previous(), coverage, today=today, period_kind=self.period_kind),
        )


def _scope_key(user):
    return None if user is None else user.pk


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


@dataclass
class Comparison:
    """A figure, the previous period's, the change (N - N-1) / N-1, and why each period's data is partial."""

    current: Result
    previous: Result
    change: float | None
    partial: str = ""
    previous_partial: str = ""

    @property
    def indicator(self) -> Indicator:
        return self.current.indicator

    @property
    def value(self):
        return self.current.figure.value

    @property
    def previous_value(self):
        return self.previous.figure.value

    @property
    def missing(self) -> bool:
        """No figure to print: partial data with nothing counted says « données partielles », not 0."""
        return bool(self.partial) and not self.value

    @property
    def previous_missing(self) -> bool:
        return bool(self.previous_partial) and not self.previous_value

    def as_dict(self) -> dict:
        data = self.current.as_dict()
        data["previous"] = {
            "period": self.previous.period.as_dict(),
            "value": _jsonable(self.previous_value),
            "partial": self.previous_partial or None,
        }
        data["change"] = self.change
        data["partial"] = self.partial or None
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


def _population_family(indicator: Indicator) -> tuple[str, list[Indicator]]:
    """The population this figure counts people of, and every figure of that population (itself included)."""
    candidates = [i for i in registry if i.counts_people and i.unit in (Unit.COUNT, Unit.SHARE)]
    population = masking.population_of(indicator)
    if not population:
        if not any(masking.population_of(i) == indicator.id for i in candidates):
            return "", []
        population = indicator.id
    members = [i for i in candidates if i.id == population or masking.population_of(i) == population]
    return population, members if len(members) > 1 and indicator.id in {i.id for i in members} else []


def _cross_checked(indicator: Indicator, figure: Figure, *, period: Period, user) -> Figure:
    """The figure with what the figures of its population, checked together, also mask (reports/masking.py)."""
    population, members = _population_family(indicator)
    if not members:
        return figure

    def check():
        return masking.cross_check([_member(i, population, period=period, user=user) for i in members])

    hidden = computed_once(("masking population", population, period, _scope_key(user)), check)[indicator.id]
    if hidden <= figure.masked:
        return figure
    hidden = set(figure.masked) | hidden
    cells = figure.breakdown
    return Figure(
        value=None if VALUE in hidden else figure.value,
        denominator=None if DENOMINATOR in hidden else figure.denominator,
        breakdown=None if cells is None else {k: None if k in hidden else v for k, v in cells.items()},
        masked=frozenset(hidden),
    )


def _member(indicator: Indicator, population: str, *, period: Period, user) -> masking.Member:
    """A figure of the population in people, with what the user sees masked on its own."""
    raw = _normalise(indicator, indicator.compute(period=period, user=user), masked=False)
    shown = _mask(indicator, raw) if masking.masks(indicator, user) else raw
    cells = raw.breakdown or {}
    if indicator.unit == Unit.SHARE:

        def people(value):
            return None if value is None or not raw.denominator else round(value * raw.denominator)

        value, cells = people(raw.value), {label: people(v) for label, v in cells.items()}
    else:
        value = raw.value
    kind = masking.TOTAL if indicator.id == population else masking.PART
    groups = []
    if kind == masking.TOTAL or indicator.unit == Unit.SHARE:  # cells that add up to the value
        by_prefix = {}
        for label in cells:
            by_prefix.setdefault(label.split(" – ", 1)[0] if len(indicator.breakdowns) > 1 else "", []).append(label)
        groups = list(by_prefix.values())
    return masking.Member(
        id=indicator.id,
        kind=kind,
        value=value,
        cells=dict(cells),
        groups=groups,
        masked=set(shown.masked),
        value_label=VALUE,
        denominator_label=DENOMINATOR if indicator.unit == Unit.SHARE else "",
    )


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
        if indicator.records is not None and not indicator.record_columns:
            raise ValueError(f"L'indicateur {indicator.id} liste ses enregistrements : décrivez leurs colonnes.")
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

    def compare_all(
        self, *, period: Period, user=None, today: date, indicators=None, cached=False
    ) -> list[Comparison]:
        """Every indicator (or these ones) with the previous period's value and the partial-data flags; through
        the figure cache (tremplin/reports/cache.py) when `cached`."""
        indicators = list(indicators or self)
        with shared_computations():
            pairs = [(i, p) for i in indicators for p in (period, period.previous())]
            evaluated = evaluate_many(pairs, user=user, cached=cached)
            return [
                i.comparison(evaluated[(i.id, period)], evaluated[(i.id, period.previous())], user, today)
                for i in indicators
            ]


def evaluate_many(pairs, *, user=None, cached=False) -> dict:
    """{(indicator id, period): Result} of these (indicator, period) pairs, computed together (shared
    computations); when `cached`, read from the figure cache first and the missing ones stored there."""
    from tremplin.reports import cache  # the cache module reads the module registry: imported when used

    keys = {(i.id, p): cache.key(i.id, p, user) for i, p in pairs} if cached else {}
    found = cache.get_many(list(keys.values())) if cached else {}
    results, missing = {}, {}
    with shared_computations():
        for indicator, period in pairs:
            hit = found.get(keys[(indicator.id, period)]) if cached else None
            if hit is not None:
                results[(indicator.id, period)] = Result(indicator=indicator, period=period, figure=hit)
            elif (indicator.id, period) not in results:
                result = indicator.evaluate(period=period, user=user)
                results[(indicator.id, period)] = result
                if cached:
                    missing[keys[(indicator.id, period)]] = result.figure
    if missing:
        cache.set_many(missing)
    return results


registry = Registry()
