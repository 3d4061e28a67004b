"""Charts of the activity report, drawn on the server as SVG by matplotlib (Agg, DejaVu Sans bundled with
matplotlib: no network, no font to install). One drawing serves the page and the PDF: an <img> of an SVG data
URI with its text alternative, beside its data table.

An indicator asks for its charts at registration (`charts=("breakdown",)`: a bar per breakdown cell;
`("years",)`: its value over the last years). The SVG is cached (Django's cache) under the indicator, the chart
kind, the period and a digest of the data drawn, which carries the user's scope: same data, same drawing."""

import base64
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache

from tremplin.core import formatting
from tremplin.reports.registry import Comparison, Period, Unit, evaluate_many

YEARS_SHOWN = 10
CACHE_SECONDS = 24 * 3600
BLUE = "#1b4f8a"


@dataclass
class Chart:
    indicator_id: str
    kind: str
    title: str
    unit: str
    period: Period
    rows: list[tuple[str, float | int | None]]
    value_heading: str

    @property
    def drawn_rows(self):
        """The cells drawn: hidden ones (small cells for aggregate-only users) stay out of the drawing."""
        return [(label, value) for label, value in self.rows if value is not None]

    @property
    def alt(self) -> str:
        cells = "; ".join(f"{label} : {format_value(value, self.unit)}" for label, value in self.rows)
        return f"{self.title}. {cells}."

    def formatted_rows(self):
        return [(label, format_value(value, self.unit)) for label, value in self.rows]

    @property
    def cache_key(self) -> str:
        digest = hashlib.sha256(json.dumps(self.rows, default=str).encode()).hexdigest()[:16]
        return f"report-chart:{self.indicator_id}:{self.kind}:{self.period.start}:{self.period.end}:{digest}"

    @property
    def svg(self) -> str:
        svg = cache.get(self.cache_key)
        if svg is None:
            svg = draw(self)
            cache.set(self.cache_key, svg, CACHE_SECONDS)
        return svg

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def format_value(value, unit) -> str:
    if value is None:
        return "masqué (petit effectif)"
    if unit == Unit.SHARE:
        return formatting.percent(float(value))
    if unit == Unit.HOURS:
        return formatting.hours(value)
    if unit == Unit.AMOUNT:
        return formatting.euros(value)
    return formatting.number(value)


def draw(chart: Chart) -> str:
    # Imported here: the web pages without charts never load matplotlib. Figure + FigureCanvasSVG, not
    # pyplot: no global state, safe in a threaded server.
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    rows = chart.drawn_rows
    labels = [label for label, _ in rows]
    values = [float(value) * (100 if chart.unit == Unit.SHARE else 1) for _, value in rows]
    if chart.kind == "pyramid":
        return _draw_pyramid(chart, Figure, FigureCanvasSVG)
    if chart.kind == "years":
        figure = Figure(figsize=(7, 3))
        axes = figure.add_subplot()
        axes.bar(labels, values, color=BLUE)
        axes.tick_params(axis="x", labelsize=8)
    else:
        figure = Figure(figsize=(7, max(1.2, 0.32 * len(rows) + 0.6)))
        axes = figure.add_subplot()
        axes.barh(labels[::-1], values[::-1], color=BLUE)
        axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(chart.title, fontsize=10, loc="left")
    figure.tight_layout()
    output = io.StringIO()
    FigureCanvasSVG(figure).print_svg(output, metadata={"Date": None})
    return output.getvalue()


PYRAMID_SIDES = ("Homme", "Femme")  # left, right; the other cells stay in the data table


def _draw_pyramid(chart, Figure, FigureCanvasSVG) -> str:
    """Cells labelled "<sex> – <band>": men to the left, women to the right, one row per band."""
    sides = {side: {} for side in PYRAMID_SIDES}
    bands = []
    for label, value in chart.drawn_rows:
        sex, _, band = label.partition(" – ")
        if sex in sides:
            sides[sex][band] = float(value)
            if band not in bands:
                bands.append(band)
    figure = Figure(figsize=(7, max(1.5, 0.4 * len(bands) + 0.8)))
    axes = figure.add_subplot()
    left, right = PYRAMID_SIDES
    axes.barh(bands, [-sides[left].get(b, 0) for b in bands], color="#7a9cc6", label=left)
    axes.barh(bands, [sides[right].get(b, 0) for b in bands], color=BLUE, label=right)
    axes.axvline(0, color="#333", linewidth=0.5)
    axes.xaxis.set_major_formatter(lambda x, _: f"{abs(x):g}")
    axes.legend(fontsize=8, loc="lower right", frameon=False)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(chart.title, fontsize=10, loc="left")
    figure.tight_layout()
    output = io.StringIO()
    FigureCanvasSVG(figure).print_svg(output, metadata={"Date": None})
    return output.getvalue()


def breakdown_chart(comparison: Comparison, kind="breakdown") -> Chart | None:
    breakdown = comparison.current.figure.breakdown or {}
    if len(breakdown) < 2 or comparison.missing:
        return None
    indicator = comparison.indicator
    return Chart(
        indicator_id=indicator.id,
        kind=kind,
        title=f"{indicator.label} – {comparison.current.period.label}",
        unit=indicator.unit,
        period=comparison.current.period,
        rows=list(breakdown.items()),
        value_heading="Valeur",
    )


def years_chart(comparison: Comparison, *, user, today: date, cached=False) -> Chart | None:
    """The value year by year, the last YEARS_SHOWN years up to the period's (the years before the first record
    are left out: their data is missing, not 0)."""
    indicator = comparison.indicator
    last = comparison.current.period.end.year
    first = last - YEARS_SHOWN + 1
    if indicator.coverage is not None:
        start, _ = indicator.coverage(user)
        if start is None:
            return None
        first = max(first, start.year)
    periods = [Period.year(year) for year in range(first, last + 1)]
    evaluated = evaluate_many([(indicator, period) for period in periods], user=user, cached=cached)
    rows = []
    for period in periods:
        value = evaluated[(indicator.id, period)].figure.value
        if value is not None:
            rows.append((str(period.start.year), value))
    if len(rows) < 2:
        return None
    return Chart(
        indicator_id=indicator.id,
        kind="years",
        title=f"{indicator.label}, année par année",
        unit=indicator.unit,
        period=Period(date(first, 1, 1), date(last, 12, 31)),
        rows=rows,
        value_heading="Valeur",
    )


def charts_for(comparisons: list[Comparison], *, user, today: date, cached=False) -> list[Chart]:
    charts = []
    for comparison in comparisons:
        for kind in comparison.indicator.charts:
            if kind == "breakdown":
                chart = breakdown_chart(comparison)
            elif kind == "pyramid":
                chart = breakdown_chart(comparison, kind="pyramid")
            elif kind == "years":
                chart = years_chart(comparison, user=user, today=today, cached=cached)
            else:
                raise ValueError(f"Graphique inconnu pour {comparison.indicator.id} : {kind}")
            if chart is not None:
                charts.append(chart)
    return charts
