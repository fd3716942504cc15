"""What the observation app tells the inspections app (the contract: `inspections/evidence.py`).

Done checks of a round:
- "observation_notes": the checker reviewed the teacher's observation notes (a NotesReview) within the round;
- "teaching": the checker observed one of the teacher's lessons within the round (any kind of observation);
- "labs": the checker checked the tidiness of a lab the teacher is in charge of within the round;
- "classroom": the checker's patrol found the teacher's class within the round.

Six-earnests facts (V4.III, under TEACHING): observations received (with the average score), observations given,
patrol incidents (late, left early, absent), experiments done and not done.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from inspections.evidence import Fact
from inspections.models import Earnest

from .models import AttendanceIncident, LabSession, LabShortfall, LabTidinessCheck, NotesReview, Observation, PatrolMark


def _within(pairs, rows) -> set[tuple[int, int]]:
    return {pair for pair in rows if pair in pairs}


def _ids(pairs):
    return {checker for checker, _teacher in pairs}, {teacher for _checker, teacher in pairs}


def notes_reviewed(*, term, start, end, pairs, **_ignored) -> set[tuple[int, int]]:
    checkers, teachers = _ids(pairs)
    rows = NotesReview.objects.filter(
        term=term, date__range=(start, end), reviewer_id__in=checkers, reviewee_id__in=teachers
    ).values_list("reviewer_id", "reviewee_id")
    return _within(pairs, rows)


def lessons_observed(*, term, start, end, pairs, **_ignored) -> set[tuple[int, int]]:
    checkers, teachers = _ids(pairs)
    rows = Observation.objects.filter(
        term=term, date__range=(start, end), observer_id__in=checkers, teacher_id__in=teachers
    ).values_list("observer_id", "teacher_id")
    return _within(pairs, rows)


def labs_checked(*, term, start, end, pairs, **_ignored) -> set[tuple[int, int]]:
    checkers, teachers = _ids(pairs)
    rows = LabTidinessCheck.objects.filter(
        term=term, date__range=(start, end), checked_by_id__in=checkers, teacher_in_charge_id__in=teachers
    ).values_list("checked_by_id", "teacher_in_charge_id")
    return _within(pairs, rows)


def classes_patrolled(*, term, start, end, pairs, **_ignored) -> set[tuple[int, int]]:
    checkers, teachers = _ids(pairs)
    rows = PatrolMark.objects.filter(
        patrol__term=term, patrol__date__range=(start, end), patrol__patroller_id__in=checkers,
        expected_teacher_id__in=teachers,
    ).values_list("patrol__patroller_id", "expected_teacher_id")
    return _within(pairs, rows)


DONE_CHECKS = {
    "observation_notes": notes_reviewed,
    "teaching": lessons_observed,
    "labs": labs_checked,
    "classroom": classes_patrolled,
}


def six_earnests_evidence(*, term, teacher_ids) -> dict[int, list[Fact]]:
    """Five queries, whatever the number of teachers."""
    teacher_ids = list(teacher_ids)
    facts: dict[int, list[Fact]] = defaultdict(list)
    received = {
        row["teacher_id"]: row
        for row in Observation.objects.filter(term=term, teacher_id__in=teacher_ids)
        .values("teacher_id").annotate(n=Count("pk"), average=Avg("total_score")).order_by()
    }
    given = dict(
        Observation.objects.filter(term=term, observer_id__in=teacher_ids)
        .values("observer_id").annotate(n=Count("pk")).order_by().values_list("observer_id", "n")
    )
    incidents = {
        row["teacher_id"]: row
        for row in AttendanceIncident.objects.filter(mark__patrol__term=term, teacher_id__in=teacher_ids)
        .values("teacher_id")
        .annotate(
            late=Count("pk", filter=Q(kind="late")),
            early=Count("pk", filter=Q(kind="left_early")),
            absent=Count("pk", filter=Q(kind="absent")),
        )
        .order_by()
    }
    labs = dict(
        LabSession.objects.filter(term=term, teacher_id__in=teacher_ids)
        .values("teacher_id").annotate(n=Count("pk")).order_by().values_list("teacher_id", "n")
    )
    missed = dict(
        LabShortfall.objects.filter(term=term, teacher_id__in=teacher_ids)
        .values("teacher_id").annotate(n=Count("pk")).order_by().values_list("teacher_id", "n")
    )
    for pk in teacher_ids:
        row = received.get(pk)
        if row:
            value = str(row["n"])
            if row["average"] is not None:
                value = _("%(count)s (average score %(score)s)") % {"count": row["n"],
                                                                    "score": f"{row['average']:.1f}"}
        else:
            value = "0"
        facts[pk].append(Fact(Earnest.TEACHING, _("Lessons observed by others"), value))
        facts[pk].append(Fact(Earnest.TEACHING, _("Lessons she observed"), str(given.get(pk, 0))))
        row = incidents.get(pk)
        if row and (row["late"] or row["early"] or row["absent"]):
            facts[pk].append(Fact(
                Earnest.TEACHING, _("Patrol incidents"),
                _("late %(late)s, left early %(early)s, absent %(absent)s") % row, concern=True,
            ))
        if labs.get(pk) or missed.get(pk):
            facts[pk].append(Fact(Earnest.TEACHING, _("Experiments done"), str(labs.get(pk, 0))))
        if missed.get(pk):
            facts[pk].append(Fact(Earnest.TEACHING, _("Required experiments not done"), str(missed[pk]),
                                  concern=True))
    return dict(facts)
