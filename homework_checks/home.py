"""The homework card of "my term": a teacher's checks this term with their verdicts and her tutoring count; an
inspector's checks of this week's list (see `school.views.home_cards`)."""

from __future__ import annotations

from school.models import Role

from . import selectors
from .models import HomeworkPlanItem


def card(*, scope, staff, term, today):
    if staff is None or term is None:
        return None
    context = {}
    if staff.has_role(Role.TEACHER, Role.GROUP_LEADER):
        context.update(selectors.teacher_term_summary(staff, term))
        context["teaches"] = True
    if selectors.is_inspector(staff):
        week = selectors.week_of(term, today)
        items = []
        if week is not None:
            items = list(HomeworkPlanItem.objects.filter(plan__term=term, week_start=week.start, inspector=staff)
                         .only("pk", "inspection_id"))
        context.update(week=week, week_items=items, week_done=sum(1 for i in items if i.inspection_id),
                       inspects=True)
    return context or None
