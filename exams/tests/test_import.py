"""The score import: the template lists the grade's students with what is recorded; an upload is all or nothing
with every error by sheet, row and column; 缺考 is absent, not zero; importing again replaces with history."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from exams.imports import build_template, scores_import
from exams.models import ItemScore, Score, ScoreImport
from exams.services import exam_create, items_set
from school.excel import workbook_bytes
from school.imports.workbook import ImportRefused
from school.models import Student

from .helpers import add_students

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(world):
    add_students(world, per_class=5)
    exam = exam_create(school=world.school, term=world.term, kind="midterm", name="期中考试",
                       held_on=world.term.midterm_date, grades=[world.class_1.grade],
                       subjects=[world.chinese, world.maths], user=world.director.user)
    return exam


def template(exam, world):
    return openpyxl.load_workbook(io.BytesIO(build_template(exam, world.class_1.grade)))


def fill(book, values: dict[str, dict[str, object]], sheet="成绩"):
    """values: student number -> {header: value}."""
    ws = book[sheet]
    headers = [c.value.rstrip("*") for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for header, value in values.get(row[0].value, {}).items():
            row[headers.index(header)].value = value
    return workbook_bytes(book)


def numbers(world):
    return list(Student.objects.filter(school_class__grade=world.class_1.grade).order_by(
        "school_class__number", "student_no").values_list("student_no", flat=True))


def everyone(world, chinese=80, maths=70):
    return {no: {"语文": chinese + i, "数学": maths + i / 2} for i, no in enumerate(numbers(world))}


def issues_of(refused):
    return [(i.sheet, i.row, i.column, i.message) for i in refused.value.issues]


def test_the_template_lists_the_grade_in_class_order_with_a_column_per_subject(exam, world):
    book = template(exam, world)
    ws = book["成绩"]
    assert [c.value for c in ws[1]] == ["学号*", "姓名", "班级", "语文", "数学"]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == numbers(world)
    assert ws.cell(row=2, column=1).data_type == "s"  # student numbers stay text
    assert "说明" in book.sheetnames


def test_a_filled_template_imports_with_absent_as_absent_not_zero(exam, world):
    values = everyone(world)
    first, second = numbers(world)[:2]
    values[first]["语文"] = "缺考"
    values[second]["数学"] = 87.5
    result = scores_import(exam=exam, grade=world.class_1.grade, file=fill(template(exam, world), values),
                           user=world.director.user, file_name="scores.xlsx")
    assert (result.created, result.updated, result.papers) == (2 * len(values), 0, 2)
    absent = Score.objects.get(paper__subject=world.chinese, student__student_no=first)
    assert (absent.absent, absent.score) == (True, None)
    assert Score.objects.get(paper__subject=world.maths, student__student_no=second).score == Decimal("87.50")
    assert ScoreImport.objects.get().file_name == "scores.xlsx"


def test_every_bad_cell_is_reported_by_row_and_column_and_nothing_is_written(exam, world):
    values = everyone(world)
    a, b, c, d = numbers(world)[:4]
    values[a]["语文"] = 121  # above full marks (100)
    values[b]["数学"] = -3
    values[c]["语文"] = "八十"
    values[d]["数学"] = 80.125
    values["9999"] = {}
    book = template(exam, world)
    ws = book["成绩"]
    ws.append(["9999", "某某", "", 50, 50])  # unknown student
    ws.append([a, "", "", 60, 60])  # the same student again
    with pytest.raises(ImportRefused) as refused:
        scores_import(exam=exam, grade=world.class_1.grade, file=fill(book, values), user=world.director.user)
    found = issues_of(refused)
    rows = {no: i + 2 for i, no in enumerate(numbers(world))}
    last = len(numbers(world)) + 1
    assert ("成绩", rows[a], "语文", "The score is above the full marks (100.00).") in found
    assert ("成绩", rows[b], "数学", "A score cannot be negative.") in found
    assert ("成绩", rows[c], "语文", "Not a number: type the score, or 缺考 for an absent student.") in found
    assert ("成绩", rows[d], "数学", "A score has at most two decimals.") in found
    assert ("成绩", last + 1, "学号", "No student of 七年级 has the number 9999.") in found
    assert ("成绩", last + 2, "学号", f"Student {a} appears again (first in row {rows[a]}).") in found
    # The repeated row carries the same bad score (the fill writes by student number): it is reported there too.
    assert ("成绩", last + 2, "语文", "The score is above the full marks (100.00).") in found
    assert len(found) == 7
    assert not Score.objects.exists() and not ScoreImport.objects.exists()


def test_a_cell_left_empty_in_an_imported_subject_is_an_error_but_an_empty_column_is_skipped(exam, world):
    values = {no: {"语文": 70} for no in numbers(world)}
    values[numbers(world)[3]]["语文"] = None
    with pytest.raises(ImportRefused) as refused:
        scores_import(exam=exam, grade=world.class_1.grade, file=fill(template(exam, world), values),
                      user=world.director.user)
    assert issues_of(refused) == [("成绩", 5, "语文", "Enter the score, or 缺考 for an absent student.")]
    values[numbers(world)[3]]["语文"] = 71
    result = scores_import(exam=exam, grade=world.class_1.grade, file=fill(template(exam, world), values),
                           user=world.director.user)
    assert result.papers == 1 and not Score.objects.filter(paper__subject=world.maths).exists()


def test_a_name_that_does_not_match_the_number_is_an_error(exam, world):
    values = everyone(world)
    first = numbers(world)[0]
    values[first]["姓名"] = "别人"
    with pytest.raises(ImportRefused) as refused:
        scores_import(exam=exam, grade=world.class_1.grade, file=fill(template(exam, world), values),
                      user=world.director.user)
    name = Student.objects.get(student_no=first).name
    assert issues_of(refused) == [("成绩", 2, "姓名", f"The name does not match student {first} ({name}).")]


def test_reimport_replaces_scores_and_keeps_their_history(exam, world):
    grade = world.class_1.grade
    scores_import(exam=exam, grade=grade, file=fill(template(exam, world), everyone(world)), user=world.director.user)
    first = numbers(world)[0]
    book = template(exam, world)  # now pre-filled with the recorded scores
    assert book["成绩"].cell(row=2, column=4).value == 80
    result = scores_import(exam=exam, grade=grade, file=fill(book, {first: {"语文": "缺考", "数学": 99}}),
                           user=world.office_staff.user)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 2 * len(numbers(world)) - 2)
    score = Score.objects.get(paper__subject=world.chinese, student__student_no=first)
    assert score.absent and score.score is None
    history = list(score.history.order_by("history_date").values_list("score", "absent", "history_user"))
    assert history == [(Decimal("80.00"), False, world.director.user.pk), (None, True, world.office_staff.user.pk)]


def test_formulas_and_merged_cells_are_refused_as_in_the_roster_import(exam, world):
    book = template(exam, world)
    book["成绩"]["D2"] = "=SUM(1,2)"
    book["成绩"].merge_cells("E3:E4")
    with pytest.raises(ImportRefused) as refused:
        scores_import(exam=exam, grade=world.class_1.grade, file=workbook_bytes(book), user=world.director.user)
    messages = [m for *_where, m in issues_of(refused)]
    assert "Formulas are not accepted: type the value instead." in messages
    assert any(m.startswith("Merged cells are not accepted (E3:E4)") for m in messages)


def test_not_an_xlsx_file_is_refused(exam, world):
    with pytest.raises(ImportRefused, match="not an Excel workbook"):
        scores_import(exam=exam, grade=world.class_1.grade, file=b"student,score\n1,2\n", user=world.director.user)


def test_only_the_office_imports(exam, world):
    with pytest.raises(PermissionDenied):
        scores_import(exam=exam, grade=world.class_1.grade, file=b"", user=world.teacher.user)


def test_item_sheets_need_every_item_and_items_adding_up_to_the_score(exam, world):
    grade = world.class_1.grade
    maths = exam.papers.get(subject=world.maths)
    items_set(paper=maths, items=[("1", Decimal("40"), True), ("2", Decimal("60"), False)], user=world.director.user)
    a, b, c, d = numbers(world)[:4]
    book = template(exam, world)
    assert "数学小题" in book.sheetnames
    values = everyone(world)
    values[d]["数学"] = "缺考"
    fill(book, values)
    data = fill(book, {a: {"1": 30, "2": values[a]["数学"] - 30}, b: {"1": 30}, c: {"1": 10, "2": 10},
                       d: {"1": 5, "2": 5}}, sheet="数学小题")
    with pytest.raises(ImportRefused) as refused:
        scores_import(exam=exam, grade=grade, file=data, user=world.director.user)
    assert issues_of(refused) == [
        ("数学小题", 3, "", "Fill in every item of this student (0 for no marks)."),
        ("数学小题", 4, "", "The items add up to 20.00 but the score on 数学 is 71.00."),
        ("数学小题", 5, "", "This student was absent from 数学 but has item scores."),
    ]
    data = fill(openpyxl.load_workbook(io.BytesIO(data)), {b: {"1": None}, c: {"1": 31, "2": 40}, d: {"1": None,
                                                                                                   "2": None}},
                sheet="数学小题")
    scores_import(exam=exam, grade=grade, file=data, user=world.director.user)
    assert ItemScore.objects.filter(student__student_no=c).order_by("item__number").values_list(
        "score", flat=True)[::1] == [Decimal("31.00"), Decimal("40.00")]
