from tremplin.core.exports import Column
from tremplin.reports.registry import Unit


def _format(result):
    return {Unit.SHARE: "0.0%", Unit.HOURS: "0.00", Unit.AMOUNT: "#,##0.00"}.get(result.indicator.unit)


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
    Column("Valeur", lambda r: "masqué (petit effectif)" if r["cell"] and r["value"] is None else r["value"]),
    Column("Unité", lambda r: Unit(r["result"].indicator.unit).label),
    Column("Dénominateur", lambda r: r["result"].figure.denominator if r["cell"] is None else None),
    Column("Du", lambda r: r["result"].period.start, "DD/MM/YYYY"),
    Column("Au", lambda r: r["result"].period.end, "DD/MM/YYYY"),
    Column("Définition", lambda r: r["result"].indicator.definition if r["cell"] is None else ""),
]
