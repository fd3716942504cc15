"""Declare the periodic tasks in django-celery-beat's database schedule. Idempotent: run it at every deploy."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

# name -> (task, every N seconds)
PERIODIC_TASKS = {
    "worker heartbeat": ("inspections.tasks.worker_heartbeat", 60),
}


class Command(BaseCommand):
    help = "Create or update the periodic tasks that Celery beat runs."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, seconds) in PERIODIC_TASKS.items():
            every, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
            PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "interval": every, "crontab": None, "enabled": True}
            )
        self.stdout.write(f"{len(PERIODIC_TASKS)} periodic task(s) declared.")
