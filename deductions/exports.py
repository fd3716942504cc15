"""The fines ledger as the teaching office prints it: one sheet per table, a merged title, a bold header repeated
on every A4 page, amounts to two decimals, a total row and a line for signatures.

The layout and the cell writing are `school.excel`'s: user text (names, findings, notes) is written as text cells,
so a name such as `=HYPERLINK(...)` is shown as typed, never evaluated as a formula by Excel or WPS."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from school.excel import (  # noqa: F401 (the rows, the content type and write_text, as the tests name them)
    DATE,
    HEADER_ROW,
    INTEGER,
    MONEY,
    POINTS,
    TITLE_ROW,
    XLSX_CONTENT_TYPE,
    Column,
    build_sheet,
    workbook_bytes,
    write_text,
)

from .models import ZERO, LedgerEntry

FIRST_DATA_ROW = HEADER_ROW + 1  # one header row


def _info() -> str:
    return _("Amounts in yuan · printed on %(date)s") % {"date": timezone.localdate().isoformat()}


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
    build_sheet(sheet, title=month_title(month), info=_info(), columns=columns, rows=rows, total=total)
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
    build_sheet(sheet, title=statement_title(ledger), info=_info(), columns=columns, rows=rows, total=total,
                landscape=True)
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
    build_sheet(sheet, title=conduct_points_title(term), info=_info(), columns=columns, rows=rows, total=total)
    return workbook_bytes(book)

