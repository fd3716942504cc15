"""What lesson preparation tells the inspections app (the contract is the docstring of `inspections/evidence.py`):

- DONE_CHECKS: "lesson_prep" (a preparation check of the teacher by the checker in the round, and for a monthly round
  in its school month), "teaching_plan" (every teaching plan due from the teacher handed in and reviewed by the
  checker), "research_activities" (the checker checked the record of an activity of a group the teacher belongs to),
  "summary" (the teacher's term summary handed in);
- six_earnests_evidence: the checks of her preparation with their grades and fines, and her teaching plans
  (PREPARATION); her term summary and yearly paper, on time or how many days late (SUMMARY);
- deadlines: each teacher's teaching plans and term summary (and yearly paper) of the term's `Deadlines`.
Each runs a fixed number of queries whatever the number of people asked about.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from deductions.models import Violation
from inspections.evidence import Deadline, Fact
from inspections.selectors import policy_for
from school.models import TimetableEntry

from .models import ActivityCheck, PlanReview, PrepCheck, PrepCheckFinding, TeachingPlan, TermSummary
from .selectors.common import deadlines_for, term_schools
from .selectors.summaries import due_date

# The six earnests these facts belong to (`inspections.models.Earnest` values).
PREPARATION = "preparation"
SUMMARY = "summary"
COUNTED = (Violation.Status.PROPOSED, Violation.Status.CONFIRMED, Violation.Status.APPEALED, Violation.Status.UPHELD)


def _lesson_prep_done(*, term, kind, month_number, start, end, pairs):
    checkers = {c for c, _t in pairs}
    teachers = {t for _c, t in pairs}
    checks = PrepCheck.objects.filter(term=term, round_kind=kind, checker_id__in=checkers, teacher_id__in=teachers,
                                      checked_on__gte=start, checked_on__lte=end)
    if month_number is not None:
        checks = checks.filter(month_number=month_number)
    return set(checks.values_list("checker_id", "teacher_id"))


def _teaching_plan_done(*, term, kind, month_number, start, end, pairs):
    teachers = {t for _c, t in pairs}
    due = defaultdict(set)
    for teacher, subject, school_class in (
        TimetableEntry.objects.filter(term=term, teacher_id__in=teachers)
        .values_list("teacher_id", "subject_id", "school_class_id").distinct()
    ):
        due[teacher].add((subject, school_class))
    reviewed = defaultdict(set)  # (reviewer, teacher) -> slots
    for reviewer, teacher, subject, school_class in (
        PlanReview.objects.filter(plan__term=term, plan__teacher_id__in=teachers, created_at__date__lte=end)
        .values_list("reviewer_id", "plan__teacher_id", "plan__subject_id", "plan__school_class_id")
    ):
        reviewed[(reviewer, teacher)].add((subject, school_class))
    return {(c, t) for c, t in pairs if due.get(t) and due[t] <= reviewed.get((c, t), set())}


def _research_activities_done(*, term, kind, month_number, start, end, pairs):
    checkers = {c for c, _t in pairs}
    teachers = {t for _c, t in pairs}
    checked_groups = defaultdict(set)
    for leader, group in ActivityCheck.objects.filter(
        leader_id__in=checkers, activity__term=term, checked_at__date__gte=start, checked_at__date__lte=end,
    ).values_list("leader_id", "activity__group_id"):
        checked_groups[leader].add(group)
    from school.models import Staff

    groups_of = defaultdict(set)
    for teacher, group in Staff.groups.through.objects.filter(staff_id__in=teachers).values_list("staff_id",
                                                                                                 "teachinggroup_id"):
        groups_of[teacher].add(group)
    return {(c, t) for c, t in pairs if checked_groups.get(c, set()) & groups_of.get(t, set())}


def _summary_done(*, term, kind, month_number, start, end, pairs):
    teachers = {t for _c, t in pairs}
    handed = set(TermSummary.objects.filter(term=term, kind=TermSummary.Kind.SUMMARY, teacher_id__in=teachers,
                                            submitted_at__isnull=False).values_list("teacher_id", flat=True))
    return {(c, t) for c, t in pairs if t in handed}


DONE_CHECKS = {
    "lesson_prep": _lesson_prep_done,
    "teaching_plan": _teaching_plan_done,
    "research_activities": _research_activities_done,
    "summary": _summary_done,
}


def six_earnests_evidence(*, term, teacher_ids):
    """PREPARATION: checks of her preparation (grades), what they found fined, flags, her teaching plans;
    SUMMARY: her term summary (and yearly paper) on time, late or missing. Five queries."""
    teacher_ids = list(teacher_ids)
    facts: dict[int, list[Fact]] = {pk: [] for pk in teacher_ids}
    checks = list(PrepCheck.objects.filter(term=term, teacher_id__in=teacher_ids).order_by("checked_on", "id"))
    findings = {f.pk: f.check_record_id for f in PrepCheckFinding.objects.filter(
        check_record__in=[c.pk for c in checks], superseded_at__isnull=True)}
    fined = defaultdict(Decimal)
    if findings:
        for violation in Violation.objects.filter(
            source_type=ContentType.objects.get_for_model(PrepCheckFinding), source_id__in=list(findings),
            status__in=COUNTED,
        ):
            fined[violation.teacher_id] += violation.amount
    by_teacher = defaultdict(list)
    for check in checks:
        by_teacher[check.teacher_id].append(check)
    plans = defaultdict(lambda: [0, 0])  # teacher -> [handed in, accepted]
    for teacher, status in TeachingPlan.objects.filter(term=term, teacher_id__in=teacher_ids).values_list(
            "teacher_id", "status"):
        plans[teacher][0] += 1
        plans[teacher][1] += status == TeachingPlan.Status.ACCEPTED
    summaries = defaultdict(dict)
    for row in TermSummary.objects.filter(term=term, teacher_id__in=teacher_ids):
        summaries[row.teacher_id][row.kind] = row
    for pk in teacher_ids:
        lines = facts[pk]
        mine = by_teacher.get(pk, [])
        grades = "、".join(str(c.get_grade_display()) for c in mine)
        lines.append(Fact(PREPARATION, _("Lesson-preparation checks"),
                          _("%(count)s (%(grades)s)") % {"count": len(mine), "grades": grades} if mine else "0"))
        if mine:
            prepared = sum(c.lessons_prepared for c in mine)
            taught = sum(c.lessons_taught for c in mine)
            lines.append(Fact(PREPARATION, _("Lessons prepared / taught at the checks"), f"{prepared} / {taught}"))
        unprepared = sum(c.taught_without_plan for c in mine)
        if unprepared:
            lines.append(Fact(PREPARATION, _("Lessons taught without a plan"), str(unprepared), concern=True))
        if any(c.copied_plan for c in mine):
            lines.append(Fact(PREPARATION, _("Copied an existing plan"), _("yes"), concern=True))
        if fined.get(pk):
            lines.append(Fact(PREPARATION, _("Preparation fines (yuan)"), f"{fined[pk]:.2f}", concern=True))
        handed, accepted = plans.get(pk, (0, 0))
        if handed:
            lines.append(Fact(PREPARATION, _("Teaching plans handed in (accepted)"), f"{handed} ({accepted})"))
        for kind, label in ((TermSummary.Kind.SUMMARY, _("Term summary")), (TermSummary.Kind.PAPER,
                                                                              _("Yearly paper"))):
            row = summaries.get(pk, {}).get(kind)
            if row is None:
                if kind == TermSummary.Kind.SUMMARY:
                    lines.append(Fact(SUMMARY, label, _("not handed in"), concern=True))
                continue
            if not row.is_submitted:
                lines.append(Fact(SUMMARY, label, _("not handed in"), concern=True))
            elif row.days_late:
                lines.append(Fact(SUMMARY, label, _("%(days)s days late") % {"days": row.days_late}, concern=True))
            else:
                lines.append(Fact(SUMMARY, label, _("on time")))
    return facts


def deadlines(*, school, term, start, end):
    """Each teacher of the term's timetable: her teaching plans (done when every one is handed in) and her term
    summary and yearly paper where the policy asks for them (done when handed in). Ten queries."""
    policy = policy_for(school)
    due = deadlines_for(term, policy)
    schools = term_schools(term)
    slots = defaultdict(set)
    for teacher, subject, school_class in (
        TimetableEntry.objects.filter(term=term, teacher__school_id__in=schools, teacher__is_active=True)
        .values_list("teacher_id", "subject_id", "school_class_id").distinct()
    ):
        slots[teacher].add((subject, school_class))
    found = []
    if start <= due.plans_due <= end:
        handed = defaultdict(set)
        for teacher, subject, school_class in TeachingPlan.objects.filter(term=term).values_list(
                "teacher_id", "subject_id", "school_class_id"):
            handed[teacher].add((subject, school_class))
        url = reverse("lesson_plans:my-work")
        for teacher, wanted in slots.items():
            found.append(Deadline(
                key=f"lesson_plans:plans:{term.pk}:{teacher}", staff_id=teacher, title=_("Teaching plans"),
                due_on=due.plans_due, url=url, done=wanted <= handed.get(teacher, set()),
            ))
    kinds = [(kind, day) for kind in (TermSummary.Kind.SUMMARY, TermSummary.Kind.PAPER)
             if (day := due_date(kind, policy, due)) is not None and start <= day <= end]
    if kinds:
        submitted = set(TermSummary.objects.filter(term=term, submitted_at__isnull=False).values_list(
            "teacher_id", "kind"))
        for kind, day in kinds:
            title = str(TermSummary.Kind(kind).label)
            url = reverse("lesson_plans:summary-submit", args=[kind])
            for teacher in slots:
                found.append(Deadline(
                    key=f"lesson_plans:{kind}:{term.pk}:{teacher}", staff_id=teacher, title=title, due_on=day,
                    url=url, done=(teacher, kind) in submitted,
                ))
    return found
