"""Reads of inspection rounds and assignments: the rounds a person may see, a round's progress by checker and by
item and who is late, a checker's to-do list, and the home card's counts. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from school.models import School, Staff, Term
from school.permissions import scope_for

from .. import evidence
from ..models import Assignment, Checked, InspectionRound


def root_of(user) -> School | None:
    """The central school whose rounds the user's pages show (a superuser with no staff record: the first)."""
    scope = scope_for(user)
    if scope.staff is not None:
        return scope.staff.school.root
    if scope.everything:
        return School.objects.filter(parent__isnull=True).order_by("pk").first()
    return None


def terms_of(root: School | None) -> QuerySet:
    if root is None:
        return Term.objects.none()
    return Term.objects.filter(school_year__school=root).select_related("school_year").order_by("-start_date")


def rounds_visible_to(user) -> QuerySet:
    """Every member of staff sees her central school's rounds (their summaries are for all staff); the superuser
    sees all."""
    scope = scope_for(user)
    rounds = InspectionRound.objects.select_related("school", "term", "term__school_year", "grade", "subject")
    if scope.everything:
        return rounds
    if scope.staff is None:
        return rounds.none()
    return rounds.filter(school_id=scope.staff.school.root_id)


def _progress(today: dt.date, prefix: str = "") -> dict:
    not_done = Q(**{f"{prefix}done_at__isnull": True})
    return {
        "total": Count(f"{prefix}pk" if prefix else "pk"),
        "done": Count(f"{prefix}pk" if prefix else "pk", filter=~not_done),
        "overdue": Count(f"{prefix}pk" if prefix else "pk", filter=not_done & Q(**{f"{prefix}due_on__lt": today})),
    }


def round_list(user, *, term: Term | None, today: dt.date, kind: str = "", status: str = "") -> QuerySet:
    """The rounds of a term, newest first, each with its assignments, done and overdue counted (one query)."""
    rounds = rounds_visible_to(user)
    if term is not None:
        rounds = rounds.filter(term=term)
    if kind:
        rounds = rounds.filter(kind=kind)
    if status:
        rounds = rounds.filter(status=status)
    return rounds.annotate(**_progress(today, "assignments__")).order_by("-opens_on", "-pk")


def assignments_visible_to(user, round: InspectionRound) -> QuerySet:
    """The round's assignments the user may see: the office and the principal their schools' teachers'; a group
    leader her group's; everyone her own, as checker or as the teacher checked."""
    scope = scope_for(user)
    assignments = Assignment.objects.filter(round=round)
    if scope.everything:
        return assignments
    if scope.staff is None:
        return assignments.none()
    condition = Q(checker_id=scope.staff_id) | Q(teacher_id=scope.staff_id)
    if scope.school_ids:
        condition |= Q(teacher__school_id__in=scope.school_ids)
    if scope.led_group_ids:
        members = Staff.objects.filter(groups__in=scope.led_group_ids).values("pk")
        condition |= Q(teacher_id__in=members)
    return assignments.filter(condition)


@dataclass
class Progress:
    total: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def outstanding(self) -> int:
        return self.total - self.done


def round_totals(assignments: QuerySet, today: dt.date) -> Progress:
    return Progress(**assignments.aggregate(**_progress(today)))


@dataclass
class CheckerRow:
    checker_id: int
    name: str
    staff_no: str
    school: str
    progress: Progress
    late: list[str] = field(default_factory=list)


def progress_by_checker(assignments: QuerySet, today: dt.date, *, late_names: int = 8) -> list[CheckerRow]:
    """Each checker's checks, done and overdue, the latest first, with the names of the teachers whose checks
    are late (two queries)."""
    rows = {
        row["checker_id"]: CheckerRow(
            row["checker_id"], row["checker__name"], row["checker__staff_no"], row["checker__school__name"],
            Progress(row["total"], row["done"], row["overdue"]),
        )
        for row in assignments.values("checker_id", "checker__name", "checker__staff_no", "checker__school__name")
        .annotate(**_progress(today))
        .order_by()
    }
    late = (
        assignments.filter(done_at__isnull=True, due_on__lt=today)
        .values_list("checker_id", "teacher__name")
        .distinct()
        .order_by("checker_id", "teacher__name")
    )
    for checker_id, name in late:
        names = rows[checker_id].late
        if len(names) < late_names and name not in names:
            names.append(name)
    return sorted(rows.values(), key=lambda r: (-r.progress.overdue, -r.progress.outstanding, r.staff_no))


@dataclass
class ItemRow:
    item: str
    label: str
    progress: Progress
    recorded: bool  # done by its record in an installed app (else marked by the checker)


def progress_by_item(round: InspectionRound, assignments: QuerySet, today: dt.date) -> list[ItemRow]:
    labels = dict(Checked.choices)
    counts = {row["item"]: row for row in assignments.values("item").annotate(**_progress(today)).order_by()}
    recorded = evidence.items_with_evidence()
    rows = []
    for item in round.checklist:
        row = counts.get(item, {"total": 0, "done": 0, "overdue": 0})
        rows.append(ItemRow(item, str(labels.get(item, item)), Progress(row["total"], row["done"], row["overdue"]),
                            item in recorded))
    return rows


def assignments_of_checker(staff: Staff, *, include_closed: bool = False) -> QuerySet:
    """Her checks, by round (soonest due first), teacher and item."""
    assignments = Assignment.objects.filter(checker=staff).select_related(
        "round", "round__term", "round__term__school_year", "teacher", "teacher__school"
    )
    if not include_closed:
        assignments = assignments.filter(round__status=InspectionRound.Status.OPEN)
    return assignments.order_by("due_on", "round_id", "teacher__school_id", "teacher__staff_no", "item")


@dataclass
class TeacherChecks:
    teacher: Staff
    assignments: list[Assignment]

    @property
    def done(self) -> bool:
        return all(a.done_at for a in self.assignments)


@dataclass
class RoundChecks:
    round: InspectionRound
    due_on: dt.date
    teachers: list[TeacherChecks]

    @property
    def total(self) -> int:
        return sum(len(t.assignments) for t in self.teachers)

    @property
    def done(self) -> int:
        return sum(1 for t in self.teachers for a in t.assignments if a.done_at)


def group_by_round(assignments) -> list[RoundChecks]:
    """A checker's to-do list as the page shows it: rounds, each with its teachers and their items."""
    rounds: dict[int, RoundChecks] = {}
    for assignment in assignments:
        entry = rounds.get(assignment.round_id)
        if entry is None:
            entry = rounds[assignment.round_id] = RoundChecks(assignment.round, assignment.due_on, [])
        if not entry.teachers or entry.teachers[-1].teacher.pk != assignment.teacher_id:
            entry.teachers.append(TeacherChecks(assignment.teacher, []))
        entry.teachers[-1].assignments.append(assignment)
        entry.due_on = min(entry.due_on, assignment.due_on)
    return list(rounds.values())


def my_home_counts(staff: Staff, today: dt.date, *, soon_days: int = 7, school_wide: bool = False,
                   also: dict | None = None) -> dict:
    """For her home card, in ONE query: her open checks due within a week and her overdue checks; for someone who
    sees the whole school, also the central school's rounds open now and their overdue checks; `also`: more
    counts, name -> a queryset filtered on OuterRef("pk") (her), counted in the same query."""
    mine = Assignment.objects.filter(
        checker=OuterRef("pk"), done_at__isnull=True, round__status=InspectionRound.Status.OPEN,
        round__opens_on__lte=today,
    )
    root_id = staff.school.root_id
    school_checks = Assignment.objects.filter(
        round__school_id=root_id, done_at__isnull=True, round__status=InspectionRound.Status.OPEN,
        round__opens_on__lte=today, due_on__lt=today,
    )
    open_rounds = InspectionRound.objects.filter(school_id=root_id, status=InspectionRound.Status.OPEN,
                                                 opens_on__lte=today)

    def counted(queryset):
        return Coalesce(
            Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
                     output_field=IntegerField()),
            Value(0),
        )

    annotations = {
        "due_soon": counted(mine.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=soon_days))),
        "overdue": counted(mine.filter(due_on__lt=today)),
    }
    if school_wide:
        annotations |= {"open_rounds": counted(open_rounds), "school_overdue": counted(school_checks)}
    annotations |= {name: counted(queryset) for name, queryset in (also or {}).items()}
    row = Staff.objects.filter(pk=staff.pk).annotate(**annotations).values(*annotations).first()
    return row or dict.fromkeys(annotations, 0)


def open_rounds_progress(root: School, today: dt.date) -> list[InspectionRound]:
    """The central school's rounds open today (opened, summary not published), with their progress: one query."""
    return list(
        InspectionRound.objects.filter(school=root, status=InspectionRound.Status.OPEN, opens_on__lte=today)
        .annotate(**_progress(today, "assignments__"))
        .order_by("due_on", "pk")[:6]
    )
