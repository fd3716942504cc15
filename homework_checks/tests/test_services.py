"""The rules of the homework services: inspections with their gradings and the V4 fine, the talk, the weekly list
generated and edited by the office, tutoring records."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import translation
from django.core.exceptions import PermissionDenied, ValidationError

from deductions.models import Violation
from homework_checks.models import Basis, HomeworkInspection, HomeworkPlanItem, TutoringRecord
from homework_checks.selectors import TutoringCount, plan_weeks, required_gradings, tutoring_counts
from homework_checks.services.inspections import homework_inspection_talk
from homework_checks.services.plans import (
    homework_plan_generate,
    homework_plan_item_create,
    homework_plan_item_delete,
    homework_plan_item_update,
)
from homework_checks.services.tutoring import tutoring_record_create
from inspections.selectors import policy_for
from inspections.services import policy_load_preset
from school.selectors import today
from school.tests.factories import StudentFactory

from .helpers import mondays, record

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


# --- inspections and the V4 fine -------------------------------------------------------------------------------


def test_gradings_short_of_the_lessons_are_fined_2_yuan_each_once_under_v4(world):
    w = world
    start = today() - dt.timedelta(days=27)
    lessons = mondays(start, today())
    key = uuid.uuid4()
    inspection = record(w, period_start=start, gradings_counted=lessons - 3, submission_key=key)

    assert (inspection.gradings_required, inspection.gradings_basis) == (lessons, Basis.LESSONS)
    assert inspection.gradings_missing == 3
    violation = Violation.objects.get()
    assert (violation.teacher, violation.code, violation.quantity) == (w.teacher, "homework_grading_short", 3)
    assert violation.amount == Decimal("6.00")
    assert violation.source == inspection
    # The phone submits twice: one record, one finding.
    assert record(w, period_start=start, gradings_counted=0, submission_key=key) == inspection
    assert Violation.objects.count() == 1 and HomeworkInspection.objects.count() == 1


def test_enough_gradings_make_no_finding(world):
    start = today() - dt.timedelta(days=13)
    record(world, period_start=start, gradings_counted=mondays(start, today()) + 2)
    assert not Violation.objects.exists()


def test_under_a_policy_without_the_rule_a_shortfall_carries_no_money(world):
    w = world
    policy_load_preset(school=w.school, preset="v1")
    with pytest.raises(ValidationError) as error:
        record(w, gradings_counted=3)
    assert "gradings_required" in error.value.error_dict
    inspection = record(w, gradings_counted=3, gradings_required=8)
    assert inspection.gradings_basis == Basis.ENTERED
    violation = Violation.objects.get()
    assert (violation.quantity, violation.amount, violation.rule) == (5, Decimal("0.00"), None)


def test_v6_flags_chinese_and_maths_as_graded_daily_and_counts_days_taught(world):
    w = world
    policy_load_preset(school=w.school, preset="v6")
    start = today() - dt.timedelta(days=20)
    inspection = record(w, period_start=start, gradings_counted=0, graded_daily=False)
    assert inspection.daily_subject is True and inspection.graded_daily is False
    assert inspection.gradings_basis == Basis.DAILY
    assert inspection.gradings_required == mondays(start, today())
    with translation.override("en"):
        assert "Graded every day" in inspection.criteria_missed
    # V1 grades no subject daily: the flag and its criterion stay off.
    policy_load_preset(school=w.school, preset="v1")
    other = record(w, graded_daily=False)
    assert (other.daily_subject, other.graded_daily) == (False, None)


def test_required_gradings_skip_holidays(world):
    w = world
    start = today() - dt.timedelta(days=27)
    before = required_gradings(policy=policy_for(w.school), term=w.term, teacher=w.teacher, school_class=w.class_1,
                               subject=w.chinese, start=start, end=today())
    w.term.holidays.create(name="假期", start_date=start, end_date=start + dt.timedelta(days=6))
    w.term.__dict__.pop("holiday_spans", None)
    after = required_gradings(policy=policy_for(w.school), term=w.term, teacher=w.teacher, school_class=w.class_1,
                              subject=w.chinese, start=start, end=today())
    assert after.count == before.count - 1


@pytest.mark.parametrize("change, field", [
    ({"day": today() + ONE_DAY}, "date"),
    ({"school_class": "class_2"}, "lesson"),
    ({"period_start": today() + ONE_DAY}, "period_start"),
    ({"notebooks_sampled": 0}, "notebooks_sampled"),
    ({"verdict": "best"}, "verdict"),
    ({"discussed": True, "discussed_on": today() + ONE_DAY}, "discussed_on"),
])
def test_a_bad_check_is_refused_and_nothing_is_written(world, change, field):
    if change.get("school_class") == "class_2":
        change = {"school_class": world.class_2}
    with pytest.raises(ValidationError) as error:
        record(world, **change)
    assert field in error.value.error_dict
    assert not HomeworkInspection.objects.exists()


def test_who_may_inspect_whom(world):
    w = world
    # A group leader her group's teacher, not another group's; a teacher nobody; nobody herself.
    assert record(w, inspector=w.group_leader).inspector == w.group_leader
    with pytest.raises(PermissionDenied):
        record(w, inspector=w.group_leader, teacher=w.other_teacher, subject=w.maths)
    with pytest.raises(PermissionDenied):
        record(w, inspector=w.other_teacher)
    with pytest.raises(ValidationError):
        record(w, inspector=w.teacher)
    # The central office checks its village schools; a village director not the central school.
    assert record(w, inspector=w.office_staff, teacher=w.village_teacher, school_class=w.village_class).pk
    with pytest.raises(PermissionDenied):
        record(w, inspector=w.village_director)


def test_the_talk_is_recorded_once_by_the_inspector(world):
    w = world
    inspection = record(w)
    with pytest.raises(PermissionDenied):
        homework_inspection_talk(inspection=inspection, inspector=w.office_staff, discussed_on=today(),
                                 talk_notes="谈话", user=w.office_staff.user)
    with pytest.raises(ValidationError):
        homework_inspection_talk(inspection=inspection, inspector=w.director, discussed_on=today(), talk_notes=" ")
    done = homework_inspection_talk(inspection=inspection, inspector=w.director, discussed_on=today(),
                                    talk_notes="评语要更有针对性", user=w.director.user)
    assert done.discussed and done.talk_notes == "评语要更有针对性"
    assert done.history.first().history_change_reason == "talked"
    with pytest.raises(ValidationError):
        homework_inspection_talk(inspection=done, inspector=w.director, discussed_on=today(), talk_notes="再谈")


# --- the weekly list -------------------------------------------------------------------------------------------


def test_the_office_generates_a_list_that_checks_every_teacher_once_in_the_second_half(world):
    w = world
    result = homework_plan_generate(school=w.school, term=w.term, user=w.office_staff.user)
    items = list(result.plan.items.all())
    # The teachers with lessons this term, once each, by the office, in teaching weeks of the second half.
    assert sorted(i.teacher_id for i in items) == sorted([w.teacher.pk, w.other_teacher.pk, w.group_leader.pk])
    office = {w.director.pk, w.office_staff.pk, w.vice_principal.pk}
    assert all(i.inspector_id in office for i in items)
    weeks = {wk.number: wk for wk in plan_weeks(w.term)}
    assert all(i.week_number in weeks and weeks[i.week_number].start == i.week_start for i in items)
    assert all(weeks[i.week_number].end >= today() for i in items)
    assert result.plan.times_per_teacher == 1  # V4 sets none: once, as V2.I.1


def test_regenerating_keeps_what_is_done(world):
    w = world
    plan = homework_plan_generate(school=w.school, term=w.term, user=w.director.user).plan
    item = plan.items.get(teacher=w.teacher)
    inspection = record(w, inspector=item.inspector, plan_item=item)
    item.refresh_from_db()
    assert item.inspection == inspection
    again = homework_plan_generate(school=w.school, term=w.term, user=w.director.user)
    assert again.kept == 1 and again.created == 2
    assert plan.items.get(teacher=w.teacher).inspection == inspection
    # A done item cannot be done twice, moved or removed.
    with pytest.raises(ValidationError):
        record(w, plan_item=plan.items.get(teacher=w.teacher))
    with pytest.raises(ValidationError):
        homework_plan_item_delete(item=plan.items.get(teacher=w.teacher), user=w.director.user)


def test_only_the_office_keeps_the_list(world):
    w = world
    with pytest.raises(PermissionDenied):
        homework_plan_generate(school=w.school, term=w.term, user=w.principal.user)
    with pytest.raises(PermissionDenied):
        homework_plan_generate(school=w.school, term=w.term, user=w.village_director.user)
    with pytest.raises(PermissionDenied):
        homework_plan_generate(school=w.foreign_school, term=w.foreign_term, user=w.director.user)
    village = homework_plan_generate(school=w.village, term=w.term, user=w.village_director.user).plan
    assert [(i.teacher, i.inspector) for i in village.items.all()] == [(w.village_teacher, w.village_director)]


def test_the_office_edits_the_list(world):
    w = world
    plan = homework_plan_generate(school=w.school, term=w.term, user=w.director.user).plan
    weeks = [wk for wk in plan_weeks(w.term) if wk.is_teaching and wk.end >= today()]
    item = plan.items.get(teacher=w.teacher)
    moved = homework_plan_item_update(item=item, week_number=weeks[-1].number, inspector=w.office_staff,
                                      user=w.director.user)
    assert (moved.week_number, moved.week_start, moved.inspector) == (weeks[-1].number, weeks[-1].start,
                                                                      w.office_staff)
    with pytest.raises(ValidationError):
        homework_plan_item_update(item=item, week_number=weeks[-1].number, inspector=w.teacher, user=w.director.user)
    with pytest.raises(ValidationError):
        homework_plan_item_update(item=item, week_number=1, inspector=None, user=w.director.user)
    with pytest.raises(ValidationError):  # already in that week
        homework_plan_item_create(plan=plan, teacher=w.teacher, week_number=weeks[-1].number, inspector=None,
                                  user=w.director.user)
    with pytest.raises(ValidationError):  # not of this school
        homework_plan_item_create(plan=plan, teacher=w.village_teacher, week_number=weeks[0].number, inspector=None,
                                  user=w.director.user)
    with pytest.raises(PermissionDenied):
        homework_plan_item_delete(item=item, user=w.teacher.user)
    homework_plan_item_delete(item=item, user=w.director.user)
    assert not HomeworkPlanItem.objects.filter(pk=item.pk).exists()


# --- tutoring ------------------------------------------------------------------------------------------------


def test_a_teacher_logs_tutoring_of_her_students_and_it_is_counted(world):
    w = world
    second = StudentFactory(school_class=w.class_1, student_no="S0003", name="学生丙")
    tutoring_record_create(teacher=w.teacher, school_class=w.class_1, date=today(), kind="struggling",
                           students=[w.student, second], content="分数的加减", outcome="基本掌握")
    tutoring_record_create(teacher=w.teacher, school_class=w.class_1, date=today(), kind="top",
                           students=[w.student], content="拓展阅读")
    assert tutoring_counts(w.term, [w.teacher.pk])[w.teacher.pk] == TutoringCount(records=2, struggling=1, students=2)


@pytest.mark.parametrize("change, field", [
    ({"school_class": "class_2"}, "school_class"),
    ({"students": []}, "students"),
    ({"students": "village"}, "students"),
    ({"content": " "}, "content"),
    ({"date": today() + ONE_DAY}, "date"),
])
def test_bad_tutoring_is_refused(world, change, field):
    w = world
    values = dict(teacher=w.teacher, school_class=w.class_1, date=today(), kind="struggling", students=[w.student],
                  content="辅导")
    if change.get("school_class") == "class_2":
        change = {"school_class": w.class_2}
    if change.get("students") == "village":
        change = {"students": [w.village_student]}
    values.update(change)
    with pytest.raises(ValidationError) as error:
        tutoring_record_create(**values)
    assert field in error.value.error_dict
    assert not TutoringRecord.objects.exists()
