"""The end-of-term "six earnests" evaluation (六认真, V4.III): the leadership's written evaluation of every teacher,
a grade and a comment for each earnest and overall, beside the evidence the domain apps recorded."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from school.models import Staff, Term
from school.permissions import scope_for

from ..models import Earnest, EarnestGrade, SixEarnestsEvaluation

PARTS = (*Earnest.values, "overall")


def may_evaluate(user, teacher: Staff) -> bool:
    """V4.III: the leadership and the office evaluate the teachers of the schools they see whole (a village
    school's director her village school's), never themselves."""
    scope = scope_for(user)
    if scope.everything:
        return True
    return scope.staff is not None and teacher.school_id in scope.school_ids and teacher.pk != scope.staff_id


@transaction.atomic
def six_earnests_evaluate(*, term: Term, teacher: Staff, grades: dict[str, str], comments: dict[str, str],
                          user) -> SixEarnestsEvaluation:
    """Write (or change) the evaluation of `teacher` for `term` (V4.III). Every part is optional until the
    overall grade is given; a change keeps its history with who made it."""
    if not may_evaluate(user, teacher):
        raise PermissionDenied(_("You may not evaluate this teacher."))
    if term.school_year.school_id != teacher.school.root_id:
        raise ValidationError(_("That term is not the teacher's school's."))
    for part in PARTS:
        grade = grades.get(part, "") or ""
        if grade not in ("", *EarnestGrade.values):
            raise ValidationError(_("Choose a grade from the list."))
    evaluation = (
        SixEarnestsEvaluation.objects.select_for_update().filter(term=term, teacher=teacher).first()
        or SixEarnestsEvaluation(term=term, teacher=teacher, school=teacher.school)
    )
    for part in PARTS:
        setattr(evaluation, f"{part}_grade", grades.get(part, "") or "")
        setattr(evaluation, f"{part}_comment", (comments.get(part, "") or "").strip())
    staff = scope_for(user).staff
    evaluation.evaluator = staff
    evaluation.evaluated_at = timezone.now()
    evaluation.full_clean(validate_constraints=False)
    evaluation._history_user = user
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        # Two evaluators saving the first evaluation at the same moment: the later one writes over the first.
        evaluation.pk = SixEarnestsEvaluation.objects.get(term=term, teacher=teacher).pk
        evaluation._state.adding = False
        evaluation.save()
    return evaluation
