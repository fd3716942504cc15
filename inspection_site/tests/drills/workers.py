"""Celery worker processes for the drills, on the test database and the configured broker (Redis)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[3]


def database_url() -> str:
    s = connection.settings_dict
    user = s["USER"] or ""
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(queue: str, *, pool: str = "solo", extra_env: dict | None = None, log=None) -> subprocess.Popen:
    """A worker of its own queue (no other worker on the broker takes the drill's tasks), in its own process
    group so that a drill can kill it whole."""
    env = os.environ | {"DATABASE_URL": database_url(), "DJANGO_DEBUG": "1"} | (extra_env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "inspection_site", "worker", "--pool", pool, "--concurrency", "1",
         "--queues", queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
         "--prefetch-multiplier", "1"],
        cwd=BASE_DIR, env=env, stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen, *, kill: bool = False) -> None:
    if worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGKILL if kill else signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)
