"""Permission-matrix cases of the homework pages, and the idempotent helper that gives the world what they need: a
weekly list with one check done, inspections of two teachers, tutoring records, here and in the foreign school
(whose rows carry FOREIGN)."""

from __future__ import annotations

from homework_checks.models import HomeworkInspection, HomeworkPlanItem, TutoringRecord
from homework_checks.services.plans import homework_plan_generate
from homework_checks.services.tutoring import tutoring_record_create
from school.selectors import today
from school.tests.matrix import MANAGERS, NOT_FOUND, OK, REDIRECT, SCHOOL_WIDE, STAFF, Case, expect

from .helpers import record

INSPECTORS = ("group_leader", "office_staff", "director", "vice_principal", "principal", "village_director")


def seed(w):
    """Once per world: the list of the central school with the teacher's check done, a check of the other teacher,
    tutoring by both, and a check and tutoring in the foreign school."""
    if getattr(w, "homework", None):
        return w.homework
    plan = homework_plan_generate(school=w.school, term=w.term, user=w.director.user).plan
    item = plan.items.get(teacher=w.teacher)
    item.inspector = w.director
    item.save()
    done = record(w, plan_item=item, round_kind="weekly_homework", gradings_counted=0)
    other = record(w, teacher=w.other_teacher, school_class=w.class_2, subject=w.maths)
    tutoring_record_create(teacher=w.teacher, school_class=w.class_1, date=today(), kind="struggling",
                           students=[w.student], content="阅读理解")
    tutoring_record_create(teacher=w.other_teacher, school_class=w.class_1, date=today(), kind="struggling",
                           students=[w.student], content="方程应用题")
    foreign = HomeworkInspection.objects.create(
        school=w.foreign_school, term=w.foreign_term, inspector=w.foreign_director, teacher=w.foreign_teacher,
        school_class=w.foreign_class, subject=w.foreign_subject, date=today(), round_kind="monthly",
        month_number=1, period_start=today(), verdict="good", findings=f"{FOREIGN_TEXT}",
    )
    foreign_tutoring = TutoringRecord.objects.create(
        school=w.foreign_school, term=w.foreign_term, teacher=w.foreign_teacher, school_class=w.foreign_class,
        date=today(), content=FOREIGN_TEXT,
    )
    foreign_tutoring.students.add(w.foreign_student)
    w.homework = {"plan": plan, "item": HomeworkPlanItem.objects.get(pk=item.pk), "done": done, "other": other,
                  "foreign": foreign}
    return w.homework


FOREIGN_TEXT = "FOREIGN作业"


def _inspection(w):
    return (seed(w)["done"].pk,)


def _item(w):
    return (seed(w)["item"].pk,)


def _open_item(w):
    plan = seed(w)["plan"]
    return (plan.items.filter(inspection__isnull=True).order_by("pk").first().pk,)


def _plan_query(w):
    seed(w)
    return f"school={w.school.pk}&term={w.term.pk}"


def _foreign_term(w):
    seed(w)
    return f"term={w.foreign_term.pk}"


def another_calendar(*, allowed, superuser=OK) -> dict[str, int]:
    result = expect(allowed=allowed, allowed_status=NOT_FOUND)
    result["superuser"] = superuser
    return result


TALK = {
    "anonymous": REDIRECT, "teacher": 403, "other_teacher": NOT_FOUND, "group_leader": 403, "office_staff": 403,
    "director": OK, "vice_principal": 403, "principal": 403, "village_director": NOT_FOUND, "superuser": 403,
}
DETAIL = expect(allowed=(*SCHOOL_WIDE, "teacher", "group_leader"), denied_status=NOT_FOUND)
DETAIL["village_director"] = NOT_FOUND
# A village director manages her own school's list, not the central school's: its items are not hers (404).
CENTRAL_MANAGERS = tuple(r for r in MANAGERS if r != "village_director")


def _central_plan(*, status=OK):
    result = expect(allowed=CENTRAL_MANAGERS, allowed_status=status)
    result["village_director"] = NOT_FOUND
    return result


CASES = [
    Case("homework_checks:inspection-list", expect(allowed=STAFF), query=lambda w: f"term={w.term.pk}" if seed(w)
         else "", hidden={"teacher": lambda w: [w.other_teacher.name]}),
    Case("homework_checks:inspection-list", another_calendar(allowed=STAFF), query=_foreign_term),
    Case("homework_checks:inspection-create", expect(allowed=INSPECTORS)),
    Case("homework_checks:inspection-create", expect(allowed=INSPECTORS), method="post"),
    Case("homework_checks:inspection-detail", DETAIL, args=_inspection),
    Case("homework_checks:inspection-talk", TALK, args=_inspection, method="post"),
    Case("homework_checks:inspection-export", expect(allowed=INSPECTORS + ("superuser",)), args=lambda w: ()
         if seed(w) else ()),
    Case("homework_checks:inspection-export", another_calendar(allowed=INSPECTORS + ("superuser",)),
         query=_foreign_term),
    Case("homework_checks:week", expect(allowed=INSPECTORS + ("superuser",)), args=lambda w: () if seed(w) else ()),
    Case("homework_checks:week", another_calendar(allowed=INSPECTORS + ("superuser",)), query=_foreign_term),
    Case("homework_checks:plan", expect(allowed=SCHOOL_WIDE), args=lambda w: () if seed(w) else (),
         hidden={"village_director": lambda w: [w.teacher.name]}),
    # The central school's list: a village director sees only her own school's (404).
    Case("homework_checks:plan", _central_plan() | {"principal": OK}, query=_plan_query),
    Case("homework_checks:plan", another_calendar(allowed=SCHOOL_WIDE), query=_foreign_term),
    Case("homework_checks:plan-generate", _central_plan(status=REDIRECT), method="post",
         data=lambda w: {"school": w.school.pk, "term": w.term.pk}),
    Case("homework_checks:plan-item-create", _central_plan(), query=_plan_query),
    Case("homework_checks:plan-item-create", _central_plan(), query=_plan_query, method="post",
         data=lambda w: {"school": w.school.pk, "term": w.term.pk}),
    Case("homework_checks:plan-item-update", _central_plan(), args=_open_item),
    # A done check stays on the list: the post changes nothing and goes back to the list.
    Case("homework_checks:plan-item-delete", _central_plan(status=REDIRECT), args=_item, method="post"),
    Case("homework_checks:tutoring-list", expect(allowed=STAFF), query=lambda w: "" if seed(w) else "",
         hidden={"teacher": lambda w: ["方程应用题"], "village_director": lambda w: ["阅读理解"]}),
    Case("homework_checks:tutoring-list", another_calendar(allowed=STAFF), query=_foreign_term),
    Case("homework_checks:tutoring-create", expect(allowed=tuple(r for r in STAFF if r != "superuser"))),
    Case("homework_checks:tutoring-create", expect(allowed=tuple(r for r in STAFF if r != "superuser")),
         method="post"),
]
