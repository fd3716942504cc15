"""Property tests of the shared workbook parser (`school.imports.workbook`), which every import goes through:
whatever the bytes, it answers with rows or with ImportRefused, never another exception; and what a cell holds
comes back as the text a person typed."""

import datetime as dt
import io

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from school.imports.sheets import SheetSpec
from school.imports.sheets import Column as SpecColumn
from school.imports.workbook import ImportRefused, cell_text, open_workbook, read_sheets

from .badinput.rawxlsx import workbook

SPEC = SheetSpec("things", "数据", (SpecColumn("code", "编号", required=True), SpecColumn("name", "名称"),
                                    SpecColumn("amount", "金额")), "数据.xlsx")
SPECS = {SPEC.title: SPEC}
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A carriage return written raw into the sheet's XML comes back as a line feed (XML normalises line ends), in
# every reader: text a person types in Excel never holds one, so it is left out.
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).map(
    lambda t: ILLEGAL_CHARACTERS_RE.sub("", t).replace("\r", "")).filter(lambda t: not t.startswith("="))
cells = st.one_of(
    st.none(), texts, st.integers(min_value=-(10**14), max_value=10**14),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14), st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)
rows = st.lists(st.tuples(cells, cells, cells), min_size=0, max_size=12)


def parse(data: bytes):
    return read_sheets(open_workbook(data), SPECS)


@PROPERTY
@given(rows)
def test_cells_come_back_as_the_text_typed_or_the_file_is_refused(table):
    data = workbook({"数据": [["编号", "名称", "金额"], *[list(r) for r in table]]})
    try:
        sheets, _empty = parse(data)
    except ImportRefused as refused:
        assert refused.message and refused.issues
        return
    read = {number: values for number, values in sheets["things"].rows}
    expected = {}
    for offset, row in enumerate(table, start=2):
        values = {key: cell_text(value) for key, value in zip(("code", "name", "amount"), row)}
        values = {k: v for k, v in values.items() if v}
        if values:
            expected[offset] = values
    assert read == expected


@PROPERTY
@given(st.binary(max_size=2048))
def test_any_bytes_are_rows_or_a_refusal(data):
    try:
        parse(data)
    except ImportRefused as refused:
        assert refused.message


def _valid_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append(["编号", "名称", "金额"])
    sheet.append(["A1", "名称甲", 12.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


VALID = _valid_bytes()


@PROPERTY
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=len(VALID) - 1), st.integers(0, 255)), min_size=1,
                max_size=12),
       st.integers(min_value=1, max_value=len(VALID)))
def test_a_damaged_workbook_is_rows_or_a_refusal(changes, length):
    data = bytearray(VALID[:length])
    for position, value in changes:
        if position < len(data):
            data[position] = value
    try:
        parse(bytes(data))
    except ImportRefused as refused:
        assert refused.message


@PROPERTY
@given(cells)
def test_cell_text_is_stripped_text_without_invisible_characters(value):
    text = cell_text(value)
    assert isinstance(text, str)
    assert text == text.strip()
    assert not any(c in text for c in "\u200b\u200c\u200d\ufeff")
    if isinstance(value, int) and not isinstance(value, bool):
        assert text == str(value)
    if isinstance(value, float) and value.is_integer():
        assert "." not in text
