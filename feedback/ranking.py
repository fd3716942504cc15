"""Each student's standing in her class, for a sample across good, middle and weak performers (V2.IV.1).

Where from, in order:
1. the latest exam's ranks: `exams.selectors.latest_class_ranks(school_class, *, term) -> dict[int, int]`
   (student id -> rank in class, 1 best; {} when the class has no exam). The exams app is built beside this one,
   so the function is looked up when it is needed: while it does not exist (ImportError, AttributeError) there
   are no exam ranks;
2. else the students' baseline scores (entrance test or zhongkao, V2.III.1), ranked descending with ties sharing
   the best rank (95, 95, 90 -> 1, 1, 3);
3. else none: the office chooses the sample by hand.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from decimal import Decimal

from school.models import SchoolClass, Student, Term

from .models import RoundClass

EXAM, BASELINE, MANUAL = RoundClass.Source.EXAM, RoundClass.Source.BASELINE, RoundClass.Source.MANUAL


@dataclass(frozen=True)
class Standing:
    student: Student
    rank: int | None  # in class, 1 = best; None: no standing


@dataclass(frozen=True)
class Standings:
    source: str  # RoundClass.Source
    rows: list[Standing]  # every enrolled student of the class, ranked first (best first), then the others

    @property
    def ranked(self) -> list[Standing]:
        return [row for row in self.rows if row.rank is not None]


def exam_ranks(school_class: SchoolClass, term: Term) -> dict[int, int]:
    """The class's ranks in its latest exam, from the exams app; {} while that app offers none."""
    try:
        latest_class_ranks = importlib.import_module("exams.selectors").latest_class_ranks
    except (ImportError, AttributeError):
        return {}
    return latest_class_ranks(school_class, term=term)


def competition_ranks(scores: dict[int, Decimal]) -> dict[int, int]:
    """Descending ranks where ties share the best rank: 95, 95, 90 -> 1, 1, 3."""
    ordered = sorted(scores.values(), reverse=True)
    first: dict[Decimal, int] = {}
    for index, score in enumerate(ordered, start=1):
        first.setdefault(score, index)
    return {student_id: first[score] for student_id, score in scores.items()}


def standings_for_class(school_class: SchoolClass, *, term: Term) -> Standings:
    """Every enrolled student of the class with her standing and where it came from (one query, and the exams
    app's own)."""
    students = list(Student.objects.filter(school_class=school_class, is_active=True).order_by("student_no"))
    enrolled = {s.pk for s in students}
    ranks = {pk: rank for pk, rank in exam_ranks(school_class, term).items() if pk in enrolled}
    source = EXAM
    if not ranks:
        ranks = competition_ranks({s.pk: s.baseline_score for s in students if s.baseline_score is not None})
        source = BASELINE
    if not ranks:
        return Standings(MANUAL, [Standing(s, None) for s in students])
    rows = [Standing(s, ranks.get(s.pk)) for s in students]
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.student.student_no))
    return Standings(source, rows)
