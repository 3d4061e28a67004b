"""The activity report: the registry's figures compared with the previous period, grouped in one section per
area, in the modules' order (tremplin.core.modules). Nothing here names a module: a module's figures appear as
soon as it registers them."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.text import slugify

from tremplin.core.modules import modules
from tremplin.reports.charts import charts_for
from tremplin.reports.models import Narrative
from tremplin.reports.registry import Comparison, Period, registry, shared_computations

OTHER_AREA = "Autres"
UNKNOWN_MODULE_ORDER = 10_000


@dataclass(frozen=True)
class NarrativeText:
    """A text printed in a section: the section's own narrative, or what a module adds (a project's
    fiche-action) through its `report_narratives` hook."""

    title: str
    text: str


@dataclass
class Section:
    title: str
    slug: str
    module: str
    comparisons: list[Comparison] = field(default_factory=list)
    charts: list = field(default_factory=list)
    narratives: list["NarrativeText"] = field(default_factory=list)

    @property
    def key_figures(self) -> list[Comparison]:
        """The section's key figures, in their declared rank (`key=1`, `key=2`…; `key=True` ranks 1)."""
        return sorted((c for c in self.comparisons if c.indicator.key), key=lambda c: int(c.indicator.key))

    @property
    def module_label(self) -> str:
        return modules[self.module].label if self.module in modules else ""


def module_order(module_name: str) -> int:
    return modules[module_name].order if module_name in modules else UNKNOWN_MODULE_ORDER


def sections(comparisons: list[Comparison]) -> list[Section]:
    """One section per area, ordered by the order of the module of its first figure (areas without a registered
    module, such as the shared register, come last), then by area; figures keep the registry's order."""
    by_area: dict[str, Section] = {}
    for comparison in comparisons:
        indicator = comparison.indicator
        area = indicator.area or OTHER_AREA
        if area not in by_area:
            by_area[area] = Section(title=area, slug=slugify(area) or "section", module=indicator.module_name)
        by_area[area].comparisons.append(comparison)

    def own(section):
        # Within a module, its own area first (PLIE, with ids "plie.*"), then the areas it also feeds (FSE+).
        return 0 if any(c.indicator.id.startswith(f"{section.module}.") for c in section.comparisons) else 1

    return sorted(by_area.values(), key=lambda s: (module_order(s.module), s.module, own(s), s.title))


@dataclass
class Report:
    period: Period
    previous: Period
    sections: list[Section]
    today: date

    @property
    def key_figures(self) -> list[tuple[Section, Comparison]]:
        return [(section, c) for section in self.sections for c in section.key_figures]

    @property
    def comparisons(self) -> list[Comparison]:
        return [c for section in self.sections for c in section.comparisons]


def build_report(
    *, period: Period, user, today: date, indicators=None, with_charts=False, cached=False, progress=None
) -> Report:
    """`progress`, when given (a background job, tremplin/reports/jobs.py), is a pair of callbacks
    `(done, total, label)`: the first told of each area as its figures are computed, the second of each section
    as its charts are drawn."""
    on_figures, on_charts = progress or (None, None)
    with shared_computations():
        if on_figures is None:
            comparisons = registry.compare_all(
                period=period, user=user, today=today, indicators=indicators, cached=cached
            )
        else:
            comparisons = _compare_by_area(period, user, today, list(indicators or registry), cached, on_figures)
        report = Report(period=period, previous=period.previous(), sections=sections(comparisons), today=today)
        if with_charts:
            for done, section in enumerate(report.sections):
                if on_charts is not None:
                    on_charts(done, len(report.sections), f"Graphiques : {section.title}")
                section.charts = charts_for(section.comparisons, user=user, today=today, cached=cached)
                if on_charts is not None:
                    for chart in section.charts:
                        chart.svg  # noqa: B018  (drawn in this step, then read from the cache)
    add_narratives(report, user=user)
    return report


def _compare_by_area(period, user, today, indicators, cached, on_figures) -> list[Comparison]:
    by_area: dict[str, list] = {}
    for indicator in indicators:
        by_area.setdefault(indicator.area or OTHER_AREA, []).append(indicator)
    comparisons = []
    for done, (area, group) in enumerate(by_area.items()):
        on_figures(done, len(by_area), f"Calcul des chiffres : {area}")
        comparisons += registry.compare_all(period=period, user=user, today=today, indicators=group, cached=cached)
    return comparisons


def add_narratives(report: Report, *, user) -> None:
    """The year's texts of each section (a free period has none: they are written per year), then what each
    module adds: `Module.extra["report_narratives"](period=, user=)` -> {area: [NarrativeText or (title, text)]}."""
    by_slug = {section.slug: section for section in report.sections}
    by_title = {section.title: section for section in report.sections}
    if report.period.is_year:
        for narrative in Narrative.objects.filter(year=report.period.start.year).exclude(text=""):
            if narrative.section in by_slug:
                by_slug[narrative.section].narratives.append(NarrativeText("", narrative.text))
    for module in modules:
        hook = module.extra.get("report_narratives")
        if hook is None:
            continue
        for area, texts in hook(period=report.period, user=user).items():
            if area in by_title:
                by_title[area].narratives.extend(
                    text if isinstance(text, NarrativeText) else NarrativeText(*text) for text in texts
                )
