"""The "my term" card of the inspections app: what is mine to check this week and what is overdue; for those
who see the whole school, the rounds open now and the checks overdue in them. One query."""

from __future__ import annotations

from .selectors.rounds import my_home_counts


def card(*, scope, staff, term, today):
    if staff is None:
        return None
    counts = my_home_counts(staff, today, school_wide=scope.is_school_wide)
    if not any(counts.values()):
        return None
    return {"counts": counts, "today": today}
