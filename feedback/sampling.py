"""The suggested sample of a class: stratified across the top, middle and bottom thirds of its ranks (V2.IV.1:
"good, middle and weak performers"). Pure functions; the office edits what they suggest.

- Thirds: the ranked students, best first, split at round(n/3) and round(2n/3).
- Allocation of a sample of k: k // 3 from each third; one left over goes to the middle, two to the top and the
  bottom. A third too small for its share gives the rest to the others (the middle first).
- Within a third: a seeded random choice (the seed names the round and the class), so that a suggestion is the same
  when asked again and yet not simply "the first of each third".
- Students with no standing (absent from the exam, no baseline) are not in any third; they fill what the thirds
  cannot (a small class, an exam that missed some students).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .models import Stratum
from .ranking import Standing

TOP, MIDDLE, BOTTOM, NONE = Stratum.TOP, Stratum.MIDDLE, Stratum.BOTTOM, Stratum.NONE
STRATA = (TOP, MIDDLE, BOTTOM)


@dataclass(frozen=True)
class Pick:
    standing: Standing
    stratum: str


def thirds(ranked: list[Standing]) -> dict[str, list[Standing]]:
    """The ranked students (best first) split into top, middle and bottom thirds."""
    n = len(ranked)
    first, second = round(n / 3), round(2 * n / 3)
    return {TOP: ranked[:first], MIDDLE: ranked[first:second], BOTTOM: ranked[second:]}


def allocation(size: int, available: dict[str, int]) -> dict[str, int]:
    """How many to take from each third for a sample of `size`, within what each third holds."""
    share = {stratum: size // 3 for stratum in STRATA}
    extra = size % 3
    if extra == 1:
        share[MIDDLE] += 1
    elif extra == 2:
        share[TOP] += 1
        share[BOTTOM] += 1
    taken = {stratum: min(share[stratum], available.get(stratum, 0)) for stratum in STRATA}
    missing = size - sum(taken.values())
    for stratum in (MIDDLE, TOP, BOTTOM):
        room = available.get(stratum, 0) - taken[stratum]
        more = min(room, missing)
        taken[stratum] += more
        missing -= more
    return taken


def suggest(rows: list[Standing], size: int, *, seed: str) -> list[Pick]:
    """A sample of up to `size` of the students, stratified across the thirds of the ranked ones (best first),
    then, where the thirds run short, students with no standing."""
    ranked = sorted((row for row in rows if row.rank is not None), key=lambda row: (row.rank, row.student.student_no))
    groups = thirds(ranked)
    counts = allocation(size, {stratum: len(members) for stratum, members in groups.items()})
    rng = random.Random(seed)
    picks = []
    for stratum in STRATA:
        chosen = rng.sample(groups[stratum], counts[stratum])
        chosen.sort(key=lambda row: (row.rank, row.student.student_no))
        picks.extend(Pick(row, stratum) for row in chosen)
    unranked = sorted((row for row in rows if row.rank is None), key=lambda row: row.student.student_no)
    if ranked and len(picks) < size and unranked:
        chosen = rng.sample(unranked, min(size - len(picks), len(unranked)))
        chosen.sort(key=lambda row: row.student.student_no)
        picks.extend(Pick(row, NONE) for row in chosen)
    return picks


def strata_of(rows: list[Standing]) -> dict[int, str]:
    """Each ranked student's third, by student id (for showing the office where a student stands)."""
    ranked = [row for row in rows if row.rank is not None]
    groups = thirds(sorted(ranked, key=lambda row: (row.rank, row.student.student_no)))
    return {row.student.pk: stratum for stratum, rows in groups.items() for row in rows}
