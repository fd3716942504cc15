"""The "my term" card of lesson preparation: what is due from the teacher (her teaching plans, her term summary) and
the checks of her preparation with their verdicts and fines; for a group leader or the office, the plans waiting for
her review. A fixed number of queries."""

from __future__ import annotations

from inspections.selectors import policy_for

from .selectors.checks import my_checks
from .selectors.common import deadlines_for
from .selectors.plans import awaiting_review_in_scope, my_slots
from .selectors.summaries import my_summaries

RECENT_CHECKS = 3


def card(*, scope, staff, term, today) -> dict | None:
    if staff is None or term is None:
        return None
    policy = policy_for(staff.school)
    deadlines = deadlines_for(term, policy)
    slots = my_slots(staff, term)
    summaries = my_summaries(staff, term, policy, deadlines, today) if slots else []
    checks = my_checks(staff, term)[:RECENT_CHECKS] if slots else []
    to_review = awaiting_review_in_scope(scope, term).count() if (scope.is_group_leader or scope.is_manager) else 0
    if not slots and not to_review:
        return None
    handed_in = sum(1 for s in slots if s.plan is not None)
    return {
        "term": term,
        "today": today,
        "deadlines": deadlines,
        "slots": slots,
        "plans_in": handed_in,
        "plans_open": len(slots) - handed_in,
        "plans_returned": sum(1 for s in slots if s.status == "returned"),
        "plans_overdue": today > deadlines.plans_due and handed_in < len(slots),
        "summaries": summaries,
        "checks": checks,
        "to_review": to_review,
    }
