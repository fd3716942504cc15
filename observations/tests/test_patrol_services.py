"""The rules of the daily patrol, attendance incidents and lesson swaps (V2.II.1-3, V4.IV.2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from deductions.models import Violation
from deductions.services import violation_confirm
from inspections.services import policy_load_preset
from observations.models import AttendanceIncident, LessonSwap, Patrol, PatrolMark
from observations.selectors.patrol import (
    approved_swap_for,
    current_period,
    expected_lessons,
    patrol_summary,
    teacher_is_free,
)
from observations.services.patrol import (
    incident_update,
    patrol_mark_all_normal,
    patrol_mark_set,
    swap_approve,
    swap_cancel,
    swap_reject,
    swap_request,
)
from school.models import Holiday, Period
from school.tests.factories import TimetableEntryFactory

from .permission_cases_patrol import last_monday, next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in the source language (the site itself speaks Chinese unless told otherwise)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def mark(world, status, *, school_class=None, period=1, note="", day=None, user=None):
    return patrol_mark_set(
        school_class=school_class or world.class_1, date=day or last_monday(world), period=period, status=status,
        note=note, user=user or world.office_staff.user,
    )


def violations_of(staff):
    return list(Violation.objects.filter(teacher=staff).order_by("id"))


def by_class(lessons):
    return {lesson.school_class.pk: lesson for lesson in lessons}


# --- expected lessons ---------------------------------------------------------------------------------------


def test_expected_lessons_follow_the_weekday_timetable(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # the classes with their lesson, the approved swaps
        lessons = by_class(expected_lessons(world.school, last_monday(world), 1, term=world.term))
    assert set(lessons) == {world.class_1.pk, world.class_2.pk}  # the village class is another school's
    assert (lessons[world.class_1.pk].teacher, lessons[world.class_1.pk].subject) == (world.teacher, world.chinese)
    assert (lessons[world.class_2.pk].teacher, lessons[world.class_2.pk].subject) == (world.other_teacher,
                                                                                      world.maths)
    free = by_class(expected_lessons(world.school, last_monday(world), 3))
    assert all(not lesson.has_lesson and lesson.teacher is None for lesson in free.values())
    tuesday = by_class(expected_lessons(world.school, last_monday(world) + dt.timedelta(days=1), 1))
    assert tuesday[world.class_2.pk].teacher == world.group_leader and not tuesday[world.class_1.pk].has_lesson


def test_an_approved_swap_changes_the_expected_teacher_and_a_pending_one_does_not(world):
    day = next_monday(world)
    swap = swap_request(requester=world.teacher, substitute=world.group_leader, date=day, period=1, reason="ill")
    assert by_class(expected_lessons(world.school, day, 1))[world.class_1.pk].teacher == world.teacher
    assert approved_swap_for(world.class_1, day, 1) is None
    swap_approve(swap=swap, user=world.office_staff.user)
    lesson = by_class(expected_lessons(world.school, day, 1))[world.class_1.pk]
    assert (lesson.teacher, lesson.subject, lesson.swap) == (world.group_leader, world.chinese, swap)
    assert approved_swap_for(world.class_1, day, 1) == swap
    # Only that date: the Monday after follows the timetable again.
    assert by_class(expected_lessons(world.school, day + dt.timedelta(days=7), 1))[world.class_1.pk].teacher == (
        world.teacher
    )


def test_current_period_is_the_one_in_progress_else_the_next_one(world):
    at = lambda h, m: timezone.make_aware(dt.datetime.combine(last_monday(world), dt.time(h, m)))  # noqa: E731
    # The world's bells: period n from (7 + n):00 to (7 + n):45.
    assert current_period(world.school, at(8, 10)).number == 1
    assert current_period(world.school, at(8, 50)).number == 2  # between the bells: the next one
    assert current_period(world.school, at(6, 0)).number == 1
    assert current_period(world.school, at(15, 45)).number == 8
    assert current_period(world.school, at(16, 0)) is None  # after the last one
    # A village school with no bells of its own rings its central school's.
    assert current_period(world.village, at(9, 5)).number == 2
    Period.objects.create(school=world.village, number=1, start_time=dt.time(9, 0), end_time=dt.time(9, 40))
    assert current_period(world.village, at(9, 5)).number == 1


# --- marks, incidents and fines -------------------------------------------------------------------------------


def test_a_late_mark_is_one_incident_and_one_fine_of_2_yuan_however_often_it_is_tapped(world):
    first = mark(world, "late")
    mark(world, "late")  # tapped twice
    mark(world, "late", note="ten minutes")  # re-marked late
    assert Patrol.objects.filter(school=world.school, date=last_monday(world), period=1).count() == 1
    assert PatrolMark.objects.count() == 1
    incident = AttendanceIncident.objects.get()
    assert (incident.mark_id, incident.teacher, incident.kind) == (first.pk, world.teacher, "late")
    [violation] = violations_of(world.teacher)
    assert (violation.code, violation.amount, violation.status) == ("late_to_class", Decimal("2.00"), "proposed")
    assert violation.source == incident
    assert PatrolMark.objects.get().note == "ten minutes"


@pytest.mark.parametrize(("status", "code", "amount"), [
    ("left_early", "left_early", Decimal("5.00")),
    ("absent", "absent", Decimal("20.00")),
])
def test_leaving_early_and_absence_cost_5_and_20_yuan_under_v4(world, status, code, amount):
    mark(world, status)
    [violation] = violations_of(world.teacher)
    assert (violation.code, violation.amount) == (code, amount)


def test_under_v1_the_incident_is_recorded_and_no_fine_at_all(world):
    # The choice: a policy with no fine rule of the code records no violation (the incident is the record).
    policy_load_preset(school=world.school, preset="v1")
    mark(world, "late")
    mark(world, "absent", school_class=world.class_2)
    assert AttendanceIncident.objects.count() == 2
    assert Violation.objects.count() == 0
    # And it can be corrected freely: there is no fine to dismiss.
    mark(world, "normal")
    assert AttendanceIncident.objects.count() == 1


def test_the_incident_is_the_approved_substitutes(world):
    day = last_monday(world)
    swap = LessonSwap.objects.create(
        term=world.term, school=world.school, date=day, period=1, school_class=world.class_1, subject=world.chinese,
        teacher=world.teacher, substitute=world.director, reason="training", requested_by=world.teacher,
        status=LessonSwap.Status.APPROVED,
    )
    result = mark(world, "absent")
    assert (result.expected_teacher, result.swap) == (world.director, swap)
    assert AttendanceIncident.objects.get().teacher == world.director
    assert [v.teacher for v in Violation.objects.all()] == [world.director]


def test_re_marking_normal_dismisses_a_proposed_fine_and_removes_the_incident(world):
    mark(world, "late")
    mark(world, "normal")
    assert not AttendanceIncident.objects.exists()
    [violation] = violations_of(world.teacher)
    assert violation.status == "dismissed"
    assert violation.decision_reason == gettext("patrol mark corrected")
    assert violation.decided_by == world.office_staff.user
    assert PatrolMark.objects.get().status == "normal"


def test_re_marking_is_refused_once_the_office_confirmed_the_fine(world):
    mark(world, "late")
    violation_confirm(violation=Violation.objects.get(), user=world.director.user)
    with pytest.raises(ValidationError, match="appeal"):
        mark(world, "normal")
    assert PatrolMark.objects.get().status == "late"
    assert AttendanceIncident.objects.count() == 1
    assert Violation.objects.get().status == "confirmed"


def test_late_then_absent_replaces_the_fine_and_marking_late_again_fines_again_once(world):
    mark(world, "late")
    mark(world, "absent")
    statuses = [(v.code, v.status, v.amount) for v in violations_of(world.teacher)]
    assert statuses == [("late_to_class", "dismissed", Decimal("2.00")), ("absent", "proposed", Decimal("20.00"))]
    assert AttendanceIncident.objects.get().kind == "absent"
    mark(world, "normal")
    mark(world, "late")
    mark(world, "late")
    proposed = [(v.code, v.amount) for v in violations_of(world.teacher) if v.status == "proposed"]
    assert proposed == [("late_to_class", Decimal("2.00"))]


def test_notes_are_required_for_other_issues_and_unapproved_swaps(world):
    with pytest.raises(ValidationError):
        mark(world, "other")
    with pytest.raises(ValidationError):
        mark(world, "unapproved_swap", note="  ")
    assert not PatrolMark.objects.exists()
    mark(world, "other", school_class=world.class_2, note="projector broken")
    result = mark(world, "unapproved_swap", note="组长戊 was teaching")
    incident = AttendanceIncident.objects.get()
    assert (incident.mark, incident.kind, incident.teacher) == (result, "unapproved_swap", world.teacher)
    assert Violation.objects.count() == 0  # no variant fines it


def test_marks_are_refused_with_no_lesson_in_the_future_in_a_holiday_or_by_a_teacher(world):
    with pytest.raises(ValidationError, match="no lesson"):
        mark(world, "late", period=3)
    mark(world, "normal", period=3)  # a class with no lesson can still be seen to be fine
    with pytest.raises(ValidationError):
        mark(world, "late", day=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        mark(world, "late", period=9)  # the school has eight periods
    Holiday.objects.create(term=world.term, name="国庆", start_date=last_monday(world) - dt.timedelta(days=7),
                           end_date=last_monday(world) - dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="国庆"):
        mark(world, "late", day=last_monday(world) - dt.timedelta(days=7))
    with pytest.raises(PermissionDenied):
        mark(world, "late", user=world.teacher.user)
    with pytest.raises(PermissionDenied):
        mark(world, "late", user=world.principal.user)  # reads the summary, does not patrol
    with pytest.raises(PermissionDenied):
        mark(world, "late", user=world.village_director.user)  # not her school
    mark(world, "late", school_class=world.village_class, user=world.village_director.user)


def test_mark_all_normal_marks_only_the_unmarked_classes(world):
    mark(world, "late")
    assert patrol_mark_all_normal(school=world.school, date=last_monday(world), period=1,
                                  user=world.office_staff.user) == 1
    assert dict(PatrolMark.objects.values_list("school_class_id", "status")) == {
        world.class_1.pk: "late", world.class_2.pk: "normal",
    }
    normal = PatrolMark.objects.get(school_class=world.class_2)
    assert normal.expected_teacher == world.other_teacher and normal.history.count() == 1
    assert patrol_mark_all_normal(school=world.school, date=last_monday(world), period=1,
                                  user=world.office_staff.user) == 0


def test_the_office_records_the_cause_and_the_report_to_the_director(world):
    incident = mark(world, "absent").incident
    incident = incident_update(incident=incident, cause="Hospital", reported=True, user=world.office_staff.user)
    assert incident.cause == "Hospital" and incident.reported_at is not None
    reported_at = incident.reported_at
    assert incident_update(incident=incident, cause="Hospital visit", reported=True,
                           user=world.office_staff.user).reported_at == reported_at
    with pytest.raises(PermissionDenied):
        incident_update(incident=incident, cause="x", reported=False, user=world.principal.user)


def test_the_summary_counts_classes_patrolled_incidents_and_issues(world):
    mark(world, "late")
    mark(world, "other", school_class=world.class_2, note="windows open in the rain")
    mark(world, "normal", period=2)
    summary = patrol_summary(world.school, last_monday(world))
    first, second = summary["periods"][0], summary["periods"][1]
    assert (first.patrolled, first.total, second.patrolled) == (2, 2, 1)
    assert [m.incident.teacher for m in first.incidents] == [world.teacher]
    assert [m.note for m in first.issues] == ["windows open in the rain"]
    assert summary["week"] == [{"name": world.teacher.name, "total": 1, "cells": [1, 0, 0, 0]}]


# --- lesson swaps --------------------------------------------------------------------------------------------


def request(world, **kwargs):
    values = {"requester": world.teacher, "substitute": world.group_leader, "date": next_monday(world),
              "period": 1, "reason": "a training day"}
    return swap_request(**(values | kwargs))


def test_a_substitute_request_approved_by_the_office(world):
    swap = request(world)
    assert (swap.status, swap.teacher, swap.substitute, swap.subject, swap.school_class) == (
        "requested", world.teacher, world.group_leader, world.chinese, world.class_1)
    assert swap.paired_with is None and swap.term == world.term
    with pytest.raises(PermissionDenied):
        swap_approve(swap=swap, user=world.teacher.user)
    with pytest.raises(PermissionDenied):
        swap_approve(swap=swap, user=world.village_director.user)
    swap = swap_approve(swap=swap, user=world.office_staff.user, note="ok")
    assert (swap.status, swap.decided_by, swap.decision_note) == ("approved", world.office_staff.user, "ok")
    with pytest.raises(ValidationError):
        swap_reject(swap=swap, user=world.office_staff.user, note="changed my mind")
    with pytest.raises(ValidationError):
        swap_cancel(swap=swap, user=world.teacher.user)


def test_reject_needs_a_note_and_cancel_is_the_requesters_while_requested(world):
    swap = request(world)
    with pytest.raises(ValidationError):
        swap_reject(swap=swap, user=world.office_staff.user, note=" ")
    with pytest.raises(PermissionDenied):
        swap_cancel(swap=swap, user=world.group_leader.user)
    assert swap_cancel(swap=swap, user=world.teacher.user).status == "cancelled"
    # Cancelled, the lesson may be asked for again; that one the office rejects.
    again = request(world)
    assert swap_reject(swap=again, user=world.director.user, note="exam week").status == "rejected"


@pytest.mark.parametrize("problem", ["busy", "busy_by_swap", "no_lesson", "past", "holiday", "out_of_term",
                                     "myself", "other_school", "twice"])
def test_swap_requests_are_refused(world, problem):
    day = next_monday(world)
    kwargs = {}
    if problem == "busy":
        kwargs = {"substitute": world.other_teacher}  # she teaches class 2 then
    elif problem == "busy_by_swap":
        other = swap_request(requester=world.other_teacher, substitute=world.group_leader, date=day, period=1,
                             reason="ill")
        swap_approve(swap=other, user=world.office_staff.user)  # the group leader now covers class 2 then
    elif problem == "no_lesson":
        kwargs = {"period": 2}
    elif problem == "past":
        kwargs = {"date": last_monday(world)}
    elif problem == "holiday":
        Holiday.objects.create(term=world.term, name="运动会", start_date=day, end_date=day)
    elif problem == "out_of_term":
        kwargs = {"date": calendar_monday_after(world.term.end_date)}
    elif problem == "myself":
        kwargs = {"substitute": world.teacher}
    elif problem == "other_school":
        kwargs = {"substitute": world.village_teacher}
    elif problem == "twice":
        request(world)
    with pytest.raises(ValidationError):
        request(world, **kwargs)
    assert LessonSwap.objects.filter(requested_by=world.teacher, status="requested").count() == (
        1 if problem == "twice" else 0
    )


def calendar_monday_after(day):
    return day + dt.timedelta(days=7 - day.weekday())


def test_a_busy_teacher_is_free_when_her_lesson_is_swapped_away(world):
    day = next_monday(world)
    assert not teacher_is_free(world.other_teacher, day, 1, term=world.term)
    swap = swap_request(requester=world.other_teacher, substitute=world.director, date=day, period=1, reason="ill")
    swap_approve(swap=swap, user=world.office_staff.user)
    assert teacher_is_free(world.other_teacher, day, 1, term=world.term)
    assert not teacher_is_free(world.director, day, 1, term=world.term)
    # So other_teacher may now take the teacher's lesson of class 1 at that time.
    assert request(world, substitute=world.other_teacher).substitute == world.other_teacher


def test_approval_is_refused_when_the_substitute_is_no_longer_free(world):
    first = request(world)
    second = swap_request(requester=world.other_teacher, substitute=world.group_leader, date=next_monday(world),
                          period=1, reason="ill")
    swap_approve(swap=second, user=world.office_staff.user)
    with pytest.raises(ValidationError, match=world.group_leader.name):
        swap_approve(swap=first, user=world.office_staff.user)
    assert LessonSwap.objects.get(pk=first.pk).status == "requested"


def test_an_exchange_within_one_class_is_two_rows_approved_together(world):
    monday, wednesday = next_monday(world), next_monday(world) + dt.timedelta(days=2)
    TimetableEntryFactory(term=world.term, school_class=world.class_1, weekday=3, period=3, subject=world.maths,
                          teacher=world.director)
    first = request(world, substitute=world.director, exchange_date=wednesday, exchange_period=3)
    second = first.paired_with
    assert second.paired_with == first
    # The director teaches her maths on Monday; the teacher her Chinese on Wednesday.
    assert (first.date, first.teacher, first.substitute, first.subject) == (monday, world.teacher, world.director,
                                                                            world.maths)
    assert (second.date, second.period, second.teacher, second.substitute, second.subject) == (
        wednesday, 3, world.director, world.teacher, world.chinese)
    swap_approve(swap=second, user=world.office_staff.user)
    assert set(LessonSwap.objects.values_list("status", flat=True)) == {"approved"}
    assert by_class(expected_lessons(world.school, monday, 1))[world.class_1.pk].teacher == world.director
    assert by_class(expected_lessons(world.school, wednesday, 3))[world.class_1.pk].subject == world.chinese


def test_an_exchange_across_classes_keeps_each_lessons_subject_and_is_cancelled_together(world):
    tuesday = next_monday(world) + dt.timedelta(days=1)
    first = request(world, exchange_date=tuesday, exchange_period=1)  # the group leader's Chinese of class 2
    assert (first.paired_with.school_class, first.paired_with.subject, first.paired_with.substitute) == (
        world.class_2, world.chinese, world.teacher)
    swap_cancel(swap=first.paired_with, user=world.teacher.user)
    assert set(LessonSwap.objects.values_list("status", flat=True)) == {"cancelled"}


def test_an_exchange_needs_the_other_teachers_lesson_and_the_requester_free(world):
    tuesday = next_monday(world) + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match=world.group_leader.name):
        request(world, exchange_date=tuesday, exchange_period=2)  # the group leader has no lesson then
    TimetableEntryFactory(term=world.term, school_class=world.class_1, weekday=2, period=1, subject=world.maths,
                          teacher=world.teacher)
    with pytest.raises(ValidationError, match="not free"):
        request(world, exchange_date=tuesday, exchange_period=1)  # the teacher teaches class 1 then
    assert not LessonSwap.objects.exists()
