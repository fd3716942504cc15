"""The demo timetable builder: random instances (seeded, so reproducible) of every shape it may meet."""

import random
from collections import Counter

import pytest

from school.demo.timetable import Lesson, TimetableError, build_timetable, clashes

WEEK_8 = [(day, period) for day in range(1, 6) for period in range(1, 9)]
WEEK_7 = [(day, period) for day in range(1, 6) for period in range(1, 8)]


def assert_valid(lessons, slots, placement):
    assert len(placement) == len(lessons)  # every lesson placed
    assert set(placement) <= set(slots)  # within the week
    assert clashes(lessons, placement) == []
    for key in ("klass", "teacher"):
        booked = Counter((getattr(lesson, key), slot) for lesson, slot in zip(lessons, placement))
        assert max(booked.values(), default=1) == 1


def random_instance(rng, slots, *, max_degree=None):
    """A random bipartite multigraph of lessons with no class and no teacher above `max_degree`."""
    limit = max_degree or len(slots)
    classes, teachers = rng.randint(1, 10), rng.randint(1, 12)
    class_load, teacher_load = Counter(), Counter()
    lessons = []
    for _ in range(rng.randint(0, classes * limit)):
        c, t = rng.randrange(classes), f"t{rng.randrange(teachers)}"
        if class_load[c] < limit and teacher_load[t] < limit:
            class_load[c] += 1
            teacher_load[t] += 1
            lessons.append(Lesson(klass=c, teacher=t, subject=rng.choice("语数英物化生")))
    return lessons


@pytest.mark.parametrize("seed", range(60))
def test_random_instances_are_placed_without_a_clash(seed):
    rng = random.Random(seed)
    slots = rng.choice([WEEK_8, WEEK_7, WEEK_8[:13]])
    lessons = random_instance(rng, slots)
    assert_valid(lessons, slots, build_timetable(lessons, slots, seed=seed))


@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_a_full_week_for_every_class_and_teacher_is_placed(n):
    """Every class and every teacher busy in every slot: only a proper colouring with all colours works."""
    rng = random.Random(n)
    lessons = []
    # A random regular bipartite multigraph: the union of len(WEEK_8) random perfect matchings.
    for _ in range(len(WEEK_8)):
        teachers = list(range(n))
        rng.shuffle(teachers)
        lessons += [Lesson(klass=c, teacher=teachers[c], subject=rng.choice("ab")) for c in range(n)]
    rng.shuffle(lessons)
    assert_valid(lessons, WEEK_8, build_timetable(lessons, WEEK_8, seed=n))


def test_same_input_same_timetable_and_the_seed_varies_it():
    lessons = random_instance(random.Random(7), WEEK_8, max_degree=30)
    first = build_timetable(lessons, WEEK_8, seed=1)
    assert build_timetable(lessons, WEEK_8, seed=1) == first
    assert build_timetable(lessons, WEEK_8, seed=2) != first


def test_more_lessons_than_slots_is_refused():
    with pytest.raises(TimetableError, match="class"):
        build_timetable([Lesson("7-1", f"t{i}", "语文") for i in range(41)], WEEK_8)
    with pytest.raises(TimetableError, match="teacher"):
        build_timetable([Lesson(f"c{i}", "t", "语文") for i in range(36)], WEEK_7)


def test_no_lessons_no_timetable():
    assert build_timetable([], WEEK_8) == []


def test_a_school_week_spreads_subjects_over_days_and_leaves_the_last_periods_free():
    """36 junior classes of 37 lessons, teachers with two or three classes of a subject."""
    hours = {"语文": 6, "数学": 6, "英语": 5, "物理": 3, "化学": 3, "生物": 2, "历史": 2, "地理": 2, "道法": 2,
             "体育": 3, "音乐": 1, "美术": 1, "信息": 1}
    lessons = []
    for subject, h in hours.items():
        per_teacher = 2 if h >= 5 else 3
        for c in range(36):
            lessons += [Lesson(klass=c, teacher=f"{subject}{c // per_teacher}", subject=subject)] * h
    placement = build_timetable(lessons, WEEK_8, seed=3)
    assert_valid(lessons, WEEK_8, placement)
    per_day = Counter((lesson.klass, lesson.subject, slot[0]) for lesson, slot in zip(lessons, placement))
    # A subject of at most five lessons a week never comes twice a day; 语文 and 数学 (6) twice on one day only.
    for (klass, subject, _day), n in per_day.items():
        assert n <= (1 if hours[subject] <= 5 else 2)
    # Each class has 3 free periods: none in the morning, most in the last period of the day.
    free_periods = Counter(slot[1] for slot in WEEK_8 for _klass in range(36)) - Counter(slot[1] for slot in placement)
    assert sum(free_periods.values()) == 36 * 3
    assert all(free_periods[p] == 0 for p in range(1, 5))
    assert free_periods[8] >= 36 * 2
