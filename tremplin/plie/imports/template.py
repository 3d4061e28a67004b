"""The XLSX template of the PLIE import: the header row, an example row, and the help sheet."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tremplin.people.enums import EducationLevel
from tremplin.plie.enums import (
    PLIE_CONTRACT_CHOICES,
    Barrier,
    EmployerKind,
    ExitKind,
    StepKind,
)
from tremplin.plie.imports.columns import DATE_KEYS, FOLLOWING_KINDS, HELP_SHEET, SHEETS
from tremplin.plie.imports.values import _text
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization

TEMPLATE_FILENAME = "modele-import-plie.xlsx"
HELP_INTRO = [
    "Modèle d'import des participants du PLIE (reprise de l'outil utilisé jusqu'ici)",
    "",
    "Onglet « Participants » : une ligne par contrat de travail, ou par participant·e sans contrat. Les lignes "
    "d'une même personne (mêmes nom, prénom et date de naissance, le nom et le prénom dans un sens ou dans "
    "l'autre) sont regroupées en une personne et un parcours : répétez ces trois colonnes sur chaque ligne ; les "
    "autres colonnes de la personne et du parcours peuvent n'être remplies que sur l'une de ses lignes, mais ne "
    "doivent pas se contredire.",
    "Onglets « Étapes » et « Créations d'entreprise » (facultatifs, format .xlsx seulement) : une ligne par étape "
    "de parcours ou par entreprise créée, rattachée à son parcours par les mêmes nom, prénom et date de naissance "
    "que dans l'onglet « Participants ».",
    "Avec les contrats (fins prévue et effective, alternance conclue en CDI, accord pour moins d'un mi-temps, "
    "validation ACI 55 ans et plus), ces onglets portent tout ce qui fonde les 7 critères de sortie positive.",
    "Une personne déjà inscrite au registre de Tremplin est retrouvée et rattachée : sa fiche n'est pas modifiée.",
    "Une colonne ou un onglet que le modèle ne connaît pas est une erreur : rien n'est enregistré (aucune "
    "donnée n'est ignorée sans le dire). Aucune date d'un fait passé (entrée, sortie, fin effective, accord, "
    "validation, étape, immatriculation) ne peut être dans le futur.",
    "Le fichier est vérifié en entier avant tout enregistrement : s'il contient une erreur, rien n'est "
    "enregistré, et chaque erreur est signalée avec sa ligne et sa colonne.",
    "La ligne d'exemple de chaque onglet est ignorée tant qu'elle n'est pas modifiée. Enregistrez le fichier au "
    "format .xlsx, ou, pour l'onglet « Participants » seul, en « CSV UTF-8 (délimité par des points-virgules) ».",
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
        ("Type d'étape (onglet « Étapes »)", [(label, value) for value, label in StepKind.choices]),
        ("Frein travaillé (onglet « Étapes »)", [(label, value) for value, label in Barrier.choices]),
        ("Structure de suivi (annuaire de Tremplin)", [(o.name, o.siret) for o in following]),
        ("Prescripteur (annuaire de Tremplin, ou toute autre structure)", [(o.name, o.siret) for o in prescribers]),
    ]


def _fill(sheet, columns):
    """The header row and the example row of one sheet."""
    sheet.append([c.header for c in columns])
    sheet.append([c.example if c.example != "" else None for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.header) + 4))
        example = sheet.cell(row=2, column=index)
        example.font = Font(italic=True, color="666666")
        if column.key in DATE_KEYS:
            example.number_format = "DD/MM/YYYY"
        elif column.key in ("phone", "postcode", "commune", "business_siret"):
            example.number_format = "@"  # text: Excel keeps the leading zeros
    sheet.freeze_panes = "A2"


def build_template() -> bytes:
    """The XLSX template: a sheet per kind of record (the header row and one example row each), and an "Aide"
    sheet on each column."""

    workbook = Workbook()
    for position, spec in enumerate(SHEETS):
        sheet = workbook.active if position == 0 else workbook.create_sheet(spec.name)
        sheet.title = spec.name
        _fill(sheet, spec.columns)

    help_sheet = workbook.create_sheet(HELP_SHEET)
    for line in HELP_INTRO:
        help_sheet.append([line])
    help_sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for spec in SHEETS:
        help_sheet.append([])
        help_sheet.append([spec.intro])
        help_sheet.cell(row=help_sheet.max_row, column=1).font = Font(bold=True)
        help_sheet.append(["Colonne", "Obligatoire", "Contenu attendu", "Exemple"])
        for cell in help_sheet[help_sheet.max_row]:
            cell.font = Font(bold=True)
        for column in spec.columns:
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
