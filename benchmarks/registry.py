"""What `make bench` measures, from every app.

The site's own pages are listed in `benchmarks/pages.py` (and the inspection rounds' pages, the daily tick and the
reminder run in `benchmarks/rounds.py`); an app adds its own in `<app>/benchmarks.py` as
`BENCHMARKS = [Page(...), Operation(...)]` (discovered over settings.LOCAL_APPS, as the permission matrix
discovers `tests/permission_cases.py`).

- `Page`: a page of one role of the large demo school, fetched as that person; measured with its floor, the same
  template rendered again from the same context with its data already in memory (no query).
- `Operation`: anything else (an import, an export, a statistics run, a nightly task) as a callable, beside an
  optional floor callable (e.g. the fastest library here reading or writing the same cells).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Page:
    role: str  # a key of benchmarks.people.ROLES
    url_name: str
    args: Callable[[Any], tuple] = lambda demo: ()
    query: Callable[[Any], str] | str = ""
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.url_name


@dataclass(frozen=True)
class Operation:
    """`run(demo)` does the work once; `floor(demo)` (optional) the least that work could cost. `setup(demo)`
    runs before each timed call, untimed, and returns what `run` and `floor` receive as their second argument.
    With `rollback`, every call runs in a transaction that is rolled back, so that a write can be repeated."""

    group: str
    name: str
    run: Callable
    floor: Callable | None = None
    floor_label: str = ""
    setup: Callable | None = None
    rollback: bool = True
    repeat: int | None = None  # fewer runs for slow work (default: the command's --repeat)


def collect() -> list:
    from . import pages, rounds

    found = [*pages.BENCHMARKS, *rounds.BENCHMARKS]
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.benchmarks")
        except ModuleNotFoundError as error:
            if error.name == f"{app}.benchmarks":
                continue
            raise
        found.extend(module.BENCHMARKS)
    return found
