from copy import copy as copy_style

from tremplin.core.exports import Column, build_workbook
from tremplin.reports.registry import VALUE, PeriodKind, Unit


def _format(result):
    return {Unit.SHARE: "0.0%", Unit.HOURS: "0.00", Unit.AMOUNT: "#,##0.00"}.get(result.indicator.unit)


MASKED = "masqué (secret statistique)"


def _masked(row) -> bool:
    figure = row["result"].figure
    return (row["cell"] or VALUE) in figure.masked


def figure_rows(results):
    """One row per figure, then one row per breakdown cell."""
    for result in results:
        yield {"result": result, "cell": None, "value": result.figure.value}
        for label, value in (result.figure.breakdown or {}).items():
            yield {"result": result, "cell": label, "value": value}


FIGURE_COLUMNS = [
    Column("Identifiant", lambda r: r["result"].indicator.id),
    Column("Indicateur", lambda r: r["result"].indicator.label),
    Column("Ventilation", lambda r: r["cell"] or ""),
    Column("Valeur", lambda r: MASKED if _masked(r) else r["value"]),
    Column("Unité", lambda r: Unit(r["result"].indicator.unit).label),
    Column(
        "Dénominateur",
        lambda r: (
            (MASKED if r["result"].figure.denominator_masked else r["result"].figure.denominator)
            if r["cell"] is None
            else None
        ),
    ),
    Column("Du", lambda r: r["result"].period.start, "DD/MM/YYYY"),
    Column("Au", lambda r: r["result"].period.end, "DD/MM/YYYY"),
    Column("Définition", lambda r: r["result"].indicator.definition if r["cell"] is None else ""),
]


# The activity report: one sheet of every figure (as FIGURE_COLUMNS), one sheet per section, the definitions ---


def comparison_rows(comparisons):
    """One row per figure, then one row per breakdown cell, with the previous period's value."""
    for comparison in comparisons:
        yield {"c": comparison, "cell": None, "value": comparison.value, "previous": comparison.previous_value}
        previous = comparison.previous.figure.breakdown or {}
        for label, value in (comparison.current.figure.breakdown or {}).items():
            yield {"c": comparison, "cell": label, "value": value, "previous": previous.get(label)}


def _value(row, key, missing):
    if row["cell"] is None and missing:
        return "données partielles"
    if row["cell"] and row[key] is None:
        return "masqué (petit effectif)" if key == "value" else None
    return row[key]


SECTION_COLUMNS = [
    Column("Indicateur", lambda r: r["c"].indicator.label if r["cell"] is None else ""),
    Column("Ventilation", lambda r: r["cell"] or ""),
    Column("Valeur", lambda r: _value(r, "value", r["c"].missing)),
    Column("Période précédente", lambda r: _value(r, "previous", r["c"].previous_missing)),
    Column("Évolution", lambda r: r["c"].change if r["cell"] is None else None, "0.0%"),
    Column("Unité", lambda r: Unit(r["c"].indicator.unit).label),
    Column("Dénominateur", lambda r: r["c"].current.figure.denominator if r["cell"] is None else None),
    Column("Données partielles", lambda r: r["c"].partial if r["cell"] is None else ""),
    Column("Identifiant", lambda r: r["c"].indicator.id),
]

DEFINITION_COLUMNS = [
    Column("Identifiant", lambda i: i.id),
    Column("Indicateur", lambda i: i.label),
    Column("Domaine", lambda i: i.area),
    Column("Unité", lambda i: Unit(i.unit).label),
    Column("Période", lambda i: PeriodKind(i.period_kind).label),
    Column("Dénominateur", lambda i: i.denominator),
    Column("Ventilations", lambda i: ", ".join(i.breakdowns)),
    Column("Définition", lambda i: i.definition),
]


def _copy_sheet(source, workbook, title):
    """Copy a sheet built by core.exports (values already made safe there) into the report's workbook."""
    target = workbook.create_sheet(title)
    for row in source.iter_rows():
        for cell in row:
            copy = target.cell(row=cell.row, column=cell.column, value=cell.value)
            copy.number_format = cell.number_format
            copy.font = copy_style(cell.font)
    for key, dimension in source.column_dimensions.items():
        target.column_dimensions[key].width = dimension.width
    target.freeze_panes = source.freeze_panes
    return target


def _sheet_title(title, used):
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Section"
    candidate, n = clean, 2
    while candidate in used:
        candidate = f"{clean[:28]} {n}"
        n += 1
    used.add(candidate)
    return candidate


def report_workbook(report, *, preamble=()):
    results = [c.current for c in report.comparisons]
    workbook = build_workbook(figure_rows(results), FIGURE_COLUMNS, title="Indicateurs", preamble=list(preamble))
    used = {"Indicateurs"}
    for section in report.sections:
        title = _sheet_title(section.title, used)
        sheet = build_workbook(
            comparison_rows(section.comparisons),
            SECTION_COLUMNS,
            title=title,
            preamble=[f"{section.title} – {report.period.label}, comparé à : {report.previous.label}"],
        ).active
        _copy_sheet(sheet, workbook, title)
    indicators = [c.indicator for c in report.comparisons]
    _copy_sheet(build_workbook(indicators, DEFINITION_COLUMNS, title="Définitions").active, workbook, "Définitions")
    return workbook
