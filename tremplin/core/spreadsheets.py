"""The one spreadsheet reader of the importers: XLSX or CSV in, numbered rows of the template's columns out.

Every module that imports a file (PLIE participants, hours statements, and the next ones) describes its
columns and its limits, and gets back the header's problems and the data rows, each as
{column key: raw cell value} with its row number as Excel shows it (the header is row 1).

What it decides for every importer, so that they all behave alike:
- Formats: .xlsx (openpyxl's read_only mode), CSV in UTF-8 (with or without BOM), Windows-1252 (Excel's
  "CSV (point-virgule)") or Latin-1, separated by `;`, `,` or tabs (the header line decides). An .xls file
  is refused with the way out.
- Headers: recognised whatever their case and accents, with or without their hint in parentheses, and
  through each column's aliases. An unknown column, a column twice and a required column missing are errors
  naming the column: nothing of a file that does not follow the template is imported.
- Protection (issue 7, hole 5): the file's size; for an XLSX, the uncompressed size of the archive and the
  number of cells and shared strings are counted in its XML before anything is parsed (a few hundred KB of
  zip can hold millions of blank cells that would tie up a worker for minutes), so that an accepted file
  costs no more than the largest legitimate one; rows are read up to the row cap, each cut to the
  template's columns; reading stops after BLANK_RUN empty rows in a row.
- Workbooks: an XLSX is read from its first sheet, or from the sheet named by the importer (an importer with
  several sheets lists them with `xlsx_sheet_names` and reads each; the cell budget then counts the columns
  of all its sheets). A CSV has one sheet.
- Truncation: a CSV that does not end with a line break, or a row with fewer fields than the header, was
  cut (by a failed copy or upload); its last values may be cut too ("35" read as "3"): refused, naming the
  row and the column.
"""

import csv
import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tremplin.core.formatting import file_size, number as fr_number
from tremplin.core.text import name_key

# Reading stops after this many empty rows in a row: what follows is not data.
BLANK_RUN = 1_000
# Cells outside the data sheet (the template's help sheet) counted in the XLSX cell budget.
CELL_ALLOWANCE = 10_000
_CHUNK = 1024 * 1024


class SpreadsheetError(Exception):
    """The file cannot be read at all, in French; `row` and `column` (a header) when one is to blame."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int  # data rows, the header excluded
    # Uncompressed size of an XLSX archive (every part: sheets, shared strings, styles).
    max_uncompressed: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class HeaderIssue:
    row: int
    column: str  # the header as written in the file, or the template's header of a missing column
    message: str
    key: str | None = None


@dataclass
class Sheet:
    """A file being read: the header's issues, then the data rows (a generator: read them once)."""

    columns: dict[str, int]  # key -> position in the row
    header_row: int
    issues: list[HeaderIssue]
    _rows: Iterator = field(repr=False)

    def rows(self) -> Iterator[tuple[int, dict]]:
        """(row number, {key: raw value}) of every row with at least one value, the header excluded."""
        yield from self._rows

    def close(self):
        self._rows.close()


def header_aliases(columns: list[SheetColumn]) -> dict[str, str]:
    """name_key of a header, of the header without its hint in parentheses, and of each alias -> key."""
    aliases = {}
    for column in columns:
        for text in (column.header, re.sub(r"\(.*?\)", "", column.header), *column.aliases):
            aliases.setdefault(name_key(text), column.key)
    return aliases


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """A raw cell as text: numbers without a useless ".0", no-break spaces as spaces, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").replace("\u202f", " ").strip()


def read_sheet(
    file,
    *,
    filename: str = "",
    columns: list[SheetColumn],
    required: list[str],
    limits: Limits,
    sheet_name: str | None = None,
    workbook_width: int | None = None,
) -> Sheet:
    """Open `file` (bytes, a path or a binary file object) and read its header; SpreadsheetError if it cannot
    be read. The data rows are read lazily by Sheet.rows(), which raises SpreadsheetError on a cap.

    For an XLSX, `sheet_name` names the sheet to read (its first sheet by default), and `workbook_width` the
    columns of all the sheets the importer reads (the cell budget of the whole workbook)."""
    binary = _binary(file)
    size = _size(binary)
    if size > limits.max_bytes:
        raise SpreadsheetError(f"fichier trop volumineux (plus de {limits.max_bytes // 1024 // 1024} Mo)")
    head = binary.read(8)
    binary.seek(0)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            "le format .xls (Excel 97-2003) n'est pas pris en charge : enregistrez le fichier au format .xlsx ou CSV"
        )
    if extension in ("xlsx", "xlsm") or head.startswith(b"PK\x03\x04"):
        _check_archive(binary, limits, workbook_width or len(columns))
        raw = _xlsx_rows(binary, sheet_name)
        truncated = None
    else:
        raw, truncated = _csv_rows(binary)
    return _sheet(raw, columns, required, limits, truncated)


# --- Header and rows ------------------------------------------------------------------------------


def _sheet(raw, columns, required, limits, truncated) -> Sheet:
    issues = []
    header_row, header = None, None
    for number, values in raw:
        if not all(blank(v) for v in values):
            header_row, header = number, values
        break
    if header is None:
        raw.close()
        raise SpreadsheetError("le fichier est vide : la première ligne doit contenir les en-têtes des colonnes")
    aliases = header_aliases(columns)
    by_key = {c.key: c for c in columns}
    positions: dict[str, int] = {}
    last = 0
    for index, value in enumerate(header[: len(columns) + 50]):
        title = cell_text(value)
        if not title:
            continue
        last = index + 1
        key = aliases.get(name_key(title))
        if key is None:
            issues.append(
                HeaderIssue(
                    header_row,
                    title,
                    "colonne inconnue : retirez-la, ou donnez-lui l'en-tête d'une colonne du modèle ; "
                    "rien n'a été enregistré",
                )
            )
        elif key in positions:
            issues.append(
                HeaderIssue(header_row, title, f"colonne en double (déjà en position {positions[key] + 1})", key)
            )
        else:
            positions[key] = index
    beyond = [cell_text(v) for v in header[len(columns) + 50 :] if not blank(v)]
    if beyond:
        issues.append(HeaderIssue(header_row, beyond[0][:40], "colonne inconnue, et trop de colonnes dans l'en-tête"))
    for key in required:
        if key not in positions:
            issues.append(
                HeaderIssue(
                    header_row,
                    by_key[key].header,
                    "colonne obligatoire absente de la ligne d'en-tête : reprenez les en-têtes du modèle",
                    key,
                )
            )
    header_titles = {index: cell_text(header[index]) for index in range(last)}
    return Sheet(positions, header_row, issues, _data(raw, positions, limits, last, header_titles, truncated))


def _data(raw, positions, limits, width, titles, truncated) -> Iterator[tuple[int, dict]]:
    rows = blanks = 0
    number, values = None, []
    try:
        for number, values in raw:  # noqa: B007 (the last line read is named if the file was cut)
            if all(blank(v) for v in values[:width]):
                blanks += 1
                if blanks >= BLANK_RUN:
                    return
                continue
            blanks = 0
            rows += 1
            if rows > limits.max_rows:
                raise SpreadsheetError(
                    f"trop de lignes : {fr_number(limits.max_rows)} au plus par fichier, découpez-le"
                )
            if truncated is not None and len(values) < width:
                missing = titles.get(len(values)) or f"n° {len(values) + 1}"
                raise SpreadsheetError(
                    f"ligne incomplète ({len(values)} champs au lieu de {width}) : le fichier semble tronqué "
                    "ou une ligne a été coupée ; rien n'a été enregistré",
                    row=number,
                    column=missing,
                )
            yield number, {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if truncated is not None and truncated():
            raise SpreadsheetError(
                "le fichier ne se termine pas par un saut de ligne : il semble tronqué (une copie ou un envoi "
                "interrompu), sa dernière valeur a pu être coupée ; rien n'a été enregistré",
                row=number,
                column=_last_filled(values, titles) if number is not None else None,
            )
    finally:
        raw.close()


def _last_filled(values, titles) -> str:
    """The column of the last value of a cut line (where the cut is), or of its last field if all are blank."""
    for index in range(len(values) - 1, -1, -1):
        if not blank(values[index]):
            return titles.get(index) or f"n° {index + 1}"
    return titles.get(max(len(values) - 1, 0)) or "n° 1"


# --- Files ------------------------------------------------------------------------------------------


def _binary(file):
    if isinstance(file, bytes):
        return io.BytesIO(file)
    if isinstance(file, str | Path):
        return open(file, "rb")  # noqa: SIM115 (closed by the caller through its path)
    inner = getattr(file, "file", file)  # UploadedFile -> its BytesIO or temporary file
    inner.seek(0)
    return inner


def _size(binary) -> int:
    position = binary.tell()
    binary.seek(0, io.SEEK_END)
    size = binary.tell()
    binary.seek(position)
    return size


_UNREADABLE_XLSX = "fichier XLSX illisible : est-ce bien un classeur Excel (.xlsx) ?"


def _check_archive(binary, limits: Limits, width: int):
    """Before openpyxl parses anything: the declared and the real uncompressed size, and the number of cells
    and shared strings, counted at C speed in the XML (an upper bound: `<c ` and `<si>` tags)."""
    try:
        archive = zipfile.ZipFile(binary)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise SpreadsheetError(_UNREADABLE_XLSX) from e
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed or len(members) > 1_000:
        raise SpreadsheetError(
            f"classeur trop volumineux une fois décompressé ({_mo(total)}, au plus {_mo(limits.max_uncompressed)}) : "
            "supprimez les lignes et les colonnes vides, ou enregistrez-le en CSV"
        )
    max_cells = (limits.max_rows + 1) * width + CELL_ALLOWANCE
    cells = strings = read = 0
    try:
        for member in members:
            name = member.filename
            is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            is_strings = name.startswith("xl/sharedStrings")
            if not (is_sheet or is_strings):
                continue
            sheet_cells = sheet_rows = 0
            with archive.open(member) as part:
                tail = b""
                while chunk := part.read(_CHUNK):
                    read += len(chunk)
                    if read > limits.max_uncompressed:
                        raise SpreadsheetError(
                            f"classeur trop volumineux une fois décompressé (plus de {_mo(limits.max_uncompressed)})"
                        )
                    # The tail is shorter than every tag counted: a tag across two chunks is counted once.
                    data = tail + chunk
                    tail = data[-3:]
                    data = data[:-3]
                    if is_sheet:
                        sheet_cells += sum(data.count(tag) for tag in (b"<c ", b"<c>", b":c ", b":c>"))
                        sheet_rows += data.count(b"<row ") + data.count(b":row ")
                    else:
                        strings += sum(data.count(tag) for tag in (b"<si>", b"<si ", b":si>", b":si "))
                    if cells + sheet_cells > max_cells or strings > max_cells:
                        raise SpreadsheetError(_too_many_cells(max_cells, width, limits))
            cells += sheet_cells
            # Cells far beyond the template's columns (thousands of blank cells a row) cost as much as rows.
            if sheet_cells > sheet_rows * width * 2 + CELL_ALLOWANCE:
                raise SpreadsheetError(_too_many_cells(max_cells, width, limits))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:  # damaged data, wrong CRC or size
        raise SpreadsheetError(_UNREADABLE_XLSX) from e
    binary.seek(0)


def _too_many_cells(max_cells, width, limits) -> str:
    return (
        f"classeur trop grand : le modèle compte {width} colonnes et {fr_number(limits.max_rows)} lignes au plus "
        f"({fr_number(max_cells)} cellules), or ce classeur contient bien plus de cellules, vides ou mises en "
        "forme ; supprimez les lignes et les colonnes inutiles, ou enregistrez-le en CSV"
    )


def _mo(size: int) -> str:
    return file_size(size)


def xlsx_sheet_names(file) -> list[str]:
    """The sheet names of an XLSX workbook, in order, read from its workbook.xml without parsing the sheets;
    [] for anything else (a CSV, or a damaged archive: read_sheet tells why)."""
    binary = _binary(file)
    if binary.read(4) != b"PK\x03\x04":
        binary.seek(0)
        return []
    binary.seek(0)
    try:
        with zipfile.ZipFile(binary) as archive:
            member = archive.getinfo("xl/workbook.xml")
            if member.file_size > _CHUNK:
                return []
            xml = archive.read(member)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return []
    finally:
        binary.seek(0)
    return [
        html.unescape(name.decode("utf-8", "replace"))
        for name in re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', xml)
    ]


def _xlsx_rows(binary, sheet_name: str | None = None) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds of errors on a damaged file
        raise SpreadsheetError(_UNREADABLE_XLSX) from e

    def rows():
        try:
            if not workbook.worksheets:
                return
            sheet = workbook.worksheets[0]
            if sheet_name is not None:
                named = [ws for ws in workbook.worksheets if name_key(ws.title) == name_key(sheet_name)]
                if not named:
                    return
                sheet = named[0]
            sheet.reset_dimensions()  # some tools write wrong dimensions, which would cut the rows read
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        except SpreadsheetError:
            raise
        except Exception as e:  # damaged XML inside a valid archive
            raise SpreadsheetError(_UNREADABLE_XLSX) from e
        finally:
            workbook.close()

    return rows()


def _encoding(sample: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1252 (Excel's "CSV (point-virgule)"), else Latin-1."""
    try:
        sample.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as e:
        if e.start >= len(sample) - 3 and len(sample) >= _CHUNK:
            return "utf-8-sig"  # a character cut at the end of the sample
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def _csv_rows(binary):
    sample = binary.read(_CHUNK)
    binary.seek(0)
    encoding = _encoding(sample)
    state = {"last": b""}

    def ends_cut() -> bool:
        return state["last"] not in (b"\n", b"\r")

    def rows():
        text = io.TextIOWrapper(_Tracking(binary, state), encoding=encoding, newline="")
        try:
            first = text.readline()
            if not first:
                return
            reader = csv.reader(_chain(first, text), delimiter=_delimiter(first))
            yield from enumerate(reader, start=1)
        except UnicodeDecodeError as e:
            raise SpreadsheetError(
                "le fichier CSV mélange des encodages : enregistrez-le dans Excel en « CSV UTF-8 (délimité par "
                "des points-virgules) »"
            ) from e
        except csv.Error as e:
            raise SpreadsheetError(f"fichier CSV illisible : {e}") from e
        finally:
            text.detach()  # the caller closes the binary file

    return rows(), ends_cut


class _Tracking(io.RawIOBase):
    """The binary file, remembering its last byte (to tell a file cut in its last line)."""

    def __init__(self, binary, state):
        self.binary = binary
        self.state = state

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.binary.read(len(buffer))
        if data:
            buffer[: len(data)] = data
            self.state["last"] = data[-1:]
        return len(data)

    def close(self):  # the caller closes the binary file
        pass


def _chain(first, rest):
    yield first
    for line in rest:  # noqa: UP028 (`yield from` would close the text wrapper with this generator)
        yield line
