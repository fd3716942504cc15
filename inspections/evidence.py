"""How the inspections app learns what the domain apps recorded, without importing them: the evidence registry.

Each domain app may provide a module `<app>/evidence.py` (discovered at run time over `settings.LOCAL_APPS`, as
the home page discovers `<app>/home.py`). Every hook is optional; an app provides what it records. All arguments
are keywords, so a hook may ignore what it does not need and new arguments can be added without breaking it.

1. `DONE_CHECKS: dict[str, callable]` — for each checklist item code it records (`inspections.models.Checked`),
   a function telling which assignments of a round are done:

       def done(*, term, kind, month_number, start, end, pairs) -> set[tuple[int, int]]

   `term`: the round's Term; `kind`: its `RoundRule.Kind` value ("start_of_term", "monthly", "mid_term",
   "end_of_term", "spot", "special"); `month_number`: the school month of a monthly round, None otherwise;
   `start`, `end`: the dates the round covers (a monthly round covers its school month up to its due date; other
   rounds their opening day to their due date; a record dated in between counts); `pairs`: a frozenset of
   (checker_id, teacher_id) staff ids to ask about. Return the pairs for which the app holds the record of that
   check. Run a fixed number of queries whatever the number of pairs. Where the office or the leadership checks
   as a body, the pairs name every member of it for each teacher: any of them may have done the check.

2. `six_earnests_evidence(*, term, teacher_ids) -> dict[int, list[Fact]]` — for the end-of-term evaluation
   (V4.III): what the app recorded of each teacher over the term, as `Fact`s (below) filed under one of the six
   earnests (`inspections.models.Earnest`; "" for a fact that belongs to none). A fixed number of queries.

3. `deadlines(*, school, term, start, end) -> list[Deadline]` — the app's own deadlines (`Deadline` below) of
   the central school `school` (and its village schools) falling between `start` and `end` inclusive: the
   reminder task reminds each person `policy.reminder_days` before and nudges after, and the weekly digest lists
   them. A deadline already met is returned with `done=True` (or left out).

The observations app provides `observation_notes`, `teaching`, `labs` and `classroom` and its six-earnests facts
(observations/evidence.py); the fines app the term's fines for the six earnests (deductions/evidence.py). Expected from the apps being built:

- lesson_plans: `DONE_CHECKS` for "lesson_prep" (a PrepCheck of the teacher by the checker with the round's kind
  and school month), "teaching_plan" (the plan reviewed), "research_activities" (an ActivityCheck of the
  teacher's group) and "summary" (the term summary received); `six_earnests_evidence` with preparation checks
  and their findings (PREPARATION) and the term summary handed in on time or how many days late (SUMMARY);
  `deadlines` for teaching plans and term summaries (the `Deadlines` row of the term).
- homework_checks: `DONE_CHECKS` for "homework" and "tutoring"; `six_earnests_evidence` with homework checks and
  gradings against lessons (HOMEWORK) and tutoring records (TUTORING); `deadlines` for the weekly homework list.
- exams: `DONE_CHECKS` for "unit_tests"; `six_earnests_evidence` with unit tests marked and analysed and
  quality-analysis forms on time (ASSESSMENT); `deadlines` for every teacher's quality-analysis form
  (`policy.quality_form_days` after the exam) and the office's grade analysis (`policy.analysis_days`, two
  weeks: V1.12, V3.9, V6.11).

A domain app that records a check may also call `inspections.services.rounds.assignments_sync(...)` right
after saving it, so that the checker's to-do list is up to date at once rather than at the next daily tick.

Tests register a provider for the duration of a test with `extra_provider(obj)`; `only_providers(*objs)` sets the
installed apps' providers aside for the block, to test the rounds machinery on its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import logging
from dataclasses import dataclass
from typing import Callable, Iterable

from django.conf import settings

logger = logging.getLogger(__name__)

Pair = tuple[int, int]


@dataclass(frozen=True)
class Fact:
    """One line of evidence: "Observations received: 6 (average 86.5)". `concern` marks something to look at
    (a fine, a late summary)."""

    earnest: str
    label: str
    value: str
    concern: bool = False


@dataclass(frozen=True)
class Deadline:
    """Something one person must hand in by a date. `key` is stable and unique across the project (start it with
    the app's label: "exams:quality-form:12:34"): reminders about it are sent once each."""

    key: str
    staff_id: int
    title: str
    due_on: dt.date
    url: str = ""
    done: bool = False


_extra: list = []
_only: list | None = None


def providers() -> list:
    """The evidence modules of the installed apps, then any registered by a test."""
    if _only is not None:
        return list(_only) + list(_extra)
    found = []
    for app_label in settings.LOCAL_APPS:
        if f"{app_label}.evidence" == __name__:
            continue  # this module is the registry, not a provider (its `deadlines` would call itself)
        try:
            found.append(importlib.import_module(f"{app_label}.evidence"))
        except ModuleNotFoundError as error:
            if error.name != f"{app_label}.evidence":
                raise
    return found + list(_extra)


@contextlib.contextmanager
def extra_provider(provider):
    """Register `provider` (any object with the hooks above as attributes) while the block runs."""
    _extra.append(provider)
    try:
        yield provider
    finally:
        _extra.remove(provider)


@contextlib.contextmanager
def only_providers(*providers_):
    """While the block runs, the registry holds only `providers_` (and any `extra_provider`): the installed apps'
    providers are set aside. For tests of the rounds machinery, where every checklist item of a real install is
    recorded by some app."""
    global _only
    previous, _only = _only, list(providers_)
    try:
        yield
    finally:
        _only = previous


def _done_checks(provider) -> dict[str, Callable]:
    return getattr(provider, "DONE_CHECKS", None) or {}


def items_with_evidence() -> set[str]:
    """The checklist items some installed app records: only these are done by their records; the others are
    marked done by their checkers."""
    items = set()
    for provider in providers():
        items.update(_done_checks(provider))
    return items


def done_pairs(item: str, *, term, kind: str, month_number: int | None, start: dt.date, end: dt.date,
               pairs: Iterable[Pair]) -> set[Pair]:
    """The pairs whose check of `item` some provider reports done (the union over providers)."""
    pairs = frozenset(pairs)
    done: set[Pair] = set()
    if not pairs:
        return done
    for provider in providers():
        function = _done_checks(provider).get(item)
        if function is None:
            continue
        found = function(term=term, kind=kind, month_number=month_number, start=start, end=end, pairs=pairs)
        done.update(pair for pair in found if pair in pairs)
    return done


def six_earnests_facts(*, term, teacher_ids: Iterable[int]) -> dict[int, list[Fact]]:
    """Every provider's facts for each teacher, in the order of `settings.LOCAL_APPS`."""
    teacher_ids = list(teacher_ids)
    facts: dict[int, list[Fact]] = {pk: [] for pk in teacher_ids}
    if not teacher_ids:
        return facts
    for provider in providers():
        function = getattr(provider, "six_earnests_evidence", None)
        if function is None:
            continue
        for pk, lines in function(term=term, teacher_ids=teacher_ids).items():
            if pk in facts:
                facts[pk].extend(lines)
    return facts


def deadlines(*, school, term, start: dt.date, end: dt.date) -> list[Deadline]:
    """Every provider's deadlines between `start` and `end`."""
    found = []
    for provider in providers():
        function = getattr(provider, "deadlines", None)
        if function is not None:
            found.extend(d for d in function(school=school, term=term, start=start, end=end) if start <= d.due_on <= end)
    return found
