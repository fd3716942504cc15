"""Reads of term summaries and yearly papers: who has handed in, late or not, and a teacher's own. Each runs a
fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from inspections.models import Policy
from school.models import Staff, Term, TimetableEntry
from school.permissions import restrict

from ..models import Deadlines, TermSummary

K = TermSummary.Kind
ON_TIME, LATE, MISSING, NOT_DUE = "on_time", "late", "missing", "not_due"


def due_date(kind: str, policy: Policy | None, deadlines: Deadlines) -> dt.date | None:
    """When a summary of this kind is due, or None when the policy does not ask for it this term."""
    if policy is None:
        return None
    if kind == K.SUMMARY:
        return deadlines.summaries_due if policy.term_summary else None
    if kind == K.PAPER:
        return deadlines.papers_due if policy.yearly_paper else None
    return None


def summaries_visible_to(user) -> QuerySet:
    return restrict(TermSummary.objects.all(), user, school="school", teacher="teacher")


def state_of(row: TermSummary | None, due: dt.date, day: dt.date) -> str:
    if row is not None and row.submitted_at is not None:
        return LATE if row.days_late else ON_TIME
    if row is not None or day > due:
        return MISSING
    return NOT_DUE


@dataclass
class SummaryRow:
    teacher: Staff
    summary: TermSummary | None
    state: str


def summary_table(user, term: Term, kind: str, due: dt.date, day: dt.date, *, group=None, school=None,
                  state="") -> list[SummaryRow]:
    """Every teacher of the term's timetable the user may see, with her summary (or paper) and its state: handed
    in on time, late, missing (after the deadline), not yet due. Three queries."""
    teaching = TimetableEntry.objects.filter(term=term, teacher=OuterRef("pk"))
    teachers = restrict(Staff.objects.filter(is_active=True).filter(Exists(teaching)), user, school="school",
                        teacher="pk")
    if group is not None:
        teachers = teachers.filter(groups=group)
    if school is not None:
        teachers = teachers.filter(school=school)
    teachers = (
        teachers.select_related("school")
        .prefetch_related(Prefetch("term_summaries", queryset=TermSummary.objects.filter(term=term, kind=kind),
                                   to_attr="rows"), "groups")
        .order_by("school_id", "staff_no")
        .distinct()
    )
    rows = []
    for teacher in teachers:
        summary = teacher.rows[0] if teacher.rows else None
        row = SummaryRow(teacher=teacher, summary=summary, state=state_of(summary, due, day))
        if not state or row.state == state:
            rows.append(row)
    return rows


@dataclass
class MySummary:
    kind: str
    label: str
    due: dt.date
    summary: TermSummary | None
    state: str


def my_summaries(teacher: Staff, term: Term, policy: Policy | None, deadlines: Deadlines,
                 day: dt.date) -> list[MySummary]:
    """What she hands in this term (a summary, a paper) as the policy asks, with what she has handed in. One query,
    none when the policy asks for neither."""
    due_dates = {kind: found for kind in (K.SUMMARY, K.PAPER) if (found := due_date(kind, policy, deadlines))}
    if not due_dates:
        return []
    rows = {r.kind: r for r in TermSummary.objects.filter(term=term, teacher=teacher)}
    mine = []
    for kind in (K.SUMMARY, K.PAPER):
        due = due_dates.get(kind)
        if due is not None:
            row = rows.get(kind)
            mine.append(MySummary(kind=kind, label=str(K(kind).label), due=due, summary=row,
                                  state=state_of(row, due, day)))
    return mine
