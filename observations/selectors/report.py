"""The term report for the administrative meeting (V2.II.4: the office reports what observations and the daily
checks found, once a term): by teaching-research group and by person, observations written and received, reviews
of observation notes, patrol findings, lesson swaps, lab sessions and lab-room checks.

Every figure is counted in the database with GROUP BY (one query per kind of record, whatever the number of
staff); the groups' and the school's rows are sums of the people's. A person in two groups counts in both groups
and once in the total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from school.models import School, SchoolClass, Staff, Term

from ..models import (
    AttendanceIncident,
    Experiment,
    LabSession,
    LabShortfall,
    LabTidinessCheck,
    LessonSwap,
    NotesReview,
    Observation,
    Patrol,
    PatrolMark,
)
from .labs import grade_label, subject_teachers

ONE_PLACE = Decimal("0.1")
INCIDENT_KINDS = {
    AttendanceIncident.Kind.LATE: "late",
    AttendanceIncident.Kind.LEFT_EARLY: "left_early",
    AttendanceIncident.Kind.ABSENT: "absent",
    AttendanceIncident.Kind.UNAPPROVED_SWAP: "unapproved_swap",
}


def _average(total, count) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total or 0) / count).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """One person's (or a group's, or the school's) figures for the term."""

    written: int = 0
    written_score_sum: Decimal = Decimal("0")
    written_scored: int = 0
    received: int = 0
    received_score_sum: Decimal = Decimal("0")
    received_scored: int = 0
    reviews_given: int = 0
    reviews_received: int = 0
    late: int = 0
    left_early: int = 0
    absent: int = 0
    unapproved_swap: int = 0
    other_issues: int = 0
    swaps_requested: int = 0
    swaps_approved: int = 0
    labs_required: int = 0
    labs_done: int = 0
    shortfalls: int = 0
    tidiness_checks: int = 0
    untidy: int = 0

    def add(self, other: Figures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def written_average(self) -> Decimal | None:
        return _average(self.written_score_sum, self.written_scored)

    @property
    def received_average(self) -> Decimal | None:
        return _average(self.received_score_sum, self.received_scored)

    @property
    def incidents(self) -> int:
        return self.late + self.left_early + self.absent + self.unapproved_swap

    @property
    def findings(self) -> int:
        return self.incidents + self.other_issues

    @property
    def labs_rate(self) -> Decimal | None:
        """Share of the required lab sessions done (0-1), for a percentage format."""
        if not self.labs_required:
            return None
        return (Decimal(min(self.labs_done, self.labs_required)) / self.labs_required).quantize(Decimal("0.001"))


@dataclass
class PersonRow:
    staff: Staff
    group_names: list[str]
    figures: Figures


@dataclass
class GroupRow:
    name: str
    members: int
    figures: Figures


@dataclass
class LabRow:
    """A subject and grade: its experiments this term, the classes that must do them, done and not done."""

    subject: str
    grade_level: int
    experiments: int
    classes: int
    required: int  # experiments x classes
    done: int
    shortfalls: int

    @property
    def grade(self) -> str:
        return grade_label(self.grade_level) if self.grade_level else ""

    @property
    def rate(self) -> Decimal | None:
        if not self.required:
            return None
        return (Decimal(min(self.done, self.required)) / self.required).quantize(Decimal("0.001"))


@dataclass
class RoomRow:
    room: str
    teacher: str
    checks: int
    untidy: int


@dataclass
class TermReport:
    school: School
    term: Term
    groups: list[GroupRow]
    people: list[PersonRow]
    total: Figures
    labs: list[LabRow]
    rooms: list[RoomRow]
    patrols: int
    patrol_marks: int
    show_school: bool = False
    lab_total: LabRow | None = field(default=None)

    @property
    def people_with_patrol_or_swaps(self) -> list[PersonRow]:
        """The 巡课与调课 table: only the people the patrol found something about or who had lessons swapped."""
        return [p for p in self.people if p.figures.findings or p.figures.swaps_requested]


def term_report(*, root: School, school_ids, term: Term) -> TermReport:
    """The report of `term` for the staff of `school_ids` (a central school's calendar `root`). A fixed number of
    queries: one per kind of record, grouped in the database."""
    school_ids = sorted(school_ids)
    people = list(
        Staff.objects.filter(school_id__in=school_ids, is_active=True).select_related("school")
        .order_by("school_id", "staff_no")
    )
    figures: dict[int, Figures] = {p.pk: Figures() for p in people}

    def put(rows, *names):
        """Add grouped rows (staff id first, then one value per name) to the people's figures."""
        for staff_id, *values in rows:
            person = figures.get(staff_id)
            if person is None:
                continue  # inactive, or of a school the report does not cover
            for name, value in zip(names, values):
                setattr(person, name, getattr(person, name) + (value or 0))

    in_term = Q(term=term)
    observations = Observation.objects.filter(in_term)
    put(observations.filter(observer__school_id__in=school_ids).values_list("observer_id")
        .annotate(Count("id"), Sum("total_score"), Count("total_score")).order_by(),
        "written", "written_score_sum", "written_scored")
    put(observations.filter(teacher__school_id__in=school_ids).values_list("teacher_id")
        .annotate(Count("id"), Sum("total_score"), Count("total_score")).order_by(),
        "received", "received_score_sum", "received_scored")
    reviews = NotesReview.objects.filter(in_term)
    put(reviews.filter(reviewer__school_id__in=school_ids).values_list("reviewer_id").annotate(Count("id"))
        .order_by(), "reviews_given")
    put(reviews.filter(reviewee__school_id__in=school_ids).values_list("reviewee_id").annotate(Count("id"))
        .order_by(), "reviews_received")
    incidents = (
        AttendanceIncident.objects.filter(mark__patrol__term=term, teacher__school_id__in=school_ids)
        .values_list("teacher_id", "kind").annotate(Count("id")).order_by()
    )
    for staff_id, kind, count in incidents:
        if staff_id in figures and kind in INCIDENT_KINDS:
            name = INCIDENT_KINDS[kind]
            setattr(figures[staff_id], name, getattr(figures[staff_id], name) + count)
    put(PatrolMark.objects.filter(patrol__term=term, status=PatrolMark.Status.OTHER,
                                  expected_teacher__school_id__in=school_ids)
        .values_list("expected_teacher_id").annotate(Count("id")).order_by(), "other_issues")
    put(LessonSwap.objects.filter(in_term, teacher__school_id__in=school_ids)
        .exclude(status=LessonSwap.Status.CANCELLED)
        .values_list("teacher_id")
        .annotate(requested=Count("id"), approved=Count("id", filter=Q(status=LessonSwap.Status.APPROVED)))
        .order_by(),
        "swaps_requested", "swaps_approved")
    put(LabSession.objects.filter(in_term, teacher__school_id__in=school_ids).values_list("teacher_id")
        .annotate(Count("id")).order_by(), "labs_done")
    put(LabShortfall.objects.filter(in_term, teacher__school_id__in=school_ids).values_list("teacher_id")
        .annotate(Count("id")).order_by(), "shortfalls")
    put(LabTidinessCheck.objects.filter(in_term, teacher_in_charge__school_id__in=school_ids)
        .values_list("teacher_in_charge_id")
        .annotate(checks=Count("id"), untidy=Count("id", filter=Q(tidy=False))).order_by(),
        "tidiness_checks", "untidy")

    # Required lab sessions: each (class, subject) falls to one teacher; she owes the experiments of the
    # subject and the class's grade.
    experiments = list(  # (subject id, subject, its order, grade level, experiments)
        Experiment.objects.filter(school=root, term_number=term.number)
        .values_list("subject_id", "subject__name", "subject__order", "grade_level").annotate(Count("id"))
        .order_by("subject__order", "subject_id", "grade_level")
    )
    owed_by = {(subject_id, level): count for subject_id, _name, _order, level, count in experiments}
    class_levels = dict(
        SchoolClass.objects.filter(grade__school_id__in=school_ids).values_list("pk", "grade__level")
    )
    for (class_id, subject_id), teacher_id in subject_teachers(term, school_ids).items():
        owed = owed_by.get((subject_id, class_levels.get(class_id)), 0)
        if owed and teacher_id in figures:
            figures[teacher_id].labs_required += owed

    memberships = defaultdict(list)  # staff id -> [(school id, group id, name)]
    for staff_id, group_id, school_id, name in Staff.groups.through.objects.filter(
        staff_id__in=list(figures)
    ).values_list("staff_id", "teachinggroup_id", "teachinggroup__school_id", "teachinggroup__name"):
        memberships[staff_id].append((school_id, group_id, name))
    person_rows = [
        PersonRow(staff=p, group_names=[name for *_key, name in sorted(memberships[p.pk])], figures=figures[p.pk])
        for p in people
    ]

    group_figures: dict[tuple, Figures] = {}
    group_members: dict[tuple, int] = defaultdict(int)
    ungrouped = Figures()
    ungrouped_count = 0
    total = Figures()
    for row in person_rows:
        total.add(row.figures)
        groups = memberships[row.staff.pk]
        if not groups:
            ungrouped.add(row.figures)
            ungrouped_count += 1
        for key in groups:
            group_figures.setdefault(key, Figures()).add(row.figures)
            group_members[key] += 1
    group_rows = [GroupRow(name=key[2], members=group_members[key], figures=group_figures[key])
                  for key in sorted(group_figures)]
    if ungrouped_count:
        group_rows.append(GroupRow(name="", members=ungrouped_count, figures=ungrouped))

    labs = _lab_rows(root=root, school_ids=school_ids, term=term, experiments=experiments,
                     class_levels=class_levels)
    lab_total = LabRow(subject="", grade_level=0, experiments=sum(r.experiments for r in labs), classes=0,
                       required=sum(r.required for r in labs), done=sum(r.done for r in labs),
                       shortfalls=sum(r.shortfalls for r in labs))
    rooms = [
        RoomRow(room=room, teacher=teacher, checks=checks, untidy=untidy)
        for room, teacher, checks, untidy in LabTidinessCheck.objects.filter(in_term, school_id__in=school_ids)
        .values_list("room", "teacher_in_charge__name")
        .annotate(checks=Count("id"), untidy=Count("id", filter=Q(tidy=False)))
        .order_by("room", "teacher_in_charge__name")
    ]
    patrol_counts = Patrol.objects.filter(in_term, school_id__in=school_ids).aggregate(
        patrols=Count("id", distinct=True), marks=Count("marks")
    )
    return TermReport(
        school=root, term=term, groups=group_rows, people=person_rows, total=total, labs=labs, rooms=rooms,
        patrols=patrol_counts["patrols"], patrol_marks=patrol_counts["marks"], show_school=len(school_ids) > 1,
        lab_total=lab_total,
    )


def _lab_rows(*, root: School, school_ids, term: Term, experiments, class_levels) -> list[LabRow]:
    """Per subject and grade: the experiments, the classes of the grade, the sessions done and the shortfalls."""
    classes = defaultdict(int)
    for level in class_levels.values():
        classes[level] += 1
    done = dict(
        ((subject_id, level), count) for subject_id, level, count in
        LabSession.objects.filter(term=term, school_class__grade__school_id__in=school_ids,
                                  experiment__school=root)
        .values_list("experiment__subject_id", "experiment__grade_level").annotate(Count("id")).order_by()
    )
    missed = dict(
        ((subject_id, level), count) for subject_id, level, count in
        LabShortfall.objects.filter(term=term, school_class__grade__school_id__in=school_ids,
                                    experiment__school=root)
        .values_list("experiment__subject_id", "experiment__grade_level").annotate(Count("id")).order_by()
    )
    return [
        LabRow(subject=name, grade_level=level, experiments=count, classes=classes.get(level, 0),
               required=count * classes.get(level, 0), done=done.get((subject_id, level), 0),
               shortfalls=missed.get((subject_id, level), 0))
        for subject_id, name, _order, level, count in experiments
    ]
