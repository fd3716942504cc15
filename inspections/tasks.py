"""Celery tasks: interfaces that take ids and call services (STYLE.md)."""

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(bind=True, ignore_result=False)
def worker_heartbeat(self) -> int:
    """Record that this worker is alive; beat runs it every minute (see `setup_periodic_tasks`)."""
    beat, _created = WorkerHeartbeat.objects.update_or_create(
        hostname=self.request.hostname or "unknown",
        defaults={"seen_at": timezone.now(), "task_id": self.request.id or ""},
    )
    return beat.pk
