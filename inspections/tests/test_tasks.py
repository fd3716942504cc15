import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from inspections.models import WorkerHeartbeat
from inspections.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def test_setup_periodic_tasks_is_idempotent():
    call_command("setup_periodic_tasks", stdout=None)
    call_command("setup_periodic_tasks", stdout=None)
    task = PeriodicTask.objects.get(name="worker heartbeat")
    assert task.task == "inspections.tasks.worker_heartbeat" and task.interval.every == 60
    assert PeriodicTask.objects.filter(task="inspections.tasks.worker_heartbeat").count() == 1


def test_the_heartbeat_upserts_one_row_per_worker():
    first = worker_heartbeat.apply().get()
    second = worker_heartbeat.apply().get()
    assert first == second and WorkerHeartbeat.objects.count() == 1


def test_the_office_home_says_whether_background_work_runs(world, login):
    client = login(world.director)
    response = client.get(reverse("home"))
    assert response.context["worker_stale"] is True and 'id="worker-status"' in response.content.decode()
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now() - dt.timedelta(seconds=30))
    assert client.get(reverse("home")).context["worker_stale"] is False
    WorkerHeartbeat.objects.filter(hostname="w1").update(seen_at=timezone.now() - dt.timedelta(minutes=10))
    assert client.get(reverse("home")).context["worker_stale"] is True
    # Teachers are not told about the machinery.
    assert "worker_stale" not in login(world.teacher).get(reverse("home")).context


def test_the_schedule_is_declared_once_in_shanghai_time_and_keeps_the_office_s_changes():
    from django_celery_beat.models import CrontabSchedule

    call_command("setup_periodic_tasks", stdout=None)
    tick = PeriodicTask.objects.get(task="inspections.tasks.daily_tick")
    assert (tick.crontab.hour, tick.crontab.minute, str(tick.crontab.timezone)) == ("6", "10", "Asia/Shanghai")
    digest = PeriodicTask.objects.get(task="inspections.tasks.send_weekly_digests")
    assert digest.crontab.day_of_week == "1"
    assert PeriodicTask.objects.get(task="inspections.tasks.deliver_outbox").interval.every == 15
    # The office moves the reminders to 08:00 and switches the digest off in the admin; a redeploy keeps that.
    reminders = PeriodicTask.objects.get(task="inspections.tasks.send_reminders")
    reminders.crontab = CrontabSchedule.objects.create(minute="0", hour="8", timezone="Asia/Shanghai")
    reminders.save()
    PeriodicTask.objects.filter(pk=digest.pk).update(enabled=False)
    call_command("setup_periodic_tasks", stdout=None)
    assert PeriodicTask.objects.get(pk=reminders.pk).crontab.hour == "8"
    assert not PeriodicTask.objects.get(pk=digest.pk).enabled
    assert PeriodicTask.objects.filter(task__startswith="inspections.tasks.").count() == 5


def test_the_tasks_are_safe_to_repeat_and_say_so_to_celery(settings):
    from inspections import tasks

    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1 and settings.CELERY_TASK_ACKS_LATE
    for task in (tasks.daily_tick, tasks.send_reminders, tasks.send_weekly_digests, tasks.deliver_outbox):
        assert task.acks_late and task.reject_on_worker_lost, task.name
        assert task.max_retries == 5 and task.retry_backoff and task.autoretry_for, task.name
        assert task.time_limit > task.soft_time_limit > 0, task.name


def test_a_frozen_broker_times_out(settings):
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        pytest.skip("the embedded broker has no sockets")
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert 0 < options["socket_timeout"] <= 10 and 0 < options["socket_connect_timeout"] <= 10
