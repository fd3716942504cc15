"""The observation log's rules, exhaustively: logging from the timetable and approved swaps, every refusal, one
record per submission, editing, acknowledging and replying, and the review chain's refusals."""

import datetime as dt
import uuid
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from inspections.services import policy_load_preset
from observations.models import LessonSwap, NotesReview, Observation, ObservationScore, RubricItem
from observations.rubric import DEFAULT_RUBRIC, rubric_for
from observations.services import log as services
from observations.services.log import (
    notes_review_create,
    observation_acknowledge,
    observation_create,
    observation_reply,
    observation_update,
)
from school.models import Role
from school.tests.factories import StaffFactory, TimetableEntryFactory

from .permission_cases_log import last_monday, observe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in the source language (the site itself speaks Chinese unless told otherwise)."""
    with translation.override("en"):
        yield


def log(w, **overrides):
    """The teacher observes the other teacher's maths lesson (class 2, Monday period 1) last week."""
    values = dict(
        observer=w.teacher, school_class=w.class_2, date=last_monday(), period=1, topic="勾股定理",
        kind="peer", scores={}, notes="板书清楚", strengths="互动多", suggestions="留足练习时间",
        discussed=True, discussed_on=None, submission_key=uuid.uuid4(),
    )
    values.update(overrides)
    return observation_create(**values)


def at(day: dt.date, hour: int, minute: int = 0):
    """Patch the clock to a local time."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return mock.patch("django.utils.timezone.now", return_value=moment)


# --- the rubric ---------------------------------------------------------------------------------


def test_the_default_rubric_has_six_items_worth_100_and_is_made_once_for_the_central_school(world):
    items = rubric_for(world.school)
    assert [i.name for i in items] == [row[0] for row in DEFAULT_RUBRIC]
    assert sum(i.max_score for i in items) == 100
    # The village school uses its central school's rubric; asking again creates nothing.
    assert [i.pk for i in rubric_for(world.village)] == [i.pk for i in items]
    assert RubricItem.objects.count() == len(DEFAULT_RUBRIC)


def test_the_office_s_edits_of_the_rubric_are_kept(world):
    items = rubric_for(world.school)
    RubricItem.objects.filter(pk=items[0].pk).update(active=False)
    assert len(rubric_for(world.school)) == len(DEFAULT_RUBRIC) - 1
    RubricItem.objects.update(active=False)
    # Every item switched off is the office's choice: the default does not come back.
    assert rubric_for(world.school) == []


# --- logging ------------------------------------------------------------------------------------


def test_an_observation_takes_the_teacher_and_subject_from_the_timetable(world):
    items = rubric_for(world.school)
    scores = {items[0].pk: Decimal("13"), items[1].pk: Decimal("18.5"), items[5]: "9"}
    observation = log(world, scores=scores)
    assert observation.teacher == world.other_teacher
    assert observation.subject == world.maths
    assert observation.timetable_entry.teacher == world.other_teacher
    assert observation.school == world.school and observation.term == world.term
    assert observation.total_score == Decimal("40.5")
    assert ObservationScore.objects.filter(observation=observation).count() == 3
    assert observation.discussed_on == timezone.localdate()
    assert observation.history.count() == 1


def test_an_approved_swap_gives_the_lesson_to_the_substitute(world):
    swap = LessonSwap.objects.create(
        term=world.term, school=world.school, date=last_monday(), period=1, school_class=world.class_2,
        subject=world.chinese, teacher=world.other_teacher, substitute=world.group_leader, reason="病假",
        requested_by=world.other_teacher, status=LessonSwap.Status.REQUESTED,
    )
    # Only an approved swap changes who teaches.
    with transaction.atomic():
        assert log(world).teacher == world.other_teacher
        transaction.set_rollback(True)
    swap.status = LessonSwap.Status.APPROVED
    swap.save()
    observation = log(world)
    assert observation.teacher == world.group_leader and observation.subject == world.chinese


def test_an_approved_swap_counts_as_a_lesson_where_the_timetable_has_none(world):
    LessonSwap.objects.create(
        term=world.term, school=world.school, date=last_monday(), period=3, school_class=world.class_2,
        subject=world.chinese, teacher=world.other_teacher, substitute=world.group_leader, reason="调课",
        requested_by=world.other_teacher, status=LessonSwap.Status.APPROVED,
    )
    assert log(world, period=3).teacher == world.group_leader


def test_a_central_school_teacher_may_observe_a_village_lesson_but_not_the_other_way(world):
    observation = log(world, school_class=world.village_class)
    assert observation.teacher == world.village_teacher and observation.school == world.village
    with pytest.raises(ValidationError, match="not one of your school"):
        log(world, observer=world.village_teacher, school_class=world.class_2)


@pytest.mark.parametrize(
    "overrides, message",
    [
        (lambda w: {"date": timezone.localdate() + dt.timedelta(days=1)}, "future"),
        (lambda w: {"observer": w.other_teacher}, "your own lesson"),
        (lambda w: {"school_class": w.foreign_class}, "not one of your school"),
        (lambda w: {"school_class": None}, "not one of your school"),
        (lambda w: {"period": 9}, "not one of the school's periods"),
        (lambda w: {"period": 0}, "not one of the school's periods"),
        (lambda w: {"period": 3}, "no lesson on the timetable"),
        (lambda w: {"date": w.term.start_date - dt.timedelta(days=3)}, "No term"),
        (lambda w: {"kind": "gossip"}, "kind of observation"),
        (lambda w: {"topic": "  "}, "topic"),
        (lambda w: {"scores": {rubric_for(w.school)[0].pk: Decimal("15.5")}}, "between 0 and 15"),
        (lambda w: {"scores": {rubric_for(w.school)[0].pk: Decimal("-1")}}, "between 0 and 15"),
        (lambda w: {"scores": {rubric_for(w.school)[0].pk: "many"}}, "enter a number"),
        (lambda w: {"scores": {10**6: Decimal("1")}}, "not in your school's rubric"),
        (lambda w: {"discussed_on": last_monday() - dt.timedelta(days=1)}, "before the lesson"),
        (lambda w: {"discussed_on": timezone.localdate() + dt.timedelta(days=1)}, "in the future"),
    ],
)
def test_refusals(world, overrides, message):
    with pytest.raises(ValidationError, match=message):
        log(world, **overrides(world))
    assert not Observation.objects.exists()


def test_a_lesson_today_is_refused_until_its_bell_has_rung(world):
    monday = last_monday()
    # Monday 08:30: period 1 (08:00) has begun, period 2 (09:00) has not.
    with at(monday, 8, 30):
        with pytest.raises(ValidationError, match="has not started yet"):
            log(world, school_class=world.class_1, period=2, date=monday)
        assert log(world, date=monday, period=1).teacher == world.other_teacher


def test_the_same_observer_cannot_be_in_two_lessons_at_once(world):
    log(world)
    with pytest.raises(ValidationError, match="already logged"):
        log(world, school_class=world.village_class)
    assert Observation.objects.count() == 1


def test_a_double_submit_makes_one_record(world):
    key = uuid.uuid4()
    first = log(world, submission_key=key)
    second = log(world, submission_key=key)
    assert first.pk == second.pk and Observation.objects.count() == 1
    # A key belongs to its writer.
    with pytest.raises(ValidationError, match="someone else"):
        log(world, observer=world.group_leader, submission_key=key)


def test_two_submissions_racing_past_the_checks_make_one_record(world, monkeypatch):
    key = uuid.uuid4()
    first = log(world, submission_key=key)
    calls = []

    def seen_after_the_checks(submission_key):
        # The racing request did not see the first one at its check; it does after the database refused it.
        calls.append(submission_key)
        return None if calls.count(submission_key) == 1 else Observation.objects.filter(
            submission_key=submission_key
        ).first()

    monkeypatch.setattr(services, "_seen", seen_after_the_checks)
    monkeypatch.setattr(services, "_already_observed", lambda *args: False)
    assert log(world, submission_key=key).pk == first.pk
    assert Observation.objects.count() == 1
    # Without the key, the same observer in the same period is refused by the database too.
    with pytest.raises(ValidationError, match="already logged"):
        log(world, submission_key=uuid.uuid4())


def test_the_database_refuses_a_submission_key_twice(world):
    first = log(world)
    other = observe(world, world.group_leader, date=last_monday())
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.filter(pk=other.pk).update(submission_key=first.submission_key)


# --- editing, acknowledging, replying -----------------------------------------------------------


def edit(observation, editor, **overrides):
    values = dict(observation=observation, editor=editor, topic="勾股定理的证明", kind="peer", scores={},
                  notes="改", strengths="", suggestions="", discussed=False, discussed_on=None)
    values.update(overrides)
    return observation_update(**values)


def test_the_writer_edits_within_a_day_until_acknowledged_and_history_keeps_the_old_text(world):
    observation = log(world)
    items = rubric_for(world.school)
    edited = edit(observation, world.teacher, scores={items[0].pk: Decimal("12")})
    assert edited.topic == "勾股定理的证明" and edited.total_score == Decimal("12") and edited.discussed_on is None
    assert [h.topic for h in edited.history.order_by("history_id")] == ["勾股定理", "勾股定理的证明"]
    with pytest.raises(PermissionDenied):
        edit(observation, world.group_leader)
    observation_acknowledge(observation=observation, teacher=world.other_teacher)
    with pytest.raises(ValidationError, match="can no longer be edited"):
        edit(observation, world.teacher)


def test_a_day_after_writing_the_observation_is_closed(world):
    observation = log(world)
    Observation.objects.filter(pk=observation.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    with pytest.raises(ValidationError, match="can no longer be edited"):
        edit(observation, world.teacher)


def test_only_the_observed_teacher_acknowledges_and_replies(world):
    observation = log(world)
    for someone in (world.teacher, world.group_leader, world.director):
        with pytest.raises(PermissionDenied):
            observation_acknowledge(observation=observation, teacher=someone)
        with pytest.raises(PermissionDenied):
            observation_reply(observation=observation, teacher=someone, text="好")
    first = observation_acknowledge(observation=observation, teacher=world.other_teacher).acknowledged_at
    assert first is not None
    # Acknowledging twice changes nothing.
    assert observation_acknowledge(observation=observation, teacher=world.other_teacher).acknowledged_at == first
    with pytest.raises(ValidationError, match="Write a reply"):
        observation_reply(observation=observation, teacher=world.other_teacher, text=" ")
    replied = observation_reply(observation=observation, teacher=world.other_teacher, text="谢谢，会改进练习设计")
    assert replied.reply == "谢谢，会改进练习设计" and replied.acknowledged_at == first


def test_a_reply_acknowledges(world):
    observation = observation_reply(observation=log(world), teacher=world.other_teacher, text="收到")
    assert observation.acknowledged_at is not None and observation.replied_at is not None


# --- reviews of observation notes ---------------------------------------------------------------


def review(w, reviewer, reviewee, **overrides):
    values = dict(reviewer=reviewer, reviewee=reviewee, verdict="good", comment="记录详实", observations=[])
    values.update(overrides)
    return notes_review_create(**values)


def test_the_review_chain_of_v1(world):
    policy_load_preset(school=world.school, preset="v1")
    cadre = StaffFactory(school=world.school, roles=[Role.CADRE], name="干部癸")
    notes = [log(world)]
    made = review(world, world.group_leader, world.teacher, observations=notes)
    assert list(made.observations.all()) == notes and made.term == world.term
    assert review(world, world.director, world.group_leader).reviewee == world.group_leader
    assert review(world, world.office_staff, world.group_leader).reviewee == world.group_leader
    for leader in (world.vice_principal, world.director, cadre):
        assert review(world, world.principal, leader).reviewee == leader
    assert NotesReview.objects.count() == 6


@pytest.mark.parametrize(
    "reviewer, reviewee",
    [
        ("group_leader", "other_teacher"),  # not in her group
        ("teacher", "other_teacher"),  # a teacher reviews no one
        ("director", "teacher"),  # the office reviews group leaders
        ("principal", "teacher"),  # the principal reviews leaders
        ("principal", "group_leader"),
        ("village_director", "group_leader"),  # another school's group leader
    ],
)
def test_reviewing_someone_outside_the_chain_is_refused(world, reviewer, reviewee):
    policy_load_preset(school=world.school, preset="v1")
    with pytest.raises(PermissionDenied):
        review(world, getattr(world, reviewer), getattr(world, reviewee))


def test_reviewing_yourself_or_under_a_policy_with_no_chain_is_refused(world):
    policy_load_preset(school=world.school, preset="v1")
    with pytest.raises(ValidationError, match="your own"):
        review(world, world.group_leader, world.group_leader)
    policy_load_preset(school=world.school, preset="v4")
    with pytest.raises(PermissionDenied):
        review(world, world.group_leader, world.teacher)


def test_a_review_ticks_only_the_reviewee_s_notes(world):
    policy_load_preset(school=world.school, preset="v1")
    someone_elses = observe(world, world.group_leader, date=last_monday())
    with pytest.raises(ValidationError, match="notes of this term"):
        review(world, world.group_leader, world.teacher, observations=[someone_elses])
    with pytest.raises(ValidationError, match="verdict"):
        review(world, world.group_leader, world.teacher, verdict="meh")


def test_a_new_member_of_the_group_is_in_her_leader_s_chain(world):
    policy_load_preset(school=world.school, preset="v6")
    member = StaffFactory(school=world.school, roles=[Role.TEACHER])
    world.chinese_group.members.add(member)
    TimetableEntryFactory(term=world.term, school_class=world.class_2, weekday=4, period=4, subject=world.chinese,
                          teacher=member)
    assert review(world, world.group_leader, member).reviewee == member
