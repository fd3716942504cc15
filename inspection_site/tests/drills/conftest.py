"""Fault drills run against PostgreSQL and Redis only (the CI's first run): elsewhere they are skipped."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    on_servers = os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get(
        "CELERY_BROKER_URL", "").startswith("redis")
    skip = pytest.mark.skip(reason="fault drills need DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…")
    for item in items:
        if "drills" in item.path.parts:
            item.add_marker(pytest.mark.drill)
            if not on_servers:
                item.add_marker(skip)
