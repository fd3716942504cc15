"""The required-experiments import: workbooks are made as a person makes them, by filling the downloaded template.
The roster import's tests cover the safe opening (zip bombs, macros, sizes) that this import shares; these check
that it is reached, and everything of this import's own."""

from __future__ import annotations

import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from observations.imports import TEMPLATE_FILENAME, ImportRefused, experiments_import, experiments_template
from observations.models import Experiment
from school.imports.sheets import INSTRUCTIONS_SHEET
from school.tests.test_imports import fill, rezip, upload, where

pytestmark = pytest.mark.django_db

SHEET = "实验"


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


ROWS = [
    {"学科": "数学", "年级": "七年级", "学期": "第一学期", "实验名称": "测量物体的长度", "类型": "分组", "完成学月": 1},
    {"学科": "maths", "年级": "初一", "学期": 1, "实验名称": "用量角器量角", "类型": "演示", "完成学月": "第2学月"},
    {"学科": "语文", "年级": 7, "学期": "第二学期", "实验名称": "观察植物的叶", "类型": "演示实验"},
    {"学科": "数学", "年级": "八年级", "学期": "2", "实验名称": "测量物体的长度", "类型": "分组", "完成学月": 3},
]


def book_with(rows=ROWS) -> openpyxl.Workbook:
    book = openpyxl.load_workbook(io.BytesIO(experiments_template()))
    fill(book, SHEET, rows)
    return book


def run(world, book_or_file, *, user=None):
    file = upload(book_or_file, "实验.xlsx") if isinstance(book_or_file, openpyxl.Workbook) else book_or_file
    return experiments_import(file=file, school=world.school, user=(user or world.director).user)


def snapshot() -> list:
    return sorted(Experiment.objects.values_list("school_id", "subject_id", "grade_level", "term_number", "name",
                                                 "kind", "month_number"))


def refused(world, book_or_file, **kwargs) -> ImportRefused:
    before = snapshot()
    with pytest.raises(ImportRefused) as info:
        run(world, book_or_file, **kwargs)
    assert snapshot() == before, "a refused file wrote something"
    return info.value


# --- the template --------------------------------------------------------------------------------------------


def test_the_template_has_the_chinese_headers_marks_the_required_ones_and_explains_them():
    book = openpyxl.load_workbook(io.BytesIO(experiments_template()))
    assert book.sheetnames == [SHEET, INSTRUCTIONS_SHEET]
    headers = [c.value for c in book[SHEET][1]]
    assert headers == ["学科*", "年级*", "学期*", "实验名称*", "类型*", "完成学月"]
    assert book[SHEET].freeze_panes == "A2"
    explained = [book[INSTRUCTIONS_SHEET].cell(row=r, column=1).value for r in range(2, 8)]
    assert explained == headers
    kinds = [v for v in book[SHEET].data_validations.dataValidation if "演示" in (v.formula1 or "")]
    assert kinds and str(kinds[0].sqref).startswith("E2")


def test_the_template_downloads_with_its_chinese_name(world, login):
    response = login(world.office_staff).get(reverse("observations:experiment-template"))
    assert response.status_code == 200
    assert unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1]) == TEMPLATE_FILENAME
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0] == SHEET


# --- a good file ---------------------------------------------------------------------------------------------


def test_a_good_file_creates_its_experiments_for_the_central_school(world):
    result = run(world, book_with())
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    got = sorted(
        (e.school_id, e.subject.name, e.grade_level, e.term_number, e.name, e.kind, e.month_number)
        for e in Experiment.objects.select_related("subject")
    )
    assert got == sorted([
        (world.school.pk, "数学", 7, 1, "测量物体的长度", "group", 1),
        (world.school.pk, "数学", 7, 1, "用量角器量角", "demonstration", 2),
        (world.school.pk, "语文", 7, 2, "观察植物的叶", "demonstration", None),
        (world.school.pk, "数学", 8, 2, "测量物体的长度", "group", 3),
    ])


def test_importing_again_updates_by_subject_grade_term_and_name_and_never_duplicates(world):
    run(world, book_with())
    first = snapshot()
    again = run(world, book_with())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert snapshot() == first
    rows = [dict(ROWS[0], 类型="演示", 完成学月=2), dict(ROWS[1], 完成学月=None), ROWS[2], ROWS[3]]
    changed = run(world, book_with(rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 3)
    measuring = Experiment.objects.get(grade_level=7, name="测量物体的长度")
    assert (measuring.kind, measuring.month_number) == ("demonstration", 2)
    # An empty school month keeps the month already set.
    assert Experiment.objects.get(name="用量角器量角").month_number == 2
    assert Experiment.objects.count() == 4


def test_a_village_schools_grade_name_is_understood(world):
    world.village.grades.filter(level=7).update(name="村七年级")
    run(world, book_with([dict(ROWS[0], 年级="村七年级")]))
    assert Experiment.objects.get().grade_level == 7


# --- bad files: refused, nothing written, every error with its row and column ---------------------------------


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        ({"学科": "物理"}, "学科", "Unknown subject"),
        ({"学科": "FOREIGN学科"}, "学科", "Unknown subject"),  # another school's subject
        ({"年级": "十三年级"}, "年级", "Unknown grade"),
        ({"学期": "第三学期"}, "学期", "第一学期 or 第二学期"),
        ({"类型": "视频"}, "类型", "演示 or 分组"),
        ({"完成学月": 0}, "完成学月", "1 to 12"),
        ({"完成学月": "下个月"}, "完成学月", "1 to 12"),
        ({"实验名称": "长" * 121}, "实验名称", "at most 120"),
        ({"学科": None}, "学科", "required"),
    ],
)
def test_a_bad_cell_is_refused_with_its_row_and_column(world, row, column, says):
    rows = [ROWS[0], dict(ROWS[1], **row)]
    error = refused(world, book_with(rows))
    assert where(error) == {(SHEET, 3, column)}
    assert says in error.issues[0].message
    assert "Nothing was imported" in error.message


def test_the_same_experiment_twice_in_the_file_is_an_error(world):
    error = refused(world, book_with([ROWS[0], ROWS[1], dict(ROWS[0], 学科="maths", 年级="初一", 学期=1)]))
    assert where(error) == {(SHEET, 4, "实验名称")}
    assert "row 2" in error.issues[0].message


def test_every_error_is_reported_at_once(world):
    rows = [dict(ROWS[0], 学科="物理", 类型="视频"), ROWS[1], dict(ROWS[2], 年级="X年级")]
    error = refused(world, book_with(rows))
    assert where(error) == {(SHEET, 2, "学科"), (SHEET, 2, "类型"), (SHEET, 4, "年级")}


def test_a_formula_is_refused_through_the_shared_workbook_checks(world):
    book = book_with()
    book[SHEET]["D3"] = '=CONCAT("测","量")'
    assert (SHEET, 3, "实验名称") in where(refused(world, book))


def test_merged_cells_are_refused_through_the_shared_workbook_checks(world):
    book = book_with()
    book[SHEET].merge_cells("A2:A3")
    error = refused(world, book)
    assert any("A2:A3" in i.message for i in error.issues)


def test_a_missing_required_column_is_named(world):
    book = book_with()
    book[SHEET].delete_cols(5)  # 类型
    error = refused(world, book)
    assert any("类型" in i.message and "missing" in i.message for i in error.issues)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: SimpleUploadedFile("x.xlsx", b"not a workbook at all"), "not an Excel workbook"),
        (lambda: SimpleUploadedFile("x.xls", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(600)), ".xls"),
        (lambda: SimpleUploadedFile("x.xlsm", rezip(_bytes(book_with()), add={"xl/vbaProject.bin": b"0" * 64})),
         "macros"),
        (lambda: book_with([]), "no data rows"),
        (lambda: _roster_only(), "no sheet named 实验"),
    ],
)
def test_files_that_are_not_an_experiments_workbook_are_refused(world, make, says):
    assert says in refused(world, make()).message


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _roster_only() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.active.title = "教职工"
    book.active.append(["工号", "姓名"])
    book.active.append(["T1", "王老师"])
    return book


def test_only_the_central_schools_office_may_import(world):
    for who in (world.teacher, world.group_leader, world.principal, world.village_director):
        with pytest.raises(PermissionDenied):
            run(world, book_with(), user=who)
    assert not Experiment.objects.exists()


# --- the page ------------------------------------------------------------------------------------------------


def test_posting_a_bad_file_shows_every_error_and_writes_nothing(world, login):
    rows = [dict(ROWS[0], 学科="物理"), dict(ROWS[1], 年级="X年级")]
    response = login(world.office_staff).post(
        reverse("observations:experiment-import"), {"file": upload(book_with(rows), "实验.xlsx")}
    )
    assert response.status_code == 200
    assert [(i.row, i.column) for i in response.context["issues"]] == [(2, "学科"), (3, "年级")]
    body = response.content.decode()
    assert "Unknown subject" in body and "Unknown grade" in body
    assert not Experiment.objects.exists()


def test_posting_a_good_file_imports_it_and_says_how_many(world, login, django_assert_max_num_queries):
    client = login(world.office_staff)
    with django_assert_max_num_queries(14):
        response = client.post(reverse("observations:experiment-import"), {"file": upload(book_with(), "实验.xlsx")})
    assert response.status_code == 302 and response["Location"] == reverse("observations:experiment-list")
    assert Experiment.objects.count() == 4
    assert "4 new, 0 updated, 0 unchanged" in client.get(response["Location"]).content.decode()

