"""Permission-matrix cases of the daily patrol, attendance incidents and lesson swaps.

The world has no patrols, incidents or swaps: the helpers below create what a case needs, idempotently, when
the matrix asks for its URL. Marks are made on last week's Monday (a past school day of the world's term) and
swaps asked for next week's Monday.
"""

from __future__ import annotations

import datetime as dt

from school import calendar
from school.selectors import today
from school.tests.matrix import FORBIDDEN, MANAGERS, NOT_FOUND, OK, REDIRECT, SCHOOL_WIDE, STAFF, Case, expect

# The central school's office (the village director manages only her village school: central rows are 404).
CENTRAL_MANAGERS = ("office_staff", "director", "vice_principal", "superuser")
OTHER_SWAP_REASON = "MATRIX-SWAP-OF-OTHER-TEACHER"


def last_monday(w) -> dt.date:
    """A Monday already past in the world's term (which began 50 days ago)."""
    return calendar.monday_of(today()) - dt.timedelta(days=7)


def next_monday(w) -> dt.date:
    return calendar.monday_of(today()) + dt.timedelta(days=7)


def ensure_incident(w):
    """other_teacher late to class 2 (maths) in period 1 of last Monday: an incident (and a V4 fine)."""
    from observations.services.patrol import patrol_mark_set

    mark = patrol_mark_set(school_class=w.class_2, date=last_monday(w), period=1, status="late",
                           user=w.office_staff.user)
    return mark.incident


def ensure_swap(w):
    """teacher asks for group_leader to take her lesson of class 1 (Chinese) next Monday, period 1."""
    from observations.models import LessonSwap
    from observations.services.patrol import swap_request

    existing = LessonSwap.objects.filter(school_class=w.class_1, date=next_monday(w), period=1).first()
    return existing or swap_request(requester=w.teacher, substitute=w.group_leader, date=next_monday(w), period=1,
                                    reason="matrix")


def ensure_other_swap(w):
    """other_teacher asks for the director to take her maths lesson of class 2 next Monday, period 1."""
    from observations.models import LessonSwap
    from observations.services.patrol import swap_request

    existing = LessonSwap.objects.filter(school_class=w.class_2, date=next_monday(w), period=1).first()
    return existing or swap_request(requester=w.other_teacher, substitute=w.director, date=next_monday(w),
                                    period=1, reason=OTHER_SWAP_REASON)


def _with_rows(w) -> str:
    ensure_incident(w)
    ensure_swap(w)
    ensure_other_swap(w)
    return ""


def _mark_data(w) -> dict:
    return {"school_class": w.class_1.pk, "date": last_monday(w).isoformat(), "period": 2, "status": "normal"}


# Whoever does not see a row of the central school gets 404 for it; who sees it without the right to act, 403.
_incident_update = {**expect(allowed=CENTRAL_MANAGERS), "teacher": NOT_FOUND, "group_leader": NOT_FOUND,
                    "village_director": NOT_FOUND}
_swap_decision = {**expect(allowed=CENTRAL_MANAGERS, allowed_status=REDIRECT), "other_teacher": NOT_FOUND,
                  "village_director": NOT_FOUND}
# other_teacher's swap: neither the teacher nor the Chinese group's leader sees it.
_other_swap_decision = {**_swap_decision, "other_teacher": FORBIDDEN, "teacher": NOT_FOUND, "group_leader": NOT_FOUND}
_swap_cancel = {**expect(allowed=("teacher",), allowed_status=REDIRECT), "other_teacher": NOT_FOUND,
                "village_director": NOT_FOUND}
_central_post = {**expect(allowed=CENTRAL_MANAGERS, allowed_status=REDIRECT), "village_director": NOT_FOUND}

CASES = [
    # The patrol of a past period; the village director patrols her own school only.
    Case("observations:patrol", expect(allowed=MANAGERS),
         query=lambda w: f"date={last_monday(w).isoformat()}&period=1",
         hidden={"village_director": lambda w: [w.teacher.name, w.other_teacher.name]}),
    Case("observations:patrol", {**expect(allowed=CENTRAL_MANAGERS), "village_director": NOT_FOUND},
         query=lambda w: f"school={w.school.pk}"),
    # A superuser with no staff record may not patrol: she is sent back with the reason (302 all the same).
    Case("observations:patrol-mark", _central_post, method="post", data=_mark_data),
    Case("observations:patrol-mark-all", _central_post, method="post",
         data=lambda w: {"school": w.school.pk, "date": last_monday(w).isoformat(), "period": 2}),
    Case("observations:patrol-summary", expect(allowed=SCHOOL_WIDE),
         query=lambda w: f"date={_with_rows(w)}{last_monday(w).isoformat()}",
         hidden={"village_director": lambda w: [w.other_teacher.name]}),
    Case("observations:patrol-summary", {**expect(allowed=CENTRAL_MANAGERS + ("principal",)),
                                         "village_director": NOT_FOUND},
         query=lambda w: f"school={w.school.pk}"),
    # Everyone on staff has the list; a teacher sees her own incidents only, a group leader her group's.
    Case("observations:incident-list", expect(allowed=STAFF), query=_with_rows,
         hidden={role: (lambda w: [w.other_teacher.name]) for role in ("teacher", "group_leader",
                                                                          "village_director")}),
    Case("observations:incident-update", {**_incident_update, "other_teacher": FORBIDDEN},
         args=lambda w: (ensure_incident(w).pk,)),
    Case("observations:incident-update",
         {**_incident_update, "other_teacher": FORBIDDEN,
          **{role: REDIRECT for role in CENTRAL_MANAGERS}},
         args=lambda w: (ensure_incident(w).pk,), method="post",
         data=lambda w: {"cause": "Traffic on the way from the other campus", "reported": "on"}),
    Case("observations:swap-list", expect(allowed=STAFF), query=_with_rows,
         hidden={role: (lambda w: [OTHER_SWAP_REASON]) for role in ("teacher", "group_leader", "village_director")}),
    # A swap is of one's own lessons: an account with no staff record has none to swap.
    Case("observations:swap-create", expect(allowed=tuple(r for r in STAFF if r != "superuser"))),
    Case("observations:swap-create", expect(allowed=tuple(r for r in STAFF if r != "superuser"), allowed_status=OK),
         method="post", data=lambda w: {}),
    Case("observations:swap-cancel", _swap_cancel, args=lambda w: (ensure_swap(w).pk,), method="post"),
    Case("observations:swap-approve", _swap_decision, args=lambda w: (ensure_swap(w).pk,), method="post",
         data=lambda w: {"note": "matrix"}),
    Case("observations:swap-reject", _other_swap_decision, args=lambda w: (ensure_other_swap(w).pk,), method="post",
         data=lambda w: {"note": "matrix"}),
]
