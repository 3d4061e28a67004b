from tremplin.core.exports import Column
from tremplin.reports.registry import VALUE, Unit


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
