"""The term report as .xlsx: it reopens, its numbers are the page's, it is laid out for printing, user text is
never a live formula, and it holds no row of another school."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from django.urls import reverse
from django.utils import translation

from observations.exports import REPORT_TITLE, SHEET_GROUPS, SHEET_LABS, SHEET_PATROL, SHEET_PEOPLE
from school.models import Staff, TeachingGroup

from .test_report import build_activity

pytestmark = pytest.mark.django_db

FIRST_DATA_ROW = 5


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def exported(world, login):
    """The office's page and workbook of a term of activity, with user text that looks like formulas."""
    Staff.objects.filter(pk=world.teacher.pk).update(name="=1+1")
    Staff.objects.filter(pk=world.other_teacher.pk).update(name="@SUM(A1)")
    TeachingGroup.objects.filter(pk=world.maths_group.pk).update(name="+数学组")
    build_activity(world)
    client = login(world.office_staff)
    page = client.get(reverse("observations:report"))
    response = client.get(reverse("observations:report-export"), {"term": world.term.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return page, response


def rows_of(ws, first=FIRST_DATA_ROW):
    """The table's rows down to its total row (whose first cell is "Total" or "Whole school")."""
    rows = []
    for row in ws.iter_rows(min_row=first, values_only=True):
        rows.append(row)
        if row[0] in ("Total", "Whole school"):
            break
    return rows


def same(cell, value) -> bool:
    if value is None:
        return cell is None
    if isinstance(value, Decimal):
        return cell is not None and abs(Decimal(str(cell)) - value) < Decimal("0.0005")
    return cell == value


def test_the_workbook_reopens_with_its_four_sheets_and_a_chinese_file_name(exported, world):
    _page, response = exported
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [SHEET_GROUPS, SHEET_PEOPLE, SHEET_PATROL, SHEET_LABS]
    assert REPORT_TITLE in unquote(response["Content-Disposition"])


def test_each_sheet_has_a_merged_title_and_is_set_up_for_printing(exported, world):
    book = openpyxl.load_workbook(io.BytesIO(exported[1].content))
    for ws in book.worksheets:
        title = ws["A1"].value
        assert REPORT_TITLE in title and world.school.name in title and str(world.term) in title
        assert ws["A1"].font.bold
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}1" in merged
        assert ws.print_title_rows == "$1:$4"
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert book[SHEET_GROUPS].freeze_panes == "B5"
    assert book[SHEET_PEOPLE].freeze_panes == "C5"


def test_grouped_columns_have_a_two_row_merged_header(exported):
    ws = openpyxl.load_workbook(io.BytesIO(exported[1].content))[SHEET_PEOPLE]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Staff number, name, school, groups: one header each, merged down both rows.
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:D4"} <= merged
    assert ws["E3"].value == "Observations" and "E3:H3" in merged
    assert [ws.cell(row=4, column=c).value for c in range(5, 9)] == [
        "Lessons observed", "Average score given", "Times observed", "Average score received"]
    assert ws["I3"].value == "Reviews of observation notes" and "I3:J3" in merged
    shown = [ws.cell(row=r, column=c) for r in (3, 4) for c in range(1, ws.max_column + 1)]
    assert all(cell.font.bold for cell in shown if not isinstance(cell, MergedCell))


def test_the_numbers_are_the_pages_with_number_formats_and_a_bold_total(exported, world):
    page, response = exported
    ws = openpyxl.load_workbook(io.BytesIO(response.content))[SHEET_PEOPLE]
    rows = rows_of(ws)
    by_staff_no = {row[0]: row for row in rows[:-1]}
    page_rows = page.context["person_rows"]
    assert len(by_staff_no) == len(page_rows)
    for person, cells in page_rows:
        row = by_staff_no[person.staff.staff_no]
        assert row[1] == person.staff.name
        for got, (value, _kind) in zip(row[4:], cells):
            assert same(got, value), (person.staff.name, got, value)
    total = rows[-1]
    assert total[0] == "Total"
    for got, (value, _kind) in zip(total[4:], page.context["total_cells"]):
        assert same(got, value)
    total_row = FIRST_DATA_ROW + len(rows) - 1
    assert ws.cell(row=total_row, column=5).font.bold
    teacher_row = FIRST_DATA_ROW + [r[0] for r in rows].index(world.teacher.staff_no)
    assert ws.cell(row=teacher_row, column=5).number_format == "0"
    assert ws.cell(row=teacher_row, column=6).number_format == "0.0"
    assert ws.cell(row=teacher_row, column=8).value == 88.5
    rate_column = 4 + [c.header for c in page.context["figure_headers"]].index("Done (%)") + 1
    assert ws.cell(row=teacher_row, column=rate_column).number_format == "0.0%"


def test_the_group_sheet_and_the_lab_sheet_match_the_report(exported, world):
    page, response = exported
    report = page.context["report"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    groups = rows_of(book[SHEET_GROUPS])
    assert [(r[0], r[1]) for r in groups] == [
        (g.name or "No group", g.members) for g in report.groups] + [("Whole school", len(report.people))]
    labs = rows_of(book[SHEET_LABS])
    assert [tuple(r[:6]) for r in labs[:-1]] == [
        (r.subject, r.grade, r.experiments, r.classes, r.required, r.done) for r in report.labs]
    assert labs[-1][4:6] == (report.lab_total.required, report.lab_total.done)
    patrol = rows_of(book[SHEET_PATROL])
    assert {r[0] for r in patrol[:-1]} == {p.staff.staff_no for p in report.people_with_patrol_or_swaps}
    values = [c.value for row in book[SHEET_LABS].iter_rows() for c in row]
    assert "物理实验室" in values and "村实验室" in values


def test_user_text_that_looks_like_a_formula_stays_text(exported, world):
    content = exported[1].content
    book = openpyxl.load_workbook(io.BytesIO(content))
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in ("=1+1", "@SUM(A1)", "+数学组"):
                    found.setdefault(cell.value, []).append(cell)
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert set(found) == {"=1+1", "@SUM(A1)", "+数学组"}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_the_workbook_holds_no_row_of_another_school(exported, world):
    book = openpyxl.load_workbook(io.BytesIO(exported[1].content))
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and "FOREIGN" in v for v in row), (ws.title, row)
    names = {row[1] for row in rows_of(book[SHEET_PEOPLE])[:-1]}
    assert world.foreign_teacher.name not in names and world.village_teacher.name in names
