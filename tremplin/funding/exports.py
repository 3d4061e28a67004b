"""XLSX columns of the funding exports (tremplin/core/exports.py writes them). Totals are rows computed
from the lines, like the screens."""

from tremplin.core.exports import Column

EURO = "#,##0.00"

LINE_COLUMNS = [
    Column("Année", lambda line: line.year),
    Column("Code projet", lambda line: line.project.code),
    Column("Projet", lambda line: line.project.title),
    Column("Dispositif", lambda line: line.project.get_dispositif_display()),
    Column("Porteur", lambda line: line.project.operator.name if line.project.operator_id else "L'association"),
    Column("Financeur", lambda line: str(line.funder)),
    Column("Rubrique", lambda line: line.funder.get_category_display()),
    Column("Programme", lambda line: line.programme),
    Column("Demandé", lambda line: line.amount_requested, EURO),
    Column("Accordé", lambda line: line.amount_granted, EURO),
    Column("Décision", lambda line: line.decision_reference),
    Column("Date de la décision", lambda line: line.decided_on, "DD/MM/YYYY"),
    Column("Reçu", lambda line: line.amount_received, EURO),
    Column("Justificatif intermédiaire", lambda line: line.interim_justification_due_on, "DD/MM/YYYY"),
    Column("Justificatif final", lambda line: line.final_justification_due_on, "DD/MM/YYYY"),
]

TABLE_COLUMNS = [
    Column("Ligne", lambda row: row.label),
    Column("Précision", lambda row: row.detail),
    Column("Lignes de financement", lambda row: row.lines),
    Column("Demandé", lambda row: row.requested, EURO),
    Column("Accordé", lambda row: row.granted, EURO),
    Column("dont FSE+", lambda row: row.fse, EURO),
    Column("Reçu", lambda row: row.received, EURO),
]

SPLIT_COLUMNS = [
    Column("Projet ou dispositif", lambda row: row.label),
    Column("Dispositif", lambda row: row.dispositif),
    Column("ETP", lambda row: row.fte, "0.00"),
    Column("Coût chargé", lambda row: row.cost, EURO),
]
