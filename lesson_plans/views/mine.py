"""My preparation: what the term asks of a teacher (her teaching plans, her summary and paper) and what she has been
told (the checks of her preparation with their grades and fines, her group's coming activities)."""

from __future__ import annotations

from django.views.generic import TemplateView

from school.selectors import today

from ..selectors import checks as check_selectors
from ..selectors import plans as plan_selectors
from ..selectors import summaries as summary_selectors
from ..selectors.activities import coming_activities
from ..selectors.common import deadlines_for
from .common import PersonPermissionMixin, TermMixin


class MyWorkView(PersonPermissionMixin, TermMixin, TemplateView):
    permission_required = "lesson_plans.submit_plan"
    template_name = "lesson_plans/my_work.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term, staff = self.term, self.staff
        if term is None:
            return context | {"term": None}
        deadlines = deadlines_for(term, self.policy)
        day = today()
        slots = plan_selectors.my_slots(staff, term)
        checks = list(check_selectors.my_checks(staff, term))
        return context | {
            "term": term, "deadlines": deadlines, "today": day, "slots": slots,
            "plans_in": sum(1 for s in slots if s.plan is not None),
            "plans_due_passed": day > deadlines.plans_due,
            "summaries": summary_selectors.my_summaries(staff, term, self.policy, deadlines, day),
            "checks": checks,
            "activities": coming_activities(staff, term, day),
        }
