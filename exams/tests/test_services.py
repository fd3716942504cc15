"""The exam rules: spot tests hidden until held and never counted, recusal on the panel, forms and reports with
the policy's deadlines, unit-test fines (V4.IV.5), the latest class ranks for evaluation, and the evidence the
inspections app reads."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from deductions.models import Violation
from exams import evidence, selectors, services
from exams.models import Exam, GradeReport, QualityForm, Score
from inspections.models import ExamKind, Policy
from school.models import Student

from .helpers import generated_exam

pytestmark = pytest.mark.django_db


def test_a_spot_test_is_hidden_from_teachers_until_it_is_held(world):
    Policy.objects.filter(school=world.school).update(spot_tests=True)
    day = world.term.midterm_date + dt.timedelta(days=5)
    spot = services.exam_create(school=world.school, term=world.term, kind=ExamKind.SPOT, name="质量抽测",
                                held_on=day, grades=[world.class_1.grade], subjects=[world.maths],
                                user=world.director.user)
    assert spot in selectors.exams_visible(world.principal.user, day=day - dt.timedelta(days=1))
    assert spot not in selectors.exams_visible(world.teacher.user, day=day - dt.timedelta(days=1))
    assert spot in selectors.exams_visible(world.teacher.user, day=day)


def test_spot_tests_only_under_a_policy_that_holds_them(world):
    with pytest.raises(ValidationError):
        services.exam_create(school=world.school, term=world.term, kind=ExamKind.SPOT, name="抽测",
                             held_on=world.term.midterm_date, grades=[world.class_1.grade], subjects=[world.maths],
                             user=world.director.user)


def test_only_the_office_creates_exams(world):
    with pytest.raises(PermissionDenied):
        services.exam_create(school=world.school, term=world.term, kind=ExamKind.MIDTERM, name="期中",
                             held_on=world.term.midterm_date, grades=[world.class_1.grade], subjects=[world.maths],
                             user=world.teacher.user)


def test_papers_get_the_default_lines_and_refuse_disordered_ones(world):
    exam = services.exam_create(school=world.school, term=world.term, kind=ExamKind.MIDTERM, name="期中",
                                held_on=world.term.midterm_date, grades=[world.class_1.grade],
                                subjects=[world.maths], full_marks=Decimal("150"), user=world.director.user)
    paper = exam.papers.get()
    assert (paper.excellent_line, paper.pass_line, paper.low_line) == (Decimal("127.50"), Decimal("90.00"),
                                                                        Decimal("60.00"))
    with pytest.raises(ValidationError):
        services.paper_update(paper=paper, user=world.director.user, full_marks=Decimal("150"),
                              excellent_line=Decimal("80"), pass_line=Decimal("90"), low_line=Decimal("45"))
    services.paper_update(paper=paper, user=world.director.user, full_marks=Decimal("150"),
                          excellent_line=Decimal("120"), pass_line=Decimal("90"), low_line=Decimal("45"))
    assert paper.low_line == Decimal("45")


def test_a_teacher_of_a_tested_class_recuses_from_a_spot_test_panel(world):
    Policy.objects.filter(school=world.school).update(spot_tests=True)
    spot = services.exam_create(school=world.school, term=world.term, kind=ExamKind.SPOT, name="抽测",
                                held_on=world.term.midterm_date, grades=[world.class_1.grade],
                                subjects=[world.maths], user=world.director.user)
    paper = spot.papers.get()
    # other_teacher teaches maths to both classes of grade 7.
    with pytest.raises(ValidationError, match="must recuse"):
        services.panel_member_add(paper=paper, staff=world.other_teacher, duty="setter", user=world.director.user)
    member = services.panel_member_add(paper=paper, staff=world.teacher, duty="marker", user=world.director.user)
    assert member.staff == world.teacher
    item = services.items_set(paper=paper, items=[("一", Decimal("100"), False)], user=world.director.user)[0]
    with pytest.raises(ValidationError, match="must recuse"):
        services.item_markers_set(item=item, markers=[world.other_teacher], user=world.director.user)
    services.item_markers_set(item=item, markers=[world.teacher, world.group_leader], user=world.director.user)
    assert set(item.markers.all()) == {world.teacher, world.group_leader}


def test_a_mid_term_teacher_may_set_her_own_paper(world):
    exam = services.exam_create(school=world.school, term=world.term, kind=ExamKind.MIDTERM, name="期中",
                                held_on=world.term.midterm_date, grades=[world.class_1.grade],
                                subjects=[world.maths], user=world.director.user)
    services.panel_member_add(paper=exam.papers.get(), staff=world.other_teacher, duty="setter",
                              user=world.director.user)


def test_items_must_add_up_to_the_paper(world):
    exam = services.exam_create(school=world.school, term=world.term, kind=ExamKind.MIDTERM, name="期中",
                                held_on=world.term.midterm_date, grades=[world.class_1.grade],
                                subjects=[world.maths], user=world.director.user)
    with pytest.raises(ValidationError, match="add up to 90"):
        services.items_set(paper=exam.papers.get(), items=[("1", Decimal("40"), True), ("2", Decimal("50"), False)],
                           user=world.director.user)


def test_forms_for_each_teacher_and_her_classes_due_within_the_policy_days(world):
    exam = generated_exam(world, per_class=6)
    forms = {f.teacher: f for f in QualityForm.objects.filter(paper__exam=exam).prefetch_related("classes")}
    assert set(forms) == {world.teacher, world.group_leader, world.other_teacher}
    assert set(forms[world.other_teacher].classes.all()) == {world.class_1, world.class_2}
    assert forms[world.teacher].due_on == exam.held_on + dt.timedelta(days=7)
    report = GradeReport.objects.get(exam=exam)
    assert report.due_on == exam.held_on + dt.timedelta(days=14)
    # Again: nothing more.
    assert services.quality_forms_create(exam=exam) == [] and services.grade_reports_create(exam=exam) == []


def test_no_forms_for_a_spot_test(world):
    exam = generated_exam(world, per_class=4, kind=ExamKind.SPOT, name="抽测")
    assert not QualityForm.objects.filter(paper__exam=exam).exists()


def test_the_teacher_hands_in_her_form_and_a_leader_comments(world):
    exam = generated_exam(world, per_class=4)
    form = QualityForm.objects.get(paper__exam=exam, teacher=world.teacher)
    with pytest.raises(PermissionDenied):
        services.quality_form_submit(form=form, user=world.other_teacher.user, mastered="a", problems="b",
                                     measures="c")
    with pytest.raises(ValidationError):
        services.quality_form_submit(form=form, user=world.teacher.user, mastered="基础知识", problems="",
                                     measures="")
    with pytest.raises(ValidationError):
        services.quality_form_comment(form=form, user=world.group_leader.user, comment="好")
    services.quality_form_submit(form=form, user=world.teacher.user, mastered="基础知识", problems="阅读理解失分",
                                 measures="加强阅读训练")
    assert form.submitted_at is not None
    with pytest.raises(PermissionDenied):
        services.quality_form_comment(form=form, user=world.other_teacher.user, comment="好")
    services.quality_form_comment(form=form, user=world.group_leader.user, comment="分析到位")
    assert (form.comment, form.commented_by) == ("分析到位", world.group_leader)


def test_unit_tests_not_marked_or_not_analysed_are_fined_once(world):
    day = world.term.start_date + dt.timedelta(days=5)
    check = services.unit_test_check_record(
        teacher=world.teacher, school_class=world.class_1, subject=world.chinese, unit="第二单元", checked_on=day,
        marked=False, analysed=False, user=world.director.user)
    fines = Violation.objects.filter(teacher=world.teacher).order_by("code")
    assert [(v.code, v.amount, v.status) for v in fines] == [
        ("unit_test_no_analysis", Decimal("2.00"), Violation.Status.PROPOSED),
        ("unit_test_unmarked", Decimal("5.00"), Violation.Status.PROPOSED),
    ]
    assert all(v.source == check for v in fines)
    services.unit_test_check_record(teacher=world.teacher, school_class=world.class_1, subject=world.chinese,
                                    unit="第三单元", checked_on=day, marked=True, analysed=True,
                                    user=world.group_leader.user)
    assert Violation.objects.filter(teacher=world.teacher).count() == 2
    with pytest.raises(PermissionDenied):
        services.unit_test_check_record(teacher=world.teacher, school_class=world.class_1, subject=world.chinese,
                                        unit="x", checked_on=day, marked=True, analysed=True,
                                        user=world.other_teacher.user)


def test_latest_class_ranks_share_the_best_rank_and_skip_spot_tests(world):
    exam = generated_exam(world, per_class=6)
    ranks = selectors.latest_class_ranks(world.class_1, term=world.term)
    students = Student.objects.filter(school_class=world.class_1)
    totals = {}
    for student in students:
        rows = list(Score.objects.filter(paper__exam=exam, student=student))
        if len(rows) == 2 and not any(r.absent for r in rows):
            totals[student.pk] = sum(r.score for r in rows)
    assert set(ranks) == set(totals)
    for pk, total in totals.items():
        assert ranks[pk] == 1 + sum(1 for other in totals.values() if other > total)
    # A tie shares the best rank.
    first, second = sorted(totals, key=totals.get, reverse=True)[:2]
    Score.objects.filter(paper__exam=exam, student_id=second, paper__subject=world.maths).update(
        score=Score.objects.get(paper__exam=exam, student_id=first, paper__subject=world.maths).score)
    Score.objects.filter(paper__exam=exam, student_id=second, paper__subject=world.chinese).update(
        score=Score.objects.get(paper__exam=exam, student_id=first, paper__subject=world.chinese).score)
    again = selectors.latest_class_ranks(world.class_1, term=world.term)
    assert again[first] == again[second] == 1 and 2 not in again.values()
    # A later spot test with scores does not count.
    Policy.objects.filter(school=world.school).update(spot_tests=True)
    spot = generated_exam(world, per_class=6, kind=ExamKind.SPOT, name="抽测",
                          held_on=world.term.midterm_date + dt.timedelta(days=3))
    assert Exam.objects.get(pk=spot.pk).held_on > exam.held_on
    assert selectors.latest_class_ranks(world.class_1, term=world.term) == again


def test_latest_class_ranks_is_empty_without_scores(world):
    assert selectors.latest_class_ranks(world.class_1, term=world.term) == {}


def test_evidence_done_checks_facts_and_deadlines(world):
    exam = generated_exam(world, per_class=4)
    day = world.term.start_date + dt.timedelta(days=5)
    services.unit_test_check_record(teacher=world.teacher, school_class=world.class_1, subject=world.chinese,
                                    unit="第二单元", checked_on=day, marked=True, analysed=False,
                                    user=world.director.user)
    pairs = frozenset({(world.director.pk, world.teacher.pk), (world.director.pk, world.other_teacher.pk)})
    done = evidence.DONE_CHECKS["unit_tests"](term=world.term, kind="monthly", month_number=1, start=day,
                                              end=day, pairs=pairs)
    assert done == {(world.director.pk, world.teacher.pk)}
    form = QualityForm.objects.get(paper__exam=exam, teacher=world.teacher)
    services.quality_form_submit(form=form, user=world.teacher.user, mastered="a", problems="b", measures="c")
    facts = evidence.six_earnests_evidence(term=world.term, teacher_ids=[world.teacher.pk, world.other_teacher.pk])
    assert [(f.earnest, f.concern) for f in facts[world.teacher.pk]] == [("assessment", True), ("assessment", False)]
    assert "1 on time" in facts[world.teacher.pk][1].value
    deadlines = evidence.deadlines(school=world.school, term=world.term, start=exam.held_on,
                                   end=exam.held_on + dt.timedelta(days=30))
    keys = {d.key: d for d in deadlines}
    assert keys[f"exams:quality-form:{form.pk}"].done is True
    report = GradeReport.objects.get(exam=exam)
    office = {d.staff_id for d in deadlines if d.key.startswith(f"exams:grade-report:{report.pk}:")}
    assert office == {world.director.pk, world.office_staff.pk}
    assert all(d.due_on == exam.held_on + dt.timedelta(days=14) for d in deadlines if "grade-report" in d.key)


def test_the_grade_report_is_presented_by_the_office(world):
    exam = generated_exam(world, per_class=3)
    report = GradeReport.objects.get(exam=exam)
    with pytest.raises(ValidationError):
        services.grade_report_update(report=report, user=world.director.user, summary="", trends="", measures="",
                                     presented_on=timezone.localdate())
    services.grade_report_update(report=report, user=world.director.user, summary="整体较好", trends="阅读偏弱",
                                 measures="加强阅读", presented_on=timezone.localdate())
    assert report.presented_on == timezone.localdate() and report.prepared_by == world.director
    with pytest.raises(PermissionDenied):
        services.grade_report_update(report=report, user=world.teacher.user, summary="x", trends="", measures="",
                                     presented_on=None)
