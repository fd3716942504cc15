"""End to end with real processes: Celery beat (the database scheduler) and a worker on the configured broker
(Redis in CI, else the embedded one) send a reminder; and an observation saved while the broker is unreachable
is saved all the same, its notification waiting in the outbox until the broker is back and the periodic sender
runs.

The broker is made unreachable by pointing the app at a closed port, not by stopping the shared Redis."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_results.models import TaskResult

from inspection_site.celery import app as celery_app
from inspection_site.tests.test_celery_worker import database_url_of_the_test_database
from inspections.models import Notification, OutboxMessage
from inspections.services.schedule import daily_tick

from .schedule_world import build_schedule_world

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


class Processes:
    """A worker on a queue of its own and beat, started with the test database and a mail folder; stopped at
    the end."""

    def __init__(self, tmp_path: Path):
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.env = os.environ | {
            "DATABASE_URL": database_url_of_the_test_database(),
            "DJANGO_DEBUG": "1",
            "DJANGO_EMAIL_URL": f"filemail:///{self.mail_dir}",  # an absolute path: four slashes
        }
        self.tmp_path = tmp_path
        self.processes = []

    def start(self):
        celery = [sys.executable, "-m", "celery", "-A", "inspection_site"]
        self.processes.append(subprocess.Popen(
            [*celery, "worker", "--pool", "solo", "--queues", self.queue, "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel", "INFO"],
            cwd=BASE_DIR, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        ))
        self.processes.append(subprocess.Popen(
            [*celery, "beat", "--loglevel", "INFO", "--schedule", str(self.tmp_path / "beat-schedule"),
             "--max-interval", "1"],
            cwd=BASE_DIR, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        ))

    def output(self) -> str:
        """What the processes printed (stopping them first)."""
        self.stop()
        return "\n".join(process.stdout.read()[-6000:] for process in self.processes)

    def wait_for(self, condition, seconds=90):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return True
            if any(p.poll() is not None for p in self.processes):
                break
            time.sleep(0.5)
        return False

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def mails(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.mail_dir.glob("*"))


def runs(task_name: str) -> int:
    """How many times the worker ran the task (beat counts its runs in the database only now and then)."""
    return TaskResult.objects.filter(task_name=task_name, status="SUCCESS").count()


def every_second(name, task, queue, kwargs="{}"):
    interval, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(name=name, task=task, interval=interval, queue=queue, kwargs=kwargs)


def test_beat_and_a_worker_send_a_reminder_once(tmp_path):
    w = build_schedule_world()
    daily_tick(today=dt.date(2026, 2, 23))  # the start-of-term round opens; its notices go out here
    processes = Processes(tmp_path)
    every_second("test reminders", "inspections.tasks.send_reminders", processes.queue, '{"today": "2026-02-24"}')
    reminders = Notification.objects.filter(key__endswith=":reminder")
    processes.start()
    try:
        ran = processes.wait_for(
            lambda: reminders.count() == 3
            and OutboxMessage.objects.filter(notification__in=reminders, status="sent").count() == 3
            and runs("inspections.tasks.send_reminders") >= 3
        )
        assert ran, processes.output()
    finally:
        processes.stop()
    # Beat ran the task several times; each reminder was made and sent once.
    assert sorted(reminders.values_list("recipient__staff_no", flat=True)) == ["L01", "L02", "V01"]
    mails = processes.mails()
    assert mails.count("Subject:") == 3
    for staff in (w.leader_1, w.leader_2, w.village_director):
        assert f"To: {staff.user.email}" in mails


def test_an_observation_saved_with_the_broker_away_is_notified_once_it_is_back(tmp_path, settings):
    from observations.tests.permission_cases_log import make_observation
    from school.tests.world import build_world

    world = build_world()
    world.other_teacher.user.email = "observed@school.example"
    world.other_teacher.user.save(update_fields=["email"])
    real_broker = celery_app.conf.broker_url
    away = f"redis://127.0.0.1:{closed_port()}/6"
    celery_app.conf.broker_url = away
    settings.CELERY_BROKER_URL = away
    try:
        observation = make_observation(world)  # commits; the delivery cannot be queued
    finally:
        celery_app.conf.broker_url = real_broker
        settings.CELERY_BROKER_URL = real_broker
    assert observation.pk
    note = Notification.objects.get(key=f"observation:{observation.pk}:observed")
    assert note.recipient == world.other_teacher
    row = OutboxMessage.objects.get(notification=note)
    assert row.status == "pending"

    processes = Processes(tmp_path)
    every_second("test outbox", "inspections.tasks.deliver_outbox", processes.queue)
    processes.start()
    try:
        sent = processes.wait_for(lambda: OutboxMessage.objects.get(pk=row.pk).status == "sent"
                                  and runs("inspections.tasks.deliver_outbox") >= 3)
        assert sent, processes.output()
    finally:
        processes.stop()
    mails = processes.mails()
    assert mails.count("Subject:") == 1 and "To: observed@school.example" in mails
