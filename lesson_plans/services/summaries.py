"""Writes of term summaries (学期总结) and yearly papers (学年论文), V4.III.

Every teacher of the term's timetable hands in a term summary by the deadline where the policy asks for one
(`term_summary`), and once a year a paper where it asks for one (`yearly_paper`; the paper's deadline is set for
the second term). Handing in: a file, or text typed in, or both; she may replace it later.

V4.III fines a late summary or paper 2 yuan a day (`summary_late`, quantity = days late), recorded ONCE per
summary, with the summary row as its source, whichever comes first:
- a late one arrives: days late = the day it arrived - the deadline;
- the office closes the collection after the deadline: each one still missing gets a row (not handed in) and is
  fined for the days from the deadline to the closing day. Handing it in later adds no second fine.
A policy without the rule records the lateness (days late) and no violation.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deductions.services import violation_record
from inspections.models import Policy
from inspections.selectors import policy_for
from school.models import Staff, Term
from school.permissions import manages_school, scope_for
from school.selectors import current_term, today

from ..files import check_upload, store
from ..models import TermSummary
from ..selectors.common import active_fine_rules, deadlines_for, term_schools
from ..selectors.summaries import due_date
from .common import stamp
from .plans import require_term_office, saved_deadlines

K = TermSummary.Kind
FINE_LATE = "summary_late"


def _fine_late(row: TermSummary, *, day: dt.date, user, policy: Policy | None) -> None:
    if row.days_late > 0 and FINE_LATE in active_fine_rules(policy):
        # The fine belongs to the summary's term: a day after the term's end is booked on its last day.
        violation_record(teacher=row.teacher, code=FINE_LATE, occurred_on=min(day, row.term.end_date),
                         quantity=row.days_late, source=row, user=user, note=str(row))


@transaction.atomic
def summary_submit(*, teacher: Staff, kind: str, text: str = "", upload=None, user=None,
                   term: Term | None = None, handed_in_at: dt.datetime | None = None) -> TermSummary:
    """She hands in her summary or paper (a file, text, or both). The first time after its deadline it is late by
    the days since, fined once (the module's docstring).

    The teaching office may record one handed in on paper for her, with the moment it arrived (`handed_in_at`,
    not in the future): lateness counts from that day."""
    staff = scope_for(user).staff if user is not None else None
    if staff is None or staff.pk != teacher.pk:
        if not manages_school(user, teacher.school):
            raise PermissionDenied(_("Only the teacher herself, or the teaching office for her, hands this in."))
    elif handed_in_at is not None and not manages_school(user, teacher.school):
        raise PermissionDenied(_("Only the teaching office records the day a summary arrived on paper."))
    if handed_in_at is not None and handed_in_at > timezone.now():
        raise ValidationError(_("A summary cannot be recorded as handed in in the future."))
    term = term or current_term(teacher.school)
    if term is None:
        raise ValidationError(_("The school calendar has no term yet."))
    policy = policy_for(teacher.school)
    due = due_date(kind, policy, deadlines_for(term, policy))
    if due is None:
        raise ValidationError(_("Your school's rules do not ask for this this term."))
    text = (text or "").strip()
    if not text and upload is None:
        raise ValidationError(_("Upload a file or write the text."))
    checked = check_upload(upload) if upload is not None else None
    row = TermSummary.objects.select_for_update().filter(term=term, teacher=teacher, kind=kind).first()
    now = handed_in_at or timezone.now()
    first_time = row is None or row.submitted_at is None
    if row is None:
        row = TermSummary(school=teacher.school, term=term, teacher=teacher, kind=kind, due=due)
    if text:
        row.text = text
    if checked is not None:
        store(row, checked)
    if first_time:
        row.submitted_at = now
        if not row.days_late:  # a row the closing made keeps the days it was fined for
            row.days_late = max(0, (timezone.localdate(now) - row.due).days)
    row.full_clean(exclude=["file"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            stamp(row, user, "handed in" if first_time else "replaced").save()
    except IntegrityError:
        raise ValidationError(_("It was handed in a moment ago: reload the page.")) from None
    if first_time:
        _fine_late(row, day=timezone.localdate(now), user=user, policy=policy)
    return row


@transaction.atomic
def summaries_close(*, term: Term, user) -> list[TermSummary]:
    """The office closes the collection after the deadline: every teacher of the term's timetable whose summary
    (and paper, where due) is still missing is late by the days from the deadline to today, fined once."""
    require_term_office(user, term)
    deadlines = saved_deadlines(term)
    if deadlines.summaries_closed_at is not None:
        raise ValidationError(_("The summary collection is already closed."))
    policy = policy_for(term.school_year.school)
    day = today()
    kinds = [(kind, due) for kind in (K.SUMMARY, K.PAPER) if (due := due_date(kind, policy, deadlines))]
    if not kinds:
        raise ValidationError(_("Your school's rules ask for no summaries this term."))
    for kind, due in kinds:
        if day <= due:
            raise ValidationError(_("%(what)s are due on %(day)s: the collection closes after that day.")
                                  % {"what": K(kind).label, "day": due})
    teachers = list(
        Staff.objects.filter(lessons__term=term, school_id__in=term_schools(term), is_active=True)
        .select_related("school", "school__parent").distinct().order_by("staff_no")
    )
    handed = set(TermSummary.objects.filter(term=term, submitted_at__isnull=False).values_list("teacher_id", "kind"))
    existing = {(r.teacher_id, r.kind): r for r in TermSummary.objects.filter(term=term, submitted_at__isnull=True)}
    missing = []
    for kind, due in kinds:
        for teacher in teachers:
            if (teacher.pk, kind) in handed:
                continue
            row = existing.get((teacher.pk, kind)) or TermSummary(school=teacher.school, term=term,
                                                                  teacher=teacher, kind=kind, due=due)
            row.days_late = (day - due).days
            stamp(row, user, "missing at closing").save()
            _fine_late(row, day=day, user=user, policy=policy)
            missing.append(row)
    deadlines.summaries_closed_at = timezone.now()
    stamp(deadlines, user, "summaries closed").save()
    return missing
