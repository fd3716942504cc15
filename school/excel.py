"""The .xlsx files the system hands out: printed tables (the fines statements and summaries, the term report),
the header styles of the import templates, and the download response.

A printed table (`build_sheet`) is: a merged title row, a merged information line, bold headers on a coloured fill,
thin borders, number formats by column kind, a bold total row, a line for signatures, frozen panes below the
headers, A4 fitted to the page width with the title and header rows repeated on every page. The header takes one
row, or two when any column has a `group`: adjacent columns of the same group get the group's name merged across
them above their own names; every other column's name is merged down both rows.

User text (names, findings, notes, groups) is written as text cells (`write_text`): a value such as
`=HYPERLINK(...)`, `+86 138` or `@SUM(A1)` is shown as typed, never evaluated as a formula by Excel or WPS.

This module belongs to the base app: every domain app may import it, it imports none of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters with which a spreadsheet starts a formula (or, for "-" and "+", a calculation).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters Windows refuses in a file name.
FILENAME_REFUSED = ':/\\*?"<>|'

# Column kinds: how a value is written and formatted. Numbers are right-aligned, dates keep the default.
TEXT, INTEGER, MONEY, POINTS, DATE = "text", "integer", "money", "points", "date"
AVERAGE, PERCENT = "average", "percent"
NUMBER_FORMATS = {INTEGER: "0", MONEY: "0.00", POINTS: "0.00", AVERAGE: "0.0", PERCENT: "0.0%", DATE: "yyyy-mm-dd"}

TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
# A header row's height: a header of one row, or each row of a grouped header of two.
HEADER_HEIGHTS = {1: 22, 2: 20}

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = TEXT
    group: str = ""  # the name above a group of adjacent columns (a two-row header)


def write_text(cell, value) -> None:
    """Write user text so that it stays text: a string cell, never a formula, with Excel's apostrophe prefix
    when it starts like one."""
    if value is None or value == "":
        cell.value = None
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text
    # openpyxl reads a leading "=" as a formula; the cell type decides how it is saved.
    cell.data_type = "s"
    cell.number_format = "@"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def write_value(cell, value, kind: str) -> None:
    """A value of a column of `kind`: text as `write_text` writes it (a string in any column too), a number or a
    date with its number format."""
    if kind == TEXT or isinstance(value, str):
        write_text(cell, value)
        return
    cell.value = value
    cell.number_format = NUMBER_FORMATS[kind]
    if kind != DATE:
        cell.alignment = RIGHT


def header_rows(columns: list[Column]) -> int:
    """How many rows the header of `columns` takes: two when any column has a group, else one."""
    return 2 if any(column.group for column in columns) else 1


def style_header(cell) -> None:
    cell.font = BOLD
    cell.fill = HEADER_FILL
    cell.border = BORDER
    cell.alignment = CENTER


def write_header(sheet: Worksheet, columns: list[Column], top: int) -> int:
    """The header of `columns` from row `top`, styled; returns the number of rows it takes. In a two-row header
    grouped columns stand under their merged group name and the others are merged down both rows."""
    depth = header_rows(columns)
    index = 1
    while index <= len(columns):
        column = columns[index - 1]
        letter = get_column_letter(index)
        if not column.group:
            write_text(sheet.cell(row=top, column=index), column.header)
            if depth > 1:
                sheet.merge_cells(f"{letter}{top}:{letter}{top + 1}")
            index += 1
            continue
        end = index
        while end < len(columns) and columns[end].group == column.group:
            end += 1
        write_text(sheet.cell(row=top, column=index), column.group)
        if end > index:
            sheet.merge_cells(f"{letter}{top}:{get_column_letter(end)}{top}")
        for position in range(index, end + 1):
            write_text(sheet.cell(row=top + 1, column=position), columns[position - 1].header)
        index = end + 1
    for index in range(1, len(columns) + 1):
        for row in range(top, top + depth):
            style_header(sheet.cell(row=row, column=index))
    return depth


def write_rows(sheet: Worksheet, columns: list[Column], rows, first: int, *, total: bool = False) -> int:
    """Write rows from row `first`, bordered; `total` rows are bold on a grey fill, their empty cells plain.
    Returns the next free row."""
    number = first
    for values in rows:
        for index, (column, value) in enumerate(zip(columns, values), start=1):
            cell = sheet.cell(row=number, column=index)
            write_value(cell, value, TEXT if total and value is None else column.kind)
            cell.border = BORDER
            if total:
                cell.font = BOLD
                cell.fill = TOTAL_FILL
        number += 1
    return number


def signatures() -> str:
    return "      ".join((_("Prepared by:") + "　" * 6, _("Checked by:") + "　" * 6, _("Date:")))


def build_sheet(sheet: Worksheet, *, title: str, info: str, columns: list[Column], rows, total: list | None,
                frozen_columns: int = 0, landscape: bool = False) -> int:
    """Lay out one printed table (title, information line, header, rows, total, signatures) and its page setup.
    The panes freeze below the header and right of `frozen_columns` columns. Returns the row after the
    signatures where another block may follow (one row left empty)."""
    last = get_column_letter(len(columns))
    sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    title_cell = sheet.cell(row=TITLE_ROW, column=1)
    write_text(title_cell, title)
    title_cell.font = Font(bold=True, size=14)
    title_cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 28

    sheet.merge_cells(f"A{INFO_ROW}:{last}{INFO_ROW}")
    info_cell = sheet.cell(row=INFO_ROW, column=1)
    write_text(info_cell, info)
    info_cell.alignment = Alignment(horizontal="right")
    info_cell.font = Font(size=9, color="595959")

    depth = write_header(sheet, columns, HEADER_ROW)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row in range(HEADER_ROW, HEADER_ROW + depth):
        sheet.row_dimensions[row].height = HEADER_HEIGHTS[depth]
    first = HEADER_ROW + depth

    number = write_rows(sheet, columns, rows, first)
    if total is not None:
        number = write_rows(sheet, columns, [total], number, total=True)
    number += 1
    sheet.merge_cells(f"A{number}:{last}{number}")
    write_text(sheet.cell(row=number, column=1), signatures())

    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{first}"
    sheet.print_title_rows = f"{TITLE_ROW}:{first - 1}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = _("Page &P of &N")
    return number + 2


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, *, ascii_name: str, name: str) -> HttpResponse:
    """A download: an ASCII file name for old clients, the Chinese one through RFC 5987 for the rest (without
    the characters Windows refuses in a file name)."""
    name = "".join(" " if c in FILENAME_REFUSED else c for c in name).strip()
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return response
