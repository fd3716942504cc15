"""The weekly homework list (V2.I) as a pure function: every teacher exactly once a term, spread over the weeks and
by group, never checked by herself, proven over random school sizes."""

import datetime as dt
from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from homework_checks.planner import Plan, PlanItem, PlanTeacher, WeekSpan, plan_checks, second_half


@st.composite
def schools(draw):
    """A school: 1-120 teachers in 1-10 groups (some in none), 1-14 weeks, 0-4 office inspectors who may teach."""
    teachers = draw(st.integers(1, 120))
    groups = draw(st.integers(1, 10))
    weeks = draw(st.integers(1, 14))
    membership = draw(st.lists(st.integers(0, groups), min_size=teachers, max_size=teachers))
    staff = [PlanTeacher(id=n + 1, group=("" if g == 0 else f"g{g}")) for n, g in enumerate(membership)]
    # Office members: outsiders (ids above 1000) or teachers themselves (a director who teaches).
    inspectors = draw(st.lists(st.one_of(st.integers(1001, 1004), st.integers(1, teachers)), max_size=4,
                               unique=True))
    first_week = draw(st.integers(1, 10))
    return staff, list(range(first_week, first_week + weeks)), inspectors


def _check_spread(plan: Plan, teachers, weeks) -> None:
    per_week = Counter(item.week for item in plan.items)
    loads = [per_week[w] for w in weeks]
    assert max(loads) - min(loads) <= 1, loads
    by_group = defaultdict(Counter)
    for item in plan.items:
        by_group[next(t.group for t in teachers if t.id == item.teacher)][item.week] += 1
    for group, counts in by_group.items():
        values = [counts[w] for w in weeks]
        assert max(values) - min(values) <= 1, (group, values)


@settings(max_examples=150, deadline=None)
@given(schools())
def test_every_teacher_is_checked_exactly_once_spread_over_the_weeks_and_groups(school):
    teachers, weeks, inspectors = school
    plan = plan_checks(teachers=teachers, weeks=weeks, times=1, inspectors=inspectors)

    assert Counter(item.teacher for item in plan.items) == Counter(t.id for t in teachers)
    assert plan.unscheduled == {}
    assert {item.week for item in plan.items} <= set(weeks)
    _check_spread(plan, teachers, weeks)
    for item in plan.items:
        assert item.inspector != item.teacher
        # Someone checks her whenever the office has someone other than herself.
        if [i for i in inspectors if i != item.teacher]:
            assert item.inspector in inspectors
        else:
            assert item.inspector is None
    # The office shares the work: loads differ by at most one among those who could take every item.
    outsiders = [i for i in inspectors if i > 1000]
    if outsiders and len(outsiders) == len(inspectors):
        loads = Counter(item.inspector for item in plan.items)
        values = [loads[i] for i in outsiders]
        assert max(values) - min(values) <= 1


@settings(max_examples=60, deadline=None)
@given(schools(), st.integers(2, 4))
def test_several_checks_a_term_fall_in_different_weeks(school, times):
    teachers, weeks, inspectors = school
    plan = plan_checks(teachers=teachers, weeks=weeks, times=times, inspectors=inspectors)
    placed = Counter(item.teacher for item in plan.items)
    for teacher in teachers:
        assert placed[teacher.id] + plan.unscheduled.get(teacher.id, 0) == times
        assert placed[teacher.id] == min(times, len(weeks))
    assert len({(item.teacher, item.week) for item in plan.items}) == len(plan.items)


@settings(max_examples=60, deadline=None)
@given(schools(), st.data())
def test_regenerating_keeps_the_checks_done_and_still_checks_everyone_once(school, data):
    teachers, weeks, inspectors = school
    first = plan_checks(teachers=teachers, weeks=weeks, times=1, inspectors=inspectors)
    done = data.draw(st.lists(st.sampled_from(first.items), unique=True)) if first.items else []
    # Half the term has passed: the rest is planned over the weeks to come.
    remaining = weeks[len(weeks) // 2:]
    again = plan_checks(teachers=teachers, weeks=remaining, times=1, inspectors=inspectors, kept=done)
    everything = Counter(item.teacher for item in [*done, *again.items])
    assert everything == Counter(t.id for t in teachers)
    assert {item.week for item in again.items} <= set(remaining)


def test_no_weeks_or_no_teachers_make_an_empty_plan():
    teacher = PlanTeacher(1, "g")
    assert plan_checks(teachers=[teacher], weeks=[], times=1, inspectors=[9]).unscheduled == {1: 1}
    assert plan_checks(teachers=[], weeks=[1, 2], times=1, inspectors=[9]).items == []


def test_a_teacher_only_she_could_check_goes_to_the_central_office():
    director = PlanTeacher(5, "g")
    plan = plan_checks(teachers=[director], weeks=[10], times=1, inspectors=[5], fallback_inspectors=[77])
    assert plan.items == [PlanItem(5, 10, 77)]


def test_the_second_half_runs_from_the_week_of_the_midterm_exam():
    monday = dt.date(2026, 9, 7)
    weeks = [WeekSpan(n + 1, monday + dt.timedelta(weeks=n), monday + dt.timedelta(weeks=n, days=6), n != 3)
             for n in range(10)]
    assert [w.number for w in second_half(weeks, dt.date(2026, 10, 22))] == [7, 8, 9, 10]
    # Without a mid-term date: the later half of the teaching weeks (9 of them: the middle one included).
    assert [w.number for w in second_half(weeks, None)] == [6, 7, 8, 9, 10]
