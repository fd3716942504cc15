"""The rhythm of the rules (DESIGN.md "How data flows", 2): what the periodic tasks do.

- `daily_tick`: for every central school with a policy, open the rounds the calendar makes due today, give every
  open round the assignments it lacks (telling new checkers), and mark done what the domain apps recorded.
- `reminders_send`: remind each checker `policy.reminder_days` days before a round is due, and nudge her after
  (the day after, then weekly, three times at most) while checks stay undone; the same for the domain apps'
  own deadlines (`inspections/evidence.py`).
- `weekly_digests_send`: on Monday, each person's observation quota progress and what is due this week.

Each step of each reminder has a key (round, checker, step), so every reminder is created and sent once however
often, and however concurrently, the tasks run; a day the worker missed is caught up (the latest step due is sent).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from school import calendar
from school.models import School, Staff, Term

from .. import evidence
from ..models import Assignment, InspectionRound, Policy
from .notifications import DEFAULT_KINDS, EMAIL, IN_APP, REMINDERS, WEBHOOK, notify, outbox_deliver, preference_of
from .rounds import People, assignments_create, assignments_sync, rounds_open_due

logger = logging.getLogger(__name__)

MAX_NUDGES = 3
NUDGE_EVERY = 7  # days between nudges


def central_schools_with_policy(school_ids=None):
    """(school, policy) for every central school that has a policy, in id order."""
    policies = Policy.objects.filter(school__parent__isnull=True).select_related("school").prefetch_related(
        "round_rules"
    ).order_by("school_id")
    if school_ids is not None:
        policies = policies.filter(school_id__in=list(school_ids))
    return [(policy.school, policy) for policy in policies]


def _each_school(function, *, today, school_ids=None) -> dict:
    """Run `function(school, policy, today)` for every central school, each in its own transaction, so that one
    school's failure does not stop the others (it is logged, and raised once all have run, so the task retries)."""
    results, failure = {}, None
    for school, policy in central_schools_with_policy(school_ids):
        try:
            results[school.pk] = function(school, policy, today)
        except Exception as error:  # noqa: BLE001
            logger.exception("%s failed for school %s on %s", function.__name__, school.pk, today)
            failure = failure or error
    if failure is not None:
        raise failure
    return results


# --- the daily tick -----------------------------------------------------------------------------------------


@dataclass
class TickResult:
    rounds: list[int] = field(default_factory=list)
    assignments_added: int = 0
    marked_done: int = 0


# A round left unpublished is followed (synced, nudged) until this long after its term has ended.
FOLLOW_AFTER_TERM = dt.timedelta(days=60)


def open_rounds_on(school: School, today: dt.date):
    """Rounds of the central school open on `today` (opened and not yet published) of a term not long over."""
    return (
        InspectionRound.objects.filter(school=school, status=InspectionRound.Status.OPEN, opens_on__lte=today,
                                       term__end_date__gte=today - FOLLOW_AFTER_TERM)
        .select_related("school", "term", "term__school_year")
        .prefetch_related("term__holidays")
        .order_by("opens_on", "pk")
    )


def school_tick(school: School, policy: Policy, today: dt.date) -> TickResult:
    result = TickResult()
    with transaction.atomic():
        rounds_open_due(school=school, policy=policy, today=today)
        people = None
        for round in open_rounds_on(school, today):
            if round.due_on >= today:
                people = people or People(school)
                result.assignments_added += len(assignments_create(round=round, policy=policy, people=people))
            result.rounds.append(round.pk)
    for round in open_rounds_on(school, today):
        result.marked_done += assignments_sync(round=round, today=today)
    return result


def daily_tick(*, today: dt.date | None = None, school_ids=None) -> dict[int, TickResult]:
    """Open due rounds, make their assignments, mark done what was recorded, for every central school; then send
    what that wrote to the outbox. Idempotent."""
    today = today or timezone.localdate()
    results = _each_school(school_tick, today=today, school_ids=school_ids)
    outbox_deliver()
    return results


# --- reminders and nudges -------------------------------------------------------------------------------------


def reminder_step(*, due_on: dt.date, opens_on: dt.date | None, today: dt.date, days_before: int) -> str | None:
    """Which reminder is due today for work due on `due_on`: "reminder" from `days_before` days before the due
    date (not on the day it opens: its opening notice has just gone), "nudge-1" from the day after the due date,
    "nudge-2" a week later, "nudge-3" a week after that; None otherwise. Each is sent once (its key), so a day
    the task did not run is caught up the next."""
    if today < due_on:
        if days_before > 0 and today >= due_on - dt.timedelta(days=days_before) and (
            opens_on is None or today > opens_on
        ):
            return "reminder"
        return None
    late = (today - due_on).days
    if late < 1:
        return None
    number = (late - 1) // NUDGE_EVERY + 1
    return f"nudge-{number}" if number <= MAX_NUDGES else None


def _round_reminder_text(step: str, round: InspectionRound, count: int, teachers: int) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"round": round.name, "count": count, "teachers": teachers, "due": round.due_on.isoformat()}
        if step == "reminder":
            subject = _("Reminder: your checks in “%(round)s” are due on %(due)s") % values
            body = ngettext(
                "%(count)s check (of %(teachers)s teachers) is still to do in “%(round)s”, due on %(due)s.",
                "%(count)s checks (of %(teachers)s teachers) are still to do in “%(round)s”, due on %(due)s.",
                count,
            ) % values
        else:
            subject = _("Overdue: your checks in “%(round)s” were due on %(due)s") % values
            body = ngettext(
                "%(count)s check (of %(teachers)s teachers) in “%(round)s” was due on %(due)s and is not done.",
                "%(count)s checks (of %(teachers)s teachers) in “%(round)s” were due on %(due)s and are not done.",
                count,
            ) % values
    return subject, body


def _deadline_text(step: str, deadline: evidence.Deadline) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"title": deadline.title, "due": deadline.due_on.isoformat()}
        if step == "reminder":
            return _("Reminder: %(title)s is due on %(due)s") % values, ""
        return _("Overdue: %(title)s was due on %(due)s") % values, ""


@dataclass(frozen=True)
class SentReminder:
    key: str
    staff_id: int
    step: str


def school_reminders(school: School, policy: Policy, today: dt.date) -> list[SentReminder]:
    """The reminders and nudges due today for one central school; returns those this run created."""
    days_before = policy.reminder_days
    for round in open_rounds_on(school, today):
        assignments_sync(round=round, today=today)
    rounds = {r.pk: r for r in open_rounds_on(school, today)}
    outstanding = (
        Assignment.objects.filter(round_id__in=list(rounds), done_at__isnull=True)
        .values("round_id", "checker_id")
        .annotate(count=Count("pk"), teachers=Count("teacher_id", distinct=True), due_on=Min("due_on"))
        .order_by("round_id", "checker_id")
    )
    sent = []
    url = reverse("inspections:assignment-list")
    for row in outstanding:
        round = rounds[row["round_id"]]
        step = reminder_step(due_on=row["due_on"], opens_on=round.opens_on, today=today, days_before=days_before)
        if step is None:
            continue
        key = f"round:{round.pk}:checker:{row['checker_id']}:{step}"
        subject, body = _round_reminder_text(step, round, row["count"], row["teachers"])
        if notify(recipients=[row["checker_id"]], key=key, subject=subject, body=body, url=url,
                  kinds=(IN_APP, EMAIL, WEBHOOK), topic=REMINDERS):
            sent.append(SentReminder(key, row["checker_id"], step))
    # The domain apps' own deadlines (quality-analysis forms, term summaries …).
    horizon = dt.timedelta(days=days_before + NUDGE_EVERY * MAX_NUDGES + 1)
    for term in Term.objects.filter(school_year__school=school, start_date__lte=today + horizon,
                                    end_date__gte=today - horizon):
        for deadline in evidence.deadlines(school=school, term=term, start=today - horizon, end=today + horizon):
            if deadline.done:
                continue
            step = reminder_step(due_on=deadline.due_on, opens_on=None, today=today, days_before=days_before)
            if step is None:
                continue
            key = f"deadline:{deadline.key}:{step}"
            subject, body = _deadline_text(step, deadline)
            if notify(recipients=[deadline.staff_id], key=key, subject=subject, body=body, url=deadline.url,
                      kinds=(IN_APP, EMAIL, WEBHOOK), topic=REMINDERS):
                sent.append(SentReminder(key, deadline.staff_id, step))
    return sent


def reminders_send(*, today: dt.date | None = None, school_ids=None) -> dict[int, list[SentReminder]]:
    """Every central school's reminders and nudges due today (each created once), then their delivery."""
    today = today or timezone.localdate()
    results = _each_school(school_reminders, today=today, school_ids=school_ids)
    outbox_deliver()
    return results


# --- the weekly digest ------------------------------------------------------------------------------------------


def digest_key(today: dt.date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"digest:{year}-W{week:02d}"


def _digest_text(person: Staff, quota_rows, due_week: int, overdue: int, deadlines) -> tuple[str, str] | None:
    lines = []
    with translation.override(settings.LANGUAGE_CODE):
        for row in quota_rows:
            line = _("Observation quota as %(role)s: %(done)s of %(required)s lessons %(period)s.") % {
                "role": row.role_label, "done": row.done, "required": row.required, "period": row.period_label,
            }
            if row.behind:
                line += " " + _("Behind: %(expected)s expected by today.") % {"expected": row.expected}
            lines.append(line)
        if due_week:
            lines.append(ngettext("%(count)s check is due this week.", "%(count)s checks are due this week.",
                                  due_week) % {"count": due_week})
        if overdue:
            lines.append(ngettext("%(count)s check is overdue.", "%(count)s checks are overdue.", overdue)
                         % {"count": overdue})
        for deadline in deadlines:
            lines.append(_("%(title)s: due on %(due)s.") % {"title": deadline.title, "due": deadline.due_on.isoformat()})
        if not lines:
            return None
        subject = _("Your week: %(name)s") % {"name": person.name}
    return subject, "\n".join(lines)


def school_digests(school: School, policy: Policy, today: dt.date) -> list[int]:
    from observations.selectors.log import quota_progress_for  # read through the app's selector (DESIGN.md)

    term = Term.objects.filter(school_year__school=school, start_date__lte=today, end_date__gte=today).select_related(
        "school_year").prefetch_related("holidays").first()
    if term is None:
        return []
    week = calendar.Span(calendar.monday_of(today), calendar.monday_of(today) + dt.timedelta(days=6))
    people = list(
        Staff.objects.filter(Q(school_id=school.pk) | Q(school__parent_id=school.pk), is_active=True)
        .select_related("school", "user", "notification_preference")
        .prefetch_related("roles", "led_groups")
        .order_by("school_id", "staff_no")
    )
    counts = {
        row["checker_id"]: row
        for row in Assignment.objects.filter(
            round__school=school, round__status=InspectionRound.Status.OPEN, round__opens_on__lte=today,
            done_at__isnull=True,
        ).values("checker_id").annotate(
            due_week=Count("pk", filter=Q(due_on__gte=max(today, week.start), due_on__lte=week.end)),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
        )
    }
    deadlines = defaultdict(list)
    for deadline in evidence.deadlines(school=school, term=term, start=week.start, end=week.end):
        if not deadline.done:
            deadlines[deadline.staff_id].append(deadline)
    key = digest_key(today)
    sent = []
    for person in people:
        if not preference_of(person).weekly_digest:
            continue
        row = counts.get(person.pk, {})
        text = _digest_text(
            person, quota_progress_for(person, term, today, policy=policy), row.get("due_week", 0),
            row.get("overdue", 0), deadlines.get(person.pk, []),
        )
        if text is None:
            continue
        if notify(recipients=[person], key=key, subject=text[0], body=text[1],
                  url=reverse("inspections:assignment-list"), kinds=DEFAULT_KINDS):
            sent.append(person.pk)
    return sent


def weekly_digests_send(*, today: dt.date | None = None, school_ids=None) -> dict[int, list[int]]:
    """Each person's digest of the week (once a week: its key is the ISO week), then their delivery."""
    today = today or timezone.localdate()
    results = _each_school(school_digests, today=today, school_ids=school_ids)
    outbox_deliver()
    return results
