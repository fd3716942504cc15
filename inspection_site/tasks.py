"""The fault drills' task (inspection_site/tests/drills): a task that takes a while and records each start and its
completion, so that a drill can kill the worker in the middle and count how often it completes."""

from __future__ import annotations

import os
import re
import time

from celery import shared_task
from django.conf import settings

KEY = re.compile(r"^[a-z0-9-]{1,64}$")


def drill_log(key: str):
    if not KEY.match(key):
        raise ValueError("a drill key is lower-case letters, digits and dashes")
    folder = settings.VAR_DIR / "drills"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{key}.log"


@shared_task(bind=True, ignore_result=True)
def drill_task(self, key: str, seconds: float) -> None:
    """Write "start <pid>", work for `seconds`, then write "done <pid>" (appends, one line each, flushed)."""
    path = drill_log(key)
    with open(path, "a", encoding="utf-8") as log:
        log.write(f"start {os.getpid()} {self.request.id}\n")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
    with open(path, "a", encoding="utf-8") as log:
        log.write(f"done {os.getpid()} {self.request.id}\n")
