"""The shared .xlsx layer (school.excel): user text is never a formula, numbers and dates carry their formats, and a
printed table has its merged title, its one- or two-row header, frozen panes, print titles and A4 page setup, as
Excel reads them back from the saved file."""

import datetime as dt
import io
import zipfile
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell

from school import excel
from school.excel import (
    AVERAGE,
    DATE,
    INTEGER,
    MONEY,
    PERCENT,
    POINTS,
    TEXT,
    Column,
    build_sheet,
    header_rows,
    write_text,
    write_value,
    xlsx_response,
)

FORMULA_LIKE = ("=SUM(A1:A2)", '=HYPERLINK("http://e.x","看")', "+86 138", "-5", "@cmd", "\tx")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def saved(book: Workbook) -> bytes:
    return excel.workbook_bytes(book)


def reopened(book: Workbook):
    return load_workbook(io.BytesIO(saved(book)))


def formula_elements(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [name for name in archive.namelist()
                if name.startswith("xl/worksheets/") and (b"<f>" in archive.read(name) or b"<f " in archive.read(name))]


def merged(sheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


# --- text and values --------------------------------------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_saved_as_text_with_the_apostrophe_prefix():
    book = Workbook()
    sheet = book.active
    for row, value in enumerate(FORMULA_LIKE, start=1):
        write_text(sheet.cell(row=row, column=1), value)
    content = saved(book)
    assert formula_elements(content) == []
    back = load_workbook(io.BytesIO(content)).active
    for row, value in enumerate(FORMULA_LIKE, start=1):
        cell = back.cell(row=row, column=1)
        assert cell.value == value and cell.data_type == "s" and cell.quotePrefix, value
        assert cell.number_format == "@"


def test_plain_text_has_no_prefix_and_empty_text_leaves_the_cell_empty():
    sheet = Workbook().active
    write_text(sheet["A1"], "教师甲")
    write_text(sheet["A2"], 1001)  # a staff number given as a number stays text
    write_text(sheet["A3"], "")
    write_text(sheet["A4"], None)
    write_text(sheet["A5"], "a\x07b")  # a character XML cannot hold is dropped
    assert sheet["A1"].value == "教师甲" and not sheet["A1"].quotePrefix
    assert sheet["A2"].value == "1001" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value is None and sheet["A4"].value is None
    assert sheet["A5"].value == "ab"


@pytest.mark.parametrize("kind, value, number_format, alignment", [
    (INTEGER, 3, "0", "right"),
    (MONEY, Decimal("27.50"), "0.00", "right"),
    (POINTS, Decimal("1.5"), "0.00", "right"),
    (AVERAGE, 88.5, "0.0", "right"),
    (PERCENT, 0.333, "0.0%", "right"),
    (DATE, dt.date(2026, 9, 1), "yyyy-mm-dd", None),
])
def test_numbers_and_dates_carry_their_number_format(kind, value, number_format, alignment):
    book = Workbook()
    write_value(book.active["A1"], value, kind)
    cell = reopened(book).active["A1"]
    assert cell.number_format == number_format
    assert cell.alignment.horizontal == alignment
    assert cell.data_type == ("d" if kind == DATE else "n")


def test_a_string_in_a_number_column_is_written_as_text():
    book = Workbook()
    write_value(book.active["A1"], "=1+2", MONEY)
    write_value(book.active["A2"], "=1+2", TEXT)
    content = saved(book)
    assert formula_elements(content) == []
    sheet = load_workbook(io.BytesIO(content)).active
    assert all(sheet[c].data_type == "s" and sheet[c].quotePrefix for c in ("A1", "A2"))


# --- printed tables ---------------------------------------------------------------------------------------------

FLAT = [Column("No.", 6, INTEGER), Column("Name", 14), Column("Amount", 12, MONEY), Column("Date", 12, DATE)]
FLAT_ROWS = [(1, "=1+1", Decimal("10.00"), dt.date(2026, 9, 1)), (2, "教师乙", Decimal("17.00"), dt.date(2026, 9, 2))]


def flat_sheet(**kwargs):
    book = Workbook()
    after = build_sheet(book.active, title="Fines of the month", info="Amounts in yuan", columns=FLAT,
                        rows=FLAT_ROWS, total=[None, "Total", Decimal("27.00"), None], **kwargs)
    return after, reopened(book).active


def test_a_one_row_header_table_is_laid_out_for_printing():
    after, sheet = flat_sheet()
    assert header_rows(FLAT) == 1
    assert {"A1:D1", "A2:D2"} <= merged(sheet)
    assert sheet["A1"].value == "Fines of the month" and sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert sheet["A2"].value == "Amounts in yuan"
    assert [sheet.cell(row=3, column=c).value for c in range(1, 5)] == ["No.", "Name", "Amount", "Date"]
    for column in range(1, 5):
        header = sheet.cell(row=3, column=column)
        assert header.font.b and header.fill.fgColor.rgb.endswith("DDEBF7") and header.border.top.style == "thin"
    assert [sheet.column_dimensions[c].width for c in "ABCD"] == [6, 14, 12, 12]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$1:$3"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddFooter.center.text == "Page &P of &N"
    # The rows, then the bold total, then an empty row and the merged signatures line.
    assert sheet["B4"].value == "=1+1" and sheet["B4"].data_type == "s" and sheet["B4"].quotePrefix
    assert sheet["C4"].number_format == "0.00" and sheet["D5"].number_format == "yyyy-mm-dd"
    assert sheet["B6"].value == "Total" and sheet["C6"].value == 27 and sheet["C6"].font.b
    assert sheet["C6"].number_format == "0.00" and sheet["C6"].fill.fgColor.rgb.endswith("F2F2F2")
    assert sheet["A6"].value is None and sheet["A6"].number_format == "General"  # an empty total cell is plain
    assert "A8:D8" in merged(sheet) and sheet["A8"].value.startswith("Prepared by:")
    assert after == 10


def test_frozen_columns_and_landscape():
    _after, sheet = flat_sheet(frozen_columns=2, landscape=True)
    assert sheet.freeze_panes == "C4"
    assert sheet.page_setup.orientation == "landscape"


GROUPED = [
    Column("Staff number", 10), Column("Name", 12),
    Column("Lessons observed", 9, INTEGER, "Observations"), Column("Average score", 9, AVERAGE, "Observations"),
    Column("Late", 6, INTEGER, "Patrol findings"),
    Column("Done (%)", 8, PERCENT, "Labs"), Column("Not done", 7, INTEGER, "Labs"),
]


def test_grouped_columns_get_a_merged_group_cell_above_them_and_the_others_span_both_header_rows():
    book = Workbook()
    after = build_sheet(book.active, title="Term report", info="Term", columns=GROUPED,
                        rows=[("T1", "=1+1", 3, 88.5, 1, 0.5, 1)], total=["Total", None, 3, 88.5, 1, 0.5, 1],
                        frozen_columns=2, landscape=True)
    sheet = reopened(book).active
    assert header_rows(GROUPED) == 2
    ranges = merged(sheet)
    assert {"A1:G1", "A2:G2", "A3:A4", "B3:B4", "C3:D3", "F3:G3"} <= ranges
    assert not any(r.startswith("E3") for r in ranges)  # a group of one column: nothing to merge
    assert [sheet.cell(row=3, column=c).value for c in (1, 2, 3, 5, 6)] == [
        "Staff number", "Name", "Observations", "Patrol findings", "Labs"]
    assert [sheet.cell(row=4, column=c).value for c in range(3, 8)] == [
        "Lessons observed", "Average score", "Late", "Done (%)", "Not done"]
    shown = [sheet.cell(row=r, column=c) for r in (3, 4) for c in range(1, 8)]
    assert all(cell.font.b and cell.border.top.style == "thin" for cell in shown if not isinstance(cell, MergedCell))
    assert sheet.freeze_panes == "C5"
    assert sheet.print_title_rows == "$1:$4"
    assert sheet.page_setup.orientation == "landscape"
    # Data start below the two header rows, with the columns' formats.
    assert sheet["A5"].value == "T1" and sheet["B5"].quotePrefix
    assert (sheet["C5"].number_format, sheet["D5"].number_format, sheet["F5"].number_format) == ("0", "0.0", "0.0%")
    assert sheet["A6"].value == "Total" and sheet["C6"].font.b
    assert "A8:G8" in ranges
    assert after == 10


def test_the_download_names_the_file_in_ascii_and_in_rfc_5987_utf_8():
    response = xlsx_response(b"xlsx", ascii_name="term-report-1.xlsx", name="中心学校 2026/2027: 汇总表.xlsx")
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="term-report-1.xlsx"; ')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "中心学校 2026 2027  汇总表.xlsx"
    assert response.content == b"xlsx"
