"""The spreadsheet reader shared by every importer: formats, encodings, headers, truncation and protection caps."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from tremplin.core.spreadsheets import Limits, SheetColumn, SpreadsheetError, read_sheet, xlsx_sheet_names

COLUMNS = [
    SheetColumn("placement_id", "Identifiant de la mise en emploi", ("Identifiant",)),
    SheetColumn("month", "Mois (AAAA-MM)"),
    SheetColumn("hours", "Heures travaillées"),
]
REQUIRED = ["placement_id", "month", "hours"]
LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_rows=1_000)


def read(content, filename="releve.csv", limits=LIMITS):
    sheet = read_sheet(content, filename=filename, columns=COLUMNS, required=REQUIRED, limits=limits)
    try:
        return sheet.issues, list(sheet.rows())
    finally:
        sheet.close()


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def blank_cells_bomb(header, *, rows=4_000, cells_per_row=1_000) -> bytes:
    """A valid workbook whose sheet holds rows × cells blank styled cells after its header: a few hundred KB."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([header])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                blank_row = "".join(['<c s="0"/>'] * cells_per_row)
                filler = "".join(f'<row r="{r}">{blank_row}</row>' for r in range(2, rows + 2))
                data = data.replace(b"</row></sheetData>", b"</row>" + filler.encode() + b"</sheetData>")
                data = data.replace(b'<dimension ref="A1:C1" />', b"")
            archive.writestr(item.filename, data)
    return output.getvalue()


class TestCsv:
    def test_utf8_with_bom_semicolons_and_header_aliases_in_any_case_and_accents(self):
        content = "\ufeffidentifiant;MOIS;heures travaillees\r\n12;2024-03;35\r\n".encode()
        issues, rows = read(content)
        assert issues == []
        assert rows == [(2, {"placement_id": "12", "month": "2024-03", "hours": "35"})]

    @pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
    def test_excel_windows_and_latin1_encodings_are_read(self, encoding):
        content = "Identifiant;Mois;Heures travaillées\r\n12;2024-03;35\r\n".encode(encoding)
        issues, rows = read(content)
        assert issues == [] and rows[0][1]["hours"] == "35"

    def test_a_byte_cp1252_does_not_define_falls_back_to_latin1(self):
        content = b"Identifiant;Mois;Heures travaill\xe9es\r\n12;2024-03;35\x81\r\n"
        issues, rows = read(content)
        assert issues == [] and rows[0][1]["hours"] == "35\x81"

    @pytest.mark.parametrize("delimiter", [";", ",", "\t"])
    def test_the_delimiter_is_sniffed_from_the_header(self, delimiter):
        content = delimiter.join(["Identifiant", "Mois", "Heures travaillées"]) + "\r\n12" + delimiter
        content += delimiter.join(["2024-03", '"151,67"']) + "\r\n"
        issues, rows = read(content.encode())
        assert issues == [] and rows[0][1] == {"placement_id": "12", "month": "2024-03", "hours": "151,67"}

    def test_unknown_duplicate_and_missing_columns_name_their_column(self):
        issues, _ = read(b"Identifiant;Identifiant;Commentaire\r\n1;1;x\r\n")
        assert [(i.row, i.column, i.message.split(" :")[0].split(" (")[0]) for i in issues] == [
            (1, "Identifiant", "colonne en double"),
            (1, "Commentaire", "colonne inconnue"),
            (1, "Mois (AAAA-MM)", "colonne obligatoire absente de la ligne d'en-tête"),
            (1, "Heures travaillées", "colonne obligatoire absente de la ligne d'en-tête"),
        ]
        assert "rien n'a été enregistré" in issues[1].message

    def test_a_file_cut_inside_its_last_number_is_refused(self):
        # "151,67" cut after "15": without the final line break, the value would be read as 15 h.
        with pytest.raises(SpreadsheetError) as error:
            read(b"Identifiant;Mois;Heures travaillees\r\n12;2024-03;35\r\n13;2024-03;15")
        assert (error.value.row, error.value.column) == (3, "Heures travaillees")
        assert "tronqué" in error.value.message

    def test_a_row_with_missing_fields_is_refused_naming_the_first_missing_column(self):
        with pytest.raises(SpreadsheetError) as error:
            read(b"Identifiant;Mois;Heures travaillees\r\n12;2024-03;35\r\n13;2024-0\r\n")
        assert (error.value.row, error.value.column) == (3, "Heures travaillees")

    def test_reading_stops_after_a_run_of_empty_rows_and_rows_are_capped(self):
        content = b"Identifiant;Mois;Heures travaillees\r\n12;2024-03;35\r\n" + b";;\r\n" * 1_000
        _, rows = read(content + b"13;2024-03;35\r\n")
        assert [number for number, _ in rows] == [2]
        with pytest.raises(SpreadsheetError, match="trop de lignes"):
            read(b"Identifiant;Mois;Heures travaillees\r\n" + b"12;2024-03;35\r\n" * 1_001)

    def test_an_xls_file_is_refused_with_the_way_out(self):
        with pytest.raises(SpreadsheetError, match=r"\.xls \(Excel 97-2003\)"):
            read(b"\xd0\xcf\x11\xe0" + b"\x00" * 64, filename="releve.xls")


class TestXlsx:
    def test_a_named_sheet_is_read_and_the_sheet_names_are_listed(self):
        workbook = Workbook()
        workbook.active.title = "Participants"
        workbook.active.append(["autre chose"])
        workbook.create_sheet("Étapes & <suivi>").append(["Identifiant", "Mois", "Heures travaillées"])
        workbook["Étapes & <suivi>"].append([12, "2024-03", 35])
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()

        assert xlsx_sheet_names(content) == ["Participants", "Étapes & <suivi>"]
        assert xlsx_sheet_names(b"Identifiant;Mois\r\n") == [] and xlsx_sheet_names(b"PK\x03\x04 broken") == []
        sheet = read_sheet(
            content,
            filename="f.xlsx",
            columns=COLUMNS,
            required=REQUIRED,
            limits=LIMITS,
            sheet_name="etapes & <SUIVI>",
        )
        try:
            assert sheet.issues == [] and list(sheet.rows()) == [
                (2, {"placement_id": 12, "month": "2024-03", "hours": 35})
            ]
        finally:
            sheet.close()

    def test_values_keep_their_types_and_only_the_template_columns_are_kept(self):
        issues, rows = read(xlsx([["Identifiant", "Mois", "Heures travaillées"], [12, "2024-03", 35.5]]), "r.xlsx")
        assert issues == [] and rows == [(2, {"placement_id": 12, "month": "2024-03", "hours": 35.5})]

    def test_a_declared_uncompressed_size_over_the_cap_is_refused_before_parsing(self):
        content = xlsx([["Identifiant", "Mois", "Heures travaillées"], [12, "2024-03", 35]])
        with pytest.raises(SpreadsheetError, match="trop volumineux une fois décompressé"):
            read(content, "r.xlsx", Limits(max_bytes=10 * 1024 * 1024, max_rows=1_000, max_uncompressed=2_000))

    def test_a_damaged_archive_is_refused(self):
        with pytest.raises(SpreadsheetError, match="fichier XLSX illisible"):
            read(b"PK\x03\x04 broken", "r.xlsx")

    def test_millions_of_blank_cells_are_refused_in_under_two_seconds(self):
        # Issue 7, hole 5: 4 million blank cells compress to a few hundred KB and cost openpyxl minutes.
        content = blank_cells_bomb(["Identifiant", "Mois", "Heures travaillées"])
        assert len(content) < 1024 * 1024
        started = time.monotonic()
        with pytest.raises(SpreadsheetError, match="classeur trop grand"):
            read(content, "r.xlsx", Limits(max_bytes=30 * 1024 * 1024, max_rows=200_000))
        assert time.monotonic() - started < 2  # an upper bound: the security property the issue asks for

    def test_wide_blank_rows_under_the_cell_cap_are_refused_too(self):
        # Few rows, each of thousands of blank cells: the cells are counted against the rows of the sheet.
        content = blank_cells_bomb(["Identifiant", "Mois", "Heures travaillées"], rows=50, cells_per_row=16_000)
        started = time.monotonic()
        with pytest.raises(SpreadsheetError, match="classeur trop grand"):
            read(content, "r.xlsx", Limits(max_bytes=30 * 1024 * 1024, max_rows=200_000))
        assert time.monotonic() - started < 2
