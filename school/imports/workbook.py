"""Opening an uploaded workbook safely, and reading its data sheets into plain rows.

Before openpyxl sees the bytes: the size limit, the file type (a real .xlsx: a zip holding `[Content_Types].xml`
and `xl/workbook.xml`; no macros, no encryption), the zip-bomb limits (each entry's declared size, the total, the
compression ratio) and the row count, counted by streaming the sheets' XML. Then openpyxl opens it (through
defusedxml, so no entity expansion or external entities) with `data_only=False` and not read-only, so that
formulas and merged cells are visible and refused. Every refusal raises `ImportRefused`.
"""

from __future__ import annotations

import io
import posixpath
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import openpyxl
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .sheets import REQUIRED_MARK, SPEC_BY_TITLE, SheetSpec

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls, and any password-protected Office file
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
MAX_ENTRIES = 2000
# An entry over 1 MB that unpacks to more than 100 times its packed size is a bomb, not a roster.
RATIO_CHECK_BYTES = 1024 * 1024
MAX_RATIO = 100
# openpyxl keeps every cell in memory; styled empty cells count too.
MAX_CELLS_PER_ROW = 40

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\ufeff")


@dataclass(frozen=True)
class Issue:
    """One problem of an upload: where it is (as Excel shows it) and what is wrong."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""


class ImportRefused(Exception):
    """The upload was refused and nothing was written. `issues` lists every problem found."""

    def __init__(self, message, *, issues=()):
        self.message = str(message)
        self.issues: list[Issue] = list(issues) or [Issue(self.message)]
        super().__init__(self.message)


@dataclass
class SheetRows:
    """A data sheet read into text: `rows` are (Excel row number, {column key: text}) for non-empty rows."""

    spec: SheetSpec
    present: frozenset[str]  # keys of the columns the sheet has
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def header(self, key: str) -> str:
        return self.spec.column(key).header


# --- before openpyxl ------------------------------------------------------------------------


def read_upload(file) -> bytes:
    """The upload's bytes, refusing empty and oversized files without reading more than the limit allows."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ImportRefused(_too_big_message(size, limit))
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise ImportRefused(_too_big_message(len(data), limit))
    if not data:
        raise ImportRefused(_("The file is empty."))
    return data


def _too_big_message(size: int, limit: int) -> str:
    return _("The file is %(size)s MB; the largest accepted is %(limit)s MB.") % {
        "size": f"{size / 1048576:.1f}",
        "limit": f"{limit / 1048576:.1f}",
    }


def check_archive(data: bytes) -> zipfile.ZipFile:
    """The .xlsx archive, after refusing other file types, macros, encryption and zip bombs."""
    not_xlsx = _("This file is not an Excel workbook (.xlsx). Download the template, fill it in and upload it.")
    if data.startswith(OLE_MAGIC):
        raise ImportRefused(
            _("This is an old Excel 97-2003 (.xls) file or a password-protected workbook. Open it in Excel or "
              "WPS, remove any password and save it as an Excel workbook (.xlsx).")
        )
    if not data.startswith(ZIP_MAGICS):
        raise ImportRefused(not_xlsx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except Exception:  # a damaged central directory, an unknown zip version...
        raise ImportRefused(not_xlsx) from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused(not_xlsx)
    if len(entries) > MAX_ENTRIES:
        raise ImportRefused(_("The workbook has too many parts to be a roster."))
    macros = _("The workbook contains macros (.xlsm). Save it as an Excel workbook (.xlsx) without macros.")
    if any(posixpath.basename(name).lower() == "vbaproject.bin" for name in names):
        raise ImportRefused(macros)
    bomb = _("The workbook unpacks to far more data than a roster holds and was refused.")
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise ImportRefused(_("The workbook is encrypted. Remove the password and save it again."))
        # Declared sizes are binding: zipfile stops at the declared size and checks the CRC.
        total += entry.file_size
        if entry.file_size > settings.IMPORT_MAX_UNPACKED_BYTES or total > settings.IMPORT_MAX_UNPACKED_BYTES:
            raise ImportRefused(bomb)
        if entry.file_size > RATIO_CHECK_BYTES and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise ImportRefused(bomb)
    try:
        content_types = archive.read("[Content_Types].xml")
    except Exception:  # a damaged entry: bad CRC, zlib errors, an unknown compression method...
        raise ImportRefused(not_xlsx) from None
    if b"macroEnabled" in content_types:
        raise ImportRefused(macros)
    return archive


def _worksheet_parts(archive: zipfile.ZipFile) -> list[str]:
    """Paths of the worksheets the workbook's relationships name (where openpyxl will look for them)."""
    try:
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return []
    parts = []
    for rel in rels.iter(f"{_REL_NS}Relationship"):
        if rel.get("Type") != _WORKSHEET_REL:
            continue
        target = rel.get("Target", "")
        parts.append(target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}"))
    return parts


def check_row_counts(archive: zipfile.ZipFile) -> None:
    """Refuse a sheet with more rows than IMPORT_MAX_ROWS, counting by streaming its XML (openpyxl would
    otherwise build every cell in memory first)."""
    max_rows = settings.IMPORT_MAX_ROWS
    max_cells = (max_rows + 1) * MAX_CELLS_PER_ROW
    names = set(archive.namelist())
    cells = 0
    for part in _worksheet_parts(archive):
        if part not in names:
            continue
        rows = 0
        with archive.open(part) as stream:
            for _event, element in SafeET.iterparse(stream, events=("end",)):
                if element.tag == f"{_MAIN_NS}c":
                    cells += 1
                elif element.tag == f"{_MAIN_NS}row":
                    if any(c.find(f"{_MAIN_NS}v") is not None or c.find(f"{_MAIN_NS}is") is not None
                           for c in element):
                        rows += 1
                    element.clear()
                if rows > max_rows + 1 or cells > max_cells:
                    raise ImportRefused(
                        _("A sheet has more than %(max)s rows; split the file and import the parts one by one.")
                        % {"max": max_rows}
                    )


def open_workbook(file) -> openpyxl.Workbook:
    """The uploaded workbook, opened after every check that can be made on the archive."""
    data = read_upload(file)
    archive = check_archive(data)
    try:
        check_row_counts(archive)
    except ImportRefused:
        raise
    except Exception:  # malformed XML, an entry that lies about its size (CRC error), forbidden DTDs...
        raise ImportRefused(_("The workbook is damaged and cannot be read. Save it again in Excel or WPS.")) from None
    try:
        with warnings.catch_warnings():
            # Files saved by WPS carry extensions openpyxl does not know and warns about.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=False, data_only=False, keep_vba=False, keep_links=False
            )
    except Exception:
        raise ImportRefused(_("The workbook is damaged and cannot be read. Save it again in Excel or WPS.")) from None


# --- reading the sheets ---------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell's value as the text a person typed: integers without ".0", floats without binary noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.10f}".rstrip("0").rstrip(".")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).translate(_INVISIBLE).strip()


def normalise_header(value) -> str:
    return "".join(cell_text(value).split()).rstrip(REQUIRED_MARK + "＊")


def _cells(sheet):
    """The cells the file holds (openpyxl's own store), without creating empty ones as iter_rows would."""
    return sheet._cells.values()


def read_sheets(
    book: openpyxl.Workbook, specs: Mapping[str, SheetSpec] | None = None
) -> tuple[dict[str, SheetRows], list[str]]:
    """The data sheets by kind, and the titles of the known sheets left empty. Refuses, listing every problem:
    formulas anywhere, merged cells or wrong headers in a data sheet, or no data at all. `specs` are the known
    sheets by title: the roster's unless another import gives its own."""
    specs = SPEC_BY_TITLE if specs is None else specs
    issues: list[Issue] = []
    sheets: dict[str, SheetRows] = {}
    empty: list[str] = []
    titles = {ws.title.strip(): ws for ws in book.worksheets}
    for ws in book.worksheets:
        for cell in _cells(ws):
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                issues.append(Issue(_("Formulas are not accepted: type the value instead."), ws.title, cell.row,
                                    _column_name(ws, cell.column)))
    for title, spec in specs.items():
        ws = titles.get(title)
        if ws is None:
            continue
        if ws.merged_cells.ranges:
            for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
                issues.append(Issue(_("Merged cells are not accepted (%(range)s): unmerge them and fill every "
                                      "cell.") % {"range": merged.coord}, ws.title, merged.min_row,
                                    _column_name(ws, merged.min_col)))
            continue
        sheet, header_issues = _read_sheet(ws, spec)
        issues.extend(header_issues)
        if sheet is None:
            continue
        if sheet.rows:
            sheets[spec.kind] = sheet
        else:
            empty.append(title)
    if not issues and not sheets:
        known = "、".join(specs)
        if not any(title in titles for title in specs):
            message = _("The workbook has no sheet named %(names)s.") % {"names": known}
        else:
            message = _("The workbook has no data rows: fill in the rows below the header row.")
        raise ImportRefused(message)
    if issues:
        raise ImportRefused(_("The workbook cannot be imported as it is."), issues=issues)
    return sheets, empty


def _column_name(ws, column: int) -> str:
    header = ws._cells.get((1, column))
    text = normalise_header(header.value) if header is not None else ""
    return text or get_column_letter(column)


def _read_sheet(ws, spec: SheetSpec) -> tuple[SheetRows | None, list[Issue]]:
    by_header = {c.header: c for c in spec.columns}
    headers: dict[int, str] = {}  # column index -> key
    unknown, repeated = [], []
    by_row: dict[int, dict[int, str]] = {}
    rounded: set[tuple[int, int]] = set()
    for cell in _cells(ws):
        if cell.row == 1:
            text = normalise_header(cell.value)
            if not text:
                continue
            column = by_header.get(text)
            if column is None:
                unknown.append(text)
            elif column.key in headers.values():
                repeated.append(text)
            else:
                headers[cell.column] = column.key
        else:
            text = cell_text(cell.value)
            if text:
                by_row.setdefault(cell.row, {})[cell.column] = text
                if isinstance(cell.value, float) and abs(cell.value) >= 1e15:
                    rounded.add((cell.row, cell.column))
    issues = []
    missing = [c.label for c in spec.required if c.key not in headers.values()]
    if missing:
        issues.append(Issue(_("Required columns are missing: %(columns)s.") % {"columns": "、".join(missing)},
                            spec.title, 1))
    if unknown:
        issues.append(Issue(
            _("Unknown columns: %(columns)s. The columns are: %(known)s.")
            % {"columns": "、".join(unknown), "known": "、".join(c.label for c in spec.columns)},
            spec.title, 1))
    if repeated:
        issues.append(Issue(_("Columns appear twice: %(columns)s.") % {"columns": "、".join(repeated)},
                            spec.title, 1))
    if issues:
        return None, issues
    sheet = SheetRows(spec=spec, present=frozenset(headers.values()))
    for number in sorted(by_row):
        values = by_row[number]
        stray = [c for c in values if c not in headers]
        if stray:
            issues.append(Issue(_("This cell is outside the columns of the header row."), spec.title, number,
                                get_column_letter(stray[0])))
            continue
        for c in values:
            if (number, c) in rounded and spec.column(headers[c]).text:
                # Excel keeps 15 significant digits of a number: a long ID typed as a number has lost its tail.
                issues.append(Issue(_("Excel has rounded this long number. Format the column as text and type it "
                                      "again."), spec.title, number, spec.column(headers[c]).header))
        sheet.rows.append((number, {headers[c]: text for c, text in values.items()}))
    return sheet, issues
