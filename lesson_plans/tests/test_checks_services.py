"""Lesson-preparation checks (V1.2, V3.4, V4.I-IV, V6.2, V7.2) and the fines they give under V4: 2 yuan a lesson
short of a week prepared ahead at the start of term, 1 yuan a lesson short of 0.8 x lessons taught, 10 yuan a
lesson taught without a plan, a discretionary fine at a monthly check; none under a policy without those rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deductions.models import Violation
from deductions.services import violation_appeal, violation_confirm
from inspections.selectors import policy_for
from inspections.services import policy_load_preset
from lesson_plans.models import PrepCheck, PrepCheckFinding, PrepGrade
from lesson_plans.selectors.checks import check_findings, checkable_teachers, may_check, sampling_list
from lesson_plans.selectors.common import count_lessons, lessons_taught
from lesson_plans.services.checks import prep_check_create, prep_check_update, prep_shortfalls, required_prepared
from school.calendar import Span
from school.models import Holiday
from school.selectors import today
from school.tests.factories import TimetableEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_a_week(world):
    """The teacher teaches chinese in class 1 every weekday: five lessons a week."""
    for weekday in (2, 3, 4, 5):
        TimetableEntryFactory(term=world.term, school_class=world.class_1, weekday=weekday, period=1,
                              subject=world.chinese, teacher=world.teacher)
    return world


def check(world, *, by=None, teacher=None, round_kind="monthly", month=1, day=None, prepared=30, ahead=0,
          taught=37, no_plan=0, grade=PrepGrade.GOOD, below=None, **more):
    by = by or world.group_leader
    return prep_check_create(
        teacher=teacher or world.teacher, round_kind=round_kind,
        month_number=month if round_kind == "monthly" else None,
        checked_on=day or today(), lessons_prepared=prepared, lessons_ahead=ahead, lessons_taught=taught,
        taught_without_plan=no_plan, grade=grade, below_requirement_amount=below, user=by.user, **more,
    )


def fines(**filters):
    return {v.code: (v.quantity, v.amount, v.status) for v in Violation.objects.filter(**filters)}


# --- the V4 fines ---------------------------------------------------------------------------------------------


def test_start_of_term_each_lesson_short_of_a_week_ahead_costs_2_yuan(five_a_week):
    w = five_a_week
    found = check(w, round_kind="start_of_term", day=w.term.start_date, prepared=2, ahead=2, taught=None)
    first_day_lessons = 1 if w.term.start_date.isoweekday() <= 5 else 0
    assert (found.weekly_lessons, found.lessons_taught_computed) == (5, first_day_lessons)
    assert fines() == {"advance_prep_short": (3, Decimal("6.00"), "proposed")}
    violation = Violation.objects.get()
    assert violation.source == found.findings.get() and violation.conduct_points == Decimal("3.00")
    assert violation.teacher == w.teacher and violation.occurred_on == w.term.start_date


def test_start_of_term_a_full_week_ahead_costs_nothing(five_a_week):
    check(five_a_week, round_kind="start_of_term", day=five_a_week.term.start_date, prepared=6, ahead=5, taught=0)
    assert not Violation.objects.exists() and not PrepCheckFinding.objects.exists()


@pytest.mark.parametrize(
    "taught, prepared, short",
    [(37, 29, 1), (37, 30, 0), (35, 28, 0), (35, 27, 1), (10, 0, 8), (0, 0, 0), (1, 0, 1), (36, 36, 0)],
)
def test_each_lesson_short_of_four_fifths_of_those_taught_costs_1_yuan(world, taught, prepared, short):
    # The requirement is 0.8 x taught rounded up to a whole lesson (29.6 -> 30; 28 exactly stays 28).
    assert required_prepared(Decimal("0.80"), taught) == -(-taught * 4 // 5)
    check(world, taught=taught, prepared=prepared)
    assert fines() == ({"preparation_short": (short, Decimal(short), "proposed")} if short else {})


def test_each_lesson_taught_without_a_plan_costs_10_yuan(world):
    check(world, taught=20, prepared=18, no_plan=2)
    assert fines() == {"no_preparation": (2, Decimal("20.00"), "proposed")}


def test_every_finding_of_one_check_is_its_own_fine_with_its_own_source(world):
    found = check(world, taught=20, prepared=10, no_plan=3, below=Decimal("15"))
    assert fines() == {
        "preparation_short": (6, Decimal("6.00"), "proposed"),
        "no_preparation": (3, Decimal("30.00"), "proposed"),
        "monthly_below_requirement": (1, Decimal("15.00"), "proposed"),
    }
    assert {v.source.check_record for v in Violation.objects.all()} == {found}
    assert len({v.source_id for v in Violation.objects.all()}) == 3
    rows = check_findings(found)
    assert [r.violation.code for r in rows] == ["preparation_short", "no_preparation", "monthly_below_requirement"]


def test_a_discretionary_fine_belongs_to_monthly_checks_only(world):
    found = check(world, round_kind="mid_term", taught=20, prepared=20, below=Decimal("15"))
    assert found.below_requirement_amount is None and not Violation.objects.exists()


@pytest.mark.parametrize("preset", ["v1", "v2", "v3", "v5", "v6", "v7"])
def test_without_the_rules_a_shortfall_is_recorded_and_fined_nothing(world, preset):
    policy_load_preset(school=world.school, preset=preset)
    found = check(world, taught=20, prepared=5, no_plan=2, below=Decimal("15"), copied_plan=True)
    assert (found.lessons_prepared, found.taught_without_plan, found.copied_plan) == (5, 2, True)
    assert not Violation.objects.exists() and not PrepCheckFinding.objects.exists()


def test_a_deactivated_rule_fines_nothing(world):
    policy = policy_for(world.school)
    policy.fine_rules.filter(code="no_preparation").update(active=False)
    check(world, taught=20, prepared=20, no_plan=1)
    assert not Violation.objects.exists()


def test_shortfalls_against_the_policy():
    from types import SimpleNamespace

    policy = SimpleNamespace(advance_prep_weeks=2, prep_threshold=Decimal("0.75"))
    start = prep_shortfalls(round_kind="start_of_term", policy=policy, weekly_lessons=6, lessons_taught=0,
                            lessons_prepared=9, lessons_ahead=9, taught_without_plan=0)
    assert (start.required_ahead, start.advance_short, start.required_prepared) == (12, 3, None)
    monthly = prep_shortfalls(round_kind="monthly", policy=policy, weekly_lessons=6, lessons_taught=30,
                              lessons_prepared=20, lessons_ahead=0, taught_without_plan=1)
    assert (monthly.required_prepared, monthly.prep_short, monthly.no_plan, monthly.required_ahead) == (23, 3, 1, None)
    none = prep_shortfalls(round_kind="monthly", policy=None, weekly_lessons=6, lessons_taught=30,
                           lessons_prepared=0, lessons_ahead=0, taught_without_plan=0)
    assert (none.required_prepared, none.prep_short) == (None, 0)


# --- lessons taught from the timetable --------------------------------------------------------------------------


def test_lessons_taught_count_her_timetable_over_the_school_days_so_far(five_a_week):
    w = five_a_week
    term = w.term
    day = term.start_date + dt.timedelta(days=27)
    expected = sum(1 for i in range(28) if (term.start_date + dt.timedelta(days=i)).isoweekday() <= 5)
    assert lessons_taught(term, w.teacher, day) == (expected, 5)
    Holiday.objects.create(term=term, name="国庆节", start_date=term.start_date + dt.timedelta(days=7),
                           end_date=term.start_date + dt.timedelta(days=13))
    term = type(term).objects.prefetch_related("holidays").get(pk=term.pk)
    assert lessons_taught(term, w.teacher, day) == (expected - 5, 5)
    assert lessons_taught(term, w.teacher, term.start_date - dt.timedelta(days=1)) == (0, 5)


def test_count_lessons_leaves_out_single_days_off():
    monday = dt.date(2026, 9, 7)
    counts = {1: 2, 3: 1}
    assert count_lessons(counts, monday, monday + dt.timedelta(days=13)) == 6
    assert count_lessons(counts, monday, monday + dt.timedelta(days=13), [Span(monday, monday)]) == 4


def test_lessons_taught_default_to_the_timetable_and_may_be_corrected(world):
    found = check(world, taught=None, prepared=0)
    assert found.lessons_taught == found.lessons_taught_computed == lessons_taught(world.term, world.teacher,
                                                                                    today())[0]
    corrected = check(world, teacher=world.other_teacher, by=world.director, taught=3, prepared=3)
    assert corrected.lessons_taught == 3 and corrected.lessons_taught_computed != 3


# --- who checks whom, and when ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "checker, teacher, allowed",
    [
        ("group_leader", "teacher", True),
        ("group_leader", "other_teacher", False),  # another group's
        ("group_leader", "group_leader", False),  # never herself
        ("director", "group_leader", True),
        ("director", "village_teacher", True),
        ("office_staff", "teacher", True),
        ("principal", "other_teacher", True),
        ("vice_principal", "teacher", True),
        ("village_director", "village_teacher", True),
        ("village_director", "teacher", False),
        ("teacher", "other_teacher", False),
        ("director", "foreign_teacher", False),
    ],
)
def test_who_checks_whom(world, checker, teacher, allowed):
    checker, teacher = getattr(world, checker), getattr(world, teacher)
    assert may_check(checker, teacher) is allowed
    assert (teacher in checkable_teachers(checker.user)) is (allowed and teacher.roles.filter(
        role__in=["teacher", "group_leader"]).exists())
    if not allowed:
        with pytest.raises(PermissionDenied):
            check(world, by=checker, teacher=teacher)


def test_a_check_is_not_dated_in_the_future_or_outside_the_term(world, english):
    with pytest.raises(ValidationError, match="future"):
        check(world, day=today() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="not in a term"):
        check(world, round_kind="spot", day=world.term.start_date - dt.timedelta(days=3))
    assert not PrepCheck.objects.exists()


def test_a_monthly_check_names_a_school_month_that_has_begun(world, english):
    months = world.term.school_months()
    later = next(m for m in months if m.start > today())
    with pytest.raises(ValidationError, match="Choose the school month"):
        check(world, month=99)
    with pytest.raises(ValidationError, match="has not begun"):
        check(world, month=later.number)


@pytest.mark.parametrize("figures, message", [
    ({"prepared": 3, "ahead": 4}, "prepared ahead are part of the lessons prepared"),
    ({"taught": 3, "no_plan": 4}, "cannot be more than the lessons taught"),
    ({"grade": "E"}, "Choose a grade"),
])
def test_inconsistent_figures_are_refused(world, english, figures, message):
    with pytest.raises(ValidationError, match=message):
        check(world, **figures)
    assert not PrepCheck.objects.exists()


def test_one_check_per_teacher_and_round_but_spot_checks_may_come_again(world, english):
    check(world)
    with pytest.raises(ValidationError, match="already has a check for this round"):
        check(world, by=world.director)
    check(world, round_kind="mid_term")
    with pytest.raises(ValidationError, match="already has a check for this round"):
        check(world, round_kind="mid_term", by=world.director)
    check(world, round_kind="spot", by=world.principal)
    check(world, round_kind="spot", by=world.vice_principal)
    assert PrepCheck.objects.filter(round_kind="spot").count() == 2


# --- corrections -----------------------------------------------------------------------------------------------


def correct(found, *, by, **figures):
    values = {
        "lessons_prepared": found.lessons_prepared, "lessons_ahead": found.lessons_ahead,
        "taught_without_plan": found.taught_without_plan, "grade": found.grade, "comments": found.comments,
        "below_requirement_amount": found.below_requirement_amount,
    } | figures
    taught = values.pop("lessons_taught", found.lessons_taught)
    return prep_check_update(check=found, user=by.user, round_kind=found.round_kind,
                             month_number=found.month_number, checked_on=found.checked_on, lessons_taught=taught,
                             **values)


def test_a_correction_that_leaves_the_findings_as_they_were_needs_no_ones_leave(world):
    found = check(world, taught=37, prepared=29)
    correct(found, by=world.group_leader, comments="备课认真，环节完整", grade=PrepGrade.EXCELLENT)
    assert fines() == {"preparation_short": (1, Decimal("1.00"), "proposed")}
    assert found.history.count() == 2 and found.findings.count() == 1


def test_the_office_corrects_a_check_and_its_proposed_fine_with_it(world):
    found = check(world, taught=37, prepared=25)
    old = Violation.objects.get()
    correct(found, by=world.director, lessons_prepared=28)
    old.refresh_from_db()
    assert old.status == "dismissed" and old.quantity == 5
    current = Violation.objects.exclude(pk=old.pk).get()
    assert (current.code, current.quantity, current.amount) == ("preparation_short", 2, Decimal("2.00"))
    assert found.findings.filter(superseded_at__isnull=False).count() == 1
    correct(found, by=world.director, lessons_prepared=30)
    assert Violation.objects.filter(status="proposed").count() == 0


def test_a_checker_who_is_not_the_office_asks_it_to_change_a_proposed_fine(world, english):
    found = check(world, taught=37, prepared=25)
    with pytest.raises(ValidationError, match="Only the teaching office may change a proposed fine"):
        correct(found, by=world.group_leader, lessons_prepared=30)
    assert Violation.objects.get().status == "proposed"
    found.refresh_from_db()
    assert found.lessons_prepared == 25


def test_a_confirmed_fine_is_not_changed_by_a_correction(world, english):
    found = check(world, taught=37, prepared=25)
    violation_confirm(violation=Violation.objects.get(), user=world.director.user)
    with pytest.raises(ValidationError, match="already confirmed"):
        correct(found, by=world.director, lessons_prepared=30)
    violation = Violation.objects.get()
    violation_appeal(violation=violation, user=world.teacher.user, reason="已补齐备课")
    with pytest.raises(ValidationError, match="already confirmed"):
        correct(found, by=world.director, lessons_prepared=30)


def test_only_the_checker_and_the_office_correct_a_check(world):
    found = check(world)
    for who in (world.teacher, world.principal, world.village_director):
        with pytest.raises(PermissionDenied):
            correct(found, by=who, comments="改")


def test_a_check_stays_in_its_term(world, english):
    found = check(world)
    with pytest.raises(ValidationError, match="not in a term"):
        prep_check_update(check=found, user=world.group_leader.user, round_kind="spot", month_number=None,
                          checked_on=world.term.start_date - dt.timedelta(days=10), lessons_taught=1,
                          lessons_prepared=1)


# --- the monthly sampling list ----------------------------------------------------------------------------------


def test_the_sampling_list_puts_young_and_new_teachers_first_then_the_longest_unchecked(world):
    world.other_teacher.is_young = True
    world.other_teacher.save()
    world.village_teacher.is_new = True
    world.village_teacher.save()
    month = world.term.school_month_of(today())
    check(world, by=world.director, teacher=world.teacher, round_kind="spot", day=today() - dt.timedelta(days=1))
    rows = sampling_list(world.director.user, world.term, month, young_new_first=True)
    names = [r.teacher.name for r in rows]
    assert names[:2] == [world.other_teacher.name, world.village_teacher.name]
    # Then the teachers never checked (by staff number), the teacher checked yesterday last.
    assert names[-1] == world.teacher.name
    assert rows[-1].last_checked == today() - dt.timedelta(days=1)
    assert [len(r.checks_this_month) for r in rows][-1] == (1 if month.start <= today() - dt.timedelta(days=1)
                                                             else 0)
    plain = [r.teacher.name for r in sampling_list(world.director.user, world.term, month, young_new_first=False)]
    assert plain[0] != world.other_teacher.name or plain[0] < world.village_teacher.name
    assert sampling_list(world.group_leader.user, world.term, month, young_new_first=True) == []
    assert len(sampling_list(world.director.user, world.term, month, young_new_first=True, size=2)) == 2
