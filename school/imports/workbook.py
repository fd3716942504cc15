"""Opening an uploaded workbook safely, and reading its data sheets into plain rows.

Before openpyxl sees the bytes: the size limit, the file type (a real .xlsx: a zip holding `[Content_Types].xml`
and `xl/workbook.xml`; no macros, no encryption), the zip-bomb limits (each entry's declared size, the total, the
compression ratio) and the row count, counted by streaming the sheets' XML. Then openpyxl opens it (through
defusedxml, so no entity expansion or external entities) with `data_only=False` and not read-only, so that
formulas and merged cells are visible and refused. Every refusal raises `ImportRefused`.

Large imports (exam scores) read the values with python-calamine instead (`open_values`), after the same checks:
the sheets' XML is streamed once through expat (`scan_worksheets`) to count the rows, find formula cells and merged
ranges and the last row and column used, so that calamine never builds a sheet the limits refuse. Headers, formulas,
merged cells, stray cells and rounded long numbers are refused with the same messages as `read_sheets`.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from xml.parsers import expat

import openpyxl
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.utils.translation import gettext as _

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
    return list(_worksheet_targets(archive).values())


def _worksheet_targets(archive: zipfile.ZipFile) -> dict[str, str]:
    """Relationship id -> worksheet path, in the order of the relationships."""
    try:
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    parts = {}
    for rel in rels.iter(f"{_REL_NS}Relationship"):
        if rel.get("Type") != _WORKSHEET_REL:
            continue
        target = rel.get("Target", "")
        parts[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return parts


_DOC_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet path -> the sheet's name, from xl/workbook.xml."""
    targets = _worksheet_targets(archive)
    try:
        workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    except KeyError:
        return {}
    titles = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        part = targets.get(sheet.get(f"{_DOC_REL_NS}id", ""))
        if part:
            titles[part] = sheet.get("name", "")
    return titles


_CELL_REF = re.compile(r"^\$?([A-Za-z]+)\$?(\d+)$")


def column_index_from_string(letters: str) -> int:
    """"C" -> 3, as openpyxl's, but for any number of letters: a hostile file may name a column past Excel's last
    (XFD), and reading it must not fail."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


def get_column_letter(index: int) -> str:
    """3 -> "C", as openpyxl's, but for any column index (one past Excel's last is named in an error message)."""
    letters = ""
    index = max(int(index), 1)
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
MAX_FORMULAS_LISTED = 1000


@dataclass
class SheetScan:
    """What one streaming pass over a worksheet's XML found, before any reader builds its cells."""

    title: str
    part: str
    rows: int = 0  # rows holding at least one value
    cells: int = 0
    max_row: int = 0
    max_column: int = 0
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (row, column) of formula cells
    merged: list[str] = field(default_factory=list)  # merged ranges, e.g. "A2:A4"


class _XmlForbidden(Exception):
    pass


def _forbid(*_args):
    raise _XmlForbidden


def _column_of(ref: str | None, position: int) -> int:
    """The column index of a cell reference ("C7" -> 3); without one, the cell's position in its row."""
    match = _CELL_REF.match(ref) if ref else None
    return column_index_from_string(match.group(1).upper()) if match else position


def _scan_part(stream, scan: SheetScan, max_rows: int, max_cells: int, counted: list[int]) -> None:
    """Stream one worksheet through expat (C speed, about five times iterparse's) with DTDs and entities
    forbidden, as defusedxml forbids them."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
    row_tag, cell_tag, formula_tag, merge_tag = ns + "row", ns + "c", ns + "f", ns + "mergeCell"
    value_tags = {ns + "v", ns + "is"}
    state = {"row": 0, "ref": None, "cells": 0, "has_value": False}
    too_many = _("A sheet has more than %(max)s rows; split the file and import the parts one by one.") % {
        "max": max_rows}

    def start(name, attrs):
        # Called for every element of the sheet: the cheap cases first, the cell reference parsed only where
        # it is needed (a formula; the last cell of a row for the last column used).
        if name == cell_tag:
            counted[0] += 1
            if counted[0] > max_cells:
                raise ImportRefused(too_many)
            scan.cells += 1
            state["ref"] = attrs.get("r")
            state["cells"] += 1
        elif name in value_tags:
            state["has_value"] = True
        elif name == row_tag:
            number = attrs.get("r")
            state["row"] = int(number) if number and number.isdigit() else state["row"] + 1
            state["ref"] = None
            state["cells"] = 0
            state["has_value"] = False
        elif name == formula_tag:
            if len(scan.formulas) < MAX_FORMULAS_LISTED:
                scan.formulas.append((state["row"], _column_of(state["ref"], state["cells"])))
        elif name == merge_tag:
            scan.merged.append(attrs.get("ref", ""))

    def end(name):
        if name == row_tag:
            if state["cells"]:
                scan.max_column = max(scan.max_column, _column_of(state["ref"], state["cells"]))
            if state["has_value"]:
                scan.rows += 1
                scan.max_row = max(scan.max_row, state["row"])
                if scan.rows > max_rows + 1:
                    raise ImportRefused(too_many)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.ParseFile(stream)


def scan_worksheets(archive: zipfile.ZipFile) -> list[SheetScan]:
    """Stream every worksheet once: rows with values, cells, the last row and column, formula cells and merged
    ranges. Refuses a sheet with more than IMPORT_MAX_ROWS rows (or a workbook with far more cells than that many
    rows hold) as soon as the count passes the limit."""
    max_rows = settings.IMPORT_MAX_ROWS
    max_cells = (max_rows + 1) * MAX_CELLS_PER_ROW
    names = set(archive.namelist())
    titles = _sheet_titles(archive)
    counted = [0]
    scans = []
    for part in _worksheet_parts(archive):
        if part not in names:
            continue
        scan = SheetScan(title=titles.get(part, posixpath.basename(part)), part=part)
        with archive.open(part) as stream:
            _scan_part(stream, scan, max_rows, max_cells, counted)
        scans.append(scan)
    return scans


def check_row_counts(archive: zipfile.ZipFile) -> None:
    """Refuse a sheet with more rows than IMPORT_MAX_ROWS, counting by streaming its XML (openpyxl would
    otherwise build every cell in memory first)."""
    scan_worksheets(archive)


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


def _match_header(texts: Mapping[int, str], spec: SheetSpec) -> tuple[dict[int, str], list[Issue]]:
    """The header row's columns (column index -> key) from its normalised texts, or the problems it has:
    required columns missing, unknown columns, columns twice."""
    by_header = {c.header: c for c in spec.columns}
    headers: dict[int, str] = {}
    unknown, repeated = [], []
    for column_index in sorted(texts):
        text = texts[column_index]
        if not text:
            continue
        column = by_header.get(text)
        if column is None:
            unknown.append(text)
        elif column.key in headers.values():
            repeated.append(text)
        else:
            headers[column_index] = column.key
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
    return headers, issues


def _outside_columns_issue(spec: SheetSpec, row: int, column: int) -> Issue:
    return Issue(_("This cell is outside the columns of the header row."), spec.title, row, get_column_letter(column))


def _rounded_issue(spec: SheetSpec, row: int, key: str) -> Issue:
    # Excel keeps 15 significant digits of a number: a long ID typed as a number has lost its tail.
    return Issue(_("Excel has rounded this long number. Format the column as text and type it again."), spec.title,
                 row, spec.column(key).header)


def _read_sheet(ws, spec: SheetSpec) -> tuple[SheetRows | None, list[Issue]]:
    header_texts: dict[int, str] = {}
    by_row: dict[int, dict[int, str]] = {}
    rounded: set[tuple[int, int]] = set()
    for cell in _cells(ws):
        if cell.row == 1:
            header_texts[cell.column] = normalise_header(cell.value)
        else:
            text = cell_text(cell.value)
            if text:
                by_row.setdefault(cell.row, {})[cell.column] = text
                if isinstance(cell.value, float) and abs(cell.value) >= 1e15:
                    rounded.add((cell.row, cell.column))
    headers, issues = _match_header(header_texts, spec)
    if issues:
        return None, issues
    sheet = SheetRows(spec=spec, present=frozenset(headers.values()))
    for number in sorted(by_row):
        values = by_row[number]
        stray = [c for c in values if c not in headers]
        if stray:
            issues.append(_outside_columns_issue(spec, number, stray[0]))
            continue
        for c in values:
            if (number, c) in rounded and spec.column(headers[c]).text:
                issues.append(_rounded_issue(spec, number, headers[c]))
        sheet.rows.append((number, {headers[c]: text for c, text in values.items()}))
    return sheet, issues


# --- large imports: the values through python-calamine -------------------------------------------


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class SheetValues:
    """A data sheet's raw cell values (numbers stay numbers), column by column: `columns[key][i]` is the value of
    Excel row `row_numbers[i]` (None where the cell is empty). Rows with no value at all are left out."""

    spec: SheetSpec
    present: frozenset[str]
    row_numbers: list[int] = field(default_factory=list)
    columns: dict[str, list] = field(default_factory=dict)

    def header(self, key: str) -> str:
        return self.spec.column(key).header

    def __len__(self) -> int:
        return len(self.row_numbers)


class ValueWorkbook:
    """An uploaded workbook that passed every check of `open_workbook`'s, opened with python-calamine."""

    def __init__(self, data: bytes, scans: list[SheetScan]):
        from python_calamine import CalamineWorkbook

        self.scans = {scan.title: scan for scan in scans}
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception:
            raise ImportRefused(_("The workbook is damaged and cannot be read. Save it again in Excel or WPS.")) from None

    @property
    def titles(self) -> list[str]:
        return list(self._book.sheet_names)

    def _rows(self, title: str) -> Iterator[tuple[int, list]]:
        """(Excel row number, values from column A) of every row calamine holds."""
        try:
            sheet = self._book.get_sheet_by_name(title)
        except Exception:
            raise ImportRefused(_("The workbook is damaged and cannot be read. Save it again in Excel or WPS.")) from None
        # python-calamine (0.9, pinned) yields every row from the sheet's first row (empty ones above the data
        # included) but the columns only from the first column used: pad them back to column A.
        first_column = sheet.start[1] if sheet.start else 0
        last_row = sheet.end[0] if sheet.end else -1
        padding = [""] * first_column
        count = 0
        for index, values in enumerate(sheet.iter_rows()):
            count += 1
            yield index + 1, (padding + values) if first_column else values
        if count and count != last_row + 1:
            # Another reader version numbering rows otherwise: refuse rather than report wrong row numbers.
            raise ImportRefused(_("The workbook is damaged and cannot be read. Save it again in Excel or WPS."))

    def _header_texts(self, title: str) -> dict[int, str]:
        for number, values in self._rows(title):
            if number == 1:
                return {index: normalise_header(None if value == "" else value)
                        for index, value in enumerate(values, start=1)}
            break
        return {}

    def read(self, specs: Mapping[str, SheetSpec]) -> tuple[dict[str, SheetValues], list[str]]:
        """The data sheets by kind, and the titles of the known sheets left empty, with the refusals of
        `read_sheets`: formulas anywhere, merged cells or wrong headers in a data sheet, or no data at all."""
        issues: list[Issue] = []
        sheets: dict[str, SheetValues] = {}
        empty: list[str] = []
        titles = {title.strip(): title for title in self.titles}
        for title in self.titles:
            scan = self.scans.get(title)
            if scan is None or not scan.formulas:
                continue
            header = self._header_texts(title)
            for row, column in scan.formulas:
                issues.append(Issue(_("Formulas are not accepted: type the value instead."), title, row,
                                    header.get(column) or get_column_letter(max(column, 1))))
        for title, spec in specs.items():
            real = titles.get(title)
            if real is None:
                continue
            scan = self.scans.get(real)
            if scan is not None and scan.merged:
                header = self._header_texts(real)
                for ref in sorted(scan.merged, key=_range_start):
                    row, column = _range_start(ref)
                    issues.append(Issue(_("Merged cells are not accepted (%(range)s): unmerge them and fill every "
                                          "cell.") % {"range": ref}, spec.title, row,
                                        header.get(column) or get_column_letter(max(column, 1))))
                continue
            sheet, sheet_issues = self._read_values(real, spec)
            issues.extend(sheet_issues)
            if sheet is None:
                continue
            if sheet.row_numbers:
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

    def _read_values(self, title: str, spec: SheetSpec) -> tuple[SheetValues | None, list[Issue]]:
        rows = self._rows(title)
        header_texts: dict[int, str] = {}
        first = next(rows, None)
        pending = None
        if first is not None:
            if first[0] == 1:
                header_texts = {index: normalise_header(None if value == "" else value)
                                for index, value in enumerate(first[1], start=1)}
            else:
                pending = first
        headers, issues = _match_header(header_texts, spec)
        if issues:
            return None, issues
        positions = sorted(headers)  # 1-based column indexes of the header's columns
        keys = [headers[p] for p in positions]
        text_keys = {key for key in keys if spec.column(key).text}
        sheet = SheetValues(spec=spec, present=frozenset(keys), columns={key: [] for key in keys})
        columns = [sheet.columns[key] for key in keys]
        known = set(positions)

        def take(number: int, values: list) -> None:
            cells = [None if _is_empty(v) else v for v in values]
            filled = [i for i, v in enumerate(cells, start=1) if v is not None]
            if not filled:
                return
            stray = [i for i in filled if i not in known]
            if stray:
                issues.append(_outside_columns_issue(spec, number, stray[0]))
                return
            row = [cells[p - 1] if p <= len(cells) else None for p in positions]
            for key, value in zip(keys, row):
                if key in text_keys and isinstance(value, float) and abs(value) >= 1e15:
                    issues.append(_rounded_issue(spec, number, key))
            sheet.row_numbers.append(number)
            for column, value in zip(columns, row):
                column.append(value)

        if pending is not None:
            take(*pending)
        for number, values in rows:
            take(number, values)
        return sheet, issues


def _range_start(ref: str) -> tuple[int, int]:
    match = _CELL_REF.match(ref.split(":")[0])
    if not match:
        return 0, 0
    return int(match.group(2)), column_index_from_string(match.group(1).upper())


def open_values(file) -> ValueWorkbook:
    """The uploaded workbook for a large import: every check of `open_workbook` on the archive, one streaming
    pass over the sheets (rows, formulas, merged cells), then python-calamine, which reads values about ten times
    faster than openpyxl and never evaluates anything."""
    data = read_upload(file)
    archive = check_archive(data)
    try:
        scans = scan_worksheets(archive)
    except ImportRefused:
        raise
    except Exception:  # malformed XML, an entry that lies about its size (CRC error), forbidden DTDs...
        raise ImportRefused(_("The workbook is damaged and cannot be read. Save it again in Excel or WPS.")) from None
    check_extents(scans)
    return ValueWorkbook(data, scans)


def check_extents(scans: list[SheetScan]) -> None:
    """Refuse a sheet whose used range (from A1 to its last row and column) holds more cells than the row limit
    allows: calamine builds that whole range, so a single value in Excel's last cell would take gigabytes."""
    max_cells = (settings.IMPORT_MAX_ROWS + 1) * MAX_CELLS_PER_ROW
    for scan in scans:
        if scan.max_row * scan.max_column > max_cells:
            raise ImportRefused(_(
                "The sheet %(sheet)s has cells far outside its table (up to %(cell)s): delete the rows and columns "
                "after the table, or copy the table into a new workbook, and import again.")
                % {"sheet": scan.title, "cell": f"{get_column_letter(scan.max_column)}{scan.max_row}"})
