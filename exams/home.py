"""The exams card of "my term" (see `school.views.home_cards`): a teacher's quality-analysis forms still to hand
in; the office's exams of the term, each with the earliest grade analysis it still has to present. Two queries
at most."""

from __future__ import annotations

from django.db.models import Count, Min, Q

from . import selectors
from .models import Exam


def card(*, scope, staff, term, today):
    if staff is None or term is None:
        return None
    forms = list(selectors.forms_due(staff)[:5])
    context = {"forms_due": forms, "today": today}
    if scope.is_manager:
        open_reports = Q(reports__presented_on__isnull=True)
        context["exams"] = list(
            Exam.objects.filter(term=term, school_id__in=scope.managed_school_ids)
            .annotate(reports_open=Count("reports", filter=open_reports),
                      report_due=Min("reports__due_on", filter=open_reports))
            .order_by("-held_on", "-pk")[:5])
    if not forms and not context.get("exams"):
        return None
    return context
