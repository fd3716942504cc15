"""The "my term" card of the inspections app: what is mine to check this week and what is overdue; for those
who see the whole school, the rounds open now and the checks overdue in them; for a teacher, the observations
she wrote and received this term, the rounds' checks of her work and her appeals waiting for a decision.
One query."""

from __future__ import annotations

from django.db.models import OuterRef

from deductions.selectors import appeals_waiting
from observations.selectors.log import observations_of_term

from .models import Assignment
from .selectors.rounds import my_home_counts


def card(*, scope, staff, term, today):
    if staff is None:
        return None
    also = {"appeals": appeals_waiting().filter(teacher=OuterRef("pk"))}
    if term is not None:
        observations = observations_of_term(term)
        checks_of_me = Assignment.objects.filter(teacher=OuterRef("pk"), round__term=term)
        also |= {
            "written": observations.filter(observer=OuterRef("pk")),
            "received": observations.filter(teacher=OuterRef("pk")),
            "checked": checks_of_me.filter(done_at__isnull=False),
            "to_check": checks_of_me.filter(done_at__isnull=True),
        }
    counts = my_home_counts(staff, today, school_wide=scope.is_school_wide, also=also)
    mine = {name: counts.pop(name, 0) for name in ("appeals", "written", "received", "checked", "to_check")}
    # Checks of her work still to come are nothing for her to do: alone they do not bring the card.
    if not any(counts.values()) and not any(v for k, v in mine.items() if k != "to_check"):
        return None
    return {"counts": counts, "mine": mine, "today": today, "term": term}
