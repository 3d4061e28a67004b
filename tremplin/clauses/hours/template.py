"""The XLSX template of a monthly statement, prefilled with the user's placements running now or last month."""

import io
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tremplin.clauses.enums import NO_HOURS_BASES
from tremplin.clauses.hours.access import placements_for_hours
from tremplin.clauses.hours.statement import IMPORT_COLUMNS

TEMPLATE_FILENAME = "modele-heures-insertion.xlsx"
HELP_INTRO = [
    "Relevé mensuel des heures d'insertion",
    "",
    "Une ligne par mise en emploi et par mois. L'onglet « Heures » est prérempli avec vos mises en emploi en "
    "cours : complétez les heures du mois (d'après les bulletins de paie ou les relevés), ajoutez des lignes pour "
    "d'autres mois en recopiant l'identifiant, le nom et le prénom.",
    "Une ligne sans heures ni montant est ignorée. Le fichier est vérifié en entier avant tout enregistrement : "
    "s'il contient une erreur, rien n'est enregistré, et chaque erreur est signalée avec sa ligne et sa colonne.",
    "Un mois déjà enregistré est refusé, sauf si vous cochez « Remplacer les mois déjà saisis » à l'import.",
    "Les justificatifs (bulletins, relevés) se joignent ensuite dans Tremplin, mois par mois.",
    "Enregistrez le fichier au format .xlsx, ou en « CSV UTF-8 (délimité par des points-virgules) ».",
    "",
]


def template_rows(user, *, today: date | None = None):
    """(id, last name, first name, month) of the user's placements running now or last month."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    placements = (
        placements_for_hours(user)
        .exclude(lot__legal_basis__in=NO_HOURS_BASES)
        .filter(started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=last_month))
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list("pk", "person__last_name", "person__first_name", "started_on")
    )
    for pk, last_name, first_name, started_on in placements.iterator(chunk_size=2_000):
        month = last_month if started_on < this_month else this_month
        yield pk, last_name, first_name, f"{month:%Y-%m}"


def build_template(user) -> bytes:
    """The XLSX template: the "Heures" sheet (headers, prefilled rows) and the "Aide" sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Heures"
    sheet.append([c.header for c in IMPORT_COLUMNS])
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(40, len(column.header) + 4))
    for pk, last_name, first_name, month in template_rows(user):
        sheet.append([pk, last_name, first_name, month, None, None, None])
    month_column = get_column_letter(4)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "@"  # text: Excel must not turn 2024-03 into a date
    sheet.column_dimensions[month_column].width = 18
    for column in ("E", "F", "G"):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=ord(column) - 64, max_col=ord(column) - 64):
            cell.number_format = "0.00"
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("Aide")
    for line in HELP_INTRO:
        help_sheet.append([line])
    help_sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    help_sheet.append(["Colonne", "Obligatoire", "Contenu attendu"])
    for cell in help_sheet[help_sheet.max_row]:
        cell.font = Font(bold=True)
    for column in IMPORT_COLUMNS:
        help_sheet.append([column.header, column.required, column.help])
    help_sheet.column_dimensions["A"].width = 36
    help_sheet.column_dimensions["B"].width = 22
    help_sheet.column_dimensions["C"].width = 100
    for row in help_sheet.iter_rows(min_row=len(HELP_INTRO) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
