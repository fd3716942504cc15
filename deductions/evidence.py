"""What the fines app tells the inspections app (the contract: `inspections/evidence.py`): the term's fines of
each teacher for the end-of-term six-earnests evaluation (V4.III beside V4.IV's fines).

Counted: confirmed, upheld and appealed findings (an appeal not yet decided still stands); dismissed and waived
ones are not fines. Filed under no earnest (""): the evaluation shows them on their own line.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from inspections.evidence import Fact

from .models import Violation

STANDING = (Violation.Status.CONFIRMED, Violation.Status.UPHELD, Violation.Status.APPEALED)


def six_earnests_evidence(*, term, teacher_ids) -> dict[int, list[Fact]]:
    """One query: the number of standing findings and their yuan for each teacher who has any."""
    facts: dict[int, list[Fact]] = defaultdict(list)
    rows = (
        Violation.objects.filter(term=term, teacher_id__in=list(teacher_ids), status__in=STANDING)
        .values("teacher_id")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    for row in rows:
        amount = (row["amount"] or Decimal("0")).quantize(Decimal("0.01"))
        facts[row["teacher_id"]].append(Fact(
            "", _("Fines this term"),
            _("%(count)s findings, %(amount)s yuan") % {"count": row["n"], "amount": amount},
            concern=True,
        ))
    return dict(facts)
