"""In a real browser, the teaching office downloads the roster template, fills it in, uploads a file with a bad
row, reads the error, fixes the file and imports it."""


import openpyxl
import pytest

from school.models import Staff, Student, TimetableEntry

from .test_imports import CLASS_ROWS, STAFF_ROWS, STUDENT_ROWS, TIMETABLE_ROWS, fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def save(book, path):
    book.save(path)
    return str(path)


def test_the_office_imports_a_roster_after_fixing_a_bad_row(live_world, live_server, page, browser_login, tmp_path):
    browser_login(page, live_world.director.staff_no)
    page.click("#school-card a[href='/school/import/']")
    assert page.locator("#roster-import-form").is_visible()

    with page.expect_download() as download:
        page.click("a[data-template-kind='all']")
    template_path = tmp_path / "template.xlsx"
    download.value.save_as(template_path)

    # Filled in by hand, with one student in a class that does not exist.
    book = openpyxl.load_workbook(template_path)
    fill(book, "教职工", STAFF_ROWS)
    fill(book, "班级", CLASS_ROWS)
    bad_student = {"学号": "S1009", "姓名": "钱七", "年级": "九年级", "班级": "9班"}
    fill(book, "学生", STUDENT_ROWS + [bad_student])
    fill(book, "课程表", TIMETABLE_ROWS)
    before = (Staff.objects.count(), Student.objects.count(), TimetableEntry.objects.count())

    page.set_input_files("#roster-import-form input[type=file]", save(book, tmp_path / "bad.xlsx"))
    page.click("#roster-import-form button[type=submit]")
    page.wait_for_selector("#import-errors")
    cells = [row.locator("td").all_inner_texts() for row in page.locator("#import-errors tbody tr").all()]
    # The bad student is on row 5 of the 学生 sheet (the header is row 1); it is the only error.
    assert [c[:3] for c in cells] == [["学生", "5", "班级"]], cells
    assert (Staff.objects.count(), Student.objects.count(), TimetableEntry.objects.count()) == before

    # Fixed: the class is one the same file creates.
    book = openpyxl.load_workbook(template_path)
    fill(book, "教职工", STAFF_ROWS)
    fill(book, "班级", CLASS_ROWS)
    fill(book, "学生", STUDENT_ROWS + [bad_student | {"年级": "八年级", "班级": "1班"}])
    fill(book, "课程表", TIMETABLE_ROWS)
    page.set_input_files("#roster-import-form input[type=file]", save(book, tmp_path / "good.xlsx"))
    page.click("#roster-import-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.locator("#import-errors").count() == 0
    assert Student.objects.filter(student_no="S1009", school_class__grade__name="八年级").exists()
    assert Staff.objects.count() == before[0] + len(STAFF_ROWS)

    # Not an Excel file at all: a clear message, nothing written.
    after = Student.objects.count()
    (tmp_path / "notes.xlsx").write_bytes(b"%PDF-1.4 this is not a workbook")
    page.set_input_files("#roster-import-form input[type=file]", str(tmp_path / "notes.xlsx"))
    page.click("#roster-import-form button[type=submit]")
    page.wait_for_selector("#import-errors .alert-danger")
    assert Student.objects.count() == after
