"""The exams card of "my term" (see `school.views.home_cards`): a teacher's quality-analysis forms still to hand
in; the office's exams of the term and the grade analyses it has to present."""

from __future__ import annotations

from inspections.models import ExamKind

from . import selectors
from .models import Exam, GradeReport


def card(*, scope, staff, term, today):
    if staff is None or term is None:
        return None
    forms = list(selectors.forms_due(staff)[:5])
    context = {"forms_due": forms, "today": today}
    if scope.is_manager:
        exams = Exam.objects.filter(term=term, school_id__in=scope.managed_school_ids).order_by("-held_on")
        context["exams"] = list(exams[:5])
        context["reports_due"] = list(
            GradeReport.objects.filter(exam__school_id__in=scope.managed_school_ids, presented_on__isnull=True)
            .select_related("exam", "grade").order_by("due_on")[:5])
        context["spot"] = ExamKind.SPOT
    if not forms and not context.get("exams") and not context.get("reports_due"):
        return None
    return context
