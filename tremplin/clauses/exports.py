"""Columns of the clauses exports (French headers), written by the one writer of tremplin/core/exports.py.

The operation report (bilan) is one table, one line per figure: "Rubrique" says which table of the
printed report the line belongs to, so that the spreadsheet can be filtered and pivoted.
"""

from tremplin.clauses.reports import OperationReport, fr_number
from tremplin.core.exports import Column

HOURS = "0.00"
PERCENT = "0.0%"

REPORT_COLUMNS = [
    Column("Rubrique", lambda r: r["section"]),
    Column("Libellé", lambda r: r["label"]),
    Column("Précision", lambda r: r.get("detail", "")),
    Column("Heures réalisées (comptées)", lambda r: r.get("hours"), HOURS),
    Column("Heures prévues", lambda r: r.get("planned"), HOURS),
    Column("Avancement", lambda r: r.get("progress"), PERCENT),
    Column("Effectif", lambda r: r.get("count")),
    Column("Part de l'effectif", lambda r: r.get("part"), PERCENT),
]


def report_rows(report: OperationReport):
    """The report's figures, table by table, in the order of the printed report."""
    yield {
        "section": "Opération",
        "label": "Total de l'opération",
        "detail": f"Donneur d'ordre : {report.operation.buyer.name}",
        "hours": report.realised,
        "planned": report.planned,
        "progress": report.progress,
        "count": report.people_total,
    }
    for line in report.lots:
        yield {
            "section": "Lot",
            "label": line.label,
            "detail": line.detail,
            "hours": line.hours,
            "planned": line.planned,
            "progress": line.progress,
            "count": line.people,
        }
    for section, lines in (
        ("Entreprise", report.companies),
        ("Modalité", report.modes),
        ("Type de contrat", report.contracts),
    ):
        for line in lines:
            yield {
                "section": section,
                "label": line.label,
                "detail": line.detail,
                "hours": line.hours,
                "count": line.people,
            }
    yield {"section": "Personnes employées", "label": "Total", "count": report.people_total}
    for count in report.people:
        yield {"section": "Personnes employées", "label": count.label, "count": count.count, "part": count.part}
    yield {"section": "Embauches", "label": "Total", "count": report.hires_total}
    for count in report.hires:
        yield {"section": "Embauches", "label": count.label, "count": count.count, "part": count.part}
    for line in report.not_counted:
        yield {
            "section": "Relevés sans heure comptée",
            "label": line.label,
            "detail": f"{line.people} relevé(s), {fr_number(line.hours)} h déclarées",
            "count": line.people,
        }
    for line in report.named or ():
        yield {
            "section": "Salarié·e (annexe nominative)",
            "label": line.who,
            "detail": f"{line.employer} ; {line.mode} ; {line.contract} ; depuis le {line.started_on:%d/%m/%Y}",
            "hours": line.hours,
        }


def report_preamble(report: OperationReport) -> list[str]:
    operation = report.operation
    lines = [
        f"Bilan des clauses d'insertion – {operation.name}",
        f"Donneur d'ordre : {operation.buyer.name}"
        + (f" ; maître d'ouvrage : {operation.owner.name}" if operation.owner_id else ""),
        f"Période : {report.period_label}",
        f"Heures comptées : {report.explanation}",
        "Convention de comptage : " + "; ".join(report.convention_rules),
        f"Édité le {report.generated_on:%d/%m/%Y} par Tremplin ; chiffres calculés à partir des relevés mensuels.",
    ]
    if report.named is None:
        lines.append("Aucune donnée nominative : les personnes employées sont comptées, jamais nommées.")
    if report.masked:
        lines.append(
            "Secret statistique : une case d'effectif vide est masquée (effectif inférieur au seuil de "
            "confidentialité, ou qui permettrait d'en retrouver un par soustraction)."
        )
    return lines
