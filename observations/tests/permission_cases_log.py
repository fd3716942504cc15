"""The observation log's URLs in the permission matrix (school/tests/matrix.py).

The world has no observations: `make_observation` logs one lazily (idempotent) by `teacher` of `other_teacher`'s
maths lesson in class 2 on last week's Monday; `with_review_chain` gives the world's V4 policy (which has no
review chain) the group-leader and office rows of V1's chain."""

from __future__ import annotations

import datetime as dt
import uuid

from inspections.models import Per, ReviewRule
from school import calendar
from school.selectors import today
from school.tests.matrix import FORBIDDEN, NOT_FOUND, OK, REDIRECT, SCHOOL_WIDE, STAFF, Case, expect

MATRIX_KEY = uuid.UUID(int=0x1157E4)
MATRIX_TOPIC = "勾股定理（矩阵）"


def last_monday() -> dt.date:
    return calendar.monday_of(today()) - dt.timedelta(days=7)


def make_observation(w):
    """`teacher` observed `other_teacher`'s lesson (class 2, Monday, period 1) last week; once."""
    from observations.services.log import observation_create

    return observation_create(
        observer=w.teacher, school_class=w.class_2, date=last_monday(), period=1, topic=MATRIX_TOPIC,
        kind="peer", scores={}, notes="", strengths="", suggestions="", discussed=True, discussed_on=None,
        submission_key=MATRIX_KEY,
    )


def with_review_chain(w):
    policy = w.school.policy
    for reviewer, reviewees in ((ReviewRule.Reviewer.GROUP_LEADER, ReviewRule.Reviewees.GROUP_TEACHERS),
                                (ReviewRule.Reviewer.OFFICE, ReviewRule.Reviewees.GROUP_LEADERS)):
        ReviewRule.objects.get_or_create(policy=policy, reviewer=reviewer, reviewees=reviewees,
                                         defaults={"times": 2, "per": Per.TERM})
    return w


def _observation(w):
    return (make_observation(w).pk,)


def _staff_outside_village(w):
    return [w.teacher.name, w.group_leader.name, w.other_teacher.name]


SEES_OBSERVATION = ("teacher", "other_teacher", "group_leader", *[r for r in SCHOOL_WIDE if r != "village_director"])
LOGS = tuple(r for r in STAFF if r != "superuser")
REVIEWERS = ("group_leader", "office_staff", "director", "principal", "village_director", "superuser")


def only(allowed, status, *, others=FORBIDDEN, hidden_from=NOT_FOUND, unseen=("village_director",)):
    """`allowed` get `status`; those who cannot see the object 404; the rest `others`."""
    result = expect(allowed=allowed, allowed_status=status, denied_status=others)
    for role in unseen:
        result[role] = hidden_from
    return result


CASES = [
    Case("observations:observation-list", expect(allowed=STAFF)),
    Case("observations:observation-list", expect(allowed=STAFF),
         query=lambda w: (make_observation(w), "tab=all")[1],
         hidden={"village_director": lambda w: [MATRIX_TOPIC], "other_teacher": lambda w: [w.group_leader.name]}),
    Case("observations:observation-list", expect(allowed=STAFF),
         query=lambda w: (make_observation(w), "tab=received")[1],
         hidden={"teacher": lambda w: [MATRIX_TOPIC], "village_director": lambda w: [MATRIX_TOPIC]}),
    Case("observations:observation-create", expect(allowed=LOGS)),
    Case("observations:observation-create", expect(allowed=LOGS),
         query=lambda w: f"date={last_monday():%Y-%m-%d}&period=1&school_class={w.foreign_class.pk}"),
    Case("observations:observation-detail", expect(allowed=SEES_OBSERVATION, denied_status=NOT_FOUND),
         args=_observation),
    Case("observations:observation-update", only(("teacher",), OK), args=_observation),
    Case("observations:observation-acknowledge", only(("other_teacher",), REDIRECT), args=_observation,
         method="post"),
    Case("observations:observation-reply", only(("other_teacher",), REDIRECT), args=_observation, method="post",
         data=lambda w: {"reply": "谢谢指导"}),
    Case("observations:quota-list", expect(allowed=(*SCHOOL_WIDE, "group_leader")),
         hidden={"group_leader": lambda w: [w.other_teacher.name], "village_director": _staff_outside_village}),
    Case("observations:review-list", expect(allowed=REVIEWERS)),
    Case("observations:review-list", expect(allowed=REVIEWERS), query=lambda w: (with_review_chain(w), "")[1],
         hidden={"village_director": _staff_outside_village, "group_leader": lambda w: [w.other_teacher.name]}),
    # The group leader reviews her group's teachers; the teacher's own notes are not hers to review.
    Case("observations:review-create", only(("group_leader",), OK, unseen=("other_teacher", "village_director")),
         args=lambda w: (with_review_chain(w).teacher.pk,)),
    # The office (director, office staff) reviews group leaders.
    Case("observations:review-create",
         only(("office_staff", "director"), OK, unseen=("teacher", "other_teacher", "village_director")),
         args=lambda w: (with_review_chain(w).group_leader.pk,)),
]


# --- helpers the log's tests share --------------------------------------------------------------


def observe(w, observer, *, date, period=None, kind="peer", teacher=None, term=None, topic="听课"):
    """An observation row as it would be logged (straight to the database: the tests of counting need many,
    on any day); the period is the observer's next free one that day unless given."""
    from observations.models import Observation

    if period is None:
        period = Observation.objects.filter(observer=observer, date=date).count() + 1
    if teacher is None:
        teacher = w.other_teacher if observer.pk != w.other_teacher.pk else w.teacher
    return Observation.objects.create(
        school=w.school, term=term or w.term, observer=observer, teacher=teacher, school_class=w.class_2,
        subject=w.maths, date=date, period=period, topic=topic, kind=kind,
    )


def add_bulk(w, *, staff=30, observations=100):
    """More people (teachers of the Chinese group, each with a lesson) and observations among them, to show that
    a page's queries do not grow with them."""
    from observations.models import Observation
    from school.models import Role
    from school.tests.factories import StaffFactory, TimetableEntryFactory

    people = []
    for i in range(staff):
        person = StaffFactory(school=w.school, roles=[Role.TEACHER], name=f"批量教师{i}")
        w.chinese_group.members.add(person)
        TimetableEntryFactory(term=w.term, school_class=w.class_1, weekday=3 + i // 8, period=1 + i % 8,
                              subject=w.chinese, teacher=person)
        people.append(person)
    days = max(1, min(40, (today() - w.term.start_date).days))
    rows = []
    for n in range(observations):
        observer, teacher = people[n % staff], people[(n + 1) % staff]
        rows.append(Observation(
            school=w.school, term=w.term, observer=observer, teacher=teacher, school_class=w.class_1,
            subject=w.chinese, date=today() - dt.timedelta(days=1 + n // staff % days), period=1 + n // (staff * days),
            topic=f"批量{n}", kind="peer" if n % 3 else "open_lesson",
        ))
    Observation.objects.bulk_create(rows)
    return people
