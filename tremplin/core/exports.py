"""One writer for every XLSX and CSV export: each domain declares its columns with French headers."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    number_format: str | None = None  # e.g. "0.00", "0.0%", "DD/MM/YYYY"


def build_workbook(rows: Iterable[Any], columns: list[Column], *, title: str, preamble: list[str] = ()) -> Workbook:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    for line in preamble:
        sheet.append([line])
    if preamble:
        sheet.append([])
    sheet.append([c.header for c in columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([c.value(row) for c in columns])
        for index, column in enumerate(columns, start=1):
            if column.number_format:
                sheet.cell(row=sheet.max_row, column=index).number_format = column.number_format
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(column.header) + 4))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return workbook


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
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([c.value(row) for c in columns])
    return response
