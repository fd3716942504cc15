"""Rounds and assignments: who checks whom under each kind of checker, rounds opened by the office, done by the
records of the domain apps or by hand, the published summary (DOMAIN.md "Inspection rounds", V3.5, V3.7, V4.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.core.exceptions import PermissionDenied, ValidationError

from inspections import evidence
from inspections.models import Assignment, GroupRobot, InspectionRound, Notification, OutboxMessage, RoundRule
from inspections.services.rounds import (
    assignment_mark_done,
    assignments_create,
    assignments_sync,
    plan_assignments,
    planned_rounds,
    round_open_by_hand,
    round_publish,
)
from inspections.services.schedule import reminder_step
from school.models import Role
from school.tests.factories import GradeFactory, StaffFactory

from .schedule_world import build_schedule_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in the source language (the site itself speaks Chinese unless told otherwise)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def no_installed_providers():
    """The rounds machinery on its own: in a real install every checklist item is recorded by some app, so the
    items checked on paper, and the providers, are the tests' own."""
    with evidence.only_providers():
        yield


K, W = RoundRule.Kind, RoundRule.Checker
DAY = dt.date(2026, 3, 2)


def by_hand(w, checker, *, checklist=("lesson_prep",), grade=None, subject=None, opens_on=DAY, kind="special"):
    return round_open_by_hand(school=w.school, kind=kind, title="", checklist=list(checklist), checker=checker,
                              opens_on=opens_on, due_on=opens_on + dt.timedelta(days=5), grade=grade,
                              subject=subject, user=w.director.user)


def pairs(round):
    return sorted((a.checker.staff_no, a.teacher.staff_no, a.item, a.capacity)
                  for a in round.assignments.select_related("checker", "teacher"))


@pytest.fixture
def w(settings):
    return build_schedule_world()


def test_group_leaders_check_their_groups_and_the_village_director_her_village(w):
    round = by_hand(w, W.GROUP_LEADERS)
    assert pairs(round) == [
        ("L01", "T01", "lesson_prep", "group_leader"),
        ("L01", "T02", "lesson_prep", "group_leader"),
        ("L02", "T03", "lesson_prep", "group_leader"),
        ("V01", "V02", "lesson_prep", "village_director"),
    ]


def test_the_chain_has_the_director_check_group_leaders(w):
    w.policy.village_director_checks = False
    w.policy.save()
    round = by_hand(w, W.CHAIN)
    assert pairs(round) == [
        ("L01", "T01", "lesson_prep", "group_leader"),
        ("L01", "T02", "lesson_prep", "group_leader"),
        ("L02", "T03", "lesson_prep", "group_leader"),
        ("P03", "L01", "lesson_prep", "director"),
        ("P03", "L02", "lesson_prep", "director"),
    ]


def test_the_office_shares_its_teachers_out_in_turn(w):
    round = by_hand(w, W.OFFICE, checklist=["lesson_prep", "homework"])
    checkers = {}
    for a in round.assignments.select_related("checker", "teacher"):
        checkers.setdefault(a.teacher.staff_no, set()).add(a.checker.staff_no)
    # Every central teacher once (the director and the office staff in turn); the village by its director.
    assert checkers == {"L01": {"P03"}, "L02": {"P04"}, "T01": {"P03"}, "T02": {"P04"}, "T03": {"P03"},
                        "V01": {"P04"}, "V02": {"V01"}}
    assert round.assignments.count() == 14


def test_the_principal_checks_the_leaders_observation_notes(w):
    round = by_hand(w, W.GROUP_LEADERS, checklist=["observation_notes"])
    principal = [p for p in pairs(round) if p[0] == "P01"]
    assert principal == [("P01", "P02", "observation_notes", "principal"),
                         ("P01", "P03", "observation_notes", "principal"),
                         ("P01", "V01", "observation_notes", "principal")]


def test_a_special_inspection_of_a_grade_covers_the_teachers_who_teach_it(w):
    from school.tests.factories import SchoolClassFactory, SubjectFactory, TimetableEntryFactory

    grade = GradeFactory(school=w.school, level=8, name="八年级")
    other = GradeFactory(school=w.school, level=9, name="九年级")
    maths = SubjectFactory(school=w.school, name="数学", code="maths")
    TimetableEntryFactory(term=w.term, school_class=SchoolClassFactory(grade=grade, number=1), subject=maths,
                          teacher=w.t1)
    TimetableEntryFactory(term=w.term, school_class=SchoolClassFactory(grade=other, number=1), subject=maths,
                          teacher=w.t3)
    round = by_hand(w, W.GROUP_LEADERS, grade=grade)
    assert pairs(round) == [("L01", "T01", "lesson_prep", "group_leader")]
    assert round.name == str(RoundRule.Kind.SPECIAL.label)


@pytest.mark.parametrize("change, message", [
    ({"kind": "monthly"}, "Only spot checks"),
    ({"checklist": []}, "Choose what the round checks"),
    ({"checker": "nobody"}, "Choose who checks"),
    ({"due_on": DAY - dt.timedelta(days=1)}, "cannot be due before it opens"),
    ({"opens_on": dt.date(2025, 1, 5), "due_on": dt.date(2025, 1, 9)}, "No term"),
])
def test_the_office_cannot_open_a_bad_round(w, change, message):
    arguments = {"school": w.school, "kind": "spot", "title": "", "checklist": ["lesson_prep"], "checker": "office",
                 "opens_on": DAY, "due_on": DAY + dt.timedelta(days=3), "user": w.director.user} | change
    with pytest.raises(ValidationError, match=message):
        round_open_by_hand(**arguments)
    assert not InspectionRound.objects.exists()


def test_a_grade_of_another_school_is_refused(w):
    from school.tests.factories import SchoolFactory

    foreign = GradeFactory(school=SchoolFactory(code="elsewhere"), level=7)
    with pytest.raises(ValidationError):
        by_hand(w, W.OFFICE, grade=foreign)


def test_a_round_opened_for_later_gets_its_assignments_on_its_day(w):
    from inspections.services.schedule import daily_tick

    later = dt.date.today() + dt.timedelta(days=3)
    w.term.end_date = max(w.term.end_date, later + dt.timedelta(days=30))
    w.term.start_date = min(w.term.start_date, dt.date.today())
    w.term.save()
    round = by_hand(w, W.OFFICE, opens_on=later)
    assert not round.assignments.exists()
    daily_tick(today=later - dt.timedelta(days=1))
    assert not round.assignments.exists()
    daily_tick(today=later)
    assert round.assignments.count() == 7
    # The director, the office staff and the village school's director are told, once.
    assert Notification.objects.filter(key__startswith=f"round:{round.pk}:checker:").count() == 3


def test_assignments_are_added_for_a_teacher_who_joined_and_never_twice(w):
    round = by_hand(w, W.GROUP_LEADERS)
    assert assignments_create(round=round, policy=w.policy) == []
    newcomer = StaffFactory(school=w.school, staff_no="T09", roles=[Role.TEACHER])
    w.leader_2.led_groups.get().members.add(newcomer)
    added = assignments_create(round=round, policy=w.policy)
    assert [(a.checker_id, a.teacher_id) for a in added] == [(w.leader_2.pk, newcomer.pk)]
    assert round.assignments.count() == 5


class Records:
    """A domain app that records lesson-preparation checks."""

    def __init__(self, done):
        self.done = done
        self.asked = []
        self.DONE_CHECKS = {"lesson_prep": self.check}

    def check(self, *, term, kind, month_number, start, end, pairs):
        self.asked.append((kind, month_number, start, end, len(pairs)))
        return set(self.done) & set(pairs)


def test_a_check_recorded_by_an_app_is_done_by_its_record_only(w):
    round = by_hand(w, W.OFFICE, checklist=["lesson_prep", "tutoring"])
    t1 = round.assignments.get(teacher=w.t1, item="lesson_prep")
    office_member = w.office if t1.checker_id == w.director.pk else w.director
    # Another member of the office recorded it: the office checks as a body.
    with evidence.extra_provider(Records({(office_member.pk, w.t1.pk)})) as records:
        assert assignments_sync(round=round, today=DAY) == 1
        t1.refresh_from_db()
        assert t1.done_at is not None and not t1.done_by_hand
        # Six teachers checked by the office (either member may have), the village teacher by her director.
        assert records.asked == [("special", None, DAY, DAY + dt.timedelta(days=5), 6 * 2 + 1)]
        other = round.assignments.filter(item="lesson_prep", done_at__isnull=True).first()
        with pytest.raises(ValidationError, match="recorded on its own page"):
            assignment_mark_done(assignment=other, checker=other.checker)
    tutoring = round.assignments.filter(item="tutoring").first()
    with pytest.raises(PermissionDenied):
        assignment_mark_done(assignment=tutoring, checker=w.t3)
    done = assignment_mark_done(assignment=tutoring, checker=tutoring.checker)
    assert done.done_by_hand and done.done_at is not None


def test_the_summary_goes_to_all_staff_once_and_to_the_group(w):
    robot = GroupRobot.objects.create(school=w.school, url="https://robot.example/send?key=1")
    round = by_hand(w, W.GROUP_LEADERS)
    with pytest.raises(ValidationError, match="Write the summary"):
        round_publish(round=round, summary="  ", user=w.director.user)
    round_publish(round=round, summary="检查总体良好。", user=w.director.user)
    notes = Notification.objects.filter(key=f"round:{round.pk}:published")
    assert notes.count() == 11  # every member of staff, the village school's too
    assert OutboxMessage.objects.filter(channel="webhook", school=robot.school).count() == 1
    assert OutboxMessage.objects.filter(channel="email", notification__in=notes).count() == 11
    round_publish(round=round, summary="检查总体良好，个别问题已整改。", user=w.director.user)
    round.refresh_from_db()
    assert round.is_published and round.summary.endswith("已整改。") and notes.count() == 11
    assert round.history.count() == 3
    open_one = round.assignments.first()
    with pytest.raises(ValidationError, match="summary has been published"):
        assignment_mark_done(assignment=open_one, checker=open_one.checker)


def test_the_v4_calendar(w):
    plans = [(p.kind, p.month_number, p.opens_on, p.due_on) for p in planned_rounds(w.policy, w.term)]
    assert plans[0] == (K.START_OF_TERM, None, dt.date(2026, 2, 23), dt.date(2026, 2, 25))
    assert plans[-1] == (K.END_OF_TERM, None, dt.date(2026, 6, 19), dt.date(2026, 6, 25))
    assert [p[1] for p in plans if p[0] == K.MONTHLY] == [1, 2, 3, 4]


@pytest.mark.parametrize("today, step", [
    (dt.date(2026, 3, 6), None),  # too early
    (dt.date(2026, 3, 7), "reminder"),  # three days before
    (dt.date(2026, 3, 10), None),  # the due day
    (dt.date(2026, 3, 11), "nudge-1"),
    (dt.date(2026, 3, 17), "nudge-1"),
    (dt.date(2026, 3, 18), "nudge-2"),
    (dt.date(2026, 3, 25), "nudge-3"),
    (dt.date(2026, 4, 1), None),  # three nudges at most
])
def test_reminder_steps(today, step):
    assert reminder_step(due_on=dt.date(2026, 3, 10), opens_on=dt.date(2026, 3, 1), today=today,
                         days_before=3) == step


def test_no_reminder_on_the_day_a_round_opens():
    assert reminder_step(due_on=dt.date(2026, 3, 3), opens_on=dt.date(2026, 3, 1), today=dt.date(2026, 3, 1),
                         days_before=3) is None


def test_plan_ignores_unknown_checklist_codes(w):
    round = by_hand(w, W.GROUP_LEADERS)
    round.checklist = ["not-a-check"]
    assert plan_assignments(round, w.policy) == []
    assert Assignment.objects.count() == 4
