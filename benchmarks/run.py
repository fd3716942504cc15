"""`python -m benchmarks` (what `make bench` runs): every benchmark of the registry on the large demo school.

Pages are fetched in this process through Django's test client as the role's person (no network: server time
only), a few times to warm up and then `--repeat` times; each row gives the median and 95th percentile of the
server time, the queries of one request, the peak memory Python allocated during one request (tracemalloc, in a
separate request so that it does not slow the timed ones), and the floor: the same template rendered again from
the same context, its data already in memory (no query but the few that a form's choice fields make again each time
they are drawn: the table shows them), and the page's time as a multiple of it. Operations
(imports, exports, later statistics and nightly runs) are timed the same way beside their own floor.

The table is printed and written (Markdown and JSON) to --output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed(call, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


class QueryCounter:
    """Counts the statements the default connection executes (a wrapper, so DEBUG's query log plays no part)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapped = connection.execute_wrapper(self)
        self._wrapped.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapped.__exit__(*exc)

    def __len__(self):
        return self.count


def peak_kib(call) -> float:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def measure_page(page, demo, client, repeat: int, warmup: int) -> dict:
    from django.template.loader import get_template
    from django.urls import reverse

    person = demo.person(page.role)
    client.force_login(person.user)
    url = reverse(page.url_name, args=page.args(demo))
    query = page.query(demo) if callable(page.query) else page.query
    if query:
        url = f"{url}?{query}"

    def fetch():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{page.role} {url}: status {response.status_code}")
        return response

    for _ in range(warmup):
        fetch()
    with QueryCounter() as queries:
        response = fetch()
    times = timed(fetch, repeat)
    peak = peak_kib(fetch)

    # The floor: the page's own template, rendered from the context the page built, its data in memory.
    template = get_template(response.templates[0].name)
    context = response.context.flatten() if hasattr(response.context, "flatten") else response.context[0].flatten()
    template.render(context)  # the first render fetches what was still lazy
    with QueryCounter() as floor_queries:
        template.render(context)
    floor = timed(lambda: template.render(context), repeat)
    return {
        "group": f"page · {page.role}",
        "name": page.name,
        "who": person.staff_no,
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "queries": len(queries),
        "peak_kib": peak,
        "floor_ms": statistics.median(floor),
        "floor_queries": len(floor_queries),
        "floor": "the same template, its context in memory",
        "bytes": len(response.content),
    }


def measure_operation(operation, demo, repeat: int) -> dict:
    from django.db import transaction

    repeat = operation.repeat or repeat

    def once(call):
        argument = operation.setup(demo) if operation.setup else None
        if operation.rollback:
            with transaction.atomic():
                start = time.perf_counter()
                call(demo, argument)
                elapsed = (time.perf_counter() - start) * 1000
                transaction.set_rollback(True)
        else:
            start = time.perf_counter()
            call(demo, argument)
            elapsed = (time.perf_counter() - start) * 1000
        return elapsed

    once(operation.run)  # warm-up (and the setup's cache)
    with QueryCounter() as queries:
        once(operation.run)
    times = [once(operation.run) for _ in range(repeat)]
    argument = operation.setup(demo) if operation.setup else None
    peak = peak_kib(lambda: _in_rollback(operation, demo, argument))
    floor = [once(operation.floor) for _ in range(repeat)] if operation.floor else []
    return {
        "group": operation.group,
        "name": operation.name,
        "who": "",
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "queries": len(queries),
        "peak_kib": peak,
        "floor_ms": statistics.median(floor) if floor else None,
        "floor_queries": 0,
        "floor": operation.floor_label,
        "bytes": None,
    }


def _in_rollback(operation, demo, argument):
    from django.db import transaction

    with transaction.atomic():
        operation.run(demo, argument)
        transaction.set_rollback(True)


def table(rows: list[dict]) -> str:
    lines = [
        "| group | benchmark | median ms | p95 ms | queries | peak MiB | floor ms | floor queries | × floor | floor |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        floor = f"{r['floor_ms']:.1f}" if r["floor_ms"] is not None else "—"
        ratio = f"{r['median_ms'] / r['floor_ms']:.1f}" if r["floor_ms"] else "—"
        lines.append(
            f"| {r['group']} | {r['name']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['queries']} | "
            f"{r['peak_kib'] / 1024:.1f} | {floor} | {r['floor_queries']} | {ratio} | {r['floor']} |"
        )
    return "\n".join(lines)


def machine() -> str:
    import django
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            kib = int(next(line for line in info if line.startswith("MemTotal")).split()[1])
            memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    return (f"{cpu}, {os.cpu_count()} cores{memory}; load {load:.1f} at the start; Python {platform.python_version()}, "
            f"Django {django.get_version()}, {database}")


def run_all(benchmarks, demo, *, repeat: int, warmup: int = 2, only: str = "", progress=sys.stderr) -> list[dict]:
    from django.test import Client

    from .registry import Operation, Page

    client = Client()
    rows = []
    for bench in benchmarks:
        name = bench.name if isinstance(bench, Operation) else f"{bench.role} {bench.name}"
        group = getattr(bench, "group", "page")
        if only and only not in name and only not in group:
            continue
        if progress:
            print(f"… {name}", file=progress, flush=True)
        if isinstance(bench, Page):
            rows.append(measure_page(bench, demo, client, repeat, warmup))
        else:
            rows.append(measure_operation(bench, demo, repeat))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per benchmark (default 20)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--only", default="", help="run only benchmarks whose group or name contains this")
    parser.add_argument("--output", type=Path, default=None, help="where to write results.md and results.json")
    options = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection_site.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    from .people import Demo
    from .registry import collect

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    setup_test_environment()  # the test client's context and template capture
    settings.DEBUG = False
    demo = Demo.find()
    started = time.perf_counter()
    rows = run_all(collect(), demo, repeat=options.repeat, warmup=options.warmup, only=options.only)
    about = (f"Large demo school ({demo.root.name}: "
             f"{demo.root.village_schools.count()} village schools), {options.repeat} timed runs each; "
             f"{machine()}; {time.perf_counter() - started:.0f} s in all.")
    text = f"{about}\n\n{table(rows)}\n"
    print(text)
    if options.output:
        options.output.mkdir(parents=True, exist_ok=True)
        (options.output / "results.md").write_text(text, encoding="utf-8")
        (options.output / "results.json").write_text(
            json.dumps({"about": about, "rows": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"Written to {options.output / 'results.md'} and results.json", file=sys.stderr)
    return 0
