"""Reads of the daily patrol (巡课), attendance incidents and lesson swaps (调课): who is expected in each
classroom, what the patrol found, and the lists each person may see (DOMAIN.md "Teacher attendance, timetable and
patrol", V2.II.1-3). Each runs a fixed number of queries, whatever the size of the school."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, FilteredRelation, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from deductions.models import Violation
from school import calendar
from school.models import Period, School, SchoolClass, Staff, Term, TimetableEntry
from school.permissions import restrict, scope_for
from school.selectors import current_term

from ..models import AttendanceIncident, LessonSwap, PatrolMark

APPROVED = LessonSwap.Status.APPROVED
# The statuses of a mark that say the expected teacher was not (properly) there: each is an attendance incident.
INCIDENT_STATUSES = frozenset({
    PatrolMark.Status.LATE, PatrolMark.Status.LEFT_EARLY, PatrolMark.Status.ABSENT,
    PatrolMark.Status.UNAPPROVED_SWAP,
})
# Marks that need a note: what the issue was, or who was in the room instead.
NOTE_STATUSES = frozenset({PatrolMark.Status.OTHER, PatrolMark.Status.UNAPPROVED_SWAP})


# --- the calendar of one day --------------------------------------------------------------------------------


def periods_for(school: School) -> list[Period]:
    """The school's bell times; a village school with none of its own rings its central school's. One query."""
    periods = list(Period.objects.filter(school_id__in={school.pk, school.root_id}).order_by("number"))
    own = [p for p in periods if p.school_id == school.pk]
    return own or [p for p in periods if p.school_id == school.root_id]


def current_period(school: School, now: dt.datetime | None = None, *, periods=None) -> Period | None:
    """The period in progress by the school's bells, else the next one today; None after the last one."""
    now = timezone.localtime(now) if now is not None else timezone.localtime()
    moment = now.time()
    upcoming = None
    for period in periods if periods is not None else periods_for(school):
        if period.start_time <= moment <= period.end_time:
            return period
        if period.start_time > moment and (upcoming is None or period.start_time < upcoming.start_time):
            upcoming = period
    return upcoming


def term_of_day(school: School, day: dt.date) -> Term | None:
    """The term of the school's calendar that holds `day` (None between terms)."""
    term = current_term(school, day)
    return term if term is not None and term.contains(day) else None


def holiday_on(term: Term, day: dt.date):
    """The term's holiday that holds `day`, if any (the term's holidays are prefetched by `current_term`)."""
    return next((h for h in term.holidays.all() if h.start_date <= day <= h.end_date), None)


# --- who is expected in each classroom ----------------------------------------------------------------------


@dataclass
class ExpectedLesson:
    """What a class has at a date and period: the timetabled lesson, replaced by an approved swap, or nothing."""

    school_class: SchoolClass
    entry: TimetableEntry | None = None
    swap: LessonSwap | None = None
    mark: PatrolMark | None = None
    error: str = ""

    @property
    def teacher(self) -> Staff | None:
        if self.swap is not None:
            return self.swap.substitute
        return self.entry.teacher if self.entry is not None else None

    @property
    def subject(self):
        if self.swap is not None:
            return self.swap.subject
        return self.entry.subject if self.entry is not None else None

    @property
    def has_lesson(self) -> bool:
        return self.entry is not None or self.swap is not None


def expected_lessons(
    school: School, date: dt.date, period: int, *, term: Term | None = None, class_ids=None
) -> list[ExpectedLesson]:
    """Every class of the school (or only `class_ids`) with the teacher and subject expected at `date` and
    `period`: the timetable of that weekday, unless an approved swap (V2.II.3) gives the lesson to a substitute.
    Two queries for the whole school (the classes with their lesson in one, the approved swaps in the other), plus
    the term's when it is not given."""
    if term is None:
        term = term_of_day(school, date)
    classes = SchoolClass.objects.filter(grade__school=school).select_related("grade")
    if class_ids is not None:
        classes = classes.filter(pk__in=list(class_ids))
    if term is not None:
        # At most one lesson per class and period (the timetable's unique constraint): a single-valued join.
        classes = classes.annotate(
            slot_lesson=FilteredRelation(
                "timetable",
                condition=Q(timetable__term=term, timetable__weekday=date.isoweekday(), timetable__period=period),
            )
        ).select_related("slot_lesson__teacher", "slot_lesson__subject")
    swaps = LessonSwap.objects.filter(
        school_class__grade__school=school, date=date, period=period, status=APPROVED
    ).select_related("substitute", "subject", "teacher")
    if class_ids is not None:
        swaps = swaps.filter(school_class_id__in=list(class_ids))
    swap_by_class = {s.school_class_id: s for s in swaps}
    return [
        ExpectedLesson(
            school_class=c,
            entry=getattr(c, "slot_lesson", None) if term is not None else None,
            swap=swap_by_class.get(c.pk),
        )
        for c in classes
    ]


def approved_swap_for(school_class: SchoolClass, date: dt.date, period: int) -> LessonSwap | None:
    """The approved swap (调课) of this class's lesson at this date and period, if any: its `substitute` teaches
    `subject` instead of the timetabled `teacher`. One query."""
    return (
        LessonSwap.objects.filter(school_class=school_class, date=date, period=period, status=APPROVED)
        .select_related("substitute", "subject", "teacher")
        .first()
    )


def patrol_rows(school: School, date: dt.date, period: int, *, term: Term | None = None,
                class_ids=None) -> list[ExpectedLesson]:
    """The patrol page's rows: each class's expected lesson with what the patrol marked (one more query)."""
    rows = expected_lessons(school, date, period, term=term, class_ids=class_ids)
    marks = PatrolMark.objects.filter(
        patrol__school=school, patrol__date=date, patrol__period=period
    ).select_related("incident", "incident__teacher")
    if class_ids is not None:
        marks = marks.filter(school_class_id__in=list(class_ids))
    by_class = {m.school_class_id: m for m in marks}
    for row in rows:
        row.mark = by_class.get(row.school_class.pk)
    return rows


# --- is a teacher free? -------------------------------------------------------------------------------------


def teacher_is_free(staff: Staff, date: dt.date, period: int, *, term: Term | None,
                    ignoring_entry_ids=()) -> bool:
    """Whether `staff` has nothing to teach at `date` and `period`: no timetabled lesson then (unless an approved
    swap gives it to someone else, or it is one of `ignoring_entry_ids`, the lessons being exchanged), and no
    approved swap bringing her to another class. Two queries."""
    changes = list(
        LessonSwap.objects.filter(date=date, period=period, status=APPROVED)
        .filter(Q(teacher=staff) | Q(substitute=staff))
        .values_list("teacher_id", "substitute_id", "school_class_id")
    )
    if any(substitute_id == staff.pk for _t, substitute_id, _c in changes):
        return False
    if term is None:
        return True
    given_away = {class_id for teacher_id, _s, class_id in changes if teacher_id == staff.pk}
    lessons = TimetableEntry.objects.filter(
        term=term, teacher=staff, weekday=date.isoweekday(), period=period
    ).exclude(pk__in=list(ignoring_entry_ids))
    return not any(class_id not in given_away for class_id in lessons.values_list("school_class_id", flat=True))


def lesson_of_teacher(staff: Staff, date: dt.date, period: int, *, term: Term | None) -> TimetableEntry | None:
    """The lesson `staff` has in her timetable on `date`'s weekday at `period`."""
    if term is None:
        return None
    return (
        TimetableEntry.objects.filter(term=term, teacher=staff, weekday=date.isoweekday(), period=period)
        .select_related("school_class", "school_class__grade", "subject")
        .first()
    )


# --- lists --------------------------------------------------------------------------------------------------


def swaps_visible_to(user) -> QuerySet:
    """Swaps a person may see: her own (asked for, of her lessons, or taught by her), her group's as a group
    leader, every swap of her schools as a leader or the office."""
    queryset = restrict(LessonSwap.objects.all(), user, school="school", teacher="teacher")
    staff = scope_for(user).staff
    if staff is not None and not scope_for(user).everything:
        queryset = queryset | LessonSwap.objects.filter(Q(substitute=staff) | Q(requested_by=staff))
    return queryset


def swap_list(user, *, status: str = "") -> QuerySet:
    """The swaps a person sees, the ones waiting for the office first, then by date."""
    queryset = swaps_visible_to(user)
    if status:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related(
            "school", "school_class", "school_class__grade", "subject", "teacher", "substitute",
            "requested_by", "paired_with",
        )
        .annotate(
            waiting=Case(When(status=LessonSwap.Status.REQUESTED, then=Value(0)), default=Value(1),
                         output_field=IntegerField())
        )
        .order_by("waiting", "-date", "period", "id")
    )


def incidents_visible_to(user) -> QuerySet:
    """Incidents a person may see: her own, her group's as a group leader, her schools' as a leader or the
    office."""
    return restrict(AttendanceIncident.objects.all(), user, school="school", teacher="teacher")


def incident_list(user, *, kind: str = "", unreported: bool = False) -> QuerySet:
    queryset = incidents_visible_to(user)
    if kind:
        queryset = queryset.filter(kind=kind)
    if unreported:
        queryset = queryset.filter(reported_at__isnull=True)
    return queryset.select_related(
        "teacher", "school", "mark", "mark__school_class", "mark__school_class__grade", "mark__marked_by"
    ).order_by("-date", "-period", "-id")


def violations_of_incidents(incidents) -> dict[int, Violation]:
    """The fine recorded for each incident (by incident id), in one query."""
    ids = [i.pk for i in incidents]
    if not ids:
        return {}
    source_type = ContentType.objects.get_for_model(AttendanceIncident)
    return {
        v.source_id: v
        for v in Violation.objects.filter(source_type=source_type, source_id__in=ids).order_by("recorded_at", "id")
    }


# --- the principal's summary --------------------------------------------------------------------------------


@dataclass
class PeriodSummary:
    period: Period
    patrolled: int = 0
    total: int = 0
    patroller: Staff | None = None
    incidents: list = field(default_factory=list)
    issues: list = field(default_factory=list)


def patrol_summary(school: School, date: dt.date) -> dict:
    """The day's patrol for the principal: per period, classes patrolled of all classes, the attendance incidents
    (teacher and kind) and the other issues with their notes; and the week's incidents by teacher. A fixed
    number of queries."""
    periods = periods_for(school)
    total = SchoolClass.objects.filter(grade__school=school).count()
    summaries = {p.number: PeriodSummary(period=p, total=total) for p in periods}
    marks = (
        PatrolMark.objects.filter(patrol__school=school, patrol__date=date)
        .select_related(
            "patrol", "patrol__patroller", "school_class", "school_class__grade", "expected_teacher",
            "expected_subject", "incident", "incident__teacher",
        )
        .order_by("patrol__period", "school_class__grade__level", "school_class__number")
    )
    for mark in marks:
        number = mark.patrol.period
        if number not in summaries:  # a period since removed from the bell times
            summaries[number] = PeriodSummary(
                period=Period(school=school, number=number, start_time=dt.time(0), end_time=dt.time(0)),
                total=total,
            )
        summary = summaries[number]
        summary.patrolled += 1
        summary.patroller = mark.patrol.patroller
        incident = getattr(mark, "incident", None)
        if incident is not None:
            summary.incidents.append(mark)
        elif mark.status == PatrolMark.Status.OTHER:
            summary.issues.append(mark)
    monday = calendar.monday_of(date)
    week_end = monday + dt.timedelta(days=6)
    counts = (
        AttendanceIncident.objects.filter(school=school, date__range=(monday, week_end))
        .values("teacher_id", "teacher__name", "kind")
        .annotate(n=Count("id"))
        .order_by("teacher__name", "teacher_id")
    )
    by_teacher: dict[int, dict] = {}
    for row in counts:
        entry = by_teacher.setdefault(
            row["teacher_id"], {"name": row["teacher__name"], "counts": {}, "total": 0}
        )
        entry["counts"][row["kind"]] = row["n"]
        entry["total"] += row["n"]
    kinds = list(AttendanceIncident.Kind)
    week = [
        {"name": e["name"], "total": e["total"], "cells": [e["counts"].get(k.value, 0) for k in kinds]}
        for e in sorted(by_teacher.values(), key=lambda e: (-e["total"], e["name"]))
    ]
    return {
        "periods": [summaries[n] for n in sorted(summaries)],
        "total_classes": total,
        "week_start": monday,
        "week_end": week_end,
        "week": week,
        "kinds": kinds,
    }
