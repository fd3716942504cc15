"""A whole spring term under the V4 preset, day by day through the daily tick and the reminder task with a frozen
clock (Asia/Shanghai): which rounds open on which day with which assignments, and every reminder and nudge, each
sent once (bell and email).

The checkers behave as people do: the Chinese group leader (L01) does her checks the day a round opens; the maths
group leader (L02) does hers the day after her reminder; the village school's director (V01) and the leadership
never do theirs. Checks some app records (here a provider registered by the test records homework, teaching and
labs) are done by their records; the others are marked done by hand.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from inspections import evidence
from inspections.models import Assignment, InspectionRound, Notification
from inspections.services.rounds import assignment_mark_done
from inspections.tasks import daily_tick, send_reminders

from .schedule_world import TERM_END, TERM_START, build_schedule_world

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
RECORDED_ITEMS = ("homework", "teaching", "labs")


class Recorder:
    """A domain app as the tick sees it: the checks recorded, (checker, teacher, item, day)."""

    def __init__(self):
        self.records: set[tuple[int, int, str, dt.date]] = set()
        self.DONE_CHECKS = {item: self._done(item) for item in RECORDED_ITEMS}
        self.deadline_list: list[evidence.Deadline] = []

    def _done(self, item):
        def done(*, start, end, pairs, **_ignored):
            return {(c, t) for c, t, i, day in self.records if i == item and start <= day <= end and (c, t) in pairs}
        return done

    def deadlines(self, *, start, end, **_ignored):
        return [d for d in self.deadline_list if start <= d.due_on <= end]


def do_checks(recorder: Recorder, checker, round: InspectionRound, day: dt.date):
    for assignment in Assignment.objects.filter(round=round, checker=checker, done_at__isnull=True):
        if assignment.item in RECORDED_ITEMS:
            recorder.records.add((checker.pk, assignment.teacher_id, assignment.item, day))
        else:
            assignment_mark_done(assignment=assignment, checker=checker)


def run_term(w, recorder, *, first: dt.date, last: dt.date):
    """Each day at 06:10 the tick, at 07:30 the reminders; the checkers act after the reminders."""
    opened = []
    day = first
    while day <= last:
        with time_machine.travel(dt.datetime.combine(day, dt.time(6, 10), SHANGHAI), tick=False):
            before = set(InspectionRound.objects.values_list("pk", flat=True))
            daily_tick.apply().get()
            for round in InspectionRound.objects.exclude(pk__in=before).order_by("opens_on", "pk"):
                counts = {}
                for checker_no in round.assignments.values_list("checker__staff_no", flat=True):
                    counts[checker_no] = counts.get(checker_no, 0) + 1
                opened.append((day, round.kind, round.month_number, round.opens_on, round.due_on, counts))
        with time_machine.travel(dt.datetime.combine(day, dt.time(7, 30), SHANGHAI), tick=False):
            send_reminders.apply().get()
            # Twice: the second run sends nothing new.
            assert send_reminders.apply().get() == 0
        with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), SHANGHAI), tick=False):
            for round in InspectionRound.objects.filter(opens_on__lte=day, status="open"):
                if round.opens_on == day:
                    do_checks(recorder, w.leader_1, round, day)
                reminded = Notification.objects.filter(
                    recipient=w.leader_2, key=f"round:{round.pk}:checker:{w.leader_2.pk}:reminder",
                    created_at__date__lt=day,
                ).exists()
                if reminded:
                    do_checks(recorder, w.leader_2, round, day)
        day += dt.timedelta(days=1)
    return opened


OPENED = [
    # day the tick opened it, kind, school month, opens, due, checks per checker
    (dt.date(2026, 2, 23), "start_of_term", None, dt.date(2026, 2, 23), dt.date(2026, 2, 25),
     {"L01": 4, "L02": 2, "V01": 2}),
    (dt.date(2026, 3, 22), "monthly", 1, dt.date(2026, 3, 22), dt.date(2026, 3, 28), {"L01": 12, "L02": 6, "V01": 6}),
    (dt.date(2026, 4, 19), "monthly", 2, dt.date(2026, 4, 19), dt.date(2026, 4, 25), {"L01": 12, "L02": 6, "V01": 6}),
    (dt.date(2026, 5, 17), "monthly", 3, dt.date(2026, 5, 17), dt.date(2026, 5, 23), {"L01": 12, "L02": 6, "V01": 6}),
    (dt.date(2026, 6, 14), "monthly", 4, dt.date(2026, 6, 14), dt.date(2026, 6, 20), {"L01": 12, "L02": 6, "V01": 6}),
    # School month 5 ends after the end-of-term round has opened: that full check stands for it.
    (dt.date(2026, 6, 19), "end_of_term", None, dt.date(2026, 6, 19), dt.date(2026, 6, 25),
     {"P01": 12, "P02": 12, "P03": 12, "V01": 6}),
]

# Every notification of the term: day, recipient, what (round or deadline), step.
EXPECTED = """
2026-02-23 L01 start opened
2026-02-23 L02 start opened
2026-02-23 V01 start opened
2026-02-24 L02 start reminder
2026-02-24 V01 start reminder
2026-02-26 V01 start nudge-1
2026-03-05 V01 start nudge-2
2026-03-12 V01 start nudge-3
2026-03-22 L01 month-1 opened
2026-03-22 L02 month-1 opened
2026-03-22 V01 month-1 opened
2026-03-25 L02 month-1 reminder
2026-03-25 V01 month-1 reminder
2026-03-29 V01 month-1 nudge-1
2026-04-05 V01 month-1 nudge-2
2026-04-12 V01 month-1 nudge-3
2026-04-19 L01 month-2 opened
2026-04-19 L02 month-2 opened
2026-04-19 V01 month-2 opened
2026-04-22 L02 month-2 reminder
2026-04-22 V01 month-2 reminder
2026-04-26 V01 month-2 nudge-1
2026-05-03 V01 month-2 nudge-2
2026-05-10 V01 month-2 nudge-3
2026-05-17 L01 month-3 opened
2026-05-17 L02 month-3 opened
2026-05-17 V01 month-3 opened
2026-05-20 L02 month-3 reminder
2026-05-20 V01 month-3 reminder
2026-05-24 V01 month-3 nudge-1
2026-05-31 V01 month-3 nudge-2
2026-06-07 V01 month-3 nudge-3
2026-06-14 L01 month-4 opened
2026-06-14 L02 month-4 opened
2026-06-14 V01 month-4 opened
2026-06-17 L02 month-4 reminder
2026-06-17 V01 month-4 reminder
2026-06-19 P01 end opened
2026-06-19 P02 end opened
2026-06-19 P03 end opened
2026-06-19 V01 end opened
2026-06-21 V01 month-4 nudge-1
2026-06-22 P01 end reminder
2026-06-22 P02 end reminder
2026-06-22 P03 end reminder
2026-06-22 V01 end reminder
2026-06-26 P01 end nudge-1
2026-06-26 P02 end nudge-1
2026-06-26 P03 end nudge-1
2026-06-26 V01 end nudge-1
2026-06-28 T01 summary reminder
2026-06-28 V01 month-4 nudge-2
2026-07-02 T01 summary nudge-1
2026-07-03 P01 end nudge-2
2026-07-03 P02 end nudge-2
2026-07-03 P03 end nudge-2
2026-07-03 V01 end nudge-2
2026-07-05 V01 month-4 nudge-3
2026-07-09 T01 summary nudge-2
2026-07-10 P01 end nudge-3
2026-07-10 P02 end nudge-3
2026-07-10 P03 end nudge-3
2026-07-10 V01 end nudge-3
""".split("\n")


def describe(notification, rounds) -> str:
    key = notification.key
    if key.startswith("deadline:"):
        what, step = "summary", key.rsplit(":", 1)[1]
    else:
        _round, pk, _checker, _staff, step = key.split(":")
        round = rounds[int(pk)]
        what = {"start_of_term": "start", "end_of_term": "end"}.get(round.kind) or f"month-{round.month_number}"
    day = notification.created_at.astimezone(SHANGHAI).date().isoformat()
    return f"{day} {notification.recipient.staff_no} {what} {step}"


def test_a_v4_term_day_by_day_opens_the_rounds_and_reminds_once_each():
    w = build_schedule_world()
    recorder = Recorder()
    recorder.deadline_list.append(evidence.Deadline(
        key="test:summary:T01", staff_id=w.t1.pk, title="学期工作总结", due_on=dt.date(2026, 7, 1)))
    with evidence.only_providers(recorder):
        opened = run_term(w, recorder, first=TERM_START - dt.timedelta(days=3),
                          last=TERM_END + dt.timedelta(days=10))

    assert opened == OPENED
    rounds = {r.pk: r for r in InspectionRound.objects.all()}
    notifications = Notification.objects.select_related("recipient").order_by("created_at", "recipient__staff_no",
                                                                               "key")
    assert [describe(n, rounds) for n in notifications] == [line for line in EXPECTED if line]
    # Each by email too, once (everyone has an address and the default preferences).
    assert len(mail.outbox) == notifications.count()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"{n.recipient.staff_no.lower()}@school.example"
                                                           for n in notifications)
    # Who did her checks has them done; who did not has them overdue.
    assert not Assignment.objects.filter(checker__in=[w.leader_1, w.leader_2], done_at__isnull=True).exists()
    assert Assignment.objects.filter(checker=w.village_director, done_at__isnull=True).count() == 2 + 6 * 4 + 6
    by_hand = Assignment.objects.filter(checker=w.leader_1, done_by_hand=True).values_list("item", flat=True)
    assert set(by_hand) == {"lesson_prep", "teaching_plan", "tutoring", "unit_tests"}


def test_the_tick_run_again_the_same_day_changes_nothing():
    w = build_schedule_world()
    day = dt.date(2026, 3, 22)
    with time_machine.travel(dt.datetime.combine(day, dt.time(6, 10), SHANGHAI), tick=False):
        daily_tick.apply().get()
        state = (InspectionRound.objects.count(), Assignment.objects.count(), Notification.objects.count())
        daily_tick.apply().get()
        daily_tick.apply(kwargs={"today": day.isoformat()}).get()
    assert (InspectionRound.objects.count(), Assignment.objects.count(), Notification.objects.count()) == state
    assert state == (1, 24, 3)
    assert len(mail.outbox) == 3
    assert w.term.pk == InspectionRound.objects.get().term_id


def test_a_round_whose_window_passed_before_the_system_ran_is_not_opened_late():
    build_schedule_world()
    with time_machine.travel(dt.datetime(2026, 2, 27, 6, 10, tzinfo=SHANGHAI), tick=False):
        daily_tick.apply().get()
    assert not InspectionRound.objects.exists()
