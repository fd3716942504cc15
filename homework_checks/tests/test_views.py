"""The homework pages: recording a check through the form (and its errors), the lesson block, the talk, the weekly
list and its edits, tutoring, the workbook, and the home card."""

import datetime as dt
import io
import uuid

import openpyxl
import pytest
from django.urls import reverse

from deductions.models import Violation
from homework_checks.models import CRITERIA, HomeworkInspection, HomeworkPlan, TutoringRecord
from homework_checks.services.plans import homework_plan_generate
from homework_checks.services.tutoring import tutoring_record_create
from school.selectors import today

from .helpers import mondays, record

pytestmark = pytest.mark.django_db


def _form(w, **changes):
    data = {
        "teacher": w.teacher.pk, "lesson": f"{w.class_1.pk}-{w.chinese.pk}", "date": today().isoformat(),
        "round_kind": "monthly", "notebooks_sampled": "6", "verdict": "fair", "submission_key": str(uuid.uuid4()),
        "essay_margin_comments": "no", "essay_closing_comments": "",
        "findings": "部分作业没有日期", "suggestions": "批改后写上日期",
    }
    data.update({name: "on" for name in CRITERIA if name != "grade_and_date"})
    data.update(changes)
    return data


def test_an_inspector_records_a_check_and_sees_the_fine_on_its_page(world, login):
    w = world
    client = login(w.director)
    start = today() - dt.timedelta(days=27)
    lessons = mondays(start, today())
    response = client.post(reverse("homework_checks:inspection-create"),
                           _form(w, period_start=start.isoformat(), gradings_counted=str(lessons - 2)))
    inspection = HomeworkInspection.objects.get()
    assert response.status_code == 302 and response.url == reverse("homework_checks:inspection-detail",
                                                                     args=[inspection.pk])
    assert inspection.grade_and_date is False and inspection.essay_margin_comments is False
    assert inspection.essay_closing_comments is None
    page = client.get(response.url).content.decode()
    fine = Violation.objects.get()
    assert fine.amount == 4 and f'href="{reverse("deductions:violation-detail", args=[fine.pk])}"' in page
    # The teacher sees it, with the two criteria missed (grade and date; margin comments on essays).
    teacher_page = login(w.teacher).get(response.url).content.decode()
    assert teacher_page.count("bi-x-circle") == 2 and 'id="gradings-missing"' in teacher_page


def test_a_bad_form_re_renders_with_its_errors_and_records_nothing(world, login):
    w = world
    client = login(w.director)
    response = client.post(reverse("homework_checks:inspection-create"),
                           _form(w, lesson=f"{w.class_2.pk}-{w.maths.pk}", date=(today() + dt.timedelta(days=1))
                                 .isoformat()))
    assert response.status_code == 200
    form = response.context["form"]
    assert "lesson" in form.errors and "date" in form.errors
    assert not HomeworkInspection.objects.exists()


def test_the_lesson_block_shows_the_required_gradings_and_the_tutoring_count(world, login):
    w = world
    tutoring_record_create(teacher=w.teacher, school_class=w.class_1, date=today(), kind="struggling",
                           students=[w.student], content="词语听写")
    client = login(w.director)
    start = today() - dt.timedelta(days=13)
    response = client.get(reverse("homework_checks:inspection-create"),
                          {"teacher": w.teacher.pk, "date": today().isoformat(), "period_start": start.isoformat()},
                          HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="lesson-block"' in body and "<html" not in body
    assert f"<strong>{mondays(start, today())}</strong>" in body
    assert 'id="tutoring-count"' in body and "1" in body


def test_the_inspector_records_the_talk_later(world, login):
    w = world
    inspection = record(w)
    client = login(w.director)
    url = reverse("homework_checks:inspection-talk", args=[inspection.pk])
    assert client.post(url, {"discussed_on": today().isoformat(), "talk_notes": ""}).status_code == 200
    response = client.post(url, {"discussed_on": today().isoformat(), "talk_notes": "已面谈，教师认可"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.discussed and inspection.talk_notes == "已面谈，教师认可"


def test_the_office_generates_and_edits_the_list_through_the_pages(world, login):
    w = world
    client = login(w.office_staff)
    response = client.post(reverse("homework_checks:plan-generate"), {"school": w.school.pk, "term": w.term.pk})
    assert response.status_code == 302
    plan = HomeworkPlan.objects.get(school=w.school)
    assert plan.items.count() == 3
    page = client.get(response.url).content.decode()
    assert w.teacher.name in page and 'id="plan-missing"' not in page
    item = plan.items.get(teacher=w.teacher)
    url = reverse("homework_checks:plan-item-update", args=[item.pk])
    response = client.post(url, {"week_number": item.week_number, "inspector": w.teacher.pk})
    assert response.status_code == 200 and "inspector" in response.context["form"].errors
    response = client.post(url, {"week_number": item.week_number, "inspector": w.vice_principal.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.inspector == w.vice_principal


def test_this_week_s_list_shows_the_inspector_her_checks(world, login):
    w = world
    plan = homework_plan_generate(school=w.school, term=w.term, user=w.director.user).plan
    item = plan.items.order_by("week_number").first()
    item.inspector = w.director
    item.save()
    response = login(w.director).get(reverse("homework_checks:week"), {"week": item.week_number})
    mine = response.context["mine"]
    assert item in mine
    assert f"?item={item.pk}" in response.content.decode()


def test_a_teacher_logs_tutoring_through_the_page(world, login):
    w = world
    client = login(w.teacher)
    fragment = client.get(reverse("homework_checks:tutoring-create"), {"school_class": w.class_1.pk},
                          HTTP_HX_REQUEST="true").content.decode()
    assert w.student.name in fragment and "<html" not in fragment
    response = client.post(reverse("homework_checks:tutoring-create"), {
        "school_class": w.class_1.pk, "date": today().isoformat(), "kind": "struggling", "students": [w.student.pk],
        "content": "分数应用题", "outcome": "能独立完成", "submission_key": str(uuid.uuid4()),
    })
    assert response.status_code == 302
    assert TutoringRecord.objects.get().students.get() == w.student
    home = client.get("/").content.decode()
    assert 'id="homework-my-tutoring"' in home


def test_the_term_s_checks_download_as_a_printed_workbook(world, login):
    w = world
    record(w, gradings_counted=0, findings="=SUM(A1)")
    response = login(w.director).get(reverse("homework_checks:inspection-export"), {"term": w.term.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert "作业检查记录表" in sheet["A1"].value
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert w.teacher.name in values and "=SUM(A1)" in values
    fine = Violation.objects.get()
    assert float(fine.amount) in values
