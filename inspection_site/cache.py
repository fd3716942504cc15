"""The shared cache when it is Redis: a stopped or frozen Redis must not turn pages into error pages.

Django's RedisCache raises when Redis cannot be reached, and with no socket timeout a frozen Redis hangs the
request. `ResilientRedisCache` gives every call a short timeout and, when Redis does not answer, logs a warning
and answers as an empty cache would (a miss, nothing stored); django-ratelimit then lets the request through
(RATELIMIT_FAIL_OPEN). redis-py reconnects by itself once Redis is back.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# Seconds to connect and to wait for an answer: a cache that slow is worth less than no cache.
TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}


def _unreachable(operation: str, error: Exception) -> None:
    logger.warning("Cache unreachable (%s): %s", operation, error)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = TIMEOUTS | dict(params.get("OPTIONS") or {})
        super().__init__(server, params)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            _unreachable("add", error)
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            _unreachable("get", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _unreachable("set", error)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            _unreachable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            _unreachable("delete", error)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            _unreachable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as error:
            _unreachable("has_key", error)
            return False

    def incr(self, key, delta=1, version=None):
        """None when Redis does not answer (django-ratelimit reads that as "could not count")."""
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            _unreachable("incr", error)
            return None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            _unreachable("set_many", error)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            _unreachable("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except RedisError as error:
            _unreachable("clear", error)
            return False
