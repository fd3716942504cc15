"""`make loadtest`: gunicorn with several workers on PostgreSQL, on loopback only, and locust's simulated staff for a
bounded time; prints the 95th percentile per page and the error count, and fails on any error.

Steps: check that the database is PostgreSQL on this machine; migrate it and make sure it holds the large demo
school; collect the static files; plan each simulated teacher's observations from the timetable (colleagues'
past lessons she is free for); start gunicorn (production settings: DEBUG off, the manifest static storage, the
Content Security Policy, the login lockout; plain HTTP because it is loopback); run locust headless; stop
gunicorn; read locust's statistics and gunicorn's log. Nothing is left running.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/inspection_loadtest"


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOADTEST_USERS", 200)))
    # Staff arrive over a minute and a half (200 at 2 a second), as a morning's logins do, not all at once.
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument("--run-time", default=os.environ.get("LOADTEST_RUN_TIME", "3m"),
                        help="how long the users run, e.g. 90s or 3m (default 3m)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LOADTEST_WORKERS", 4)))
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", 8765)))
    parser.add_argument("--output", type=Path, default=BASE_DIR / "var" / "loadtest")
    return parser.parse_args(argv)


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        raise SystemExit(f"The load test runs on PostgreSQL; DATABASE_URL is {parsed.scheme}.")
    if (parsed.hostname or "127.0.0.1") not in LOOPBACK:
        raise SystemExit("The load test only runs against a database on this machine (loopback).")
    return url


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def make_plan(env: dict, path: Path) -> None:
    """Who the simulated staff are and which lessons each teacher may log (benchmarks/plan.py), made with the
    load test's settings."""
    subprocess.run([sys.executable, "-m", "benchmarks.plan", str(path)], cwd=BASE_DIR, env=env, check=True)


def wait_until_up(url: str, gunicorn: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise SystemExit("gunicorn stopped while starting; see its log")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def stop(process: subprocess.Popen, seconds: int = 30) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def report(output: Path, gunicorn_log: Path) -> int:
    with open(output / "locust_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    failures = []
    if (output / "locust_failures.csv").exists():
        with open(output / "locust_failures.csv", encoding="utf-8") as stats:
            failures = list(csv.DictReader(stats))
    lines = ["| request | count | failures | median ms | p95 ms | max ms | per s |", "|---|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
                     f"{row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f} | "
                     f"{float(row['Requests/s']):.1f} |")
    log = gunicorn_log.read_text(encoding="utf-8", errors="replace")
    tracebacks = log.count("Traceback")
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    errors = int(total["Failure Count"]) if total else sum(int(r["Failure Count"]) for r in rows)
    print("\n".join(lines))
    for failure in failures[:20]:
        print(f"FAILED {failure['Method']} {failure['Name']}: {failure['Error']} ×{failure['Occurrences']}")
    print(f"\nErrors: {errors} failed requests, {tracebacks} tracebacks in gunicorn's log.")
    (output / "results.md").write_text("\n".join(lines) + f"\n\nErrors: {errors} failed requests, {tracebacks} "
                                       "tracebacks in gunicorn's log.\n", encoding="utf-8")
    if not total or int(total["Request Count"]) == 0:
        print("No request was made.")
        return 1
    return 1 if errors or tracebacks else 0


def main(argv=None) -> int:
    options = parse(argv)
    url = database_url()
    ensure_database(url)
    output = options.output
    output.mkdir(parents=True, exist_ok=True)
    static_root = output / "static"
    env = os.environ | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "inspection_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_VAR_DIR": str(output),
        "DJANGO_LOG_LEVEL": "WARNING",
        "LOADTEST_PLAN": str(output / "plan.json"),
        "GUNICORN_BIND": f"127.0.0.1:{options.port}",
        "GUNICORN_WORKERS": str(options.workers),
        "GUNICORN_THREADS": str(options.threads),
        "GUNICORN_LOG_LEVEL": "warning",
    }
    env = env | {"LOADTEST_WAIT_MIN": os.environ.get("LOADTEST_WAIT_MIN", "5"),
                 "LOADTEST_WAIT_MAX": os.environ.get("LOADTEST_WAIT_MAX", "15")}
    started = time.monotonic()
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("seed_demo", "--size", "large", env=env | {"DJANGO_LOG_LEVEL": "WARNING"})
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    make_plan(env, output / "plan.json")
    address = env["GUNICORN_BIND"]
    gunicorn_log = output / "gunicorn.log"
    with open(gunicorn_log, "w", encoding="utf-8") as log:
        gunicorn = subprocess.Popen(
            # The production configuration (deploy/gunicorn.conf.py), on loopback.
            [sys.executable, "-m", "gunicorn", "-c", str(BASE_DIR / "deploy" / "gunicorn.conf.py")],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        wait_until_up(f"http://{address}/accounts/login/", gunicorn)
        print(f"gunicorn: {options.workers} workers × {options.threads} threads on {address}; "
              f"locust: {options.users} users for {options.run_time}", flush=True)
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(BASE_DIR / "benchmarks" / "locustfile.py"), "--headless",
             "--users", str(options.users), "--spawn-rate", str(options.spawn_rate), "--run-time", options.run_time,
             "--host", f"http://{address}", "--csv", str(output / "locust"), "--only-summary", "--stop-timeout",
             "15", "--loglevel", "WARNING"],
            cwd=BASE_DIR, env=env, timeout=3600,
        )
    finally:
        stop(gunicorn)
    status = report(output, gunicorn_log)
    print(f"locust exit status {locust.returncode}; {time.monotonic() - started:.0f} s in all; "
          f"results in {output / 'results.md'}")
    return status or (1 if locust.returncode else 0)


if __name__ == "__main__":
    sys.exit(main())
