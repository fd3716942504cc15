"""What lesson preparation tells the inspections app: done checks of a round, six-earnests facts and deadlines, each
in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from inspections import evidence
from lesson_plans import evidence as lp_evidence
from lesson_plans.models import PlanReview
from lesson_plans.services.activities import activity_check, activity_create, activity_update
from lesson_plans.services.checks import prep_check_create
from lesson_plans.services.plans import deadlines_update, plan_review, plan_submit
from lesson_plans.services.summaries import summary_submit
from school.selectors import today

from .conftest import docx

pytestmark = pytest.mark.django_db


def test_the_registry_finds_the_apps_hooks():
    assert {"lesson_prep", "teaching_plan", "research_activities", "summary"} <= evidence.items_with_evidence()


def test_a_preparation_check_is_done_for_its_checker_round_and_month(world, django_assert_num_queries):
    day = today() - dt.timedelta(days=1)
    month = world.term.school_month_of(day)
    prep_check_create(teacher=world.teacher, round_kind="monthly", month_number=month.number, checked_on=day,
                      lessons_taught=10, lessons_prepared=10, grade="A", user=world.group_leader.user)
    pairs = {(world.group_leader.pk, world.teacher.pk), (world.director.pk, world.teacher.pk),
             (world.group_leader.pk, world.group_leader.pk)}
    ask = {"term": world.term, "kind": "monthly", "month_number": month.number, "start": month.start,
           "end": today(), "pairs": pairs}
    with django_assert_num_queries(1):
        assert lp_evidence.DONE_CHECKS["lesson_prep"](**ask) == {(world.group_leader.pk, world.teacher.pk)}
    assert evidence.done_pairs("lesson_prep", **ask) == {(world.group_leader.pk, world.teacher.pk)}
    assert evidence.done_pairs("lesson_prep", **(ask | {"month_number": month.number + 1})) == set()
    assert evidence.done_pairs("lesson_prep", **(ask | {"kind": "mid_term", "month_number": None})) == set()
    assert evidence.done_pairs("lesson_prep", **(ask | {"end": day - dt.timedelta(days=1)})) == set()


def test_teaching_plans_are_done_when_every_plan_due_is_reviewed_by_the_checker(world):
    pair = (world.group_leader.pk, world.teacher.pk)
    ask = {"term": world.term, "kind": "start_of_term", "month_number": None, "start": world.term.start_date,
           "end": today(), "pairs": {pair, (world.director.pk, world.teacher.pk)}}
    assert evidence.done_pairs("teaching_plan", **ask) == set()
    plan = plan_submit(teacher=world.teacher, subject=world.chinese, school_class=world.class_1, upload=docx(),
                       user=world.teacher.user)
    assert evidence.done_pairs("teaching_plan", **ask) == set()  # handed in, not reviewed
    plan_review(plan=plan, verdict=PlanReview.Verdict.PASSED, user=world.group_leader.user)
    assert evidence.done_pairs("teaching_plan", **ask) == {pair}


def test_activity_records_are_done_when_the_checker_checked_a_record_of_the_teachers_group(world):
    day = today() - dt.timedelta(days=2)
    activity = activity_create(group=world.chinese_group, date=day, topic="集体备课", kind="collective_prep",
                               user=world.group_leader.user)
    activity = activity_update(activity=activity, date=day, topic="集体备课", kind="collective_prep",
                               minutes="记录", attendees=[world.teacher], user=world.group_leader.user)
    activity_check(activity=activity, comment="已阅", user=world.principal.user)
    pairs = {(world.principal.pk, world.teacher.pk), (world.principal.pk, world.other_teacher.pk),
             (world.director.pk, world.teacher.pk)}
    found = evidence.done_pairs("research_activities", term=world.term, kind="mid_term", month_number=None,
                                start=world.term.start_date, end=today(), pairs=pairs)
    assert found == {(world.principal.pk, world.teacher.pk)}


def test_the_summary_is_done_when_handed_in(world):
    summary_submit(teacher=world.teacher, kind="summary", text="总结", user=world.teacher.user)
    pairs = {(world.director.pk, world.teacher.pk), (world.director.pk, world.other_teacher.pk)}
    found = evidence.done_pairs("summary", term=world.term, kind="end_of_term", month_number=None,
                                start=world.term.start_date, end=world.term.end_date, pairs=pairs)
    assert found == {(world.director.pk, world.teacher.pk)}


def test_six_earnests_facts(world, english, django_assert_max_num_queries):
    deadlines_update(term=world.term, plans_due=world.term.start_date + dt.timedelta(days=3),
                     summaries_due=today() - dt.timedelta(days=2), papers_due=None, user=world.director.user)
    prep_check_create(teacher=world.teacher, round_kind="spot", checked_on=today(), lessons_taught=20,
                      lessons_prepared=14, taught_without_plan=1, grade="C", user=world.group_leader.user)
    summary_submit(teacher=world.teacher, kind="summary", text="总结", user=world.teacher.user)
    with django_assert_max_num_queries(6):
        facts = lp_evidence.six_earnests_evidence(term=world.term,
                                                  teacher_ids=[world.teacher.pk, world.other_teacher.pk])
    mine = {(f.earnest, f.label): (f.value, f.concern) for f in facts[world.teacher.pk]}
    assert mine[("preparation", "Lesson-preparation checks")] == ("1 (Fair)", False)
    assert mine[("preparation", "Lessons taught without a plan")] == ("1", True)
    # 0.8 x 20 = 16 required, 14 prepared: 2 yuan; one lesson without a plan: 10 yuan.
    assert mine[("preparation", "Preparation fines (yuan)")] == ("12.00", True)
    assert mine[("summary", "Term summary")] == ("2 days late", True)
    other = {(f.earnest, f.label): (f.value, f.concern) for f in facts[world.other_teacher.pk]}
    assert other[("preparation", "Lesson-preparation checks")] == ("0", False)
    assert other[("summary", "Term summary")] == ("not handed in", True)


def test_deadlines_of_plans_and_summaries(world, english, django_assert_max_num_queries):
    term = world.term
    deadlines_update(term=term, plans_due=term.start_date + dt.timedelta(days=3), summaries_due=term.end_date,
                     papers_due=None, user=world.director.user)
    plan_submit(teacher=world.teacher, subject=world.chinese, school_class=world.class_1, upload=docx(),
                user=world.teacher.user)
    with django_assert_max_num_queries(10):
        found = lp_evidence.deadlines(school=world.school, term=term, start=term.start_date, end=term.end_date)
    plans = {d.staff_id: d for d in found if d.key.startswith("lesson_plans:plans:")}
    assert set(plans) == {world.teacher.pk, world.other_teacher.pk, world.group_leader.pk, world.village_teacher.pk}
    assert plans[world.teacher.pk].done and not plans[world.other_teacher.pk].done
    assert plans[world.teacher.pk].due_on == term.start_date + dt.timedelta(days=3)
    summaries = [d for d in found if d.key.startswith("lesson_plans:summary:")]
    assert len(summaries) == 4 and {d.due_on for d in summaries} == {term.end_date}
    assert len({d.key for d in found}) == len(found)
    # Only what falls in the window.
    later = lp_evidence.deadlines(school=world.school, term=term, start=today(), end=today())
    assert later == []
    assert evidence.deadlines(school=world.school, term=term, start=term.start_date, end=term.end_date)
