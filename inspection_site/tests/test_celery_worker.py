"""A real Celery worker process, on the configured broker (Redis in CI, else the embedded one), runs a task."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from inspections.models import WorkerHeartbeat
from inspections.tasks import worker_heartbeat

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url_of_the_test_database() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    user = s["USER"] or ""
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_worker_process_runs_the_heartbeat_task():
    # A queue of its own, so that no other worker on the same broker takes the task.
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = os.environ | {"DATABASE_URL": database_url_of_the_test_database(), "DJANGO_DEBUG": "1"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "inspection_site", "worker", "--pool", "solo", "--queues", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        result = worker_heartbeat.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        beat = None
        while time.monotonic() < deadline and beat is None:
            beat = WorkerHeartbeat.objects.filter(task_id=result.id).first()
            if worker.poll() is not None:
                break
            time.sleep(0.3)
        assert beat is not None, "the worker did not run the task:\n" + (worker.stdout.read() if worker.poll() is not None else "")
        assert beat.hostname
        assert result.get(timeout=30) == beat.pk
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
