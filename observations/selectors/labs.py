"""Reads of the lab side (V4.IV.6): the required experiments, who must do them with which class, what has been
done, and what is required but not done by a school month.

Experiments belong to the central school (`school.root`), like its subjects and calendar; its village schools'
classes do the same experiments. The teacher an experiment falls to is the one who teaches its subject in the
class this term, from the timetable. Every function runs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from school.imports.rows import GRADE_NAMES
from school.models import School, SchoolClass, Staff, Term, TimetableEntry
from school.permissions import restrict, scope_for

from ..models import Experiment, LabSession, LabShortfall, LabTidinessCheck


@dataclass(frozen=True)
class Reach:
    """The central school a lab page follows (experiments, calendar) and the schools whose rows it covers."""

    root: School
    school_ids: frozenset[int]


def reach_for(user, *, managing: bool = False, root: School | None = None) -> Reach | None:
    """The user's reach: the schools she sees (`managing`: the schools she manages) under her central school.
    A superuser covers a central school and its village schools: `root`'s, else the first central school."""
    scope = scope_for(user)
    if scope.staff is not None:
        root = scope.staff.school.root
    elif root is None:
        root = School.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        return None
    if scope.everything:
        ids = {root.pk, *School.objects.filter(parent_id=root.pk).values_list("pk", flat=True)}
    else:
        ids = scope.managed_school_ids if managing else scope.school_ids
    return Reach(root=root, school_ids=frozenset(ids))


def grade_label(level: int) -> str:
    """七年级 for 7: the usual name of a grade level (an experiment names a level, not one school's grade)."""
    return GRADE_NAMES.get(level, str(level))


def terms_of(root: School) -> QuerySet:
    """The terms of a central school's calendar, latest first."""
    return Term.objects.filter(school_year__school=root).select_related("school_year").order_by("-start_date")


def default_month(term: Term, day: dt.date) -> int:
    """The school month holding `day`; the last month for a term that has ended, the first for one to come."""
    months = term.school_months()
    month = term.school_month_of(day)
    if month is not None:
        return month.number
    return months[-1].number if day > term.end_date else months[0].number


# --- experiments ---------------------------------------------------------------------------------------------


def experiments_of(root: School, term_number: int | None = None) -> QuerySet:
    queryset = Experiment.objects.filter(school=root).select_related("subject")
    if term_number is not None:
        queryset = queryset.filter(term_number=term_number)
    return queryset.order_by("subject__order", "subject_id", "grade_level", "term_number", "month_number", "name")


def experiments_due(root: School, term: Term, month: int | None = None) -> QuerySet:
    """The term's experiments due by school month `month`: those whose month is at most `month`; in the term's
    last month (or with no month given) every one, including those due "by the end of term"."""
    queryset = experiments_of(root, term.number)
    if month is not None and month < term.school_months()[-1].number:
        queryset = queryset.filter(month_number__lte=month)
    return queryset


def experiment_completion(*, root: School, school_ids, term: Term, subject_id=None, grade_level=None) -> list[dict]:
    """The term's experiments with, for each, the classes of its grade (in `school_ids`), how many have done it and
    how many shortfalls have been recorded. Four queries."""
    experiments = experiments_of(root, term.number)
    if subject_id:
        experiments = experiments.filter(subject_id=subject_id)
    if grade_level:
        experiments = experiments.filter(grade_level=grade_level)
    classes = dict(
        SchoolClass.objects.filter(grade__school_id__in=school_ids)
        .values_list("grade__level").annotate(n=Count("id")).order_by()
    )
    done = dict(
        LabSession.objects.filter(term=term, school_class__grade__school_id__in=school_ids)
        .values_list("experiment_id").annotate(n=Count("school_class", distinct=True)).order_by()
    )
    missed = dict(
        LabShortfall.objects.filter(term=term, school_class__grade__school_id__in=school_ids)
        .values_list("experiment_id").annotate(n=Count("id")).order_by()
    )
    rows = []
    for experiment in experiments:
        total = classes.get(experiment.grade_level, 0)
        rows.append({
            "experiment": experiment,
            "grade": grade_label(experiment.grade_level),
            "classes": total,
            "done": done.get(experiment.pk, 0),
            "shortfalls": missed.get(experiment.pk, 0),
            "percent": round(100 * done.get(experiment.pk, 0) / total) if total else None,
        })
    return rows


# --- who teaches what ----------------------------------------------------------------------------------------


def subject_teachers(term: Term, school_ids) -> dict[tuple[int, int], int]:
    """(class id, subject id) -> the teacher id who teaches that subject in that class this term: the one with the
    most lessons a week, ties to the lowest staff number. One query, grouped in the database."""
    rows = (
        TimetableEntry.objects.filter(term=term, school_class__grade__school_id__in=school_ids)
        .values_list("school_class_id", "subject_id", "teacher_id", "teacher__staff_no")
        .annotate(lessons=Count("id"))
        .order_by()
    )
    best: dict[tuple[int, int], tuple] = {}
    for class_id, subject_id, teacher_id, staff_no, lessons in rows:
        rank = (-lessons, staff_no)
        key = (class_id, subject_id)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, teacher_id)
    return {key: teacher_id for key, (_rank, teacher_id) in best.items()}


def experiments_for_teacher(staff: Staff, term: Term) -> QuerySet:
    """The experiments of the grades and subjects she teaches this term (from the timetable)."""
    taught = set(
        TimetableEntry.objects.filter(term=term, teacher=staff)
        .values_list("subject_id", "school_class__grade__level").distinct()
    )
    if not taught:
        return Experiment.objects.none()
    condition = reduce(or_, (Q(subject_id=subject, grade_level=level) for subject, level in sorted(taught)))
    return experiments_of(staff.school.root, term.number).filter(condition)


def classes_for_teacher(staff: Staff, term: Term, experiment: Experiment | None = None) -> QuerySet:
    """The classes she teaches this term; with an experiment, those of its grade she teaches its subject in."""
    taught = TimetableEntry.objects.filter(term=term, teacher=staff)
    if experiment is not None:
        taught = taught.filter(subject_id=experiment.subject_id, school_class__grade__level=experiment.grade_level)
    taught = taught.values("school_class")
    return (
        SchoolClass.objects.filter(pk__in=taught)
        .select_related("grade")
        .order_by("grade__level", "number")
    )


def teaches(staff: Staff, term: Term, experiment: Experiment, school_class: SchoolClass) -> bool:
    """Whether she teaches the experiment's subject in that class this term, and the class is of its grade."""
    return (
        school_class.grade.level == experiment.grade_level
        and school_class.grade.school.root_id == experiment.school_id
        and TimetableEntry.objects.filter(
            term=term, teacher=staff, school_class=school_class, subject_id=experiment.subject_id
        ).exists()
    )


# --- required, done, not done --------------------------------------------------------------------------------


@dataclass
class RequiredPair:
    """An experiment a class must do this term, with whom it falls to and what has happened."""

    experiment: Experiment
    school_class: SchoolClass
    teacher: Staff | None  # None: no one teaches the subject in this class (the timetable lacks it)
    session: LabSession | None
    shortfall: LabShortfall | None

    @property
    def done(self) -> bool:
        return self.session is not None


def required_pairs(
    *, root: School, school_ids, term: Term, month: int | None = None, teacher: Staff | None = None
) -> list[RequiredPair]:
    """Every (experiment, class) required this term (by school month `month`, if given) in `school_ids`, or only
    those that fall to `teacher`. Six queries whatever the size of the school."""
    experiments = list(experiments_due(root, term, month))
    if not experiments:
        return []
    levels = {e.grade_level for e in experiments}
    classes = list(
        SchoolClass.objects.filter(grade__school_id__in=school_ids, grade__level__in=levels)
        .select_related("grade", "grade__school")
        .order_by("grade__school_id", "grade__level", "number")
    )
    teachers_of = subject_teachers(term, school_ids)
    if teacher is not None:
        teachers_of = {key: pk for key, pk in teachers_of.items() if pk == teacher.pk}
    staff = Staff.objects.in_bulk(set(teachers_of.values()))
    class_ids = [c.pk for c in classes]
    sessions = {
        (s.experiment_id, s.school_class_id): s
        for s in LabSession.objects.filter(term=term, school_class_id__in=class_ids).select_related("teacher")
    }
    shortfalls = {
        (s.experiment_id, s.school_class_id): s
        for s in LabShortfall.objects.filter(term=term, school_class_id__in=class_ids)
    }
    by_level = defaultdict(list)
    for school_class in classes:
        by_level[school_class.grade.level].append(school_class)
    pairs = []
    for experiment in experiments:
        for school_class in by_level[experiment.grade_level]:
            teacher_id = teachers_of.get((school_class.pk, experiment.subject_id))
            if teacher is not None and teacher_id is None:
                continue
            key = (experiment.pk, school_class.pk)
            pairs.append(RequiredPair(
                experiment=experiment,
                school_class=school_class,
                teacher=staff.get(teacher_id),
                session=sessions.get(key),
                shortfall=shortfalls.get(key),
            ))
    return pairs


def shortfalls_for_month(*, root: School, school_ids, term: Term, month: int) -> list[RequiredPair]:
    """The required-but-not-done list of a school month: every (experiment, class) due by then with no session."""
    return [p for p in required_pairs(root=root, school_ids=school_ids, term=term, month=month) if not p.done]


# --- the lists -----------------------------------------------------------------------------------------------


def lab_session_list(user, term: Term) -> QuerySet:
    """The sessions the user may see this term: her own, her group's if she leads one, the school's for leaders."""
    return (
        restrict(LabSession.objects.filter(term=term), user, school="school_class__grade__school", teacher="teacher")
        .select_related("experiment", "experiment__subject", "school_class", "school_class__grade", "teacher")
        .order_by("-date", "-id")
    )


def lab_tidiness_list(user, term: Term) -> QuerySet:
    """Tidiness checks the user may see this term: the school's for leaders, her own rooms' for a teacher."""
    return (
        restrict(LabTidinessCheck.objects.filter(term=term), user, school="school", teacher="teacher_in_charge")
        .select_related("teacher_in_charge", "checked_by", "school")
        .order_by("-date", "-id")
    )


def tidiness_teachers(school_ids) -> QuerySet:
    """The staff a tidiness check may name as the teacher in charge."""
    return Staff.objects.filter(school_id__in=school_ids, is_active=True).select_related("school").order_by(
        "school_id", "staff_no"
    )
