"""Reads of the six-earnests evaluation (V4.III): for every teacher of a term, the evidence the domain apps
recorded (through `inspections/evidence.py`) beside the evaluator's grades and comments. A fixed number of
queries: one for the teachers, one for the evaluations, and each provider's own fixed number."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from school.models import Role, Staff, Term
from school.permissions import restrict

from .. import evidence
from ..models import Earnest, SixEarnestsEvaluation

TEACHING_ROLES = (Role.TEACHER, Role.GROUP_LEADER)


@dataclass
class EarnestLine:
    code: str
    label: str
    facts: list = field(default_factory=list)
    grade: str = ""
    grade_label: str = ""
    comment: str = ""


@dataclass
class TeacherEvaluation:
    teacher: Staff
    evaluation: SixEarnestsEvaluation | None
    earnests: list[EarnestLine]
    other_facts: list  # facts of no earnest (the fines)

    @property
    def overall_grade(self) -> str:
        return self.evaluation.get_overall_grade_display() if self.evaluation and self.evaluation.overall_grade else ""

    @property
    def evaluated(self) -> bool:
        return bool(self.evaluation and self.evaluation.overall_grade)

    @property
    def concerns(self) -> int:
        return sum(1 for line in self.earnests for f in line.facts if f.concern) + sum(
            1 for f in self.other_facts if f.concern)


def teachers_to_evaluate(user, term: Term) -> QuerySet:
    """The teachers of the term's school (and its village schools) whom the user may see."""
    root_id = term.school_year.school_id
    teachers = Staff.objects.filter(
        Q(school_id=root_id) | Q(school__parent_id=root_id), is_active=True, roles__role__in=TEACHING_ROLES
    ).distinct()
    return restrict(teachers, user, school="school", teacher="pk").select_related("school").order_by(
        "school_id", "staff_no")


def evaluations_for(term: Term, teachers) -> list[TeacherEvaluation]:
    teachers = list(teachers)
    ids = [t.pk for t in teachers]
    evaluations = {e.teacher_id: e for e in SixEarnestsEvaluation.objects.filter(term=term, teacher_id__in=ids)}
    facts = evidence.six_earnests_facts(term=term, teacher_ids=ids)
    labels = dict(Earnest.choices)
    result = []
    for teacher in teachers:
        evaluation = evaluations.get(teacher.pk)
        lines = []
        for code in Earnest.values:
            line = EarnestLine(code, str(labels[code]), [f for f in facts[teacher.pk] if f.earnest == code])
            if evaluation is not None:
                line.grade = evaluation.grade_of(code)
                line.grade_label = getattr(evaluation, f"get_{code}_grade_display")() if line.grade else ""
                line.comment = evaluation.comment_of(code)
            lines.append(line)
        other = [f for f in facts[teacher.pk] if f.earnest not in labels]
        result.append(TeacherEvaluation(teacher, evaluation, lines, other))
    return result
