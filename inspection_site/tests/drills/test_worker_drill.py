"""A Celery worker killed with SIGKILL in the middle of a task: the task completes exactly once.

- The pool process running the task is killed: the worker notices at once and, with acks_late and
  reject_on_worker_lost (settings), puts the task back; its next pool process runs it.
- The whole worker is killed: the task stays unacknowledged in Redis and a worker gets it once the visibility
  timeout has passed (CELERY_VISIBILITY_TIMEOUT; an hour in production, a few seconds in this drill): a worker
  looks for such tasks when it starts and every unacked_restore_interval × throttle (100 s) after.
"""

from __future__ import annotations

import os
import signal
import time
import uuid

import pytest
from django.conf import settings

from inspection_site.tasks import drill_log, drill_task

from .workers import start_worker, stop_worker

pytestmark = pytest.mark.django_db(transaction=True)
TASK_SECONDS = 4
VISIBILITY = 6


def lines(path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1] if path.exists() else []


def wait_for(condition, seconds, worker=None, what=""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def pool_children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="utf-8") as children:
        return [int(c) for c in children.read().split()]


def test_a_pool_process_killed_mid_task_leaves_the_task_to_the_next_one_exactly_once(tmp_path):
    key = f"pool-{uuid.uuid4().hex[:12]}"
    queue = f"drill-{key}"
    path = drill_log(key)
    worker = start_worker(queue, pool="prefork", log=open(tmp_path / "worker.log", "w"))
    try:
        drill_task.apply_async((key, TASK_SECONDS), queue=queue)
        wait_for(lambda: len(lines(path)) >= 1, 60, what="the task to start")
        child = int(lines(path)[0].split()[1])
        assert child in pool_children(worker.pid)
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: any(l.startswith("done") for l in lines(path)), 60, what="the task to complete")
        time.sleep(TASK_SECONDS + 2)  # a second completion would show now
        log = lines(path)
        assert [l.split()[0] for l in log] == ["start", "start", "done"], log
        assert log[1].split()[1] != str(child)  # run again by another process
    finally:
        stop_worker(worker)
        path.unlink(missing_ok=True)


def test_a_whole_worker_killed_mid_task_leaves_the_task_to_a_new_worker_exactly_once(tmp_path):
    key = f"worker-{uuid.uuid4().hex[:12]}"
    queue = f"drill-{key}"
    path = drill_log(key)
    short = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY)}
    first = start_worker(queue, extra_env=short, log=open(tmp_path / "first.log", "w"))
    second = None
    try:
        # The producer's visibility timeout does not matter; the consumers' does.
        drill_task.apply_async((key, TASK_SECONDS), queue=queue)
        wait_for(lambda: len(lines(path)) >= 1, 60, what="the task to start")
        started = time.monotonic()
        stop_worker(first, kill=True)
        assert not any(l.startswith("done") for l in lines(path))
        # A worker starting looks for unacknowledged tasks older than the visibility timeout (and then every
        # unacked_restore_interval × throttle seconds): start the new one once the task is that old.
        time.sleep(max(0.0, started + VISIBILITY + 1 - time.monotonic()))
        second = start_worker(queue, extra_env=short, log=open(tmp_path / "second.log", "w"))
        wait_for(lambda: any(l.startswith("done") for l in lines(path)), 120, what="the task to complete")
        time.sleep(VISIBILITY + 3)  # past another visibility timeout: a second delivery would show now
        log = lines(path)
        assert [l.split()[0] for l in log] == ["start", "start", "done"], log
    finally:
        stop_worker(first, kill=True)
        if second is not None:
            stop_worker(second)
        path.unlink(missing_ok=True)


def test_the_settings_the_drills_rely_on():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] >= settings.CELERY_TASK_TIME_LIMIT
