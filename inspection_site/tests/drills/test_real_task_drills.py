"""The project's own tasks with their worker's pool process killed (SIGKILL) in the middle (issue 10: "a Celery
worker killed in the middle of an export and of a reminder run: each completes exactly once").

- An exam's quality-analysis export (`exams.tasks.build_export`): the drill holds the job's row locked once the
  task has marked it running, so that the task is stopped at its next progress update, in the middle of the build;
  the pool process is killed there (its database connection dies with it), the lock released. The task goes back
  to the queue (acks_late, reject_on_worker_lost), the next pool process builds the workbook once: one job, done,
  with the whole grade in it, and the task succeeds once.
- The reminder run (`inspections.tasks.send_reminders`) of the schedule world: the drill's mail server holds the
  first connection before its greeting, so the run is killed in the middle of its deliveries, after its
  reminders were made. Run again, it makes no reminder twice and sends the others; the message whose sending was
  cut is left claimed and goes out once when its claim is released (STALE_CLAIM later; the drill moves the clock of
  the claim rather than wait ten minutes). Each reminder: one notification, one email received.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import socketserver
import threading
import time
import uuid

import openpyxl
import pytest
from django.db import connection, transaction
from django.utils import timezone

from exams.models import ExportJob
from exams.tasks import build_export
from inspections.models import Notification, OutboxMessage
from inspections.services.notifications import STALE_CLAIM, outbox_deliver
from inspections.services.schedule import daily_tick
from inspections.tasks import send_reminders
from inspections.tests.schedule_world import build_schedule_world
from school.models import Student

from .test_worker_drill import pool_children, wait_for
from .workers import start_worker, stop_worker

pytestmark = pytest.mark.django_db(transaction=True)


def succeeded(log_path, task_name: str) -> int:
    text = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    return len(re.findall(rf"Task {re.escape(task_name)}\[[^\]]+\] succeeded", text))


def only_child(worker) -> int:
    wait_for(lambda: len(pool_children(worker.pid)) == 1, 30, what="the worker's pool process")
    return pool_children(worker.pid)[0]


# --- the export ---------------------------------------------------------------------------------------------


def test_an_export_whose_pool_process_is_killed_mid_build_is_built_once(tmp_path):
    from exams.tests.helpers import generated_exam
    from school.tests.world import build_world

    w = build_world()
    exam = generated_exam(w, per_class=300)
    grade = w.class_1.grade
    students = Student.objects.filter(school_class__grade=grade).count()
    job = ExportJob.objects.create(exam=exam, grade=grade)
    queue = f"drill-export-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, pool="prefork", log=open(log, "w"))
    try:
        child = only_child(worker)
        with transaction.atomic():
            build_export.apply_async((job.pk,), queue=queue)
            # Once the task has marked the job running, lock its row: its next progress update waits there.
            # Polled often: the build of the 600 students' workbook takes about a second.
            deadline = time.monotonic() + 60
            while ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.PENDING).exists():
                assert time.monotonic() < deadline, "the export did not start"
                time.sleep(0.005)
            locked = ExportJob.objects.select_for_update().get(pk=job.pk)
            assert locked.status == ExportJob.Status.RUNNING and not locked.content, (
                "the build ended before the drill could stop it in the middle")
            wait_for(lambda: len(_waiting_on_the_job()) == 1, 30, what="the task to wait at a progress update")
            backend = _waiting_on_the_job()[0]
            os.kill(child, signal.SIGKILL)
            wait_for(lambda: child not in pool_children(worker.pid), 30, what="the pool process to go")
            # The dead process's connection (only it: the next process may already wait on the lock too): the
            # database ends it, as it would on noticing the closed socket once it had the lock.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE, 60,
                 what="the export to complete")
        time.sleep(3)  # a second run would show now
        assert succeeded(log, "exams.tasks.build_export") == 1, log.read_text()
        assert ExportJob.objects.filter(exam=exam).count() == 1
        done = ExportJob.objects.get(pk=job.pk)
        assert (done.status, done.progress, done.error) == (ExportJob.Status.DONE, 100, "")
        book = openpyxl.load_workbook(io.BytesIO(bytes(done.content)), read_only=True)
        numbers = [row[0] for row in book["学生名次"].iter_rows(min_row=5, values_only=True)
                   if re.fullmatch(r"S\d{4}|7\d{5}", str(row[0]))]
        assert len(numbers) == len(set(numbers)) == students
    finally:
        stop_worker(worker)


def _waiting_on_the_job() -> list[int]:
    """The database processes waiting for the job's row lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # within a transaction the view is otherwise frozen
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                       "AND query LIKE %s AND pid <> pg_backend_pid()", ["%exams_exportjob%"])
        return [row[0] for row in cursor.fetchall()]


# --- the reminder run ---------------------------------------------------------------------------------------


class HeldMailServer(socketserver.ThreadingTCPServer):
    """A minimal SMTP server on the loopback that records each message's recipients; its first connection is
    held before the greeting until `release` is set."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.release = threading.Event()
        self.connections = 0
        self.received: list[str] = []
        self.lock = threading.Lock()


class _SMTPHandler(socketserver.StreamRequestHandler):
    timeout = 30

    def handle(self):
        server = self.server
        with server.lock:
            server.connections += 1
            first = server.connections == 1
        if first:
            server.release.wait(60)
        self.reply("220 drill ESMTP")
        recipients, in_data = [], False
        while True:
            try:
                line = self.rfile.readline()
            except OSError:
                return
            if not line:
                return
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            if in_data:
                if text == ".":
                    in_data = False
                    with server.lock:
                        server.received.extend(recipients)
                    recipients = []
                    self.reply("250 queued")
                continue
            verb = text.split(" ", 1)[0].split(":", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 drill")
            elif verb == "MAIL":
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(text.split(":", 1)[1].strip().strip("<>").split(">")[0])
                self.reply("250 ok")
            elif verb == "DATA":
                in_data = True
                self.reply("354 go on")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")

    def reply(self, text):
        try:
            self.wfile.write(text.encode() + b"\r\n")
            self.wfile.flush()
        except OSError:
            pass


def test_a_reminder_run_whose_pool_process_is_killed_mid_delivery_sends_each_reminder_once(tmp_path, settings):
    w = build_schedule_world()
    daily_tick(today=dt.date(2026, 2, 23))  # the start-of-term round opens; its notices are made here
    OutboxMessage.objects.all().delete()  # the round's opening notices are not this drill's
    mail = HeldMailServer()
    threading.Thread(target=mail.serve_forever, daemon=True).start()
    port = mail.server_address[1]
    queue = f"drill-reminders-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    worker = start_worker(queue, pool="prefork", log=open(log, "w"),
                          extra_env={"DJANGO_EMAIL_URL": f"smtp://127.0.0.1:{port}"})
    reminders = Notification.objects.filter(key__endswith=":reminder")
    try:
        child = only_child(worker)
        send_reminders.apply_async(kwargs={"today": "2026-02-24"}, queue=queue)
        wait_for(lambda: mail.connections >= 1, 60, what="the run to start delivering")
        # The school's reminders are made (and committed) before its deliveries start.
        wait_for(lambda: reminders.count() >= 3, 10, what="the three reminders")
        assert reminders.count() == 3, list(reminders.values_list("key", flat=True))
        os.kill(child, signal.SIGKILL)
        mail.release.set()
        wait_for(lambda: succeeded(log, "inspections.tasks.send_reminders") == 1, 60,
                 what="the run to complete")
        time.sleep(3)  # a third run would show now
        assert succeeded(log, "inspections.tasks.send_reminders") == 1, log.read_text()
        assert reminders.count() == 3
        emails = OutboxMessage.objects.filter(notification__in=reminders, channel=OutboxMessage.Channel.EMAIL)
        assert emails.count() == 3
        # The message being sent when the process died stays claimed; the two others went out once.
        assert sorted(emails.values_list("status", flat=True)) == ["sending", "sent", "sent"]
        assert len(mail.received) == 2
        # Once its claim is stale it is sent, once.
        emails.filter(status="sending").update(claimed_at=timezone.now() - STALE_CLAIM - dt.timedelta(minutes=1))
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        assert outbox_deliver()["sent"] == 1
        assert outbox_deliver()["sent"] == 0
        assert sorted(emails.values_list("status", flat=True)) == ["sent", "sent", "sent"]
        expected = sorted(s.user.email for s in (w.leader_1, w.leader_2, w.village_director))
        assert sorted(mail.received) == expected
    finally:
        mail.release.set()
        stop_worker(worker)
        mail.shutdown()
        mail.server_close()
