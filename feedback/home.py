"""The evaluation card on "my term" (see `school.views.home_cards`): a teacher's latest results once a round that
evaluated her has closed; the office's rounds in progress with how many have answered."""

from __future__ import annotations

from .models import MIN_RESPONSES
from .selectors.results import latest_results_of
from .selectors.rounds import rounds_in_progress


def card(*, scope, staff, term, today):
    context = {}
    if staff is not None:
        latest = latest_results_of(staff, today)
        if latest is not None:
            context["latest"] = latest
    if scope.is_manager:
        school_ids = scope.managed_school_ids
        if scope.everything and staff is None:
            school_ids = None
        rounds = rounds_in_progress(school_ids, today) if school_ids is not None else None
        if rounds is not None:
            context["rounds"] = [{"round": r, "status": r.status(today)} for r in rounds]
    if not context:
        return None
    return context | {"min_responses": MIN_RESPONSES, "today": today}
