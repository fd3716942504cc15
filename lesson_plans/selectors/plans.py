"""Reads of teaching plans: those a person may see, the office's and group leader's lists, the slots still
missing, the plans waiting for a reviewer, and a teacher's own slots. Each runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from school.models import Staff, Term, TimetableEntry
from school.permissions import restrict, scope_for

from ..models import MissingPlan, PlanReview, TeachingPlan

S = TeachingPlan.Status
MISSING = "missing"


def plans_visible_to(user) -> QuerySet:
    """A teacher sees her own plans; a group leader her group's; the office and the principal their schools'."""
    return restrict(TeachingPlan.objects.all(), user, school="school", teacher="teacher")


def with_names(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("teacher", "subject", "school_class", "school_class__grade", "school")


def plan_list(user, term: Term, *, group=None, grade=None, subject=None, status="", school=None) -> QuerySet:
    plans = with_names(plans_visible_to(user).filter(term=term))
    if group is not None:
        plans = plans.filter(teacher__groups=group)
    if grade is not None:
        plans = plans.filter(school_class__grade=grade)
    if subject is not None:
        plans = plans.filter(subject=subject)
    if school is not None:
        plans = plans.filter(school=school)
    if status:
        plans = plans.filter(status=status)
    return plans.order_by("teacher__school_id", "teacher__staff_no", "subject__order", "school_class__grade__level",
                          "school_class__number").distinct()


def plan_detail(user) -> QuerySet:
    return with_names(plans_visible_to(user)).prefetch_related(
        Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewer").order_by("created_at", "id"))
    )


def missing_slots(user, term: Term, *, group=None, grade=None, subject=None, school=None) -> list[dict]:
    """The timetable's (teacher, subject, class) with no plan handed in, among the teachers the user may see,
    and whether the office has recorded each as missing. One query."""
    entries = restrict(TimetableEntry.objects.filter(term=term, teacher__is_active=True), user,
                       school="teacher__school", teacher="teacher")
    if group is not None:
        entries = entries.filter(teacher__groups=group)
    if grade is not None:
        entries = entries.filter(school_class__grade=grade)
    if subject is not None:
        entries = entries.filter(subject=subject)
    if school is not None:
        entries = entries.filter(teacher__school=school)
    same_slot = {"term": term, "teacher": OuterRef("teacher"), "subject": OuterRef("subject"),
                 "school_class": OuterRef("school_class")}
    return list(
        entries.annotate(
            handed_in=Exists(TeachingPlan.objects.filter(**same_slot)),
            recorded=Exists(MissingPlan.objects.filter(**same_slot)),
        )
        .filter(handed_in=False)
        .values("teacher_id", "teacher__name", "teacher__staff_no", "teacher__school__name", "subject_id",
                "subject__name", "school_class_id", "school_class__grade__name", "school_class__number", "recorded")
        .distinct()
        .order_by("teacher__school_id", "teacher__staff_no", "subject__order", "school_class__grade__level",
                  "school_class__number")
    )


def awaiting_review(user, term: Term) -> QuerySet:
    """Plans waiting for this person: submitted plans of the groups she leads (not her own); for the office,
    every plan of its schools submitted or passed on by the group."""
    return awaiting_review_in_scope(scope_for(user), term)


def awaiting_review_in_scope(scope, term: Term) -> QuerySet:
    plans = TeachingPlan.objects.filter(term=term)
    condition = Q(pk__in=[])
    if scope.everything:
        condition = Q(status__in=[S.SUBMITTED, S.GROUP_PASSED])
    elif scope.managed_school_ids:
        condition |= Q(school_id__in=scope.managed_school_ids, status__in=[S.SUBMITTED, S.GROUP_PASSED])
    if scope.led_group_ids and scope.staff is not None:
        members = Staff.objects.filter(groups__in=scope.led_group_ids).exclude(pk=scope.staff.pk).values("pk")
        condition |= Q(teacher__in=members, status=S.SUBMITTED)
    return with_names(plans.filter(condition)).order_by("submitted_at", "id")


@dataclass
class Slot:
    """One teaching plan due from a teacher: a subject and class of her timetable, and her plan if handed in."""

    subject: object
    school_class: object
    plan: TeachingPlan | None = None
    recorded_missing: bool = False
    reviews: list = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.plan.status if self.plan is not None else MISSING

    @property
    def can_upload(self) -> bool:
        return self.plan is None or self.plan.status in (S.SUBMITTED, S.RETURNED)

    @property
    def last_comment(self) -> str:
        returned = [r for r in self.reviews if r.verdict == PlanReview.Verdict.RETURNED]
        return returned[-1].comment if returned else ""


def my_slots(teacher: Staff, term: Term) -> list[Slot]:
    """Her teaching plans due this term, one per subject and class of her timetable, with the plan handed in
    (and its reviews). Three queries."""
    entries = (
        TimetableEntry.objects.filter(term=term, teacher=teacher)
        .select_related("subject", "school_class", "school_class__grade")
        .order_by("subject__order", "subject_id", "school_class__grade__level", "school_class__number")
    )
    plans = {
        (p.subject_id, p.school_class_id): p
        for p in TeachingPlan.objects.filter(term=term, teacher=teacher).prefetch_related(
            Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewer").order_by("created_at", "id"))
        )
    }
    recorded = set(MissingPlan.objects.filter(term=term, teacher=teacher).values_list("subject_id",
                                                                                     "school_class_id"))
    slots, seen = [], set()
    for entry in entries:
        key = (entry.subject_id, entry.school_class_id)
        if key in seen:
            continue
        seen.add(key)
        plan = plans.get(key)
        slots.append(Slot(subject=entry.subject, school_class=entry.school_class, plan=plan,
                          recorded_missing=key in recorded, reviews=list(plan.reviews.all()) if plan else []))
    return slots


@dataclass
class PlanProgress:
    due: int
    handed_in: int
    returned: int

    @property
    def open(self) -> int:
        return self.due - self.handed_in


def plan_progress(teacher: Staff, term: Term) -> PlanProgress:
    """How many teaching plans she owes this term (a subject and class of her timetable each), how many she has
    handed in, and how many are back with her to improve. One query."""
    status = TeachingPlan.objects.filter(term=term, teacher=teacher, subject=OuterRef("subject"),
                                         school_class=OuterRef("school_class")).values("status")[:1]
    slots = (TimetableEntry.objects.filter(term=term, teacher=teacher)
             .values("subject_id", "school_class_id").distinct().annotate(status=Subquery(status))
             .values_list("subject_id", "school_class_id", "status"))
    statuses = {(subject, school_class): value for subject, school_class, value in slots}
    return PlanProgress(due=len(statuses), handed_in=sum(1 for v in statuses.values() if v is not None),
                        returned=sum(1 for v in statuses.values() if v == S.RETURNED))
