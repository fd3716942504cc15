"""The weekly homework check list (V2.I) as a pure function: no Django, no database.

In the second half of the term the teaching office checks some teachers' homework every week so that every
teacher is checked `times` a term (V2: once). `plan_checks` decides who is checked in which week and by whom:

- every teacher exactly `times` times (at most once a week; `times` is capped at the number of weeks);
- the week totals differ by at most one (the items are dealt to the weeks in turn);
- groups are spread: the items of each teaching-research group are dealt to consecutive weeks in turn, so that
  every group has floor(n/W) or ceil(n/W) of its n items in each of the W weeks (no week is all one group when
  the other groups have enough teachers to be in it);
- a teacher's several checks fall in different weeks, spread apart;
- inspectors are assigned round-robin (the least loaded first), never to themselves; a teacher whom only she
  herself could inspect goes to the fallback inspectors (a village school's director: the central office).

Regenerating keeps the items already done (`kept`): the teachers' remaining checks are planned over the weeks
given (the weeks not yet over), never in a week where the teacher already has a kept item.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Sequence

NO_GROUP = ""


@dataclass(frozen=True)
class PlanTeacher:
    id: int
    group: Hashable = NO_GROUP  # her teaching-research group (one; "" for none)


@dataclass(frozen=True)
class PlanItem:
    teacher: int
    week: int
    inspector: int | None


@dataclass
class Plan:
    items: list[PlanItem]  # the new items (kept ones are not repeated)
    unscheduled: dict[int, int] = field(default_factory=dict)  # teacher -> checks no week could take


@dataclass(frozen=True)
class WeekSpan:
    number: int
    start: dt.date
    end: dt.date
    is_teaching: bool = True


def second_half(weeks: Sequence[WeekSpan], midterm: dt.date | None) -> list[WeekSpan]:
    """The teaching weeks of the term's second half: from the week holding the mid-term date to the end; without
    a mid-term date, the later half of the teaching weeks (the middle one included when their number is odd)."""
    teaching = [w for w in weeks if w.is_teaching]
    if midterm is not None:
        return [w for w in teaching if w.end >= midterm]
    return teaching[len(teaching) // 2:]


def _group_order(teachers: Sequence[PlanTeacher], need: dict[int, int]) -> list[tuple[Hashable, list[int]]]:
    groups: dict[Hashable, list[int]] = defaultdict(list)
    for t in teachers:
        groups[t.group].append(t.id)
    # The largest group first; ties by the group's key, so that the plan is the same every time.
    return sorted(
        ((g, ids) for g, ids in groups.items()),
        key=lambda pair: (-sum(need[i] for i in pair[1]), str(pair[0])),
    )


def _assign_teachers(slots: list[int], ids: list[int], need: dict[int, int], busy: dict[int, set[int]],
                     last: dict[int, int]) -> tuple[list[PlanItem], list[int]]:
    """Fill a group's week slots (week indexes, sorted) with its teachers: in each week the teachers with the
    most checks still to place and not in that week yet (ties: the one placed longest ago, then the list order).
    Returns the items and the teachers left over (a slot no teacher could take)."""
    order = {tid: n for n, tid in enumerate(ids)}
    items, leftover = [], []
    per_week = Counter(slots)
    for week in sorted(per_week):
        candidates = [t for t in ids if need[t] > 0 and week not in busy[t]]
        candidates.sort(key=lambda t: (-need[t], last.get(t, -1), order[t]))
        chosen = candidates[: per_week[week]]
        for t in chosen:
            items.append(PlanItem(t, week, None))
            need[t] -= 1
            busy[t].add(week)
            last[t] = week
    for t in ids:
        leftover += [t] * need[t]
    return items, leftover


def plan_checks(
    *,
    teachers: Sequence[PlanTeacher],
    weeks: Sequence[int],
    times: int,
    inspectors: Sequence[int],
    fallback_inspectors: Sequence[int] = (),
    kept: Iterable[PlanItem] = (),
) -> Plan:
    """The new items of the list (see the module's docstring). `weeks` are the week numbers open for new items;
    `kept` are items already done, which count toward each teacher's `times` and each inspector's load. A check
    that no open week can take (the teacher is already in every one of them) is counted in `unscheduled`."""
    weeks = sorted(set(weeks))
    kept = list(kept)
    teachers = list({t.id: t for t in teachers}.values())
    index_of = {week: index for index, week in enumerate(weeks)}
    done = Counter(item.teacher for item in kept)
    busy: dict[int, set[int]] = defaultdict(set)  # teacher -> indexes of the open weeks she is already in
    for item in kept:
        if item.week in index_of:
            busy[item.teacher].add(index_of[item.week])
    need, unscheduled = {}, {}
    for t in teachers:
        wanted = max(0, times - done[t.id])
        need[t.id] = min(wanted, len(weeks) - len(busy[t.id]))
        if wanted > need[t.id]:
            unscheduled[t.id] = wanted - need[t.id]
    if not weeks or not teachers:
        return Plan([], unscheduled)

    # Deal each group's items to the weeks in turn, carrying on where the previous group stopped.
    position = 0
    items: list[PlanItem] = []
    leftovers: list[int] = []
    last: dict[int, int] = {}
    for _group, ids in _group_order(teachers, need):
        count = sum(need[t] for t in ids)
        slots = [(position + k) % len(weeks) for k in range(count)]
        position = (position + count) % len(weeks)
        placed, rest = _assign_teachers(slots, ids, need, busy, last)
        items += placed
        leftovers += rest
    # A slot no teacher of its group could take (regenerating, with kept items in the open weeks): the check goes
    # to the least loaded open week where the teacher is free (there is one: `need` counted them).
    load = Counter(item.week for item in items)
    for t in leftovers:
        week = min((w for w in range(len(weeks)) if w not in busy[t]), key=lambda w: (load[w], w))
        items.append(PlanItem(t, week, None))
        busy[t].add(week)
        load[week] += 1
    items = [PlanItem(i.teacher, weeks[i.week], None) for i in items]
    return Plan(_assign_inspectors(items, teachers, inspectors, fallback_inspectors, kept), unscheduled)


def _assign_inspectors(items: list[PlanItem], teachers: Sequence[PlanTeacher], inspectors: Sequence[int],
                       fallback: Sequence[int], kept: list[PlanItem]) -> list[PlanItem]:
    """Round-robin: each item (week by week, group by group) goes to the inspector with the fewest items so far,
    then the fewest that week, then the first in the list; never to the teacher herself."""
    inspectors = list(dict.fromkeys(inspectors))
    fallback = [i for i in dict.fromkeys(fallback) if i not in inspectors]
    rank = {i: n for n, i in enumerate(inspectors + fallback)}
    total = Counter(item.inspector for item in kept if item.inspector is not None)
    weekly = Counter((item.inspector, item.week) for item in kept if item.inspector is not None)
    group_of = {t.id: t.group for t in teachers}
    result = []
    for item in sorted(items, key=lambda i: (i.week, str(group_of.get(i.teacher, NO_GROUP)), i.teacher)):
        candidates = [i for i in inspectors if i != item.teacher] or [i for i in fallback if i != item.teacher]
        if not candidates:
            result.append(item)
            continue
        chosen = min(candidates, key=lambda i: (total[i], weekly[(i, item.week)], rank[i]))
        total[chosen] += 1
        weekly[(chosen, item.week)] += 1
        result.append(PlanItem(item.teacher, item.week, chosen))
    return result
