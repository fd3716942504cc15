"""Ten ticks, or ten reminder runs, at once: each round, assignment, notification and email exists once
(PostgreSQL: SQLite serialises writers, so there is nothing to race)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, connections

from inspections.models import Assignment, InspectionRound, Notification, OutboxMessage
from inspections.services.schedule import daily_tick, reminders_send

from .schedule_world import build_schedule_world

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
RUNS = 10


def at_once(function, **kwargs):
    barrier = threading.Barrier(RUNS)
    errors = []

    def work():
        try:
            barrier.wait()
            function(**kwargs)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_ten_ticks_and_ten_reminder_runs_at_once_send_each_once():
    w = build_schedule_world()
    at_once(daily_tick, today=dt.date(2026, 2, 23))
    assert InspectionRound.objects.count() == 1
    assert Assignment.objects.count() == 8
    opened = Notification.objects.filter(key__endswith=":opened")
    assert sorted(opened.values_list("recipient__staff_no", flat=True)) == ["L01", "L02", "V01"]

    at_once(reminders_send, today=dt.date(2026, 2, 24))
    reminders = Notification.objects.filter(key__endswith=":reminder")
    assert sorted(reminders.values_list("recipient__staff_no", flat=True)) == ["L01", "L02", "V01"]

    at_once(reminders_send, today=dt.date(2026, 2, 26))
    nudges = Notification.objects.filter(key__endswith=":nudge-1")
    assert nudges.count() == 3

    # Every email once: three notices, three reminders, three nudges.
    assert OutboxMessage.objects.filter(status="sent").count() == 9
    sent = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert len(sent) == 9 and set(sent.values()) == {1}
    assert w.term.pk == InspectionRound.objects.get().term_id
