"""How many gradings a check requires (V4.IV.3: the required count is the number of lessons), as plain
arithmetic on the timetable: no Django, no database.

The lessons taught in a period are the timetable's lessons of that class and subject on each school day of the
period (the timetable x the teaching weeks, exact to the day): a holiday has none. Under V6.7 ("Chinese and maths
homework is graded daily") a subject graded daily requires one grading for each day on which it was taught.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from school.calendar import ONE_DAY, Span

LESSONS = "lessons"
DAILY = "daily"


def school_days(start: dt.date, end: dt.date, holidays: Iterable[Span] = ()):
    """The days from `start` to `end` (both included) that are not in a holiday."""
    holidays = list(holidays)
    day = start
    while day <= end:
        if not any(day in span for span in holidays):
            yield day
        day += ONE_DAY


def lessons_between(per_weekday: Mapping[int, int], start: dt.date, end: dt.date,
                    holidays: Iterable[Span] = ()) -> int:
    """Lessons taught from `start` to `end`: `per_weekday` maps ISO weekdays (1 = Monday) to lessons that day."""
    return sum(per_weekday.get(day.isoweekday(), 0) for day in school_days(start, end, holidays))


def days_taught_between(per_weekday: Mapping[int, int], start: dt.date, end: dt.date,
                        holidays: Iterable[Span] = ()) -> int:
    """School days from `start` to `end` with at least one lesson."""
    return sum(1 for day in school_days(start, end, holidays) if per_weekday.get(day.isoweekday(), 0))


def required_gradings(per_weekday: Mapping[int, int], start: dt.date, end: dt.date, holidays: Iterable[Span] = (),
                      *, equal_lessons: bool, daily: bool) -> tuple[int | None, str]:
    """The gradings the policy requires over the period, and on what basis: one a lesson where the required count
    equals the lessons (V4.IV.3), else one a day taught for a subject graded daily (V6.7); else none is set."""
    if equal_lessons:
        return lessons_between(per_weekday, start, end, holidays), LESSONS
    if daily:
        return days_taught_between(per_weekday, start, end, holidays), DAILY
    return None, ""
