"""A clash-free weekly timetable by bipartite edge colouring (pure Python, no Django).

Each lesson is an edge between its class and its teacher; the colours are the week's slots (weekday, period).
A proper edge colouring books no class and no teacher twice in one slot, and König's edge-colouring theorem
says a bipartite graph needs only as many colours as its largest degree: so whenever no class and no teacher
has more lessons than there are slots, every lesson is placed. The colouring is built greedily and, when a
lesson's class and teacher have no free slot in common, repaired by swapping the two colours along an
alternating path (a Kempe chain), which in a bipartite graph never reaches the lesson's own class.

A local search then improves the week without ever creating a clash: a subject's lessons spread over different
days, and a class's free periods fall at the end of the day.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Hashable, Sequence

Slot = tuple[int, int]  # (weekday, period)

SAME_DAY_WEIGHT = 10  # a subject twice on one day costs more than a free period early in the day


class TimetableError(ValueError):
    """The lessons cannot fit: a class or a teacher has more lessons than the week has slots."""


@dataclass(frozen=True)
class Lesson:
    klass: Hashable
    teacher: Hashable
    subject: Hashable


def build_timetable(lessons: Sequence[Lesson], slots: Sequence[Slot], *, seed: int = 0) -> list[Slot]:
    """The slot of each lesson (in the order given): no class and no teacher twice in a slot.

    Deterministic for a given input and seed. Raises TimetableError when a class or a teacher has more lessons
    than `slots` holds (then no timetable exists)."""
    return _Colouring(lessons, slots, seed).solve()


def clashes(lessons: Sequence[Lesson], placement: Sequence[Slot]) -> list[tuple[str, Hashable, Slot]]:
    """Every (kind, who, slot) booked twice; empty for a valid timetable."""
    found = []
    for kind, key in (("class", "klass"), ("teacher", "teacher")):
        counts = Counter((getattr(lesson, key), slot) for lesson, slot in zip(lessons, placement))
        found.extend((kind, who, slot) for (who, slot), n in counts.items() if n > 1)
    return found


class _Colouring:
    def __init__(self, lessons: Sequence[Lesson], slots: Sequence[Slot], seed: int):
        self.rng = random.Random(seed)
        # Colour order: period first, so that greedy choices fill mornings before afternoons.
        self.slots = sorted(set(slots), key=lambda s: (s[1], s[0]))
        self.days = sorted({s[0] for s in self.slots})
        day_index = {d: i for i, d in enumerate(self.days)}
        self.slot_day = [day_index[s[0]] for s in self.slots]
        last_period = max((s[1] for s in self.slots), default=0)
        # What a free class period costs in each slot: nothing in the last period, more the earlier it is.
        self.free_cost = [last_period - s[1] for s in self.slots]
        k = len(self.slots)

        self.classes: dict[Hashable, int] = {}
        self.teachers: dict[Hashable, int] = {}
        self.subjects: dict[Hashable, int] = {}
        self.edge_class, self.edge_teacher, self.edge_subject = [], [], []
        for lesson in lessons:
            self.edge_class.append(self.classes.setdefault(lesson.klass, len(self.classes)))
            self.edge_teacher.append(self.teachers.setdefault(lesson.teacher, len(self.teachers)))
            self.edge_subject.append(self.subjects.setdefault(lesson.subject, len(self.subjects)))
        for kind, ends, names in (
            ("class", self.edge_class, self.classes),
            ("teacher", self.edge_teacher, self.teachers),
        ):
            for node, n in Counter(ends).items():
                if n > k:
                    who = next(key for key, index in names.items() if index == node)
                    raise TimetableError(f"{kind} {who!r} has {n} lessons but the week has {k} slots")

        self.colour = [-1] * len(lessons)
        self.class_at = [[-1] * k for _ in self.classes]  # class -> slot -> lesson
        self.teacher_at = [[-1] * k for _ in self.teachers]
        # (class, subject) -> lessons per day
        self.per_day: dict[tuple[int, int], list[int]] = {}
        for e in range(len(lessons)):
            self.per_day.setdefault((self.edge_class[e], self.edge_subject[e]), [0] * len(self.days))

    # --- bookkeeping -------------------------------------------------------------------------
    def _set(self, e: int, colour: int) -> None:
        self.colour[e] = colour
        self.class_at[self.edge_class[e]][colour] = e
        self.teacher_at[self.edge_teacher[e]][colour] = e
        self.per_day[self.edge_class[e], self.edge_subject[e]][self.slot_day[colour]] += 1

    def _unset(self, e: int) -> None:
        colour = self.colour[e]
        self.class_at[self.edge_class[e]][colour] = -1
        self.teacher_at[self.edge_teacher[e]][colour] = -1
        self.per_day[self.edge_class[e], self.edge_subject[e]][self.slot_day[colour]] -= 1
        self.colour[e] = -1

    def _preference(self, e: int, colour: int) -> tuple:
        """Lower is better: a day without this subject yet, then an early period (free periods go last)."""
        same_day = self.per_day[self.edge_class[e], self.edge_subject[e]][self.slot_day[colour]]
        return (same_day, -self.free_cost[colour] // 2, self.rng.random())

    # --- colouring ---------------------------------------------------------------------------
    def solve(self) -> list[Slot]:
        for e in self._placement_order():
            self._place(e)
        self._improve()
        return [self.slots[c] for c in self.colour]

    def _placement_order(self) -> list[int]:
        """Round robin over (class, subject): every subject's first lesson, then every second one, ..."""
        by_pair: dict[tuple[int, int], list[int]] = {}
        for e in range(len(self.colour)):
            by_pair.setdefault((self.edge_class[e], self.edge_subject[e]), []).append(e)
        rounds: list[list[int]] = []
        for edges in by_pair.values():
            for i, e in enumerate(edges):
                if i == len(rounds):
                    rounds.append([])
                rounds[i].append(e)
        order = []
        for batch in rounds:
            self.rng.shuffle(batch)
            order.extend(batch)
        return order

    def _place(self, e: int) -> None:
        at_class = self.class_at[self.edge_class[e]]
        at_teacher = self.teacher_at[self.edge_teacher[e]]
        k = len(self.slots)
        common = [c for c in range(k) if at_class[c] < 0 and at_teacher[c] < 0]
        if common:
            self._set(e, min(common, key=lambda c: self._preference(e, c)))
            return
        # No slot free for both: a is free for the class, b for the teacher. Swap a and b along the path that
        # starts at the teacher's a-lesson; afterwards a is free for both.
        a = min((c for c in range(k) if at_class[c] < 0), key=lambda c: self._preference(e, c))
        b = next(c for c in range(k) if at_teacher[c] < 0)
        path = []
        teacher_side, node, colour = True, self.edge_teacher[e], a
        while True:
            nxt = (self.teacher_at if teacher_side else self.class_at)[node][colour]
            if nxt < 0:
                break
            path.append(nxt)
            teacher_side = not teacher_side
            node = self.edge_teacher[nxt] if teacher_side else self.edge_class[nxt]
            colour = b if colour == a else a
        old = [self.colour[p] for p in path]
        for p in path:
            self._unset(p)
        for p, c in zip(path, old):
            self._set(p, b if c == a else a)
        self._set(e, a)

    # --- improvement -------------------------------------------------------------------------
    def _improve(self, max_passes: int = 8) -> None:
        """Swap two slots along a Kempe chain (which keeps every class and teacher clash-free) while that
        lowers the cost. A chain of one lesson moves it to a free slot; longer chains reach further."""
        k = len(self.slots)
        class_edges: dict[int, list[int]] = {}
        for e in range(len(self.colour)):
            class_edges.setdefault(self.edge_class[e], []).append(e)
        for _ in range(max_passes):
            improved = False
            for cls, edges in class_edges.items():
                at_class = self.class_at[cls]
                for e in edges:
                    if not self._worth_moving(e, at_class):
                        continue
                    for target in range(k):
                        if target != self.colour[e] and self._try_swap(e, self.colour[e], target):
                            improved = True
            if not improved:
                break

    def _worth_moving(self, e: int, at_class: list[int]) -> bool:
        """A lesson whose subject comes twice that day, or that sits later than one of its class's free periods."""
        colour = self.colour[e]
        if self.per_day[self.edge_class[e], self.edge_subject[e]][self.slot_day[colour]] > 1:
            return True
        mine = self.free_cost[colour]
        return any(at_class[c] < 0 and self.free_cost[c] > mine for c in range(len(at_class)))

    def _chain(self, e: int, x: int, y: int, limit: int = 8) -> list[int] | None:
        """The lessons coloured x or y connected to e (a path or a cycle); None when longer than `limit`."""
        chain, seen = [e], {e}
        for class_side in (True, False):
            current, on_class = e, class_side
            while True:
                if on_class:
                    at = self.class_at[self.edge_class[current]]
                else:
                    at = self.teacher_at[self.edge_teacher[current]]
                nxt = at[y if self.colour[current] == x else x]
                if nxt < 0 or nxt in seen:
                    break
                if len(chain) == limit:
                    return None
                seen.add(nxt)
                chain.append(nxt)
                current, on_class = nxt, not on_class
        return chain

    def _try_swap(self, e: int, x: int, y: int) -> bool:
        chain = self._chain(e, x, y)
        if chain is None or self._delta(chain, x, y) >= 0:
            return False
        old = [self.colour[c] for c in chain]
        for c in chain:
            self._unset(c)
        for c, colour in zip(chain, old):
            self._set(c, y if colour == x else x)
        return True

    def _delta(self, chain: list[int], x: int, y: int) -> int:
        """The change of cost if the chain's lessons swap slots x and y."""
        colour, edge_class, edge_subject = self.colour, self.edge_class, self.edge_subject
        # A class with a lesson in only one of the two slots moves its free period to the other one.
        sides: dict[int, int] = {}
        for c in chain:
            sides[edge_class[c]] = sides.get(edge_class[c], 0) | (1 if colour[c] == x else 2)
        shift = self.free_cost[x] - self.free_cost[y]
        delta = sum(shift if side == 1 else -shift for side in sides.values() if side != 3)
        day_x, day_y = self.slot_day[x], self.slot_day[y]
        if day_x == day_y:
            return delta
        moves: dict[tuple, int] = {}
        for c in chain:
            key = (edge_class[c], edge_subject[c])
            old, new = (day_x, day_y) if colour[c] == x else (day_y, day_x)
            moves[key, old] = moves.get((key, old), 0) - 1
            moves[key, new] = moves.get((key, new), 0) + 1
        for (key, day), change in moves.items():
            if change:
                n = self.per_day[key][day]
                delta += SAME_DAY_WEIGHT * (_pairs(n + change) - _pairs(n))
        return delta


def _pairs(n: int) -> int:
    """Pairs of same-subject lessons on one day: 0 for one lesson, 1 for two, 3 for three."""
    return n * (n - 1) // 2
