"""The "my term" card of lesson preparation: what is due from the teacher (her teaching plans, her term summary) and
the checks of her preparation with their verdicts and fines; for a group leader or the office, the plans waiting for
her review. A handful of queries, whatever the size of the school."""

from __future__ import annotations

from inspections.models import Policy

from .selectors.checks import recent_checks
from .selectors.common import deadlines_for
from .selectors.plans import awaiting_review_in_scope, plan_progress
from .selectors.summaries import my_summaries

RECENT_CHECKS = 3


def card(*, scope, staff, term, today) -> dict | None:
    if staff is None or term is None:
        return None
    progress = plan_progress(staff, term)
    reviews = scope.is_group_leader or scope.is_manager
    to_review = awaiting_review_in_scope(scope, term).count() if reviews else 0
    if not progress.due and not to_review:
        return None
    # The deadlines need the policy's rounds only when the office has not set them.
    policy = Policy.objects.filter(school_id=staff.school.root_id).first()
    deadlines = deadlines_for(term, policy)
    return {
        "term": term,
        "deadlines": deadlines,
        "progress": progress,
        "plans_overdue": today > deadlines.plans_due and progress.open > 0,
        "summaries": my_summaries(staff, term, policy, deadlines, today) if progress.due else [],
        "checks": list(recent_checks(staff, term, limit=RECENT_CHECKS)) if progress.due else [],
        "to_review": to_review,
    }
