"""Declare the periodic tasks in django-celery-beat's database schedule. Idempotent: run it at every deploy.

Crontabs are in Asia/Shanghai (the school's clock). A task the office has switched off in the admin stays off,
and a time it has moved stays where it put it: the command creates what is missing and sets the task each entry
runs, and does not touch a schedule already declared.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

# name -> (task, every N seconds). Pages never call the broker: what they notify waits in the outbox for the
# sender, at most this long.
PERIODIC_TASKS = {
    "worker heartbeat": ("inspections.tasks.worker_heartbeat", 60),
    "send the outbox": ("inspections.tasks.deliver_outbox", 15),
}
# name -> (task, minute, hour, day of week)
CRONTAB_TASKS = {
    "daily tick: open rounds and make assignments": ("inspections.tasks.daily_tick", "10", "6", "*"),
    "reminders and nudges": ("inspections.tasks.send_reminders", "30", "7", "*"),
    "weekly digest": ("inspections.tasks.send_weekly_digests", "0", "7", "1"),
}


class Command(BaseCommand):
    help = "Create or update the periodic tasks that Celery beat runs."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, seconds) in PERIODIC_TASKS.items():
            every, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
            periodic, created = PeriodicTask.objects.get_or_create(
                name=name, defaults={"task": task, "interval": every, "enabled": True}
            )
            if not created and periodic.task != task:
                periodic.task = task
                periodic.save(update_fields=["task"])
        for name, (task, minute, hour, day_of_week) in CRONTAB_TASKS.items():
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute, hour=hour, day_of_week=day_of_week, day_of_month="*", month_of_year="*",
                timezone=settings.TIME_ZONE,
            )
            periodic, created = PeriodicTask.objects.get_or_create(
                name=name, defaults={"task": task, "crontab": crontab, "enabled": True}
            )
            if not created and periodic.task != task:
                periodic.task = task
                periodic.save(update_fields=["task"])
        count = len(PERIODIC_TASKS) + len(CRONTAB_TASKS)
        self.stdout.write(f"{count} periodic task(s) declared.")
