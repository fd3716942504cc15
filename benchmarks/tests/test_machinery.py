"""`make bench` keeps working as apps add pages: every registered benchmark runs once on the test world (a central
school with a village school and every role) and gives a row with its query count and a floor. Nothing here is
timed: the figures come from `make bench` on the large demo school."""

import pytest

from benchmarks.people import ROLES, Demo
from benchmarks.registry import Operation, Page, collect
from benchmarks.run import run_all, table

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_every_registered_benchmark_runs_and_reports_its_queries_and_floor(world):
    from exams.tests.permission_cases import seed_exams

    seed_exams(world)  # the exam pages read the largest graded exam
    benchmarks = collect()
    # Every domain app's pages are measured, and the nightly work.
    apps = {b.url_name.split(":")[0] for b in benchmarks if isinstance(b, Page)}
    assert {"observations", "deductions", "exams", "feedback", "lesson_plans", "homework_checks",
            "inspections", "school"} <= apps
    assert {"daily tick of the central school and its village schools",
            "reminder run of the central school and its village schools"} <= {
        b.name for b in benchmarks if isinstance(b, Operation)}
    assert {b.role for b in benchmarks if isinstance(b, Page)} == set(ROLES)
    assert any(isinstance(b, Operation) for b in benchmarks)
    demo = Demo.find()
    assert demo.root == world.school
    rows = run_all(benchmarks, demo, repeat=1, warmup=0, progress=None)
    assert len(rows) == len(benchmarks)
    for row in rows:
        assert row["median_ms"] > 0 and row["p95_ms"] >= row["median_ms"]
        if row["group"].startswith("page"):
            assert row["queries"] > 0, row["name"]
            # The floor reads nothing but what a form's choices fetch again each time they are drawn.
            assert row["floor_queries"] < row["queries"], row["name"]
            assert row["floor_ms"] > 0
    printed = table(rows)
    assert printed.count("\n") == len(rows) + 1


def test_each_role_is_played_by_the_right_person(world):
    demo = Demo.find()
    assert demo.person("teacher") in (world.teacher, world.other_teacher)
    assert demo.person("group_leader") == world.group_leader
    assert demo.person("principal") == world.principal
    assert demo.person("village_director") == world.village_director
