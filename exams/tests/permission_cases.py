"""Permission-matrix cases of the exam pages, and the idempotent helper that gives the world what they need: the
generated mid-term of grade 7 (with forms, a report, an export), a spot test not yet held, a unit-test check, and
an exam of the foreign school."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inspections.models import ExamKind
from school.tests.matrix import FORBIDDEN, NOT_FOUND, OK, REDIRECT, STAFF, Case, expect
from school.tests.world import FOREIGN

from ..models import Exam, ExportJob, GradeReport, Paper, QualityForm, UnitTestCheck

CENTRAL_MANAGERS = ("office_staff", "director", "vice_principal", "superuser")
CENTRAL_SCHOOL_WIDE = ("office_staff", "director", "vice_principal", "principal", "superuser")
SPOT_NAME = "未公开的质量抽测"
UNIT_NAME = "第一单元检测"


def seed_exams(w):
    """The exam rows of the world, made once."""
    if hasattr(w, "exam"):
        return w
    from .helpers import generated_exam

    w.exam = generated_exam(w, per_class=8)
    w.grade = w.class_1.grade
    w.paper = w.exam.papers.get(subject=w.maths)
    w.form = QualityForm.objects.get(paper__exam=w.exam, teacher=w.teacher)
    w.report = GradeReport.objects.get(exam=w.exam)
    w.job = ExportJob.objects.create(exam=w.exam, grade=w.grade, status=ExportJob.Status.DONE, progress=100,
                                     content=b"PK-test")
    w.spot = Exam.objects.create(school=w.school, term=w.term, kind=ExamKind.SPOT, name=SPOT_NAME,
                                 held_on=w.term.midterm_date + dt.timedelta(days=10))
    w.spot.grades.add(w.grade)
    UnitTestCheck.objects.create(school=w.school, term=w.term, teacher=w.teacher, school_class=w.class_1,
                                 subject=w.chinese, unit=UNIT_NAME, checked_on=w.term.start_date + dt.timedelta(days=3),
                                 checked_by=w.director, marked=False)
    w.foreign_exam = Exam.objects.create(school=w.foreign_school, term=w.foreign_term, kind=ExamKind.MIDTERM,
                                         name=f"{FOREIGN}期中", held_on=w.foreign_term.start_date)
    w.foreign_exam.grades.add(w.foreign_class.grade)
    Paper.objects.create(exam=w.foreign_exam, grade=w.foreign_class.grade, subject=w.foreign_subject,
                         full_marks=Decimal("100"), excellent_line=85, pass_line=60, low_line=40)
    return w


def _exam(w):
    return (seed_exams(w).exam.pk,)


def _exam_grade(w):
    seed_exams(w)
    return (w.exam.pk, w.grade.pk)


def _paper(w):
    return (seed_exams(w).paper.pk,)


def _job(w):
    return (seed_exams(w).job.pk,)


def _form(w):
    return (seed_exams(w).form.pk,)


def _report(w):
    return (seed_exams(w).report.pk,)


def _student(w):
    seed_exams(w)
    return (w.student.pk,)


def _foreign_exam(w):
    return (seed_exams(w).foreign_exam.pk,)


def central(*, allowed, denied_status=FORBIDDEN, allowed_status=OK, village=NOT_FOUND) -> dict[str, int]:
    """A page of the central school's exam: `allowed` get `allowed_status`, other central staff `denied_status`,
    the village school's director 404 (not her school's exam)."""
    result = expect(allowed=allowed, allowed_status=allowed_status, denied_status=denied_status)
    result["village_director"] = village
    return result


CENTRAL_STAFF = ("teacher", "other_teacher", "group_leader", *CENTRAL_SCHOOL_WIDE)
FOREIGN_ONLY = expect(allowed=("superuser",), denied_status=NOT_FOUND)


def _spot_hidden(w):
    return [SPOT_NAME]


def _class_2_students(w):
    return ["学生2-1"]


def _unit_check(w):
    return [UNIT_NAME]


CASES = [
    Case("exams:exam-list", expect(allowed=STAFF), args=lambda w: (seed_exams(w), ())[1],
         hidden={"teacher": _spot_hidden, "other_teacher": _spot_hidden, "group_leader": _spot_hidden}),
    Case("exams:exam-create", expect(allowed=("office_staff", "director", "vice_principal", "village_director",
                                              "superuser"))),
    # An empty post re-renders the form with its errors and creates nothing.
    Case("exams:exam-create", expect(allowed=("office_staff", "director", "vice_principal", "village_director",
                                              "superuser")), method="post"),
    Case("exams:exam-detail", central(allowed=CENTRAL_STAFF), args=_exam),
    Case("exams:exam-detail", FOREIGN_ONLY, args=_foreign_exam),
    Case("exams:exam-update", central(allowed=CENTRAL_MANAGERS), args=_exam),
    Case("exams:exam-update", central(allowed=CENTRAL_MANAGERS), args=_exam, method="post"),
    Case("exams:paper-detail", central(allowed=CENTRAL_STAFF), args=_paper),
    Case("exams:paper-detail", central(allowed=CENTRAL_MANAGERS), args=_paper, method="post"),
    Case("exams:paper-items", central(allowed=CENTRAL_MANAGERS), args=_paper, method="post"),
    Case("exams:paper-panel", central(allowed=CENTRAL_MANAGERS), args=_paper, method="post"),
    Case("exams:paper-markers", central(allowed=CENTRAL_MANAGERS), args=_paper, method="post"),
    Case("exams:score-template", central(allowed=CENTRAL_MANAGERS), args=_exam_grade),
    Case("exams:score-import", central(allowed=CENTRAL_MANAGERS), args=_exam_grade),
    Case("exams:score-import", central(allowed=CENTRAL_MANAGERS), args=_exam_grade, method="post"),
    Case("exams:analysis", central(allowed=CENTRAL_STAFF), args=_exam_grade),
    Case("exams:analysis", central(allowed=CENTRAL_STAFF), args=_exam_grade, query="tab=students",
         hidden={"teacher": _class_2_students}),
    Case("exams:export-start", central(allowed=CENTRAL_SCHOOL_WIDE, allowed_status=REDIRECT), args=_exam_grade,
         method="post"),
    Case("exams:export-status", central(allowed=CENTRAL_SCHOOL_WIDE), args=_job),
    Case("exams:export-download", central(allowed=CENTRAL_SCHOOL_WIDE), args=_job),
    Case("exams:form-list", expect(allowed=STAFF), args=lambda w: (seed_exams(w), ())[1],
         hidden={"other_teacher": lambda w: [w.teacher.name]}),
    Case("exams:form-detail", central(allowed=("teacher", "group_leader", *CENTRAL_SCHOOL_WIDE),
                                      denied_status=NOT_FOUND), args=_form),
    # The teacher's empty post saves a draft; a leader's post without a comment is not hers to write.
    Case("exams:form-detail", {**central(allowed=("teacher",), allowed_status=REDIRECT, denied_status=FORBIDDEN),
                               "other_teacher": NOT_FOUND}, args=_form, method="post"),
    Case("exams:report-detail", central(allowed=CENTRAL_STAFF), args=_report),
    Case("exams:report-detail", central(allowed=CENTRAL_MANAGERS, allowed_status=REDIRECT), args=_report,
         method="post"),
    Case("exams:unit-check-list", expect(allowed=STAFF), args=lambda w: (seed_exams(w), ())[1],
         hidden={"other_teacher": _unit_check, "village_director": _unit_check}),
    Case("exams:unit-check-create", expect(allowed=("group_leader", "office_staff", "director", "vice_principal",
                                                    "village_director", "superuser"))),
    Case("exams:unit-check-create", expect(allowed=("group_leader", "office_staff", "director", "vice_principal",
                                                    "village_director", "superuser")), method="post"),
    Case("exams:student-history", central(allowed=("teacher", "other_teacher", *CENTRAL_SCHOOL_WIDE),
                                          denied_status=NOT_FOUND), args=_student),
]
