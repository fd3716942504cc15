"""Writes of the weekly homework check list (V2.I): in the second half of the term the teaching office lists, week by
week, whose homework is checked and by whom, so that every teacher is checked once a term (V2.I.1-2). The list is
generated (`planner.plan_checks`) and then edited by the office; an item is done when an inspection is linked to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from inspections.selectors import policy_for
from school.models import School, Staff, Term
from school.permissions import manages_school
from school.selectors import today

from .. import planner
from ..models import HomeworkPlan, HomeworkPlanItem
from ..selectors import plan_inspectors, plan_teachers, plan_weeks
from ._common import stamp


@dataclass
class PlanResult:
    plan: HomeworkPlan
    created: int = 0
    kept: int = 0  # items already done, left as they were
    unscheduled: dict[int, int] = field(default_factory=dict)  # teacher id -> checks no open week could take


def _require_office(user, school: School) -> None:
    if not manages_school(user, school):
        raise PermissionDenied(_("Only the teaching office keeps the weekly homework list."))


def _check_term(school: School, term: Term) -> None:
    if term.school_year.school_id != school.root_id:
        raise PermissionDenied(_("That term belongs to another school's calendar."))


def times_per_teacher(school: School, policy=None) -> int:
    """How many times the list checks each teacher: the policy's office checks a term (V2.I.1: once), at least 1."""
    policy = policy or policy_for(school)
    return max(policy.homework_checks_per_teacher if policy is not None else 0, 1)


@transaction.atomic
def homework_plan_generate(*, school: School, term: Term, user) -> PlanResult:
    """Generate the weekly list of `school` for the second half of `term` (V2.I.2): every teacher with lessons this
    term is checked `times_per_teacher` times (V2.I.1: once), spread over the weeks and by teaching-research group,
    by the school's teaching office (a village school without one: its central school's office).

    Generating again keeps the items already done and plans the rest anew over the weeks not yet over; an item
    not done in a week that has passed moves to a week to come."""
    _require_office(user, school)
    _check_term(school, term)
    weeks = [w for w in plan_weeks(term) if w.is_teaching]
    day = today()
    open_weeks = [w for w in weeks if w.end >= day]
    if not open_weeks:
        raise ValidationError(_("The second half of this term is over: there is no week left to plan."))
    plan, _created = HomeworkPlan.objects.select_for_update().get_or_create(school=school, term=term)
    plan.times_per_teacher = times_per_teacher(school)
    plan.generated_at = timezone.now()
    plan.generated_by = user if getattr(user, "is_authenticated", False) else None
    plan.full_clean(validate_unique=False)
    plan.save()

    done = list(plan.items.filter(inspection__isnull=False))
    plan.items.filter(inspection__isnull=True).delete()
    teachers = list(plan_teachers(school).filter(lessons__term=term).distinct())
    inspectors = [s.pk for s in plan_inspectors(school)]
    fallback = [s.pk for s in plan_inspectors(school.root)] if school.parent_id else []
    result = planner.plan_checks(
        teachers=[planner.PlanTeacher(t.pk, min((g.pk for g in t.groups.all()), default=planner.NO_GROUP))
                  for t in teachers],
        weeks=[w.number for w in open_weeks],
        times=plan.times_per_teacher,
        inspectors=inspectors,
        fallback_inspectors=fallback,
        kept=[planner.PlanItem(i.teacher_id, i.week_number, i.inspector_id) for i in done],
    )
    starts = {w.number: w.start for w in open_weeks}
    items = [
        HomeworkPlanItem(plan=plan, teacher_id=i.teacher, week_number=i.week, week_start=starts[i.week],
                         inspector_id=i.inspector)
        for i in result.items
    ]
    bulk_create_with_history(items, HomeworkPlanItem, default_user=plan.generated_by,
                             default_change_reason="generated")
    return PlanResult(plan=plan, created=len(items), kept=len(done), unscheduled=result.unscheduled)


def _week(term: Term, number: int):
    week = next((w for w in plan_weeks(term) if w.number == number and w.is_teaching), None)
    if week is None:
        raise ValidationError({"week_number": _("Week %(number)s is not a teaching week of the term's second half.")
                               % {"number": number}})
    return week


def _check_people(plan: HomeworkPlan, teacher: Staff, inspector: Staff | None) -> None:
    schools = {plan.school_id, plan.school.root_id}
    if teacher.school_id != plan.school_id:
        raise ValidationError({"teacher": _("%(name)s is not on the staff of %(school)s.")
                               % {"name": teacher, "school": plan.school}})
    if inspector is not None:
        if inspector.pk == teacher.pk:
            raise ValidationError({"inspector": _("A teacher does not check her own homework.")})
        if inspector.school_id not in schools:
            raise ValidationError({"inspector": _("The inspector must be of this school or its central school.")})


def _save_item(item: HomeworkPlanItem, user, reason: str) -> HomeworkPlanItem:
    item.full_clean(validate_unique=False, validate_constraints=False)
    stamp(item, user, reason)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise ValidationError({"week_number": _("%(name)s is already on the list in week %(week)s.")
                               % {"name": item.teacher, "week": item.week_number}}) from None
    return item


@transaction.atomic
def homework_plan_item_create(*, plan: HomeworkPlan, teacher: Staff, week_number: int, inspector: Staff | None,
                              user) -> HomeworkPlanItem:
    """The office adds a teacher to a week of the list (V2.I.2: the office arranges each week's list)."""
    _require_office(user, plan.school)
    _check_people(plan, teacher, inspector)
    week = _week(plan.term, week_number)
    item = HomeworkPlanItem(plan=plan, teacher=teacher, week_number=week.number, week_start=week.start,
                            inspector=inspector)
    return _save_item(item, user, "added")


@transaction.atomic
def homework_plan_item_update(*, item: HomeworkPlanItem, week_number: int, inspector: Staff | None,
                              user) -> HomeworkPlanItem:
    """The office moves an item to another week or gives it to another inspector; a done item stays as it is."""
    item = HomeworkPlanItem.objects.select_for_update().select_related("plan", "plan__school", "plan__term",
                                                                       "teacher").get(pk=item.pk)
    _require_office(user, item.plan.school)
    if item.inspection_id is not None:
        raise ValidationError(_("This check is done: it can no longer be moved."))
    _check_people(item.plan, item.teacher, inspector)
    week = _week(item.plan.term, week_number)
    item.week_number, item.week_start, item.inspector = week.number, week.start, inspector
    return _save_item(item, user, "changed")


@transaction.atomic
def homework_plan_item_delete(*, item: HomeworkPlanItem, user) -> None:
    """The office takes a teacher off a week of the list; a done item stays."""
    item = HomeworkPlanItem.objects.select_for_update().select_related("plan", "plan__school").get(pk=item.pk)
    _require_office(user, item.plan.school)
    if item.inspection_id is not None:
        raise ValidationError(_("This check is done: it stays on the list."))
    stamp(item, user, "removed")
    item.delete()
