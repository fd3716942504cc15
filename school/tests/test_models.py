import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from school.models import Role, StaffRole, TimetableEntry

from .factories import SchoolFactory, SchoolYearFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_a_teacher_cannot_be_booked_twice_in_one_period(world):
    taken = TimetableEntry.objects.get(term=world.term, teacher=world.teacher, weekday=1, period=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimetableEntry.objects.create(
            term=world.term, school_class=world.class_2, weekday=1, period=1,
            subject=world.chinese, teacher=taken.teacher,
        )


def test_a_class_cannot_have_two_lessons_in_one_period(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        TimetableEntry.objects.create(
            term=world.term, school_class=world.class_1, weekday=1, period=1,
            subject=world.maths, teacher=world.group_leader,
        )


def test_the_same_slot_in_another_term_is_free(world):
    next_term = TermFactory(school_year=world.term.school_year, number=2,
                            start_date=world.term.end_date + dt.timedelta(days=30),
                            end_date=world.term.end_date + dt.timedelta(days=150), midterm_date=None)
    TimetableEntry.objects.create(term=next_term, school_class=world.class_1, weekday=1, period=1,
                                  subject=world.chinese, teacher=world.teacher)
    assert TimetableEntry.objects.filter(school_class=world.class_1, weekday=1, period=1).count() == 2


def test_a_term_must_end_after_it_starts_and_hold_its_mid_term():
    year = SchoolYearFactory(school=SchoolFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        TermFactory(school_year=year, start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 8, 1), midterm_date=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        TermFactory(school_year=year, start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 1, 20),
                    midterm_date=dt.date(2027, 3, 1))


def test_a_role_is_held_once_and_must_be_known(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(staff=world.teacher, role=Role.TEACHER)
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(staff=world.teacher, role="janitor")


def test_term_derives_weeks_and_months_from_its_dates(world):
    term = world.term
    assert term.teaching_week_count == len(term.weeks())
    month = term.school_month_of(term.start_date)
    assert month.number == 1 and month.start == term.start_date
    assert term.week_number(term.start_date) == 1


def test_school_root_and_village_schools(world):
    assert world.village.root == world.school
    assert world.school.root == world.school
    assert list(world.school.village_schools.all()) == [world.village]
