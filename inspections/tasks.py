"""Celery tasks: interfaces that take ids and call services (STYLE.md).

Every task here is idempotent (the services write with unique keys and claim outbox rows before sending), so each
is acknowledged late and re-queued if its worker dies (`acks_late`, `reject_on_worker_lost`, with prefetch 1 from
the settings), and retried with exponential backoff when the database or the mail server is briefly away.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from .models import WorkerHeartbeat

# What a retry can cure: the database or the SMTP server away for a moment.
TRANSIENT = (DatabaseError, smtplib.SMTPException, ConnectionError, TimeoutError)
RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


def _day(today: str | None) -> dt.date:
    return dt.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(bind=True, ignore_result=False)
def worker_heartbeat(self) -> int:
    """Record that this worker is alive; beat runs it every minute (see `setup_periodic_tasks`)."""
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        hostname=self.request.hostname or "unknown",
        defaults={"seen_at": timezone.now(), "task_id": self.request.id or ""},
    )
    return beat.pk


@shared_task(bind=True, soft_time_limit=20 * 60, time_limit=25 * 60, **RELIABLE)
def daily_tick(self, today: str | None = None) -> dict:
    """Open the rounds the calendar makes due, give them their assignments, mark done what was recorded."""
    from .services.schedule import daily_tick as tick

    results = tick(today=_day(today))
    return {str(pk): len(result.rounds) for pk, result in results.items()}


@shared_task(bind=True, soft_time_limit=20 * 60, time_limit=25 * 60, **RELIABLE)
def send_reminders(self, today: str | None = None) -> int:
    """Reminders before due dates and nudges after, each once."""
    from .services.schedule import reminders_send

    return sum(len(sent) for sent in reminders_send(today=_day(today)).values())


@shared_task(bind=True, soft_time_limit=20 * 60, time_limit=25 * 60, **RELIABLE)
def send_weekly_digests(self, today: str | None = None) -> int:
    """Each person's week: quota progress, what is due, what is late (once a week)."""
    from .services.schedule import weekly_digests_send

    return sum(len(sent) for sent in weekly_digests_send(today=_day(today)).values())


@shared_task(bind=True, soft_time_limit=4 * 60, time_limit=5 * 60, **RELIABLE)
def deliver_outbox(self, ids: list[int] | None = None) -> dict:
    """Send outbox rows (those of `ids`, or every pending one that is due); each row is claimed before it is
    sent, so concurrent runs send it once."""
    from .services.notifications import outbox_deliver

    return outbox_deliver(ids=ids)
