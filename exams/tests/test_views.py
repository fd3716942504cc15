"""The exam pages: what each person sees, bounded queries, the workbook built by the task with progress, its
layout, and its numbers equal to the page's."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from exams.models import ExportJob, QualityForm
from exams.tasks import build_export

from .helpers import generated_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(world):
    return generated_exam(world, per_class=20)


def analysis_url(exam, world, tab="summary"):
    return reverse("exams:analysis", args=[exam.pk, world.class_1.grade.pk]) + f"?tab={tab}"


@pytest.mark.parametrize("tab", ["summary", "total", "bands", "segments", "students", "value", "items"])
def test_every_tab_of_the_analysis_runs_a_fixed_number_of_queries(exam, world, login, tab,
                                                                  django_assert_max_num_queries):
    client = login(world.director)
    with django_assert_max_num_queries(24):
        response = client.get(analysis_url(exam, world, tab))
    assert response.status_code == 200


@pytest.mark.parametrize("name,args", [
    ("exams:exam-list", lambda e, w: []), ("exams:exam-detail", lambda e, w: [e.pk]),
    ("exams:paper-detail", lambda e, w: [e.papers.get(subject=w.maths).pk]), ("exams:form-list", lambda e, w: []),
    ("exams:unit-check-list", lambda e, w: []), ("exams:student-history", lambda e, w: [w.student.pk]),
    ("exams:report-detail", lambda e, w: [e.reports.get().pk]),
    ("exams:score-import", lambda e, w: [e.pk, w.class_1.grade.pk]),
])
def test_pages_run_a_fixed_number_of_queries(exam, world, login, name, args, django_assert_max_num_queries):
    client = login(world.director)
    with django_assert_max_num_queries(26):
        response = client.get(reverse(name, args=args(exam, world)))
    assert response.status_code == 200


def test_a_teacher_sees_only_her_classes_students(exam, world, login):
    client = login(world.teacher)
    body = client.get(analysis_url(exam, world, "students")).content.decode()
    assert "学生1-2" in body and "学生2-2" not in body
    # The class tables the office presents to all teachers are hers to read.
    summary = client.get(analysis_url(exam, world)).content.decode()
    assert "七年级" in summary and 'id="export-form"' not in summary


def test_the_teachers_form_shows_her_classes_statistics(exam, world, login):
    form = QualityForm.objects.get(paper__exam=exam, teacher=world.teacher)
    body = login(world.teacher).get(reverse("exams:form-detail", args=[form.pk])).content.decode()
    assert 'id="quality-form"' in body
    assert body.count('data-class="') == 1  # class 1 only: she teaches Chinese there


def test_handing_in_from_the_page(exam, world, login):
    form = QualityForm.objects.get(paper__exam=exam, teacher=world.teacher)
    client = login(world.teacher)
    url = reverse("exams:form-detail", args=[form.pk])
    response = client.post(url, {"mastered": "", "problems": "", "measures": "", "submit": "1"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    response = client.post(url, {"mastered": "字词", "problems": "作文", "measures": "多练", "submit": "1"})
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.submitted_at is not None and form.on_time


def cells(html: str, selector_class: str) -> list[str]:
    return re.findall(r'data-figure="' + selector_class + r'">([^<]*)<', html)


def test_the_workbook_reopens_with_the_pages_numbers_and_the_print_layout(exam, world, login, eager_tasks,
                                                                         django_capture_on_commit_callbacks):
    client = login(world.director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exams:export-start", args=[exam.pk, world.class_1.grade.pk]))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportJob.Status.DONE and job.progress == 100
    status = client.get(reverse("exams:export-status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="download-workbook"' in status and "<html" not in status
    download = client.get(reverse("exams:export-download", args=[job.pk]))
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["三率一分", "总分", "分数段", "一分一段", "学生名次", "增值评价", "小题分析"]
    sheet = book["三率一分"]
    # Layout: merged title, two-row headers, A4 landscape, header rows repeated, fitted to the width.
    assert "A1:Q1" in {str(r) for r in sheet.merged_cells.ranges}
    assert "I4:J4" in {str(r) for r in sheet.merged_cells.ranges}  # 优秀 over 人数 / 优秀率
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$1:$5"
    assert book["学生名次"].freeze_panes == "D5"
    # Numbers: the 三率一分 block of each subject equals the page's.
    page = client.get(analysis_url(exam, world)).content.decode()
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    blocks = [i for i, row in enumerate(rows) if row[0] == "班级"]
    page_means = cells(page, "mean")
    page_rates = cells(page, "pass_rate")
    book_means, book_rates = [], []
    for start in blocks:
        for row in rows[start + 2:start + 5]:
            book_means.append(f"{row[4]:.2f}")
            book_rates.append(f"{row[11] * 100:.2f}%")
    assert book_means == page_means and book_rates == page_rates
    # A student's total and rank.
    students = client.get(analysis_url(exam, world, "students")).content.decode()
    first = re.search(r'data-student="(\w+)".*?data-figure="total">([^<]*)<.*?data-figure="grade_rank">([^<]*)<',
                      students, re.S)
    ranks_sheet = book["学生名次"]
    for row in ranks_sheet.iter_rows(min_row=5, values_only=True):
        if row[0] == first.group(1):
            assert (f"{row[9]:.2f}", str(row[11])) == (first.group(2), first.group(3))
            break
    else:
        raise AssertionError("student missing from the workbook")


def test_a_name_that_looks_like_a_formula_stays_text_in_the_workbook(exam, world):
    world.student.name = "=HYPERLINK(\"http://x\")"
    world.student.save()
    job = ExportJob.objects.create(exam=exam, grade=world.class_1.grade)
    build_export(job.pk)
    job.refresh_from_db()
    book = openpyxl.load_workbook(io.BytesIO(bytes(job.content)))
    cell = next(c for row in book["学生名次"].iter_rows() for c in row if c.value == world.student.name)
    assert cell.data_type == "s" and cell.quotePrefix
