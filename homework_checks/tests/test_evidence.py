"""What the homework app tells the inspections app (`inspections/evidence.py`): done checks of a round, six-earnests
facts and the weekly list's deadlines."""

import datetime as dt

import pytest
from django.utils import translation

from homework_checks import evidence
from homework_checks.services.plans import homework_plan_generate
from homework_checks.services.tutoring import tutoring_record_create
from inspections import evidence as registry
from school.selectors import today

from .helpers import record

pytestmark = pytest.mark.django_db


def _month(w):
    return w.term.school_month_of(today())


def test_a_monthly_round_is_done_for_the_pairs_with_a_check_of_its_month(world):
    w = world
    record(w, tutoring_checked=True)
    record(w, inspector=w.group_leader, round_kind="mid_term")
    month = _month(w)
    pairs = {(w.director.pk, w.teacher.pk), (w.group_leader.pk, w.teacher.pk), (w.director.pk, w.other_teacher.pk)}
    kwargs = dict(term=w.term, kind="monthly", month_number=month.number, start=month.start, end=today(),
                  pairs=frozenset(pairs))
    assert registry.done_pairs("homework", **kwargs) == {(w.director.pk, w.teacher.pk)}
    assert registry.done_pairs("tutoring", **kwargs) == {(w.director.pk, w.teacher.pk)}
    # Another month, or the mid-term round, finds the other check.
    assert evidence.DONE_CHECKS["homework"](**kwargs | {"month_number": month.number + 1}) == set()
    midterm = kwargs | {"kind": "mid_term", "month_number": None}
    assert evidence.DONE_CHECKS["homework"](**midterm) == {(w.group_leader.pk, w.teacher.pk)}
    assert evidence.DONE_CHECKS["tutoring"](**midterm) == set()
    assert {"homework", "tutoring"} <= registry.items_with_evidence()


def test_six_earnests_facts_show_checks_gradings_and_tutoring(world):
    w = world
    start = today() - dt.timedelta(days=20)
    record(w, period_start=start, gradings_counted=0)
    tutoring_record_create(teacher=w.teacher, school_class=w.class_1, date=today(), kind="struggling",
                           students=[w.student], content="错题讲解")
    with translation.override("en"):
        facts = registry.six_earnests_facts(term=w.term, teacher_ids=[w.teacher.pk, w.other_teacher.pk])
    mine = {(f.earnest, f.label): f for f in facts[w.teacher.pk]}
    assert mine[("homework", "Homework checks")].value.startswith("1")
    assert mine[("homework", "Gradings against the required count")].concern is True
    assert mine[("tutoring", "Tutoring records")].concern is False
    other = {(f.earnest, f.label): f for f in facts[w.other_teacher.pk]}
    assert other[("homework", "Homework checks")].concern is True
    assert other[("tutoring", "Tutoring records")].value == "0"


def test_each_check_of_the_weekly_list_is_a_deadline_of_its_inspector_until_done(world):
    w = world
    plan = homework_plan_generate(school=w.school, term=w.term, user=w.director.user).plan
    found = evidence.deadlines(school=w.school, term=w.term, start=w.term.start_date, end=w.term.end_date)
    assert len(found) == plan.items.count() == 3
    item = plan.items.get(teacher=w.teacher)
    deadline = next(d for d in found if d.key == f"homework_checks:weekly:{item.pk}")
    assert deadline.staff_id == item.inspector_id and deadline.due_on == item.week_start + dt.timedelta(days=4)
    assert not deadline.done
    record(w, inspector=item.inspector, plan_item=item)
    again = evidence.deadlines(school=w.school, term=w.term, start=deadline.due_on, end=deadline.due_on)
    assert next(d for d in again if d.key == deadline.key).done
