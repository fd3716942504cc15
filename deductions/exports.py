"""The fines ledger as the teaching office prints it: one sheet per table, a merged title, a bold header repeated
on every A4 page, amounts to two decimals, a total row and a line for signatures.

User text (names, findings, notes) is written as text cells: a name such as `=HYPERLINK(...)` is shown as typed,
never evaluated as a formula by Excel or WPS."""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .models import ZERO, LedgerEntry

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters with which a spreadsheet starts a formula (or, for "-" and "+", a calculation).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TEXT, MONEY, POINTS, INTEGER, DATE = "text", "money", "points", "integer", "date"
NUMBER_FORMATS = {MONEY: "0.00", POINTS: "0.00", INTEGER: "0", DATE: "yyyy-mm-dd"}

TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = TEXT


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


def _write(cell, value, kind: str) -> None:
    if kind == TEXT:
        write_text(cell, value)
        return
    cell.value = value
    cell.number_format = NUMBER_FORMATS[kind]
    if kind in (MONEY, POINTS, INTEGER):
        cell.alignment = Alignment(horizontal="right")


def build_sheet(sheet: Worksheet, *, title: str, columns: list[Column], rows, total: list | None,
                landscape: bool = False) -> None:
    """Lay out one printed table: title, information line, header, rows, total, signatures."""
    last = get_column_letter(len(columns))
    sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    write_text(sheet.cell(row=TITLE_ROW, column=1), title)
    sheet.cell(row=TITLE_ROW, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=TITLE_ROW, column=1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 28

    sheet.merge_cells(f"A{INFO_ROW}:{last}{INFO_ROW}")
    info = sheet.cell(row=INFO_ROW, column=1)
    write_text(info, _("Amounts in yuan · printed on %(date)s") % {"date": timezone.localdate().isoformat()})
    info.alignment = Alignment(horizontal="right")
    info.font = Font(size=9, color="595959")

    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index)
        write_text(cell, column.header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 22

    row_number = FIRST_DATA_ROW
    for values in rows:
        for index, (column, value) in enumerate(zip(columns, values), start=1):
            cell = sheet.cell(row=row_number, column=index)
            _write(cell, value, column.kind)
            cell.border = _BORDER
        row_number += 1
    if total is not None:
        for index, (column, value) in enumerate(zip(columns, total), start=1):
            cell = sheet.cell(row=row_number, column=index)
            _write(cell, value, column.kind if value is not None and not isinstance(value, str) else TEXT)
            cell.font = Font(bold=True)
            cell.fill = _TOTAL_FILL
            cell.border = _BORDER
        row_number += 1

    row_number += 1
    signatures = "      ".join((_("Prepared by:") + "　" * 6, _("Checked by:") + "　" * 6, _("Date:")))
    sheet.merge_cells(f"A{row_number}:{last}{row_number}")
    write_text(sheet.cell(row=row_number, column=1), signatures)

    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = _("Page &P of &N")


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _new_book(sheet_title: str) -> tuple[Workbook, Worksheet]:
    book = Workbook()
    sheet = book.active
    # A sheet name may not hold []:*?/\ and is at most 31 characters.
    sheet.title = "".join(c for c in sheet_title if c not in "[]:*?/\\")[:31] or "Sheet1"
    return book, sheet


def month_title(month) -> str:
    return _("%(school)s %(term)s school month %(number)s: summary of teachers' fines") % {
        "school": month.school.name, "term": month.term, "number": month.number,
    }


def month_summary_workbook(month, ledgers) -> bytes:
    """Each teacher's yuan and conduct points of the month, largest fines first, with the total."""
    ledgers = list(ledgers)
    columns = [
        Column(_("No."), 6, INTEGER), Column(_("Staff number"), 12), Column(_("Name"), 14), Column(_("School"), 18),
        Column(_("Fines (yuan)"), 13, MONEY), Column(_("Conduct points deducted"), 13, POINTS),
        Column(_("Entries"), 8, INTEGER),
    ]
    rows = [
        (index, ledger.teacher.staff_no, ledger.teacher.name, ledger.teacher.school.name, ledger.amount,
         ledger.conduct_points, ledger.entry_count)
        for index, ledger in enumerate(ledgers, start=1)
    ]
    total = [None, _("Total"), None, None, sum((lg.amount for lg in ledgers), ZERO),
             sum((lg.conduct_points for lg in ledgers), ZERO), sum(lg.entry_count for lg in ledgers)]
    book, sheet = _new_book(_("School month %(number)s") % {"number": month.number})
    build_sheet(sheet, title=month_title(month), columns=columns, rows=rows, total=total)
    return workbook_bytes(book)


def entry_kind_label(entry: LedgerEntry) -> str:
    return str(entry.get_kind_display())


def statement_title(ledger) -> str:
    month = ledger.month
    return _("%(school)s %(term)s school month %(number)s: statement of fines of %(teacher)s") % {
        "school": month.school.name, "term": month.term, "number": month.number, "teacher": ledger.teacher.name,
    }


def statement_line(entry: LedgerEntry) -> dict:
    """One entry as the statement shows and prints it."""
    violation = entry.violation
    return {
        "entry": entry,
        "date": violation.occurred_on if violation is not None else timezone.localdate(entry.created_at),
        "kind": entry_kind_label(entry),
        "description": violation.description if violation is not None else "",
        "quantity": violation.quantity if violation is not None else None,
        "unit_amount": violation.unit_amount if violation is not None else None,
        "amount": entry.amount,
        "conduct_points": entry.conduct_points,
        "corrects": (_("School month %(number)s") % {"number": entry.corrects_month.number})
        if entry.corrects_month is not None else "",
        "note": entry.note,
    }


def statement_workbook(ledger, lines: list[dict]) -> bytes:
    columns = [
        Column(_("Date"), 12, DATE), Column(_("Kind"), 10), Column(_("Finding"), 36),
        Column(_("Quantity"), 8, INTEGER), Column(_("Yuan each"), 10, MONEY), Column(_("Amount (yuan)"), 12, MONEY),
        Column(_("Conduct points"), 10, POINTS), Column(_("Corrects"), 12), Column(_("Note"), 30),
    ]
    rows = [
        (line["date"], line["kind"], line["description"], line["quantity"], line["unit_amount"], line["amount"],
         line["conduct_points"], line["corrects"], line["note"])
        for line in lines
    ]
    total = [None, _("Total"), None, None, None, sum((ln["amount"] for ln in lines), ZERO),
             sum((ln["conduct_points"] for ln in lines), ZERO), None, None]
    book, sheet = _new_book(ledger.teacher.name)
    build_sheet(sheet, title=statement_title(ledger), columns=columns, rows=rows, total=total, landscape=True)
    return workbook_bytes(book)


def conduct_points_title(term) -> str:
    return _("%(school)s %(term)s: teachers' conduct points and fines") % {
        "school": term.school_year.school.name, "term": term,
    }


def conduct_points_workbook(term, staff) -> bytes:
    staff = list(staff)
    columns = [
        Column(_("No."), 6, INTEGER), Column(_("Staff number"), 12), Column(_("Name"), 14), Column(_("School"), 18),
        Column(_("Fines this term (yuan)"), 14, MONEY), Column(_("Conduct points deducted"), 14, POINTS),
    ]
    rows = [
        (index, member.staff_no, member.name, member.school.name, member.term_amount, member.term_points)
        for index, member in enumerate(staff, start=1)
    ]
    total = [None, _("Total"), None, None, sum((m.term_amount for m in staff), ZERO),
             sum((m.term_points for m in staff), ZERO)]
    book, sheet = _new_book(_("Conduct points"))
    build_sheet(sheet, title=conduct_points_title(term), columns=columns, rows=rows, total=total)
    return workbook_bytes(book)


def xlsx_response(content: bytes, *, ascii_name: str, name: str) -> HttpResponse:
    """A download: an ASCII file name for old clients, the Chinese one through RFC 5987 for the rest (without
    the characters Windows refuses in a file name)."""
    name = "".join(" " if c in ':/\\*?"<>|' else c for c in name).strip()
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return response
