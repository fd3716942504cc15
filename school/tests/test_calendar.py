import datetime as dt

import pytest

from school import calendar
from school.calendar import Span

D = dt.date


def test_weeks_start_on_the_monday_of_the_first_day():
    weeks = calendar.weeks(D(2026, 9, 1), D(2026, 9, 30))  # a Tuesday to a Wednesday
    assert weeks[0].start == D(2026, 8, 31) and weeks[0].end == D(2026, 9, 6)
    assert [w.number for w in weeks] == [1, 2, 3, 4, 5]
    assert weeks[-1].start == D(2026, 9, 28)


def test_a_week_wholly_in_holidays_is_not_a_teaching_week():
    national_day = Span(D(2026, 10, 1), D(2026, 10, 7))
    weeks = calendar.weeks(D(2026, 9, 1), D(2026, 10, 31), [national_day])
    by_start = {w.start: w for w in weeks}
    # 28 Sep - 2 Oct: Mon-Wed are school days, so it is still a teaching week.
    assert by_start[D(2026, 9, 28)].is_teaching
    # 5 - 9 Oct: Mon-Wed in the holiday, Thu-Fri not: teaching.
    assert by_start[D(2026, 10, 5)].is_teaching
    full = Span(D(2026, 10, 5), D(2026, 10, 9))
    weeks = calendar.weeks(D(2026, 9, 1), D(2026, 10, 31), [full])
    assert not {w.start: w for w in weeks}[D(2026, 10, 5)].is_teaching


def test_week_number_and_teaching_weeks_elapsed_skip_holiday_weeks():
    start, end = D(2026, 9, 1), D(2027, 1, 22)
    holiday = [Span(D(2026, 10, 5), D(2026, 10, 9))]
    assert calendar.week_number(start, D(2026, 8, 30)) == 0
    assert calendar.week_number(start, D(2026, 9, 6)) == 1
    assert calendar.week_number(start, D(2026, 10, 12)) == 7
    assert calendar.teaching_weeks_elapsed(start, end, D(2026, 10, 12), holiday) == 6
    assert calendar.teaching_weeks_elapsed(start, end, D(2026, 10, 12)) == 7


def test_school_months_are_blocks_of_teaching_weeks_covering_the_term():
    start, end = D(2026, 9, 1), D(2027, 1, 22)  # 21 calendar weeks
    holiday = [Span(D(2026, 10, 5), D(2026, 10, 9))]
    months = calendar.school_months(start, end, holiday, weeks_per_month=4)
    assert months[0].start == start and months[-1].end == end
    for before, after in zip(months, months[1:]):
        assert after.start == before.end + dt.timedelta(days=1)
    assert sum(m.teaching_weeks for m in months) == 20
    # 20 teaching weeks -> five months of four; the holiday week sits in the second month.
    assert [m.teaching_weeks for m in months] == [4, 4, 4, 4, 4]
    assert months[1].start == D(2026, 9, 28) and months[1].end == D(2026, 11, 1)
    assert calendar.school_month_of(months, D(2026, 10, 7)).number == 2
    assert calendar.school_month_of(months, D(2027, 2, 1)) is None


def test_a_short_last_block_joins_the_month_before():
    start = D(2026, 9, 7)
    end = start + dt.timedelta(weeks=9) - dt.timedelta(days=1)  # 9 weeks: 4 + 4 + 1
    months = calendar.school_months(start, end, weeks_per_month=4)
    assert [m.teaching_weeks for m in months] == [4, 5]
    end = start + dt.timedelta(weeks=10) - dt.timedelta(days=1)  # 4 + 4 + 2 (half a month stays)
    assert [m.teaching_weeks for m in calendar.school_months(start, end, weeks_per_month=4)] == [4, 4, 2]


def test_weeks_per_month_must_be_positive():
    with pytest.raises(ValueError):
        calendar.school_months(D(2026, 9, 1), D(2026, 12, 1), weeks_per_month=0)
