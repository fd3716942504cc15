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
