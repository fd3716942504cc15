"""Writes of teaching plans (教学计划): submission and resubmission, review by the group leader (the first gate,
V3.3) and the office, the term's deadlines, and the plans missing at the deadline.

- Every subject's teaching plan is handed in at the start of term (V3.3, V4.1): one per subject and class of the
  teacher's timetable, as a .docx, .pdf or .txt file (checked in `lesson_plans.files`).
- The group leader passes a plan of her group's teachers on to the office or returns it with comments; the office
  accepts or returns any plan of its schools (also one the group has not seen: a group without a leader, a
  leader's own plan). A returned plan is resubmitted; a plan passed or accepted is not replaced.
- V4.I: a teaching plan not handed in is fined 2 yuan. When the deadline has passed, the office records every
  plan still missing as a `MissingPlan` row, the source of one fine each where the policy has the rule (once,
  however often the office records).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from deductions.services import violation_record
from inspections.selectors import policy_for
from school.models import SchoolClass, Staff, Subject, Term, TimetableEntry
from school.permissions import manages_school, scope_for
from school.selectors import current_term, today

from ..files import check_upload, store
from ..models import Deadlines, MissingPlan, PlanReview, TeachingPlan
from ..selectors.common import active_fine_rules, deadlines_for, teaching_slots, term_schools
from .common import acting_staff, leads_group_of, require_office, stamp

S = TeachingPlan.Status
V = PlanReview.Verdict
FINE_MISSING_PLAN = "teaching_plan_missing"


@transaction.atomic
def plan_submit(*, teacher: Staff, subject: Subject, school_class: SchoolClass, upload, user=None,
                term: Term | None = None) -> TeachingPlan:
    """The teacher hands in (or resubmits) her teaching plan for a subject and class of her timetable this term.

    A plan still waiting for review may be replaced; a returned one is resubmitted (back to the group leader);
    one passed on or accepted stays as it is."""
    term = term or current_term(teacher.school)
    if term is None:
        raise ValidationError(_("The school calendar has no term yet."))
    taught = TimetableEntry.objects.filter(term=term, teacher=teacher, subject=subject,
                                           school_class=school_class).exists()
    if not taught:
        raise ValidationError(
            _("%(subject)s in %(class)s is not on your timetable this term.")
            % {"subject": subject, "class": school_class}
        )
    checked = check_upload(upload)
    now = timezone.now()
    plan = (
        TeachingPlan.objects.select_for_update()
        .filter(term=term, teacher=teacher, subject=subject, school_class=school_class)
        .first()
    )
    if plan is None:
        plan = TeachingPlan(school=teacher.school, term=term, teacher=teacher, subject=subject,
                            school_class=school_class, submitted_at=now, first_submitted_at=now)
        reason = "submitted"
    elif plan.status in (S.SUBMITTED, S.RETURNED):
        plan.submissions += 1
        plan.submitted_at = now
        plan.status = S.SUBMITTED
        reason = "resubmitted"
    else:
        raise ValidationError(
            _("This plan is “%(status)s”: it can no longer be replaced.") % {"status": plan.get_status_display()}
        )
    store(plan, checked)
    # The relations are the rows just read and the figures the service's own; the database holds the constraints
    # (a plan handed in twice at once is the IntegrityError below).
    plan.full_clean(exclude=["file", "school", "term", "teacher", "subject", "school_class"],
                    validate_constraints=False)
    try:
        with transaction.atomic():
            stamp(plan, user, reason).save()
    except IntegrityError:
        raise ValidationError(_("This plan was handed in a moment ago: reload the page.")) from None
    return plan


def _review_stage(user, plan: TeachingPlan) -> str:
    if manages_school(user, plan.school):
        return PlanReview.Stage.OFFICE
    if leads_group_of(scope_for(user).staff, plan.teacher):
        return PlanReview.Stage.GROUP
    raise PermissionDenied(_("Only the teacher's group leader or the teaching office reviews this plan."))


@transaction.atomic
def plan_review(*, plan: TeachingPlan, verdict: str, comment: str = "", user) -> PlanReview:
    """A verdict on a plan. The group leader (first gate) passes a submitted plan on or returns it; the office
    accepts or returns a plan waiting for it (or one already accepted, found wanting later). Returning needs a
    comment the teacher will read."""
    reviewer = acting_staff(user)
    if reviewer.pk == plan.teacher_id:
        raise PermissionDenied(_("You cannot review your own plan."))
    stage = _review_stage(user, plan)
    plan = TeachingPlan.objects.select_for_update().get(pk=plan.pk)
    comment = (comment or "").strip()
    if verdict == V.RETURNED and not comment:
        raise ValidationError(_("Say what to change: the teacher reads your comments."))
    if stage == PlanReview.Stage.GROUP:
        if verdict not in (V.PASSED, V.RETURNED):
            raise ValidationError(_("A group leader passes a plan on to the office or returns it."))
        if plan.status != S.SUBMITTED:
            raise ValidationError(_("This plan is not waiting for the group leader."))
    else:
        if verdict not in (V.ACCEPTED, V.RETURNED):
            raise ValidationError(_("The office accepts a plan or returns it."))
        allowed = (S.SUBMITTED, S.GROUP_PASSED) if verdict == V.ACCEPTED else (S.SUBMITTED, S.GROUP_PASSED,
                                                                               S.ACCEPTED)
        if plan.status not in allowed:
            raise ValidationError(_("This plan is waiting for the teacher to resubmit it."))
    review = PlanReview(plan=plan, reviewer=reviewer, stage=stage, verdict=verdict, comment=comment)
    # Verdict, stage and comment were checked above; the database holds the same constraints.
    review.full_clean(exclude=["plan", "reviewer"], validate_constraints=False)
    review.save()
    plan.status = {V.PASSED: S.GROUP_PASSED, V.ACCEPTED: S.ACCEPTED, V.RETURNED: S.RETURNED}[verdict]
    stamp(plan, user, verdict).save(update_fields=["status"])
    return review


# --- deadlines and missing plans ---------------------------------------------------------------------------


def require_term_office(user, term: Term) -> None:
    """The term's calendar is its central school's: that school's office sets its deadlines and closes them."""
    require_office(user, term.school_year.school)


@transaction.atomic
def deadlines_update(*, term: Term, plans_due: dt.date, summaries_due: dt.date, papers_due: dt.date | None,
                     user) -> Deadlines:
    """The office sets the term's deadlines (each a day of the term). A deadline whose collection the office has
    already closed stays as it was."""
    require_term_office(user, term)
    for day in (plans_due, summaries_due, papers_due):
        if day is not None and not term.contains(day):
            raise ValidationError(
                _("%(day)s is not in %(term)s (%(start)s – %(end)s).")
                % {"day": day, "term": term, "start": term.start_date, "end": term.end_date}
            )
    deadlines = deadlines_for(term)
    if deadlines.pk is not None:
        deadlines = Deadlines.objects.select_for_update().get(pk=deadlines.pk)
    if deadlines.plans_recorded_at and plans_due != deadlines.plans_due:
        raise ValidationError(_("The missing plans have already been recorded: the plans' deadline stays."))
    if deadlines.summaries_closed_at and (summaries_due != deadlines.summaries_due
                                          or papers_due != deadlines.papers_due):
        raise ValidationError(_("The summary collection is closed: its deadlines stay."))
    deadlines.plans_due, deadlines.summaries_due, deadlines.papers_due = plans_due, summaries_due, papers_due
    deadlines.full_clean()
    stamp(deadlines, user, "edited").save()
    return deadlines


def saved_deadlines(term: Term) -> Deadlines:
    """The term's deadlines row, created from the policy's defaults the first time something is recorded."""
    deadlines = deadlines_for(term)
    if deadlines.pk is None:
        try:
            with transaction.atomic():
                deadlines.save()
        except IntegrityError:
            pass
        deadlines = Deadlines.objects.get(term=term)
    return Deadlines.objects.select_for_update().get(pk=deadlines.pk)


@transaction.atomic
def missing_plans_record(*, term: Term, user) -> list[MissingPlan]:
    """V4.I: after the deadline, the office records every teaching plan still missing (a slot of the timetable
    with no plan) in the term's schools, each fined 2 yuan (`teaching_plan_missing`) where the policy has the rule,
    dated on the deadline. Recording again adds only plans newly found missing; each is fined once."""
    require_term_office(user, term)
    deadlines = saved_deadlines(term)
    if today() <= deadlines.plans_due:
        raise ValidationError(_("Teaching plans are due on %(day)s: the missing ones are recorded after that day.")
                              % {"day": deadlines.plans_due})
    schools = term_schools(term)
    handed_in = set(
        TeachingPlan.objects.filter(term=term).values_list("teacher_id", "subject_id", "school_class_id")
    )
    recorded = set(
        MissingPlan.objects.filter(term=term).values_list("teacher_id", "subject_id", "school_class_id")
    )
    missing = [
        slot for slot in teaching_slots(term, school_ids=schools)
        if (key := (slot["teacher_id"], slot["subject_id"], slot["school_class_id"])) not in handed_in
        and key not in recorded
    ]
    teachers = {s.pk: s for s in Staff.objects.filter(pk__in={m["teacher_id"] for m in missing})
                .select_related("school", "school__parent")}
    rows = []
    for slot in missing:
        teacher = teachers[slot["teacher_id"]]
        row = MissingPlan(school=teacher.school, term=term, teacher=teacher, subject_id=slot["subject_id"],
                          school_class_id=slot["school_class_id"], due=deadlines.plans_due,
                          recorded_by=user if getattr(user, "is_authenticated", False) else None)
        row.save()
        rows.append(row)
    rules = active_fine_rules(policy_for(term.school_year.school))
    if FINE_MISSING_PLAN in rules:
        for row in MissingPlan.objects.filter(term=term).select_related("teacher", "teacher__school",
                                                                         "subject", "school_class__grade"):
            violation_record(teacher=row.teacher, code=FINE_MISSING_PLAN, occurred_on=row.due, source=row,
                             user=user, note=str(row))
    deadlines.plans_recorded_at = deadlines.plans_recorded_at or timezone.now()
    stamp(deadlines, user, "plans recorded").save()
    return rows
