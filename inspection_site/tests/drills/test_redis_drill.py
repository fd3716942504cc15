"""Redis stopped and frozen while the site is used (the cache and the broker reach Redis through a proxy that the
drill cuts; the shared Redis server itself is never touched): every page still answers, cache calls answer at
once as a miss, the rate limit lets requests through, sending a task fails within its timeout instead of hanging,
and once Redis is back a task sent is run exactly once."""

from __future__ import annotations

import os
import time
import uuid
from urllib.parse import urlparse

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse
from django_ratelimit.core import is_ratelimited

from inspection_site.celery import app
from inspections.models import WorkerHeartbeat
from inspections.tasks import worker_heartbeat
from school.tests.matrix import OK, collect_cases
from school.tests.world import user_for

from .proxy import Proxy
from .workers import start_worker, stop_worker

REDIS = urlparse(os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"))
ROLES = ("teacher", "office_staff", "principal")


@pytest.fixture
def redis_proxy(settings):
    with Proxy(REDIS.port or 6379, REDIS.hostname or "127.0.0.1") as proxy:
        settings.CACHES = {"default": {"BACKEND": "inspection_site.cache.ResilientRedisCache",
                                       "LOCATION": f"redis://127.0.0.1:{proxy.port}{REDIS.path or '/0'}"}}
        yield proxy
    caches["default"].close()


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["down", "frozen"])
def test_the_cache_answers_at_once_as_a_miss_and_the_rate_limit_lets_requests_through(redis_proxy, mode):
    cache = caches["default"]
    key = f"drill-{uuid.uuid4().hex}"
    cache.set(key, "kept")
    assert cache.get(key) == "kept"  # through the proxy, to the real Redis
    redis_proxy.set(mode)
    value, seconds = timed(lambda: cache.get(key))
    assert value is None and seconds < 5
    _, seconds = timed(lambda: cache.set(key, "lost"))
    assert seconds < 5
    request = RequestFactory().get("/feedback/", REMOTE_ADDR="127.0.0.9")
    limited, seconds = timed(lambda: is_ratelimited(request, group="drill", key="ip", rate="1/m", increment=True))
    assert limited is False and seconds < 5
    redis_proxy.set("up")
    deadline = time.monotonic() + 10
    while cache.get(key) != "kept" and time.monotonic() < deadline:  # back by itself, nothing restarted
        time.sleep(0.2)
    assert cache.get(key) == "kept"
    cache.delete(key)


@pytest.mark.django_db
def test_every_page_answers_while_redis_is_down(redis_proxy, client):
    redis_proxy.set("down")
    from school.tests.world import build_world

    world = build_world()
    problems, pages = [], 0
    for case in collect_cases():
        if case.method != "get":
            continue
        url = reverse(case.url_name, args=case.args(world))
        query = case.query(world) if callable(case.query) else case.query
        for role in ROLES:
            if case.expected[role] != OK:
                continue
            client.force_login(user_for(world, role))
            response = client.get(f"{url}?{query}" if query else url)
            pages += 1
            if response.status_code != OK:
                problems.append(f"{case} as {role}: {response.status_code}")
    assert pages > 40
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_a_task_sent_while_redis_is_down_fails_fast_and_one_sent_after_it_returns_runs_once():
    with Proxy(REDIS.port or 6379, REDIS.hostname or "127.0.0.1") as proxy:
        broker = f"redis://127.0.0.1:{proxy.port}{REDIS.path or '/0'}"
        queue = f"drill-{uuid.uuid4().hex[:12]}"
        proxy.set("down")
        with app.connection_for_write(broker) as connection:
            start = time.monotonic()
            with pytest.raises(Exception) as refused:
                worker_heartbeat.apply_async(queue=queue, connection=connection,
                                             retry_policy={"max_retries": 2, "interval_start": 0.2,
                                                           "interval_step": 0.2, "interval_max": 0.5})
            assert time.monotonic() - start < 30
        assert "connect" in str(refused.value).lower() or "closed" in str(refused.value).lower() or \
            type(refused.value).__name__ in ("OperationalError", "ConnectionError")
        proxy.set("up")
        worker = start_worker(queue)
        try:
            with app.connection_for_write(broker) as connection:
                result = worker_heartbeat.apply_async(queue=queue, connection=connection)
            deadline = time.monotonic() + 60
            while not WorkerHeartbeat.objects.filter(task_id=result.id).exists() and time.monotonic() < deadline:
                assert worker.poll() is None, "the worker stopped"
                time.sleep(0.3)
            time.sleep(2)  # a second delivery would show now
            assert WorkerHeartbeat.objects.filter(task_id=result.id).count() == 1
        finally:
            stop_worker(worker)
