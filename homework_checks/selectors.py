"""Reads of the homework side (DOMAIN.md "Homework"): whom a person may inspect, what a teacher teaches, the
gradings a check requires, the inspections and tutoring records a person may see, the weekly check list of the
second half of term and the counts the home page and the six-earnests evaluation show. Each runs a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from inspections.models import Policy
from school import calendar
from school.models import Role, School, SchoolClass, Staff, Student, Subject, Term, TimetableEntry
from school.permissions import SCHOOL_WIDE_ROLES, restrict, scope_for

from . import gradings, planner
from .models import Basis, HomeworkInspection, HomeworkPlan, HomeworkPlanItem, TutoringRecord

# Who inspects homework: the school's leaders and office (V1.7, V6.6, V2.I), other administrative cadres, and group
# leaders for their groups (monthly checks, V4.II, V7.5).
INSPECTOR_ROLES = SCHOOL_WIDE_ROLES | {Role.CADRE}
# The teaching office, who keep the weekly list (V2.I).
OFFICE_ROLES = (Role.DIRECTOR, Role.OFFICE_STAFF, Role.VICE_PRINCIPAL)
TEACHING_ROLES = (Role.TEACHER, Role.GROUP_LEADER)


def is_inspector(staff: Staff | None) -> bool:
    """She may record homework inspections of someone: a leader, the office, a cadre or a group leader."""
    if staff is None:
        return False
    # `led_groups` is prefetched with the request's staff record (school.permissions.get_staff).
    return bool(staff.role_codes & INSPECTOR_ROLES) or bool(staff.led_groups.all())


def _schools_of(staff: Staff) -> set[int]:
    """Her school and, at a central school, its village schools (whose checks the central office leads)."""
    return set(
        School.objects.filter(Q(pk=staff.school_id) | Q(parent_id=staff.school_id)).values_list("pk", flat=True)
    )


def inspectable_teachers(inspector: Staff) -> QuerySet:
    """The teachers she may inspect, never herself: a leader's, the office's or a cadre's schools' teachers; a
    group leader's group members."""
    teachers = Staff.objects.filter(is_active=True, roles__role__in=TEACHING_ROLES).exclude(pk=inspector.pk)
    condition = Q(pk__in=[])
    if inspector.role_codes & INSPECTOR_ROLES:
        condition |= Q(school_id__in=_schools_of(inspector))
    led = [g.pk for g in inspector.led_groups.all()]
    if led:
        condition |= Q(groups__in=led)
    return (
        Staff.objects.filter(pk__in=teachers.filter(condition).values("pk"))
        .select_related("school").order_by("school_id", "staff_no")
    )


def may_inspect(inspector: Staff, teacher: Staff) -> bool:
    return inspectable_teachers(inspector).filter(pk=teacher.pk).exists()


@dataclass(frozen=True)
class Taught:
    """A class and subject a teacher teaches this term, with its lessons a week."""

    school_class: SchoolClass
    subject: Subject
    lessons: int

    @property
    def key(self) -> str:
        return f"{self.school_class.pk}-{self.subject.pk}"

    def __str__(self):
        return f"{self.school_class} · {self.subject}"


def taught_by(teacher: Staff, term: Term) -> list[Taught]:
    """What she teaches this term, from the timetable, by grade, class and subject. One query."""
    counts: Counter = Counter()
    objects = {}
    entries = (
        TimetableEntry.objects.filter(term=term, teacher=teacher)
        .select_related("school_class", "school_class__grade", "subject")
    )
    for entry in entries:
        key = (entry.school_class_id, entry.subject_id)
        counts[key] += 1
        objects[key] = (entry.school_class, entry.subject)
    rows = [Taught(*objects[key], counts[key]) for key in counts]
    return sorted(rows, key=lambda t: (t.school_class.grade.level, t.school_class.number, t.subject.order,
                                       t.subject.pk))


def taught_by_many(term: Term, teacher_ids) -> dict[int, list[Taught]]:
    """`taught_by` for several teachers at once. One query."""
    found: dict[int, Counter] = defaultdict(Counter)
    objects = {}
    entries = (
        TimetableEntry.objects.filter(term=term, teacher_id__in=teacher_ids)
        .select_related("school_class", "school_class__grade", "subject")
    )
    for entry in entries:
        key = (entry.school_class_id, entry.subject_id)
        found[entry.teacher_id][key] += 1
        objects[key] = (entry.school_class, entry.subject)
    return {
        teacher_id: sorted(
            (Taught(*objects[key], n) for key, n in counter.items()),
            key=lambda t: (t.school_class.grade.level, t.school_class.number, t.subject.order, t.subject.pk),
        )
        for teacher_id, counter in found.items()
    }


def is_daily_subject(policy: Policy | None, subject: Subject) -> bool:
    """V6.7: the policy names the subjects graded every day (by name or code, e.g. 语文 and 数学)."""
    if policy is None:
        return False
    names = {str(name).strip() for name in policy.daily_graded_subjects or []}
    return subject.name in names or subject.code in names


@dataclass(frozen=True)
class Required:
    count: int | None
    basis: str  # a Basis value, "" when the policy sets no count

    @property
    def basis_label(self) -> str:
        return str(dict(Basis.choices).get(self.basis, ""))


def required_gradings(*, policy: Policy | None, term: Term, teacher: Staff, school_class: SchoolClass,
                      subject: Subject, start: dt.date, end: dt.date) -> Required:
    """The gradings the policy requires of this class and subject from `start` to `end` (both included): the
    lessons taught (V4.IV.3: the required count is the number of lessons), else, for a subject graded daily
    (V6.7), the days it was taught; else none. Lessons come from the timetable and the term's holidays. One query."""
    per_weekday = Counter(
        TimetableEntry.objects.filter(term=term, teacher=teacher, school_class=school_class, subject=subject)
        .values_list("weekday", flat=True)
    )
    start, end = max(start, term.start_date), min(end, term.end_date)
    if start > end:
        return Required(0 if policy and policy.gradings_equal_lessons else None,
                        Basis.LESSONS if policy and policy.gradings_equal_lessons else "")
    count, basis = gradings.required_gradings(
        per_weekday, start, end, term.holiday_spans,
        equal_lessons=bool(policy and policy.gradings_equal_lessons),
        daily=is_daily_subject(policy, subject),
    )
    return Required(count, basis)


def default_period_start(term: Term, day: dt.date) -> dt.date:
    """The first day a check counts lessons from, unless the inspector says otherwise: the school month's first
    day (a monthly check looks at the month), never before the term."""
    month = term.school_month_of(day)
    return max(month.start if month else term.start_date, term.start_date)


# --- inspections ---------------------------------------------------------------------------------------------


def inspections_visible_to(user) -> QuerySet:
    """The inspections the user may see: hers (of her homework or made by her), her group's, her schools'."""
    scope = scope_for(user)
    visible = restrict(HomeworkInspection.objects.all(), user, school="school", teacher="teacher")
    if scope.staff is not None and not scope.everything:
        visible = HomeworkInspection.objects.filter(
            Q(pk__in=visible.values("pk")) | Q(inspector_id=scope.staff.pk)
        )
    return visible


def inspection_list(user, term: Term) -> QuerySet:
    return (
        inspections_visible_to(user).filter(term=term)
        .select_related("school", "teacher", "inspector", "school_class", "school_class__grade", "subject")
        .order_by("-date", "-id")
    )


def inspection_detail(user) -> QuerySet:
    return inspections_visible_to(user).select_related(
        "school", "term", "term__school_year", "teacher", "inspector", "school_class", "school_class__grade",
        "subject",
    )


def fines_of(inspections) -> dict[int, object]:
    """The finding each inspection produced (deductions.Violation), by inspection id. One query."""
    from django.contrib.contenttypes.models import ContentType

    from deductions.models import Violation

    ids = [i.pk for i in inspections]
    if not ids:
        return {}
    found = Violation.objects.filter(
        source_type=ContentType.objects.get_for_model(HomeworkInspection), source_id__in=ids
    )
    return {v.source_id: v for v in found}


# --- tutoring -----------------------------------------------------------------------------------------------


def tutoring_visible_to(user) -> QuerySet:
    return restrict(TutoringRecord.objects.all(), user, school="school", teacher="teacher")


def tutoring_list(user, term: Term) -> QuerySet:
    """Struggling students' tutoring first (V4.IV.4), then by date, latest first."""
    return (
        tutoring_visible_to(user).filter(term=term)
        .select_related("teacher", "school_class", "school_class__grade")
        .prefetch_related(Prefetch("students", queryset=Student.objects.order_by("student_no")))
        .order_by(
            # struggling < top < other
            _kind_order(), "-date", "-id",
        )
    )


def _kind_order():
    kinds = [TutoringRecord.Kind.STRUGGLING, TutoringRecord.Kind.TOP, TutoringRecord.Kind.OTHER]
    return Case(*(When(kind=k, then=Value(n)) for n, k in enumerate(kinds)), output_field=IntegerField())


def tutoring_students(school_class: SchoolClass) -> QuerySet:
    """The class's students, the weakest by baseline first (struggling students first, V4.IV.4)."""
    return (
        Student.objects.filter(school_class=school_class, is_active=True)
        .order_by(F("baseline_score").asc(nulls_last=True), "student_no")
    )


def tutoring_classes(teacher: Staff, term: Term) -> QuerySet:
    """The classes she may log tutoring of: those she teaches this term, and the one she is head teacher of."""
    return (
        SchoolClass.objects.filter(Q(timetable__term=term, timetable__teacher=teacher) | Q(head_teacher=teacher))
        .select_related("grade").distinct().order_by("grade__level", "number")
    )


@dataclass(frozen=True)
class TutoringCount:
    records: int = 0
    struggling: int = 0  # records of struggling students
    students: int = 0  # different students tutored


def tutoring_counts(term: Term, teacher_ids) -> dict[int, TutoringCount]:
    """Each teacher's tutoring this term. One query."""
    teacher_ids = list(teacher_ids)
    if not teacher_ids:
        return {}
    rows = (
        TutoringRecord.objects.filter(term=term, teacher_id__in=teacher_ids).values("teacher_id")
        .annotate(records=Count("id", distinct=True),
                  struggling=Count("id", filter=Q(kind=TutoringRecord.Kind.STRUGGLING), distinct=True),
                  students_tutored=Count("students", distinct=True))
        .order_by()
    )
    return {row["teacher_id"]: TutoringCount(row["records"], row["struggling"], row["students_tutored"])
            for row in rows}


# --- the weekly check list (V2.I) ---------------------------------------------------------------------------


def plan_weeks(term: Term) -> list[calendar.Week]:
    """The teaching weeks of the term's second half, where the weekly list runs (V2.I.2)."""
    spans = [planner.WeekSpan(w.number, w.start, w.end, w.is_teaching) for w in term.weeks()]
    chosen = {w.number for w in planner.second_half(spans, term.midterm_date)}
    return [w for w in term.weeks() if w.number in chosen]


def plan_of(school: School, term: Term) -> HomeworkPlan | None:
    return HomeworkPlan.objects.filter(school=school, term=term).first()


def plan_items(plan: HomeworkPlan) -> QuerySet:
    return (
        plan.items.select_related(
            "teacher", "inspector", "inspection", "inspection__school_class", "inspection__school_class__grade",
            "inspection__subject",
        )
        .prefetch_related("teacher__groups")
        .order_by("week_number", "inspector__staff_no", "teacher__staff_no")
    )


def week_items(*, term: Term, week_start: dt.date, inspector: Staff | None = None, school_ids=None) -> QuerySet:
    """One week's items of the list: the inspector's own, or (the office) those of the schools given."""
    items = HomeworkPlanItem.objects.filter(plan__term=term, week_start=week_start)
    if inspector is not None:
        items = items.filter(inspector=inspector)
    if school_ids is not None:
        items = items.filter(plan__school_id__in=school_ids)
    return (
        items.select_related("plan", "plan__school", "teacher", "inspector", "inspection")
        .prefetch_related("teacher__groups")
        .order_by("inspector__staff_no", "teacher__staff_no")
    )


def plan_progress(plan: HomeworkPlan, teachers) -> dict:
    """How far the list is: items, done, teachers with no item (missing) and with several (repeated)."""
    per_teacher = Counter(plan.items.values_list("teacher_id", flat=True))
    teacher_ids = {t.pk for t in teachers}
    items = sum(per_teacher.values())
    return {
        "items": items,
        "done": plan.items.filter(inspection__isnull=False).count(),
        "missing": [t for t in teachers if per_teacher[t.pk] == 0],
        "repeated": [t for t in teachers if per_teacher[t.pk] > max(plan.times_per_teacher, 1)],
        "others": len(set(per_teacher) - teacher_ids),
    }


def plan_teachers(school: School) -> QuerySet:
    """Every teacher the list checks (V2.I.1: each once a term): the school's active staff who teach."""
    return (
        Staff.objects.filter(pk__in=Staff.objects.filter(
            school=school, is_active=True, roles__role__in=TEACHING_ROLES).values("pk"))
        .prefetch_related("groups").order_by("staff_no")
    )


def plan_inspectors(school: School) -> QuerySet:
    """The office members of the school who check homework on the list."""
    return (
        Staff.objects.filter(pk__in=Staff.objects.filter(
            school=school, is_active=True, roles__role__in=OFFICE_ROLES).values("pk"))
        .order_by("staff_no")
    )


# --- for the home page and the evaluation -------------------------------------------------------------------


def teacher_term_summary(teacher: Staff, term: Term) -> dict:
    """Her homework checks this term (the latest five, and how many) and her tutoring counts. Two queries."""
    checks = list(
        HomeworkInspection.objects.filter(term=term, teacher=teacher)
        .select_related("school_class", "school_class__grade", "subject").order_by("-date", "-id")
    )
    return {"checks": checks[:5], "checks_total": len(checks),
            "tutoring": tutoring_counts(term, [teacher.pk]).get(teacher.pk, TutoringCount())}


def week_of(term: Term, day: dt.date) -> calendar.Week | None:
    return next((w for w in term.weeks() if w.start <= day <= w.end), None)
