"""PostgreSQL restarted under the site: gunicorn (production settings) reaches the test database through a proxy
that the drill cuts, and the drill also terminates the site's server connections (pg_terminate_backend, on this
test database only; the shared server is never restarted). While the database is away a request gets the plain
error page, never a traceback; once it is back the very next request is served, without restarting anything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from .proxy import Proxy
from .workers import BASE_DIR, database_url

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def site(tmp_path):
    """gunicorn on loopback, its database through a proxy, and a logged-in session of the office."""
    from school.tests.world import build_world

    world = build_world()
    session = SessionStore()
    user = world.director.user
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    target = urlparse(database_url())
    with Proxy(target.port or 5432, target.hostname or "127.0.0.1") as proxy:
        env = os.environ | {
            "DATABASE_URL": target._replace(netloc=f"{target.username}@127.0.0.1:{proxy.port}").geturl(),
            "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # The test's key, which signed the session.
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0", "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"), "DJANGO_VAR_DIR": str(tmp_path), "DJANGO_CONN_MAX_AGE": "60",
        }
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env,
                       check=True, timeout=300)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "inspection_site.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "60"],
            cwd=BASE_DIR, env=env, stdout=open(tmp_path / "gunicorn.log", "w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            home = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if get(home, session.session_key)[0] == 200:
                        break
                except OSError:
                    time.sleep(0.3)
            yield proxy, home, session.session_key, tmp_path / "gunicorn.log"
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def test_the_site_serves_again_as_soon_as_the_database_is_back(site):
    proxy, home, cookie, log = site
    status, body = get(home, cookie)
    assert status == 200 and 'name="password"' not in body  # the office's page, not the login form
    proxy.set("down")
    for _ in range(3):
        status, body = get(home, cookie)
        assert status == 500
        assert "Traceback" not in body and "OperationalError" not in body
    proxy.set("up")
    status, body = get(home, cookie)
    assert status == 200, body[:300]
    assert 'name="password"' not in body


def test_connections_terminated_by_the_server_are_replaced_on_the_next_request(site):
    proxy, home, cookie, log = site
    for _round in range(3):
        assert get(home, cookie)[0] == 200
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1  # the site's persistent connection was there, and is gone
        try:
            status, body = get(home, cookie)
        except OSError as error:
            raise AssertionError(f"{error}\n{log.read_text()[-3000:]}") from error
        assert status == 200, body[:300]
