"""The demo school's inspection rounds of the term so far, as the daily tick and the reminder task would have made
them, day by day from the start of term to today (through the same services, with each day's date):

- the calendar rounds of the policy open on their days with their assignments, and each checker is told;
- checkers do their paper checks (those no installed app records) as people do: on the opening day, after their
  reminder, late, or (about one in six) not at all, so that the office sees progress and who is overdue; checks an
  app records (observation notes, observed lessons, labs, preparation and homework checks …) are done by those
  records at the tick of the day (this runs after the other apps' demos, so their records of the term exist);
- reminders before the due dates and nudges after go out on their days, once each;
- the office publishes the summary (通报) of a round four days after its due date, but the latest one past due;
- a spot check of one grade opened by the office a week ago (V3.5, V3.7).

Only the days on which something happens are run (the tick finds nothing to do on the others). Each notification
carries the date it would have been sent. Deterministic and idempotent: nothing is added once the term has a round.
"""

from __future__ import annotations

import datetime as dt
import zlib

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from school.models import Grade, Role, School, Staff
from school.selectors import current_term

from . import evidence
from .models import Assignment, Checked, InspectionRound, Notification, Policy, RoundRule
from .services.rounds import planned_rounds, round_open_by_hand, round_publish
from .services.schedule import school_reminders, school_tick

# The other apps' demos run first (school.management.commands.seed_demo): the rounds find their records.
AFTER_THE_OTHERS = True
ONE_DAY = dt.timedelta(days=1)
SUMMARY = (
    "本轮检查已结束。总体看，各教研组能按要求完成{checklist}的检查，多数教师备课认真、作业批改及时。"
    "存在的问题：个别教师教案书写不规范，单元检测分析不够具体；未按时完成检查的组长请于下周一前补齐。"
    "教导处将在下一轮检查中重点复查。"
)


def _habit(staff_no: str) -> str:
    """How a checker works, fixed by her staff number: the day a round opens, after her reminder, late (three days
    after the due date), or not at all."""
    bucket = zlib.crc32(staff_no.encode()) % 6
    return {0: "never", 1: "late", 2: "after_reminder", 3: "after_reminder"}.get(bucket, "prompt")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _reminder_day(round, days_before: int) -> dt.date:
    return max(round.due_on - dt.timedelta(days=days_before), round.opens_on + ONE_DAY)


def _event_days(policy: Policy, term, today: dt.date) -> list[dt.date]:
    """The days on which the tick or the reminders change something (a round opens, a reminder or nudge is due)
    or a checker acts: the other days the tick finds nothing to do, so the demo does not run them."""
    days = set()
    for plan in planned_rounds(policy, term):
        if plan.opens_on > today:
            continue
        due = plan.due_on
        days |= {plan.opens_on, _reminder_day(plan, policy.reminder_days), due + ONE_DAY, due + 3 * ONE_DAY,
                 due + 4 * ONE_DAY, due + 8 * ONE_DAY, due + 15 * ONE_DAY}
    return sorted(day for day in days if day <= today)


def _do_paper_checks(rounds, day: dt.date, recorded: set[str], days_before: int) -> int:
    """The checkers whose habit has them act today mark their paper checks done (dated today)."""
    done = 0
    for round in rounds:
        acts_on = {"prompt": round.opens_on, "after_reminder": _reminder_day(round, days_before),
                   "late": round.due_on + 3 * ONE_DAY}
        open_ones = (Assignment.objects.filter(round=round, done_at__isnull=True).exclude(item__in=recorded)
                     .values_list("pk", "checker__staff_no"))
        ids = [pk for pk, staff_no in open_ones if acts_on.get(_habit(staff_no)) == day]
        if ids:
            done += Assignment.objects.filter(pk__in=ids).update(done_at=_at(day, 16), done_by_hand=True)
    return done


class _Dated:
    """Gives the notifications written inside the block the date and hour they would have been sent."""

    def __init__(self, when: dt.datetime):
        self.when = when

    def __enter__(self):
        self.last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def __exit__(self, *exc):
        if exc[0] is None:
            Notification.objects.filter(pk__gt=self.last).update(created_at=self.when)


def seed_demo_activity(*, root: School, size: str, today: dt.date) -> str | None:
    term = current_term(root, today)
    policy = Policy.objects.filter(school=root).prefetch_related("round_rules").first()
    if term is None or policy is None or not term.contains(today):
        return None
    if InspectionRound.objects.filter(school=root, term=term).exists():
        return None
    director = (Staff.objects.filter(school=root, roles__role=Role.DIRECTOR, is_active=True)
                .select_related("user").order_by("staff_no").first())
    if director is None:
        return None
    recorded = evidence.items_with_evidence()
    checks_done = published = 0
    rounds = InspectionRound.objects.filter(school=root, term=term)
    latest_past_due = max((p.due_on for p in planned_rounds(policy, term) if p.due_on < today), default=term.start_date)
    started = timezone.now()
    for day in _event_days(policy, term, today):
        with _Dated(_at(day, 6)):
            school_tick(root, policy, day)
        # The checks the tick found recorded by the apps were done that day, not when the demo ran.
        Assignment.objects.filter(round__school=root, done_at__gte=started).update(done_at=_at(day, 6))
        with _Dated(_at(day, 7)):
            school_reminders(root, policy, day)
        checks_done += _do_paper_checks(rounds.filter(opens_on__lte=day, status="open"), day, recorded,
                                        policy.reminder_days)
        # The office publishes a round's summary four days after it was due; the latest round past its due date
        # waits for the office to publish it.
        for round in rounds.filter(status="open", due_on=day - 4 * ONE_DAY, due_on__lt=latest_past_due):
            with _Dated(_at(day, 17)):
                round_publish(round=round, summary=SUMMARY.format(checklist=round.get_checklist_display()),
                              user=director.user)
            InspectionRound.objects.filter(pk=round.pk).update(published_at=_at(day, 17))
            published += 1
    for round in rounds:
        InspectionRound.objects.filter(pk=round.pk).update(created_at=_at(round.opens_on, 6))

    grade = Grade.objects.filter(school=root).order_by("level").first()
    if grade is not None:
        opened_on = max(term.start_date, today - dt.timedelta(days=7))
        with _Dated(_at(opened_on, 9)):
            round_open_by_hand(
                school=root, kind=RoundRule.Kind.SPOT, title=_("Spot check of %(grade)s") % {"grade": grade.name},
                checklist=[Checked.LESSON_PREP, Checked.HOMEWORK], checker=RoundRule.Checker.LEADERSHIP,
                opens_on=opened_on, due_on=opened_on + dt.timedelta(days=10), grade=grade, user=director.user,
            )
    counts = InspectionRound.objects.filter(school=root, term=term).aggregate(
        rounds=Count("pk", distinct=True), assignments=Count("assignments"))
    overdue = Assignment.objects.filter(round__school=root, round__term=term, done_at__isnull=True,
                                        due_on__lt=today).count()
    recorded_done = Assignment.objects.filter(round__school=root, round__term=term, done_at__isnull=False,
                                              done_by_hand=False).count()
    notes = Notification.objects.filter(recipient__school__in=[root, *root.village_schools.all()]).count()
    return _(
        "Inspection rounds: %(rounds)s rounds, %(assignments)s checks (%(recorded)s done by the apps' records, "
        "%(done)s by hand, %(overdue)s overdue), %(published)s summaries published, %(notes)s notifications."
    ) % {**counts, "recorded": recorded_done, "done": checks_done, "overdue": overdue, "published": published,
         "notes": notes}
