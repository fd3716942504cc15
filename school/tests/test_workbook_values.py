"""The large-import reader (`open_values`): the roster import's checks on the archive, one streaming expat pass
(rows, formulas, merged cells, no DTDs), then python-calamine for the values, with Excel's row numbers and the
roster reader's refusals."""

import io
import zipfile

import openpyxl
import pytest
from django.utils import translation

from school.excel import workbook_bytes
from school.imports.sheets import Column, SheetSpec
from school.imports.workbook import ImportRefused, open_values, scan_worksheets

SPEC = SheetSpec("scores", "成绩", (Column("student_no", "学号", required=True, text=True), Column("score", "分数")),
                 "")
SPECS = {"成绩": SPEC}


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def book_bytes(rows, *, title="成绩", start_row=1, start_column=1) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for r, values in enumerate(rows, start=start_row):
        for c, value in enumerate(values, start=start_column):
            sheet.cell(row=r, column=c, value=value)
    return workbook_bytes(book)


def test_values_keep_numbers_and_excel_row_numbers():
    data = book_bytes([["学号", "分数"], ["701001", 95.5], [None, None], ["701002", "缺考"]])
    sheets, empty = open_values(data).read(SPECS)
    sheet = sheets["scores"]
    assert empty == [] and sheet.row_numbers == [2, 4]
    assert sheet.columns == {"student_no": ["701001", "701002"], "score": [95.5, "缺考"]}


def test_a_header_that_does_not_start_at_column_a_is_read_where_it_is():
    data = book_bytes([["学号", "分数"], ["701001", 80]], start_column=2)
    sheets, _empty = open_values(data).read(SPECS)
    assert sheets["scores"].columns == {"student_no": ["701001"], "score": [80.0]}


def test_rows_below_empty_rows_keep_their_numbers():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "成绩"
    sheet["A1"], sheet["B1"] = "学号", "分数"
    sheet["A7"], sheet["B7"] = "701009", 60
    sheets, _empty = open_values(workbook_bytes(book)).read(SPECS)
    assert sheets["scores"].row_numbers == [7]


def test_a_sheet_whose_first_used_row_is_not_the_header_reports_the_missing_header():
    data = book_bytes([["学号", "分数"], ["701001", 1]], start_row=3)
    with pytest.raises(ImportRefused) as refused:
        open_values(data).read(SPECS)
    assert refused.value.issues[0].row == 1


def test_formulas_merged_cells_and_stray_cells_are_refused_with_their_places():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "成绩"
    sheet.append(["学号", "分数"])
    sheet.append(["701001", "=1+1"])
    sheet.append(["701002", 3])
    sheet["D3"] = "多余"
    sheet.merge_cells("A5:B5")
    with pytest.raises(ImportRefused) as refused:
        open_values(workbook_bytes(book)).read(SPECS)
    found = [(i.row, i.column, i.message[:20]) for i in refused.value.issues]
    assert (2, "分数", "Formulas are not acc") in found
    assert any(row == 5 and message.startswith("Merged cells") for row, _c, message in found)


def test_stray_cells_outside_the_header_are_refused():
    data = book_bytes([["学号", "分数"], ["701001", 1, "多余"]])
    with pytest.raises(ImportRefused) as refused:
        open_values(data).read(SPECS)
    assert [(i.row, i.column) for i in refused.value.issues] == [(2, "C")]


def test_a_long_number_in_a_text_column_is_refused_as_rounded():
    data = book_bytes([["学号", "分数"], [1234567890123456789, 1]])
    with pytest.raises(ImportRefused, match="cannot be imported") as refused:
        open_values(data).read(SPECS)
    assert "rounded" in refused.value.issues[0].message


def test_too_many_rows_are_refused_while_streaming(settings):
    settings.IMPORT_MAX_ROWS = 3
    data = book_bytes([["学号", "分数"]] + [[str(i), i] for i in range(5)])
    with pytest.raises(ImportRefused, match="more than 3 rows"):
        open_values(data)


def test_a_document_type_declaration_is_refused():
    data = book_bytes([["学号", "分数"], ["1", 1]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>' + content.split(b"?>", 1)[-1]
                assert content.count(b"DOCTYPE") == 1
            target.writestr(entry, content)
    with pytest.raises(ImportRefused, match="damaged"):
        open_values(out.getvalue())


def test_the_scan_names_each_sheet_with_its_counts():
    data = book_bytes([["学号", "分数"], ["1", 1], ["2", 2]])
    scans = scan_worksheets(zipfile.ZipFile(io.BytesIO(data)))
    assert [(s.title, s.rows, s.max_row, s.max_column) for s in scans] == [("成绩", 3, 3, 2)]
