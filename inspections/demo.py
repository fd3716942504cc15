"""The demo school's inspection rounds of the term so far, as the daily tick and the reminder task would have made
them, day by day from the start of term to today (through the same services, with each day's date):

- the calendar rounds of the policy open on their days with their assignments, and each checker is told;
- checkers do their paper checks (those no installed app records) as people do: most on time, some late, about
  one in six not at all, so that the office sees progress and who is overdue; checks an app records (observation
  notes, observed lessons, labs …) are done by those records at the tick after they exist;
- reminders before the due dates and nudges after go out on their days, once each;
- the office publishes the summary (通报) of every round past its due date but the latest one;
- a spot check of one grade opened by the office a week ago (V3.5, V3.7).

Each notification carries the date it would have been sent. Deterministic and idempotent: nothing is added once
the term has a round.
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
from .services.rounds import round_open_by_hand, round_publish
from .services.schedule import school_reminders, school_tick

ONE_DAY = dt.timedelta(days=1)
SUMMARY = (
    "本轮检查已结束。总体看，各教研组能按要求完成{checklist}的检查，多数教师备课认真、作业批改及时。"
    "存在的问题：个别教师教案书写不规范，单元检测分析不够具体；未按时完成检查的组长请于下周一前补齐。"
    "教导处将在下一轮检查中重点复查。"
)


def _habit(staff: Staff) -> str:
    """How a checker works, fixed by her staff number: on time, late, or not at all."""
    bucket = zlib.crc32(staff.staff_no.encode()) % 6
    return "never" if bucket == 0 else "late" if bucket == 1 else "on_time"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _do_paper_checks(rounds, day: dt.date, recorded: set[str]) -> int:
    """The checkers whose habit has them act today mark their paper checks done (dated today)."""
    done = 0
    for round in rounds:
        open_ones = Assignment.objects.filter(round=round, done_at__isnull=True).exclude(item__in=recorded)
        by_checker: dict[int, list[int]] = {}
        checkers = {}
        for assignment in open_ones.select_related("checker"):
            by_checker.setdefault(assignment.checker_id, []).append(assignment.pk)
            checkers[assignment.checker_id] = assignment.checker
        for checker_id, ids in by_checker.items():
            habit = _habit(checkers[checker_id])
            offset = zlib.crc32(f"{round.pk}:{checker_id}".encode()) % max((round.due_on - round.opens_on).days, 1)
            acts_on = {"on_time": round.opens_on + dt.timedelta(days=offset),
                       "late": round.due_on + dt.timedelta(days=3)}.get(habit)
            if acts_on == day:
                done += Assignment.objects.filter(pk__in=ids).update(done_at=_at(day, 16), done_by_hand=True)
    return done


def seed_demo_activity(*, root: School, size: str, today: dt.date) -> str | None:
    term = current_term(root, today)
    policy = Policy.objects.filter(school=root).prefetch_related("round_rules").first()
    if term is None or policy is None or not term.contains(today):
        return None
    if InspectionRound.objects.filter(school=root, term=term).exists():
        return None
    recorded = evidence.items_with_evidence()
    day = term.start_date - dt.timedelta(days=7)
    checks_done = 0
    while day <= today:
        before = set(Notification.objects.values_list("pk", flat=True).order_by())
        school_tick(root, policy, day)
        rounds = list(InspectionRound.objects.filter(school=root, term=term, opens_on__lte=day,
                                                     status=InspectionRound.Status.OPEN))
        Notification.objects.exclude(pk__in=before).update(created_at=_at(day, 6))
        before = set(Notification.objects.values_list("pk", flat=True).order_by())
        school_reminders(root, policy, day)
        Notification.objects.exclude(pk__in=before).update(created_at=_at(day, 7))
        checks_done += _do_paper_checks(rounds, day, recorded)
        day += ONE_DAY
    InspectionRound.objects.filter(school=root, term=term).update(created_at=timezone.now())
    for round in InspectionRound.objects.filter(school=root, term=term):
        InspectionRound.objects.filter(pk=round.pk).update(created_at=_at(round.opens_on, 6))

    director = (Staff.objects.filter(school=root, roles__role=Role.DIRECTOR, is_active=True)
                .select_related("user").order_by("staff_no").first())
    past = list(InspectionRound.objects.filter(school=root, term=term, due_on__lt=today).order_by("due_on"))
    published = 0
    if director is not None:
        for round in past[:-1]:
            before = set(Notification.objects.values_list("pk", flat=True).order_by())
            round_publish(round=round, summary=SUMMARY.format(checklist=round.get_checklist_display()),
                          user=director.user)
            when = _at(min(round.due_on + dt.timedelta(days=4), today), 17)
            InspectionRound.objects.filter(pk=round.pk).update(published_at=when)
            Notification.objects.exclude(pk__in=before).update(created_at=when)
            published += 1
        grade = Grade.objects.filter(school=root).order_by("level").first()
        opened_on = max(term.start_date, today - dt.timedelta(days=7))
        if grade is not None:
            round_open_by_hand(
                school=root, kind=RoundRule.Kind.SPOT, title=_("Spot check of %(grade)s") % {"grade": grade.name},
                checklist=[Checked.LESSON_PREP, Checked.HOMEWORK], checker=RoundRule.Checker.LEADERSHIP,
                opens_on=opened_on, due_on=opened_on + dt.timedelta(days=10), grade=grade, user=director.user,
            )
    counts = InspectionRound.objects.filter(school=root, term=term).aggregate(
        rounds=Count("pk", distinct=True), assignments=Count("assignments"))
    overdue = Assignment.objects.filter(round__school=root, round__term=term, done_at__isnull=True,
                                        due_on__lt=today).count()
    notes = Notification.objects.filter(recipient__school__in=[root, *root.village_schools.all()]).count()
    return _(
        "Inspection rounds: %(rounds)s rounds, %(assignments)s checks (%(done)s done by hand, %(overdue)s "
        "overdue), %(published)s summaries published, %(notes)s notifications."
    ) % {**counts, "done": checks_done, "overdue": overdue, "published": published, "notes": notes}
