"""Reads every part of lesson preparation shares: the term a page shows, the timetable's teaching slots and lesson
counts, the collection deadlines, and the fine rules a school's policy has. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Prefetch, Q, QuerySet

from inspections.models import FineRule, Policy, RoundRule
from inspections.selectors import policy_for
from school import calendar
from school.models import Role, School, Staff, Term, TimetableEntry
from school.permissions import scope_for
from school.selectors import current_term, today

from ..models import Deadlines

# Without a start-of-term round in the policy, teaching plans are due a week after the first day.
DEFAULT_PLAN_WINDOW_DAYS = 7
TEACHING_ROLES = (Role.TEACHER, Role.GROUP_LEADER)


def visible_terms(user) -> QuerySet:
    """The terms of the calendars the user's schools follow (a village school follows its central school's)."""
    scope = scope_for(user)
    terms = Term.objects.select_related("school_year", "school_year__school").order_by("-start_date")
    if scope.everything:
        return terms
    ids = set(scope.school_ids)
    if scope.staff is not None:
        ids.add(scope.staff.school_id)
    roots = {parent or pk for pk, parent in School.objects.filter(pk__in=ids).values_list("pk", "parent_id")}
    return terms.filter(school_year__school_id__in=roots)


def page_term(user, term_id=None) -> Term | None:
    """The term a page shows: the one asked for among those the user may see, else her school's current term
    (for an account with no staff record, the latest term begun of any calendar it sees)."""
    if term_id and str(term_id).isdigit():
        term = visible_terms(user).filter(pk=int(term_id)).prefetch_related("holidays").first()
        if term is not None:
            return term
    staff = scope_for(user).staff
    if staff is not None:
        return current_term(staff.school)
    day = today()
    terms = visible_terms(user).prefetch_related("holidays")
    return terms.filter(start_date__lte=day).first() or terms.last()


def term_schools(term: Term) -> list[int]:
    """The schools that follow the term's calendar: its central school and the village schools under it."""
    root_id = term.school_year.school_id
    return list(School.objects.filter(Q(pk=root_id) | Q(parent_id=root_id)).values_list("pk", flat=True))


# --- the timetable ------------------------------------------------------------------------------------------


def teaching_slots(term: Term, *, teacher_ids=None, school_ids=None) -> QuerySet:
    """Distinct (teacher, subject, class) of the term's timetable: the teaching plans that are due."""
    entries = TimetableEntry.objects.filter(term=term, teacher__is_active=True)
    if teacher_ids is not None:
        entries = entries.filter(teacher_id__in=teacher_ids)
    if school_ids is not None:
        entries = entries.filter(teacher__school_id__in=school_ids)
    return (
        entries.values("teacher_id", "subject_id", "school_class_id")
        .distinct()
        .order_by("teacher_id", "subject_id", "school_class_id")
    )


def weekday_counts(term: Term, teacher: Staff) -> Counter:
    """Her timetabled lessons by weekday (1 = Monday)."""
    return Counter(TimetableEntry.objects.filter(term=term, teacher=teacher).values_list("weekday", flat=True))


def count_lessons(counts: Counter, first: dt.date, last: dt.date, holidays=()) -> int:
    """Lessons of a weekly timetable (lessons by weekday) held from `first` to `last` inclusive, leaving out every
    day in a holiday (a whole holiday week and a single day off alike)."""
    total = 0
    day = first
    while day <= last:
        if counts.get(day.isoweekday()) and not any(day in span for span in holidays):
            total += counts[day.isoweekday()]
        day += calendar.ONE_DAY
    return total


def lessons_taught(term: Term, teacher: Staff, day: dt.date) -> tuple[int, int]:
    """(lessons taught from the first day of term up to and including `day`, lessons a week): her timetable
    counted over the term's school days so far, holidays left out. Two queries."""
    counts = weekday_counts(term, teacher)
    last = min(day, term.end_date)
    taught = count_lessons(counts, term.start_date, last, term.holiday_spans) if last >= term.start_date else 0
    return taught, sum(counts.values())


# --- deadlines ----------------------------------------------------------------------------------------------


def _round_rule(policy: Policy | None, kind: str) -> RoundRule | None:
    if policy is None:
        return None
    return next((r for r in policy.round_rules.all() if r.kind == kind), None)


def _within(term: Term, day: dt.date) -> dt.date:
    return min(max(day, term.start_date), term.end_date)


def default_deadlines(term: Term, policy: Policy | None) -> dict:
    """The deadlines the policy's rounds give (DOMAIN.md "Inspection rounds"), within the term:
    teaching plans at the close of the start-of-term round (its date, the first day, plus its offset and window;
    a week after the first day without one); summaries at the close of the end-of-term round (the last day plus
    its offset and window; the last day without one); the yearly paper with the summaries of the second term,
    where the policy asks for one."""
    start_rule = _round_rule(policy, RoundRule.Kind.START_OF_TERM)
    if start_rule is not None:
        plans_due = term.start_date + dt.timedelta(days=start_rule.opens_offset_days + start_rule.window_days)
    else:
        plans_due = term.start_date + dt.timedelta(days=DEFAULT_PLAN_WINDOW_DAYS)
    end_rule = _round_rule(policy, RoundRule.Kind.END_OF_TERM)
    if end_rule is not None:
        summaries_due = term.end_date + dt.timedelta(days=end_rule.opens_offset_days + end_rule.window_days)
    else:
        summaries_due = term.end_date
    summaries_due = _within(term, summaries_due)
    papers_due = summaries_due if policy is not None and policy.yearly_paper and term.number == 2 else None
    return {"plans_due": _within(term, plans_due), "summaries_due": summaries_due, "papers_due": papers_due}


def deadlines_for(term: Term, policy: Policy | None = None) -> Deadlines:
    """The term's deadlines as the office set them, else (unsaved) as the policy gives them."""
    saved = Deadlines.objects.filter(term=term).first()
    if saved is not None:
        return saved
    if policy is None:
        policy = policy_for(term.school_year.school)
    return Deadlines(term=term, **default_deadlines(term, policy))


# --- the policy's fines ---------------------------------------------------------------------------------------


def policy_with_fines(school: School) -> Policy | None:
    """The school's policy with its fine rules (not its quotas, reviews or rounds): what a check's findings need.
    Two queries."""
    return (
        Policy.objects.filter(school_id=school.root_id)
        .prefetch_related(Prefetch("fine_rules", queryset=FineRule.objects.order_by("id")))
        .first()
    )


def active_fine_rules(policy: Policy | None) -> dict[str, FineRule]:
    """The policy's active fine rules by code (none without a policy)."""
    if policy is None:
        return {}
    return {rule.code: rule for rule in policy.fine_rules.all() if rule.active}


def teaching_staff(school_ids) -> QuerySet:
    """Active staff who teach (the teacher or group-leader role) in these schools."""
    return (
        Staff.objects.filter(school_id__in=school_ids, is_active=True, roles__role__in=TEACHING_ROLES)
        .distinct()
        .order_by("school_id", "staff_no")
    )
