"""Reads of the school model. Each returns a queryset or a small structure with a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Period, School, SchoolClass, Staff, StaffRole, Student, Term, TimetableEntry
from .permissions import restrict, scope_for


def today() -> dt.date:
    return timezone.localdate()


def current_term(school: School | None, day: dt.date | None = None) -> Term | None:
    """The term of the school's calendar (its central school's) that holds `day`, else the latest one begun,
    else the next one."""
    if school is None:
        return None
    day = day or today()
    terms = Term.objects.filter(school_year__school_id=school.root_id).select_related("school_year")
    return (
        terms.filter(start_date__lte=day, end_date__gte=day).prefetch_related("holidays").first()
        or terms.filter(start_date__lte=day).order_by("-start_date").prefetch_related("holidays").first()
        or terms.order_by("start_date").prefetch_related("holidays").first()
    )


def schools_visible_to(user) -> QuerySet:
    scope = scope_for(user)
    qs = School.objects.select_related("parent")
    if scope.everything:
        return qs
    ids = set(scope.school_ids)
    if scope.staff:
        ids.add(scope.staff.school_id)
    return qs.filter(pk__in=ids)


def staff_list(user) -> QuerySet:
    return (
        restrict(Staff.objects.all(), user, school="school", teacher="pk")
        .select_related("school", "user")
        .prefetch_related("roles", "groups", "led_groups")
        .order_by("school_id", "staff_no")
    )


def class_list(user) -> QuerySet:
    return (
        restrict(SchoolClass.objects.all(), user, school="grade__school", teacher=None)
        .select_related("grade", "grade__school", "head_teacher")
        .annotate(student_count=Count("students", distinct=True))
        .order_by("grade__school_id", "grade__level", "number")
    )


def student_list(user) -> QuerySet:
    return (
        restrict(Student.objects.all(), user, school="school_class__grade__school", teacher=None)
        .select_related("school_class", "school_class__grade", "school_class__grade__school")
        .order_by("school_class__grade__school_id", "school_class__grade__level", "school_class__number", "student_no")
    )


def timetable_entries(term: Term) -> QuerySet:
    return TimetableEntry.objects.filter(term=term).select_related(
        "school_class", "school_class__grade", "subject", "teacher"
    )


def lessons_of_teacher(term: Term, staff: Staff) -> QuerySet:
    return timetable_entries(term).filter(teacher=staff).order_by("weekday", "period")


def lessons_of_class(term: Term, school_class: SchoolClass) -> QuerySet:
    return timetable_entries(term).filter(school_class=school_class).order_by("weekday", "period")


def timetable_grid(entries, periods=()) -> tuple[list[int], list[dict]]:
    """A weekly grid: the weekdays shown (Monday to Friday, and the weekend if it has lessons) and one row per
    period of the school's day (and any other period that has a lesson), a cell per weekday holding its lessons."""
    entries = list(entries)
    weekdays = sorted({1, 2, 3, 4, 5} | {e.weekday for e in entries})
    rows = sorted(set(periods) | {e.period for e in entries})
    cells = {}
    for e in entries:
        cells.setdefault((e.period, e.weekday), []).append(e)
    return weekdays, [{"period": p, "cells": [cells.get((p, d), []) for d in weekdays]} for p in rows]


def period_numbers(school: School) -> list[int]:
    return list(Period.objects.filter(school=school).values_list("number", flat=True))


def teaching_load(term: Term, staff: Staff) -> list[dict]:
    """The teacher's classes and subjects this term with lessons a week, from the timetable."""
    return list(
        TimetableEntry.objects.filter(term=term, teacher=staff)
        .values("school_class_id", "school_class__grade__name", "school_class__number", "subject__name")
        .annotate(lessons=Count("id"))
        .order_by("school_class__grade__level", "school_class__number", "subject__name")
    )


def school_overview(school_ids, term: Term | None) -> dict:
    """Counts the office and the principal see on their home page."""
    staff = Staff.objects.filter(school_id__in=school_ids, is_active=True)
    classes = SchoolClass.objects.filter(grade__school_id__in=school_ids)
    result = {
        "staff": staff.count(),
        "classes": classes.count(),
        "students": Student.objects.filter(school_class__grade__school_id__in=school_ids, is_active=True).count(),
        "young_or_new": staff.filter(Q(is_young=True) | Q(is_new=True)).count(),
        "lessons": 0,
        "classes_without_timetable": 0,
    }
    if term is not None:
        result["lessons"] = TimetableEntry.objects.filter(term=term, school_class__in=classes).count()
        result["classes_without_timetable"] = classes.exclude(timetable__term=term).count()
    return result


def group_members(group_ids) -> QuerySet:
    return (
        Staff.objects.filter(groups__in=group_ids, is_active=True)
        .select_related("school")
        .prefetch_related(Prefetch("roles", queryset=StaffRole.objects.all()))
        .distinct()
        .order_by("staff_no")
    )
