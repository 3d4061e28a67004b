"""The XLSX template of the PLIE import: the header row, an example row, and the help sheet."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tremplin.people.enums import EducationLevel
from tremplin.plie.enums import (
    PLIE_CONTRACT_CHOICES,
    EmployerKind,
    ExitKind,
)
from tremplin.plie.imports.columns import COLUMNS, DATE_KEYS, FOLLOWING_KINDS
from tremplin.plie.imports.values import _text
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization

TEMPLATE_FILENAME = "modele-import-plie.xlsx"
HELP_INTRO = [
    "Modèle d'import des participants du PLIE (reprise de l'outil utilisé jusqu'ici)",
    "",
    "Une ligne par contrat de travail, ou par participant·e sans contrat. Les lignes d'une même personne "
    "(mêmes nom, prénom et date de naissance) sont regroupées en une personne et un parcours : répétez ces "
    "trois colonnes sur chaque ligne ; les autres colonnes de la personne et du parcours peuvent n'être "
    "remplies que sur l'une de ses lignes, mais ne doivent pas se contredire.",
    "Une personne déjà inscrite au registre de Tremplin est retrouvée et rattachée : sa fiche n'est pas modifiée.",
    "Le fichier est vérifié en entier avant tout enregistrement : s'il contient une erreur, rien n'est "
    "enregistré, et chaque erreur est signalée avec sa ligne et sa colonne.",
    "La ligne d'exemple de l'onglet « Participants » est ignorée tant qu'elle n'est pas modifiée. Enregistrez "
    "le fichier au format .xlsx, ou en « CSV UTF-8 (délimité par des points-virgules) ».",
    "",
]


def _value_lists() -> list[tuple[str, list[tuple[str, str]]]]:
    following = Organization.objects.filter(kind__in=FOLLOWING_KINDS, is_active=True).order_by("name")
    prescribers = Organization.objects.filter(kind=OrganizationKind.PRESCRIBER, is_active=True).order_by("name")
    return [
        ("Motif de sortie", [(label, value) for value, label in ExitKind.choices]),
        ("Type de contrat", [(label, value) for value, label in PLIE_CONTRACT_CHOICES]),
        ("Type d'employeur", [(label, value) for value, label in EmployerKind.choices]),
        ("Niveau de formation", [(label, value) for value, label in EducationLevel.choices]),
        ("Structure de suivi (annuaire de Tremplin)", [(o.name, o.siret) for o in following]),
        ("Prescripteur (annuaire de Tremplin, ou toute autre structure)", [(o.name, o.siret) for o in prescribers]),
    ]


def build_template() -> bytes:
    """The XLSX template: the header row and one example row, and an "Aide" sheet on each column."""

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Participants"
    sheet.append([c.header for c in COLUMNS])
    sheet.append([c.example if c.example != "" else None for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.header) + 4))
        example = sheet.cell(row=2, column=index)
        example.font = Font(italic=True, color="666666")
        if column.key in DATE_KEYS:
            example.number_format = "DD/MM/YYYY"
        elif column.key in ("phone", "postcode", "commune"):
            example.number_format = "@"  # text: Excel keeps the leading zeros
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("Aide")
    for line in HELP_INTRO:
        help_sheet.append([line])
    help_sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    help_sheet.append(["Colonne", "Obligatoire", "Contenu attendu", "Exemple"])
    for cell in help_sheet[help_sheet.max_row]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        help_sheet.append([column.header, column.required, column.help, _text(column.example)])
    for title, values in _value_lists():
        help_sheet.append([])
        help_sheet.append([f"Valeurs admises – {title}", "Code"])
        for cell in help_sheet[help_sheet.max_row]:
            cell.font = Font(bold=True)
        for label, code in values:
            help_sheet.append([label, code])
        if not values:
            help_sheet.append(["(aucune structure dans l'annuaire pour l'instant)"])
    help_sheet.column_dimensions["A"].width = 45
    help_sheet.column_dimensions["B"].width = 22
    help_sheet.column_dimensions["C"].width = 90
    help_sheet.column_dimensions["D"].width = 30
    for row in help_sheet.iter_rows(min_row=len(HELP_INTRO) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
