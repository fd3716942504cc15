import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _source_language():
    """Messages of services and exports are asserted in the source language (the site speaks Chinese unless told
    otherwise; a request still follows its own language cookie)."""
    with translation.override("en"):
        yield
