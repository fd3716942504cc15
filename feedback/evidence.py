"""What the inspections app learns from the evaluation app (see `inspections/evidence.py`): the evaluation windows
as deadlines, so that the reminder task reminds the office before a round closes and nudges it after while
respondents are still missing. The person reminded is whoever created the round (else every member of the office
of its school): it is the office that hands out the slips and chases the sampled students or parents."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.evidence import Deadline
from school.models import School, Staff, Term
from school.permissions import MANAGER_ROLES

from .models import Round


def deadlines(*, school: School, term: Term, start: dt.date, end: dt.date, **_ignored) -> list[Deadline]:
    """Each round of the central school `school` (and its village schools) closing between `start` and `end`:
    done once every respondent has answered or the office closed it early."""
    school_ids = {school.pk, *School.objects.filter(parent_id=school.pk).values_list("pk", flat=True)}
    rounds = list(
        Round.objects.filter(school_id__in=school_ids, term=term, closes_on__range=(start, end))
        .select_related("created_by")
        .annotate(sampled=Count("round_classes__invitations", distinct=True),
                  answered=Count("round_classes__invitations", filter=Q(round_classes__invitations__used=True),
                                 distinct=True))
        .order_by("closes_on", "pk")
    )
    if not rounds:
        return []
    creators = dict(Staff.objects.filter(user_id__in={r.created_by_id for r in rounds if r.created_by_id},
                                         is_active=True).values_list("user_id", "pk"))
    office: dict[int, list[int]] = {}
    for staff_id, school_id in (Staff.objects.filter(school_id__in=school_ids, is_active=True,
                                                     roles__role__in=MANAGER_ROLES)
                                .values_list("pk", "school_id").distinct()):
        office.setdefault(school_id, []).append(staff_id)
    found = []
    for round_ in rounds:
        if round_.created_by_id in creators:
            people = [creators[round_.created_by_id]]
        else:
            people = office.get(round_.school_id, [])
        done = round_.closed_at is not None or (round_.sampled > 0 and round_.answered >= round_.sampled)
        title = _("Evaluation “%(name)s” closes: %(answered)s of %(sampled)s respondents have answered") % {
            "name": round_.name, "answered": round_.answered, "sampled": round_.sampled}
        for staff_id in people:
            found.append(Deadline(key=f"feedback:round:{round_.pk}:{staff_id}", staff_id=staff_id, title=title,
                                  due_on=round_.closes_on, url=reverse("feedback:round-detail", args=[round_.pk]),
                                  done=done))
    return found
