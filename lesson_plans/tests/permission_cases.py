"""Permission-matrix cases of the lesson-preparation pages, and the idempotent seed of what they need (a plan, a
check, an activity, a selection with an entry, a summary; here and in the foreign school, whose rows carry
FOREIGN). The page tests use the seed too."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from school.selectors import today
from school.tests.matrix import (
    FORBIDDEN,
    MANAGERS,
    NOT_FOUND,
    OK,
    REDIRECT,
    SCHOOL_WIDE,
    STAFF,
    Case,
    expect,
)
from school.tests.world import FOREIGN

from .documents import docx
from ..models import GroupActivity, PrepCheck, Selection, TermSummary
from ..services.activities import activity_create, activity_update
from ..services.checks import prep_check_create
from ..services.plans import deadlines_update, plan_submit
from ..services.selections import entry_nominate, selection_open
from ..services.summaries import summary_submit

PERSONS = tuple(r for r in STAFF if r != "superuser")  # staff with a staff record
CENTRAL_MANAGERS = ("office_staff", "director", "vice_principal", "superuser")
CENTRAL_SCHOOL_WIDE = ("office_staff", "director", "vice_principal", "principal", "superuser")


def doc(name="记录.docx", text="记录"):
    """A Word document (downloads are not pages the matrix searches for leaks)."""
    return docx(name, text)


def seed(w) -> SimpleNamespace:
    """The lesson-preparation rows of the world, made once (through the services, as people make them)."""
    if hasattr(w, "lp"):
        return w.lp
    s = SimpleNamespace()
    yesterday = today() - dt.timedelta(days=1)
    s.plan = plan_submit(teacher=w.teacher, subject=w.chinese, school_class=w.class_1, upload=doc("教学计划.docx"),
                         user=w.teacher.user)
    s.check = prep_check_create(teacher=w.teacher, round_kind="spot", checked_on=yesterday, lessons_taught=20,
                                lessons_prepared=15, grade="B", comments="备课较认真", user=w.group_leader.user)
    s.other_check = prep_check_create(teacher=w.other_teacher, round_kind="spot", checked_on=yesterday,
                                      lessons_taught=10, lessons_prepared=10, grade="A", user=w.director.user)
    s.activity = activity_create(group=w.chinese_group, date=yesterday, topic="《背影》集体备课",
                                 kind="collective_prep", user=w.group_leader.user)
    s.activity = activity_update(activity=s.activity, date=yesterday, topic=s.activity.topic, kind="collective_prep",
                                 attendees=[w.teacher, w.group_leader], minutes="讨论教学重难点", upload=doc(),
                                 user=w.group_leader.user)
    s.selection = selection_open(school=w.school, kind="lesson_design", title="优秀教学设计评选",
                                 judges=[w.director, w.group_leader], user=w.director.user)
    s.entry = entry_nominate(selection=s.selection, teacher=w.teacher, subject=w.chinese, title="《背影》教学设计",
                             upload=doc("设计.docx"), user=w.teacher.user)
    s.to_publish = selection_open(school=w.school, kind="lesson_plan", title="优秀教案评选", judges=[w.director],
                                  user=w.director.user)
    deadlines_update(term=w.term, plans_due=w.term.start_date + dt.timedelta(days=3),
                     summaries_due=yesterday, papers_due=None, user=w.director.user)
    s.summary = summary_submit(teacher=w.teacher, kind="summary", text="本学期工作总结", upload=doc("总结.docx"),
                               user=w.teacher.user)
    # The foreign school's rows, which no one from the world's schools may ever see.
    foreign_group = w.foreign_school.groups.create(name=f"{FOREIGN}组", leader=w.foreign_director)
    foreign_group.members.add(w.foreign_teacher)
    plan_submit(teacher=w.foreign_teacher, subject=w.foreign_subject, school_class=w.foreign_class,
                upload=doc(f"{FOREIGN}计划.docx"), user=w.foreign_teacher.user)
    PrepCheck.objects.create(
        school=w.foreign_school, term=w.foreign_term, teacher=w.foreign_teacher, checker=w.foreign_director,
        round_kind="spot", checked_on=yesterday, lessons_taught=3, lessons_prepared=3, grade="A",
        comments=f"{FOREIGN}评语",
    )
    GroupActivity.objects.create(school=w.foreign_school, term=w.foreign_term, group=foreign_group,
                                 date=yesterday, topic=f"{FOREIGN}教研", minutes=FOREIGN,
                                 created_by=w.foreign_director)
    Selection.objects.create(school=w.foreign_school, school_year=w.foreign_term.school_year, term=w.foreign_term,
                             per="term", kind="lesson_plan", title=f"{FOREIGN}评选", created_by=w.foreign_director)
    TermSummary.objects.create(school=w.foreign_school, term=w.foreign_term, teacher=w.foreign_teacher,
                               text=f"{FOREIGN}总结", due=yesterday, submitted_at=timezone.now())
    w.lp = s
    return s


def plan(w):
    return [seed(w).plan.pk]


def check(w):
    return [seed(w).check.pk]


def activity(w):
    return [seed(w).activity.pk]


def selection(w):
    return [seed(w).selection.pk]


def to_publish(w):
    return [seed(w).to_publish.pk]


def entry(w):
    return [seed(w).entry.pk]


def summary(w):
    return [seed(w).summary.pk]


def seeded(w):
    seed(w)
    return []


def _other_teacher(w):
    return [w.other_teacher.name]


def _plan_visible():
    """The teacher's plan: herself, her group leader, and her school's leaders and office."""
    return ("teacher", "group_leader", *CENTRAL_SCHOOL_WIDE)


def on_object(*, visible, allowed, allowed_status=OK) -> dict[str, int]:
    """A page of one row: 404 for those who may not see the row, 403 for those who see it but may not do this."""
    result = expect(allowed=allowed, allowed_status=allowed_status)
    for role in result:
        if role not in ("anonymous",) and role not in visible:
            result[role] = NOT_FOUND
    return result


ACTIVITY_VISIBLE = ("teacher", "other_teacher", "group_leader", *CENTRAL_SCHOOL_WIDE)

CASES = [
    Case("lesson_plans:my-work", expect(allowed=PERSONS), args=seeded),
    # Teaching plans
    Case("lesson_plans:plan-list", expect(allowed=("group_leader", *SCHOOL_WIDE)), args=seeded,
         hidden={"group_leader": _other_teacher, "village_director": lambda w: [w.teacher.name]}),
    Case("lesson_plans:plan-list", expect(allowed=("group_leader", *SCHOOL_WIDE)), query="tab=review",
         args=seeded),
    Case("lesson_plans:plan-submit", expect(allowed=PERSONS)),
    # An empty post re-renders the form with its errors and stores nothing.
    Case("lesson_plans:plan-submit", expect(allowed=PERSONS), method="post"),
    Case("lesson_plans:plan-missing", expect(allowed=("group_leader", *SCHOOL_WIDE)), args=seeded,
         hidden={"group_leader": _other_teacher}),
    Case("lesson_plans:plan-missing-record", expect(allowed=CENTRAL_MANAGERS, allowed_status=REDIRECT),
         method="post"),
    Case("lesson_plans:plan-detail", on_object(visible=_plan_visible(), allowed=_plan_visible()), args=plan),
    # An empty verdict is refused with a message (302 back to the plan); only reviewers get that far.
    Case("lesson_plans:plan-review",
         on_object(visible=_plan_visible(), allowed=("group_leader", "office_staff", "director", "vice_principal"),
                   allowed_status=REDIRECT), args=plan, method="post"),
    Case("lesson_plans:plan-file", on_object(visible=_plan_visible(), allowed=_plan_visible()), args=plan),
    Case("lesson_plans:deadlines", expect(allowed=CENTRAL_MANAGERS)),
    Case("lesson_plans:deadlines", expect(allowed=CENTRAL_MANAGERS), method="post"),
    # Checks
    Case("lesson_plans:check-list", expect(allowed=STAFF), args=seeded,
         hidden={"teacher": _other_teacher, "group_leader": _other_teacher,
                 "village_director": lambda w: [w.teacher.name]}),
    Case("lesson_plans:check-create", expect(allowed=("group_leader", *SCHOOL_WIDE[:-1]))),
    Case("lesson_plans:check-create", expect(allowed=("group_leader", *SCHOOL_WIDE[:-1])), method="post"),
    Case("lesson_plans:check-create", expect(allowed=("group_leader", *SCHOOL_WIDE[:-1])),
         query=lambda w: f"teacher={w.teacher.pk}&round_kind=spot&lessons_prepared=3"),
    Case("lesson_plans:sampling", expect(allowed=SCHOOL_WIDE), args=seeded,
         hidden={"village_director": lambda w: [w.teacher.name]}),
    Case("lesson_plans:check-detail", on_object(visible=_plan_visible(), allowed=_plan_visible()), args=check),
    Case("lesson_plans:check-update",
         on_object(visible=_plan_visible(), allowed=("group_leader", *CENTRAL_MANAGERS)), args=check),
    # An empty post re-renders with errors and changes nothing.
    Case("lesson_plans:check-update",
         on_object(visible=_plan_visible(), allowed=("group_leader", *CENTRAL_MANAGERS)), args=check,
         method="post"),
    # Research-group activities
    Case("lesson_plans:activity-list", expect(allowed=STAFF), args=seeded,
         hidden={"village_director": lambda w: ["《背影》集体备课"]}),
    Case("lesson_plans:activity-create", expect(allowed=("group_leader", *MANAGERS[:-1])), args=seeded),
    Case("lesson_plans:activity-create", expect(allowed=("group_leader", *MANAGERS[:-1])), method="post"),
    Case("lesson_plans:leader-attendance", expect(allowed=SCHOOL_WIDE), args=seeded),
    Case("lesson_plans:activity-detail", on_object(visible=ACTIVITY_VISIBLE, allowed=ACTIVITY_VISIBLE),
         args=activity),
    Case("lesson_plans:activity-record",
         on_object(visible=ACTIVITY_VISIBLE, allowed=("group_leader", *CENTRAL_MANAGERS)), args=activity),
    Case("lesson_plans:activity-record",
         on_object(visible=ACTIVITY_VISIBLE, allowed=("group_leader", *CENTRAL_MANAGERS)), args=activity,
         method="post"),
    Case("lesson_plans:activity-check",
         on_object(visible=ACTIVITY_VISIBLE, allowed=("office_staff", "director", "vice_principal", "principal"),
                   allowed_status=REDIRECT), args=activity, method="post", data=lambda w: {"comment": "已阅"}),
    Case("lesson_plans:activity-file", on_object(visible=ACTIVITY_VISIBLE, allowed=ACTIVITY_VISIBLE),
         args=activity),
    # Selections
    Case("lesson_plans:selection-list", expect(allowed=STAFF), args=seeded),
    Case("lesson_plans:selection-create", expect(allowed=MANAGERS[:-1])),
    Case("lesson_plans:selection-create", expect(allowed=MANAGERS[:-1]), method="post"),
    Case("lesson_plans:selection-detail", expect(allowed=STAFF), args=selection,
         hidden={"other_teacher": lambda w: ["《背影》教学设计"]}),
    Case("lesson_plans:entry-create", expect(allowed=PERSONS), args=selection),
    Case("lesson_plans:entry-create", expect(allowed=PERSONS), args=selection, method="post"),
    Case("lesson_plans:entry-score", expect(allowed=("director", "group_leader"), allowed_status=REDIRECT),
         args=entry, method="post", data=lambda w: {"score": "88"}),
    Case("lesson_plans:entry-file",
         expect(allowed=("teacher", "group_leader", *CENTRAL_SCHOOL_WIDE)), args=entry),
    Case("lesson_plans:selection-publish", expect(allowed=CENTRAL_MANAGERS, allowed_status=REDIRECT),
         args=to_publish, method="post"),
    # Term summaries
    Case("lesson_plans:summary-list", expect(allowed=("group_leader", *SCHOOL_WIDE)), args=seeded,
         hidden={"village_director": lambda w: [w.teacher.name]}),
    Case("lesson_plans:summary-submit", expect(allowed=PERSONS), args=lambda w: ["summary"]),
    Case("lesson_plans:summary-submit", expect(allowed=PERSONS), args=lambda w: ["summary"], method="post"),
    Case("lesson_plans:summary-close", expect(allowed=CENTRAL_MANAGERS, allowed_status=REDIRECT), method="post"),
    Case("lesson_plans:summary-detail", on_object(visible=_plan_visible(), allowed=_plan_visible()), args=summary),
    Case("lesson_plans:summary-file", on_object(visible=_plan_visible(), allowed=_plan_visible()), args=summary),
]
