"""The "my term" card of the inspections app: what is mine to check this week and what is overdue, and (for the
office) the rounds open now with their progress."""

from __future__ import annotations

from .selectors.rounds import my_home_counts, open_rounds_progress


def card(*, scope, staff, term, today):
    if staff is None:
        return None
    counts = my_home_counts(staff, today)
    rounds = open_rounds_progress(staff.school.root, today) if scope.is_school_wide else []
    if not (counts["due_soon"] or counts["overdue"] or rounds):
        return None
    return {"counts": counts, "open_rounds": rounds, "today": today}
