"""The demo school's exams (`exams.demo`): written through the services and the real import, deterministic, and
added only once. The demo follows the real calendar: before the mid-term date it holds a monthly test instead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone, translation

from exams.demo import grow_top_grade, item_marks, seed_demo_activity
from exams.models import Exam, ItemScore, Paper, QualityForm, Score, UnitTestCheck
from inspections.models import ExamKind, Policy
from inspections.services import policy_load_preset
from school.demo.builder import demo_seed
from school.models import Student, TimetableEntry
from school.selectors import current_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    result = demo_seed(size="small")
    policy_load_preset(school=result.root, preset="v4")
    return result.root


def counts():
    return [Exam.objects.count(), Score.objects.count(), ItemScore.objects.count(), QualityForm.objects.count(),
            UnitTestCheck.objects.count()]


def test_the_demo_term_has_a_baseline_and_a_scored_exam_of_every_class_and_subject(demo):
    today = timezone.localdate()
    term = current_term(demo, today)
    if not term.contains(today) or today < term.start_date + dt.timedelta(days=16):
        pytest.skip("the demo calendar has no exam yet on this day")
    with translation.override("en"):
        line = seed_demo_activity(root=demo, size="small", today=today)
    assert line.startswith("Exams:")
    baseline = Exam.objects.get(kind=ExamKind.BASELINE)
    assert baseline.baseline_kind == Exam.BaselineKind.ENTRANCE and baseline.held_on == term.start_date
    exam = Exam.objects.exclude(kind=ExamKind.BASELINE).get()
    assert exam.kind == (ExamKind.MIDTERM if term.midterm_date < today else ExamKind.UNIT)
    # Every class and every academic subject it is taught has a score (or 缺考) for each of its students.
    taught = set(TimetableEntry.objects.filter(term=term).exclude(subject__code__in=["pe", "music", "art", "it"])
                 .values_list("school_class__grade_id", "subject_id"))
    papers = set(Paper.objects.filter(exam=exam).values_list("grade_id", "subject_id"))
    assert papers == taught
    for paper in Paper.objects.filter(exam=exam):
        students = Student.objects.filter(school_class__grade=paper.grade, is_active=True).count()
        assert Score.objects.filter(paper=paper).count() == students
    assert Score.objects.filter(paper__exam=exam, absent=True).exists()
    assert ItemScore.objects.filter(item__paper__exam=exam, item__paper__subject__code="math").exists()
    # The demo office added quality-analysis forms to its V4 policy; every teacher of a scored paper has hers.
    assert Policy.objects.get(school=demo).quality_form_after == [ExamKind.MIDTERM, ExamKind.FINAL]
    if exam.kind == ExamKind.MIDTERM:
        assert QualityForm.objects.filter(paper__exam=exam).count() == len(set(
            TimetableEntry.objects.filter(term=term, subject__in=Paper.objects.filter(exam=exam).values("subject"))
            .values_list("teacher_id", "subject_id", "school_class__grade_id")))
        assert QualityForm.objects.filter(submitted_at__isnull=False).exists()
    assert UnitTestCheck.objects.filter(analysed=False).count() == 1
    # Again: nothing more.
    before = counts()
    assert seed_demo_activity(root=demo, size="small", today=today) is None
    assert counts() == before


def test_the_large_grade_grows_to_a_thousand(demo):
    term = current_term(demo)
    added = grow_top_grade(demo, term, target=200)
    grade = Student.objects.filter(school_class__grade__level=9).values("school_class__grade").annotate(
        n=Count("pk")).get()
    assert grade["n"] == 200 and added > 0
    assert grow_top_grade(demo, term, target=200) == 0


def test_item_marks_add_up_to_the_paper():
    from decimal import Decimal

    for count, full in ((25, Decimal("120")), (12, Decimal("100")), (5, Decimal("20"))):
        items = item_marks(count, full)
        assert len(items) == count and sum(m for _l, m, _o in items) == full
        assert all(m > 0 for _l, m, _o in items)
