"""The roster import: workbooks are made as a person makes them, by filling the downloaded template."""

from __future__ import annotations

import io
import os
import time
import zipfile

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from school.imports import ImportRefused, build_template, roster_import
from school.imports.sheets import INSTRUCTIONS_SHEET, KINDS, SPECS, kinds_for
from school.imports.workbook import normalise_header
from school.models import (
    Grade,
    Role,
    School,
    SchoolClass,
    Staff,
    StaffRole,
    Student,
    Subject,
    TeachingGroup,
    Term,
    TimetableEntry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """The messages below are asserted in the source language; the Chinese default is checked once, at the end."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

HISTORICAL_STUDENT = Student.history.model


# --- making workbooks as a person would ---------------------------------------------------------


def template(kind="all") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_template(kinds_for(kind))))


def fill(book, sheet: str, rows: list[dict]) -> None:
    """Type rows below the header, by header name (without the required mark)."""
    ws = book[sheet]
    columns = {normalise_header(cell.value): cell.column for cell in ws[1]}
    for row in rows:
        number = ws.max_row + 1
        for header, value in row.items():
            ws.cell(row=number, column=columns[header], value=value)


def upload(book, name="花名册.xlsx") -> SimpleUploadedFile:
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/octet-stream")


STAFF_ROWS = [
    {"工号": "T101", "姓名": "王老师", "性别": "女", "手机": "13800000001", "邮箱": "wang@example.com",
     "角色": "教师", "教研组": "语文组", "青年教师": "是", "新教师": "否"},
    {"工号": "T102", "姓名": "李老师", "性别": "男", "角色": "教师、教研组长", "教研组": "数学组", "担任组长": "数学组",
     "青年教师": "否", "新教师": "是"},
    {"工号": "V101", "姓名": "赵老师", "性别": "女", "所在学校": "village", "教研组": "语文组"},
]
CLASS_ROWS = [
    {"年级": "八年级", "班级": "1班", "班主任工号": "T101"},
    {"年级": "七年级", "班级": "（3）班", "班主任工号": "T102"},
    {"所在学校": "村小", "年级": "初一", "班级": 2, "班主任工号": "V101"},
]
STUDENT_ROWS = [
    {"学号": "S1001", "姓名": "张三", "性别": "男", "年级": "八年级", "班级": 1, "基线成绩": 88.5, "基线类型": "入学摸底"},
    {"学号": "S1002", "姓名": "李四", "性别": "女", "年级": "七年级", "班级": "3班"},
    {"学号": "S1003", "姓名": "王五", "所在学校": "village", "年级": 7, "班级": "(2)班", "基线类型": "中考"},
]
TIMETABLE_ROWS = [
    {"年级": "八年级", "班级": "1班", "星期": "一", "节次": 1, "学科": "语文", "教师工号": "T101"},
    {"年级": "八年级", "班级": "1班", "星期": "周一", "节次": 2, "学科": "数学", "教师工号": "T102"},
    {"年级": "七年级", "班级": "3班", "星期": "星期二", "节次": 1, "学科": "数学", "教师工号": "T102"},
    {"所在学校": "village", "年级": "七年级", "班级": 2, "星期": 3, "节次": 1, "学科": "语文", "教师工号": "V101"},
]


def roster_book(*, staff=STAFF_ROWS, classes=CLASS_ROWS, students=STUDENT_ROWS, timetable=TIMETABLE_ROWS):
    book = template("all")
    fill(book, "教职工", staff)
    fill(book, "班级", classes)
    fill(book, "学生", students)
    fill(book, "课程表", timetable)
    return book


def counts() -> dict:
    """Every row the import could touch, to prove that a refused file wrote nothing."""
    models = [School, Staff, StaffRole, get_user_model(), Grade, SchoolClass, Student, HISTORICAL_STUDENT, Subject,
              TeachingGroup, Term, TimetableEntry, Staff.groups.through]
    result = {model.__name__: model.objects.count() for model in models}
    result["leaders"] = sorted(TeachingGroup.objects.values_list("pk", "leader_id"))
    result["heads"] = sorted(SchoolClass.objects.values_list("pk", "head_teacher_id"))
    result["names"] = sorted(Staff.objects.values_list("staff_no", "name")) + sorted(
        Student.objects.values_list("student_no", "name"))
    return result


def run(world, book_or_file, *, user=None, school=None):
    file = upload(book_or_file) if isinstance(book_or_file, openpyxl.Workbook) else book_or_file
    user = user or world.director.user
    return roster_import(file=file, school=school or world.director.school, user=user)


def refused(world, book_or_file, **kwargs) -> ImportRefused:
    before = counts()
    with pytest.raises(ImportRefused) as info:
        run(world, book_or_file, **kwargs)
    assert counts() == before, "a refused file wrote something"
    assert info.value.message
    return info.value


def where(error: ImportRefused) -> set[tuple]:
    return {(i.sheet, i.row, i.column) for i in error.issues}


# --- a good file --------------------------------------------------------------------------------


def test_a_good_roster_workbook_creates_exactly_its_rows(world):
    before = counts()
    result = run(world, roster_book())
    after = counts()
    assert after["Staff"] - before["Staff"] == 3
    assert after["User"] - before["User"] == 3
    assert after["Grade"] - before["Grade"] == 1  # 八年级 of the central school; the village's 七年级 exists
    assert after["SchoolClass"] - before["SchoolClass"] == 3
    assert after["Student"] - before["Student"] == 3
    assert after["HistoricalStudent"] - before["HistoricalStudent"] == 3
    assert after["TimetableEntry"] - before["TimetableEntry"] == 4
    assert {k: (c.created, c.updated) for k, c in result.counts.items()} == {
        "staff": (3, 0), "classes": (3, 0), "students": (3, 0), "timetable": (4, 0),
    }
    assert result.term == world.term

    wang = Staff.objects.get(staff_no="T101")
    assert (wang.name, wang.gender, wang.phone, wang.user.email, wang.is_young, wang.is_new) == (
        "王老师", "F", "13800000001", "wang@example.com", True, False)
    assert wang.school == world.school and wang.user.username == "T101"
    assert not wang.user.has_usable_password()
    assert list(wang.groups.all()) == [world.chinese_group]
    li = Staff.objects.get(staff_no="T102")
    assert li.role_codes == {Role.TEACHER, Role.GROUP_LEADER}
    assert TeachingGroup.objects.get(pk=world.maths_group.pk).leader == li
    zhao = Staff.objects.get(staff_no="V101")
    assert zhao.school == world.village and zhao.role_codes == {Role.TEACHER}
    assert list(zhao.groups.all()) == [world.chinese_group]  # the central school's group

    grade_8 = Grade.objects.get(school=world.school, level=8)
    assert grade_8.name == "八年级"
    class_8_1 = SchoolClass.objects.get(grade=grade_8, number=1)
    assert class_8_1.head_teacher == wang
    assert SchoolClass.objects.get(grade__school=world.village, grade__level=7, number=2).head_teacher == zhao

    zhang = Student.objects.get(student_no="S1001")
    assert (zhang.school_class, zhang.gender, str(zhang.baseline_score), zhang.baseline_kind) == (
        class_8_1, "M", "88.50", Student.BaselineKind.ENTRANCE)
    assert Student.objects.get(student_no="S1003").school_class.grade.school == world.village
    assert zhang.history.first().history_user == world.director.user

    lessons = TimetableEntry.objects.filter(term=world.term, school_class=class_8_1).order_by("weekday", "period")
    assert [(e.weekday, e.period, e.subject, e.teacher) for e in lessons] == [
        (1, 1, world.chinese, wang), (1, 2, world.maths, li)]
    assert TimetableEntry.objects.filter(term=world.term, school_class__grade__school=world.village, weekday=3).get(
        ).teacher == zhao


def test_importing_again_updates_and_never_duplicates(world):
    run(world, roster_book())
    after_first = counts()
    result = run(world, roster_book())
    assert counts() == after_first
    assert {k: (c.created, c.updated, c.unchanged) for k, c in result.counts.items() if k != "timetable"} == {
        "staff": (0, 0, 3), "classes": (0, 0, 3), "students": (0, 0, 3)}
    assert (result.counts["timetable"].created, result.counts["timetable"].replaced) == (4, 4)

    staff = [dict(STAFF_ROWS[0], 姓名="王丽")] + STAFF_ROWS[1:]
    students = [dict(STUDENT_ROWS[0], 姓名="张三丰", 基线成绩=90)] + STUDENT_ROWS[1:]
    result = run(world, roster_book(staff=staff, students=students))
    assert (result.counts["staff"].updated, result.counts["students"].updated) == (1, 1)
    assert Staff.objects.get(staff_no="T101").name == "王丽"
    zhang = Student.objects.get(student_no="S1001")
    assert zhang.name == "张三丰" and zhang.baseline_score == 90
    assert zhang.history.count() == 2  # created, then changed once: an unchanged re-import adds no history
    changed = counts()
    assert {k: v for k, v in changed.items() if k not in ("names", "HistoricalStudent")} == {
        k: v for k, v in after_first.items() if k not in ("names", "HistoricalStudent")}


def test_a_sheet_without_an_optional_column_keeps_what_the_database_has(world):
    book = template("staff")
    ws = book["教职工"]
    ws.delete_cols(4)  # 手机
    fill(book, "教职工", [{"工号": world.teacher.staff_no, "姓名": "教师己（改）"}])
    Staff.objects.filter(pk=world.teacher.pk).update(phone="13900000000")
    run(world, book)
    world.teacher.refresh_from_db()
    assert (world.teacher.name, world.teacher.phone) == ("教师己（改）", "13900000000")


def test_empty_optional_cells_never_erase(world):
    """A principal listed with no role stays principal; a class listed with no head teacher keeps hers."""
    Student.objects.filter(pk=world.student.pk).update(baseline_score=75, gender="F")
    book = template("all")
    fill(book, "教职工", [{"工号": world.principal.staff_no, "姓名": "校长甲", "角色": "", "青年教师": ""}])
    fill(book, "班级", [{"年级": "七年级", "班级": 1, "班主任工号": ""}])
    fill(book, "学生", [{"学号": world.student.student_no, "姓名": "学生甲（改）", "年级": "七年级", "班级": 1}])
    run(world, book)
    assert Staff.objects.get(pk=world.principal.pk).role_codes == {Role.PRINCIPAL}
    assert SchoolClass.objects.get(pk=world.class_1.pk).head_teacher == world.teacher
    student = Student.objects.get(pk=world.student.pk)
    assert (student.name, student.baseline_score, student.gender) == ("学生甲（改）", 75, "F")


def test_leading_a_group_replaces_its_leader_and_makes_her_a_group_leader(world):
    book = template("staff")
    fill(book, "教职工", [{"工号": "T003", "姓名": "教师庚", "担任组长": "语文组"}])
    run(world, book)
    other = Staff.objects.get(pk=world.other_teacher.pk)
    assert TeachingGroup.objects.get(pk=world.chinese_group.pk).leader == other
    assert other.role_codes == {Role.TEACHER, Role.GROUP_LEADER}
    assert set(other.groups.all()) == {world.maths_group, world.chinese_group}


def test_a_long_number_rounded_by_excel_is_an_error(world):
    book = template("students")
    fill(book, "学生", [{"学号": 1.2345678901234567e17, "姓名": "某", "年级": "七年级", "班级": 1}])
    assert ("学生", 2, "学号") in where(refused(world, book))


def test_a_single_kind_template_imports_only_its_sheet(world):
    book = template("students")
    assert book.sheetnames == ["学生", INSTRUCTIONS_SHEET]
    fill(book, "学生", [{"学号": "S0001", "姓名": "学生甲", "年级": "七年级", "班级": 2}])
    result = run(world, book)
    assert list(result.counts) == ["students"] and result.counts["students"].updated == 1
    assert Student.objects.get(student_no="S0001").school_class == world.class_2


def test_reimporting_a_class_timetable_replaces_only_that_class(world):
    book = template("timetable")
    fill(book, "课程表", [{"年级": "七年级", "班级": 1, "星期": "五", "节次": 3, "学科": "数学", "教师工号": "T002"}])
    result = run(world, book)
    assert (result.counts["timetable"].created, result.counts["timetable"].replaced) == (1, 2)
    assert list(TimetableEntry.objects.filter(term=world.term, school_class=world.class_1).values_list(
        "weekday", "period")) == [(5, 3)]
    assert TimetableEntry.objects.filter(term=world.term, school_class=world.class_2).count() == 2


def test_empty_sheets_of_the_roster_workbook_are_skipped(world):
    book = template("all")
    fill(book, "学生", [{"学号": "S7777", "姓名": "新生", "年级": "七年级", "班级": 1}])
    result = run(world, book)
    assert list(result.counts) == ["students"]
    assert result.empty_sheets == ["教职工", "班级", "课程表"]


def test_three_thousand_students_import_in_a_few_seconds_with_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    book = template("all")
    fill(book, "班级", [{"年级": level, "班级": n} for level in ("七年级", "八年级", "九年级") for n in range(1, 21)])
    fill(book, "学生", [
        {"学号": f"X{i:05d}", "姓名": f"学生{i}", "性别": "男女"[i % 2], "年级": ("七年级", "八年级", "九年级")[i % 3],
         "班级": i % 20 + 1, "基线成绩": i % 100}
        for i in range(3000)
    ])
    file = upload(book)
    started = time.monotonic()
    with django_assert_max_num_queries(200):
        result = roster_import(file=file, school=world.school, user=world.director.user)
    elapsed = time.monotonic() - started
    assert result.counts["students"].created == 3000
    assert elapsed < 10, f"took {elapsed:.1f}s"
    started = time.monotonic()
    with django_assert_max_num_queries(30):
        result = roster_import(file=file, school=world.school, user=world.director.user)
    assert result.counts["students"].unchanged == 3000
    assert time.monotonic() - started < 10


# --- files refused before a row is read ---------------------------------------------------------


def good_bytes(world) -> bytes:
    out = io.BytesIO()
    roster_book().save(out)
    return out.getvalue()


def rezip(data: bytes, *, replace: dict[str, bytes] = {}, add: dict[str, bytes] = {}) -> bytes:  # noqa: B006
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, replace.get(entry.filename, source.read(entry.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def zip_without_a_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("random.xlsx", b"\x17" + os.urandom(4095), "not an Excel workbook"),
        ("names.txt", "工号,姓名\nT1,王老师\n".encode(), "not an Excel workbook"),
        ("report.xlsx", PDF, "not an Excel workbook"),  # a PDF renamed
        ("empty.xlsx", b"", "empty"),
        ("old.xls", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088), ".xls"),  # also what an encrypted .xlsx is
        ("other.zip", zip_without_a_workbook(), "not an Excel workbook"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(world, name, content, says):
    error = refused(world, SimpleUploadedFile(name, content))
    assert says in error.message


def test_a_macro_workbook_is_refused(world):
    data = rezip(good_bytes(world), add={"xl/vbaProject.bin": b"\x00" * 512})
    assert "macros" in refused(world, SimpleUploadedFile("roster.xlsm", data)).message


@override_settings(IMPORT_MAX_UPLOAD_BYTES=2000)
def test_a_file_over_the_size_limit_is_refused(world):
    assert "largest accepted" in refused(world, upload(roster_book())).message


@pytest.mark.parametrize("max_unpacked", [100 * 1024 * 1024, 10 * 1024 * 1024])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(world, max_unpacked):
    """A sheet of 50 MB of one byte packs to about 50 KB: over the ratio, and over a lowered total."""
    with override_settings(IMPORT_MAX_UNPACKED_BYTES=max_unpacked):
        data = rezip(good_bytes(world), replace={"xl/worksheets/sheet1.xml": b" " * (50 * 1024 * 1024)})
        assert len(data) < 1024 * 1024
        assert "far more data" in refused(world, SimpleUploadedFile("bomb.xlsx", data)).message


@override_settings(IMPORT_MAX_UNPACKED_BYTES=1000)
def test_a_workbook_over_the_unpacked_limit_is_refused(world):
    assert "far more data" in refused(world, upload(roster_book())).message


@override_settings(IMPORT_MAX_ROWS=5)
def test_too_many_rows_are_refused(world):
    rows = [{"学号": f"S9{i:03d}", "姓名": "学生", "年级": "七年级", "班级": 1} for i in range(6)]
    assert "more than 5 rows" in refused(world, roster_book(students=rows)).message


def test_a_workbook_with_only_headers_is_refused(world):
    assert "no data rows" in refused(world, template("students")).message


def test_a_workbook_without_roster_sheets_is_refused(world):
    book = openpyxl.Workbook()
    book.active.append(["学号", "姓名"])
    book.active.append(["S1", "张三"])
    assert "no sheet named" in refused(world, book).message


# --- sheets refused for their form --------------------------------------------------------------


def test_wrong_headers_are_named(world):
    book = roster_book()
    book["教职工"]["A1"] = "员工编号"
    error = refused(world, book)
    text = " ".join(i.message for i in error.issues)
    assert "工号" in text and "员工编号" in text
    assert ("教职工", 1, "") in where(error)


def test_a_missing_required_header_is_named(world):
    book = roster_book()
    book["学生"].delete_cols(1)  # 学号
    error = refused(world, book)
    assert any(i.sheet == "学生" and "学号" in i.message and "missing" in i.message for i in error.issues)


def test_a_formula_cell_is_refused_with_its_row_and_column(world):
    book = roster_book()
    book["学生"]["B3"] = '=CONCAT("李","四")'
    error = refused(world, book)
    assert ("学生", 3, "姓名") in where(error)


def test_merged_cells_are_refused(world):
    book = roster_book()
    book["班级"].merge_cells("A2:A4")
    error = refused(world, book)
    assert any(i.sheet == "班级" and "A2:A4" in i.message for i in error.issues)
    assert ("班级", 2, "所在学校") in where(error)


# --- rows refused for their content (each error with its row and column) -------------------------


def test_an_unknown_class_is_an_error(world):
    students = STUDENT_ROWS + [{"学号": "S1004", "姓名": "孙六", "年级": "七年级", "班级": "9班"}]
    assert ("学生", 5, "班级") in where(refused(world, roster_book(students=students)))


def test_an_unknown_subject_is_an_error(world):
    timetable = TIMETABLE_ROWS + [{"年级": "七年级", "班级": 1, "星期": "五", "节次": 8, "学科": "体育",
                                   "教师工号": "T101"}]
    error = refused(world, roster_book(timetable=timetable))
    assert ("课程表", 6, "学科") in where(error)
    assert any("语文" in i.message for i in error.issues)  # the message lists the school's subjects


def test_a_duplicate_staff_number_is_an_error(world):
    staff = STAFF_ROWS + [{"工号": "T101", "姓名": "另一位王老师"}]
    error = refused(world, roster_book(staff=staff))
    assert ("教职工", 5, "工号") in where(error)
    assert any("row 2" in i.message for i in error.issues)


def test_a_duplicate_student_number_is_an_error(world):
    students = STUDENT_ROWS + [dict(STUDENT_ROWS[1], 姓名="李四（重）")]
    assert ("学生", 5, "学号") in where(refused(world, roster_book(students=students)))


def test_a_teacher_booked_twice_in_the_file_is_an_error(world):
    timetable = TIMETABLE_ROWS + [{"年级": "七年级", "班级": "3班", "星期": "一", "节次": 1, "学科": "语文",
                                   "教师工号": "T101"}]
    error = refused(world, roster_book(timetable=timetable))
    assert ("课程表", 6, "教师工号") in where(error)


def test_a_class_booked_twice_in_the_file_is_an_error(world):
    timetable = TIMETABLE_ROWS + [{"年级": "八年级", "班级": 1, "星期": 1, "节次": 1, "学科": "数学", "教师工号": "T002"}]
    assert ("课程表", 6, "节次") in where(refused(world, roster_book(timetable=timetable)))


def test_a_teacher_booked_by_a_lesson_that_stays_is_an_error(world):
    """T002 teaches class 1 on Monday, period 1; the file replaces class 2's timetable only."""
    book = template("timetable")
    fill(book, "课程表", [{"年级": "七年级", "班级": 2, "星期": "一", "节次": 1, "学科": "语文", "教师工号": "T002"}])
    error = refused(world, book)
    assert ("课程表", 2, "教师工号") in where(error)


def test_every_error_is_reported_at_once(world):
    staff = STAFF_ROWS + [{"工号": "T 9", "姓名": "", "性别": "未知", "邮箱": "not-an-email", "角色": "队长"}]
    students = STUDENT_ROWS + [{"学号": "S1005", "姓名": "周七", "年级": "十三年级", "班级": "甲班", "基线成绩": -3}]
    error = refused(world, roster_book(staff=staff, students=students))
    assert {("教职工", 5, c) for c in ("工号", "姓名", "性别", "邮箱", "角色")} <= where(error)
    assert {("学生", 5, c) for c in ("年级", "班级", "基线成绩")} <= where(error)


@pytest.mark.parametrize(
    ("sheet", "row", "column"),
    [
        ("教职工", {"工号": "T201", "姓名": "某", "所在学校": "foreign"}, "所在学校"),
        ("教职工", {"工号": "F001", "姓名": "外校教师"}, "工号"),  # another school's member of staff
        ("教职工", {"工号": "admin", "姓名": "管理员"}, "工号"),  # an existing login name
        ("教职工", {"工号": "T201", "姓名": "某", "教研组": "体育组"}, "教研组"),
        ("学生", {"学号": "S9001", "姓名": "外校学生", "年级": "七年级", "班级": 1}, "学号"),
        ("学生", {"学号": "S2001", "姓名": "某", "所在学校": "没有的学校", "年级": "七年级", "班级": 1}, "所在学校"),
        ("班级", {"年级": "七年级", "班级": 5, "班主任工号": "V001"}, "班主任工号"),  # a village teacher
        ("班级", {"年级": "七年级", "班级": 5, "班主任工号": "NOBODY"}, "班主任工号"),
        ("课程表", {"年级": "七年级", "班级": 1, "星期": "六", "节次": 9, "学科": "语文", "教师工号": "T002"}, "节次"),
    ],
)
def test_references_outside_the_users_schools_or_unknown_are_errors(world, sheet, row, column):
    kind = next(k for k in KINDS if SPECS[k].title == sheet)
    book = template(kind)
    fill(book, sheet, [row])
    assert (sheet, 2, column) in where(refused(world, book))


def test_a_village_director_cannot_import_into_the_central_school(world):
    book = template("students")
    fill(book, "学生", [{"学号": "S3001", "姓名": "某", "所在学校": "central", "年级": "七年级", "班级": 1}])
    error = refused(world, book, user=world.village_director.user, school=world.village)
    assert ("学生", 2, "所在学校") in where(error)


def test_only_managers_may_import(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(world, roster_book(), user=world.principal.user, school=world.school)


# --- the pages ----------------------------------------------------------------------------------


def test_the_import_page_runs_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.director)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("school:roster-import"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("school:roster-template") + "?kind=all" in body and 'enctype="multipart/form-data"' in body


def test_posting_a_bad_file_shows_every_error_and_writes_nothing(world, login):
    client = login(world.director)
    before = counts()
    students = STUDENT_ROWS + [{"学号": "S1004", "姓名": "孙六", "年级": "七年级", "班级": "9班"}]
    response = client.post(reverse("school:roster-import"), {"file": upload(roster_book(students=students))})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="import-errors"' in body
    assert "<td>学生</td><td>5</td><td>班级</td>" in body
    assert counts() == before


def test_posting_a_file_that_is_not_a_workbook_shows_why(world, login):
    client = login(world.director)
    response = client.post(reverse("school:roster-import"), {"file": SimpleUploadedFile("a.xlsx", b"hello")})
    assert response.status_code == 200 and "not an Excel workbook" in response.content.decode()


def test_posting_the_good_file_imports_it_and_shows_the_counts(world, login):
    client = login(world.director)
    response = client.post(
        reverse("school:roster-import"), {"file": upload(roster_book()), "term": world.term.pk}, follow=True
    )
    assert response.redirect_chain == [(reverse("school:roster-import"), 302)]
    body = response.content.decode()
    assert "教职工: 3 new, 0 updated" in body and "课程表: 4 lessons written" in body
    assert Staff.objects.filter(staff_no__in=["T101", "T102", "V101"]).count() == 3


def test_a_term_of_another_calendar_cannot_be_chosen(world, login):
    client = login(world.director)
    response = client.post(reverse("school:roster-import"),
                           {"file": upload(roster_book()), "term": world.foreign_term.pk})
    assert response.status_code == 200 and response.context["form"].errors["term"]
    assert not Staff.objects.filter(staff_no="T101").exists()


@pytest.mark.parametrize("kind", ["all", *KINDS])
def test_the_templates_download_with_a_chinese_filename(world, login, kind):
    response = login(world.office_staff).get(reverse("school:roster-template"), {"kind": kind})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert "%E6%A8%A1%E6%9D%BF.xlsx" in disposition  # 模板.xlsx
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    titles = [SPECS[k].title for k in kinds_for(kind)]
    assert book.sheetnames == titles + [INSTRUCTIONS_SHEET]
    for title in titles:
        ws = book[title]
        assert ws.freeze_panes == "A2" and ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
        assert ws.max_row == 1
    if kind in ("all", "staff"):
        lists = {dv.formula1 for dv in book["教职工"].data_validations.dataValidation}
        assert '"男,女"' in lists and '"是,否"' in lists
        assert book["教职工"]["A1"].value == "工号*"
    instructions = [row for row in book[INSTRUCTIONS_SHEET].iter_rows(min_row=2, values_only=True) if row[1]]
    assert len(instructions) == sum(len(SPECS[k].columns) for k in kinds_for(kind))


def test_an_unknown_template_kind_is_not_found(world, login):
    assert login(world.director).get(reverse("school:roster-template"), {"kind": "exams"}).status_code == 404


def test_the_refusal_is_in_chinese_by_default(world, login, client, settings):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client = login(world.director)
    with translation.override("zh-hans"):
        response = client.post(reverse("school:roster-import"), {"file": SimpleUploadedFile("a.xlsx", b"hello")})
    body = response.content.decode()
    assert 'lang="zh-hans"' in body and "Excel" in body and "not an Excel workbook" not in body
