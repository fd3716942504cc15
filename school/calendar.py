"""The term calendar: calendar weeks (校历周次), teaching weeks and school months (学月), derived from dates.

Week 1 starts on the Monday of the week that holds the term's first day. A week whose Monday to Friday
all fall in holidays is not a teaching week. School months are blocks of `weeks_per_month` teaching weeks
counted from the start of term; a holiday week belongs to the month before it, and a last block shorter
than half a month joins the month before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Sequence

ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Week:
    number: int  # calendar week of the term, as the school calendar prints it
    start: dt.date  # Monday
    end: dt.date  # Sunday
    is_teaching: bool


@dataclass(frozen=True)
class SchoolMonth:
    number: int
    start: dt.date
    end: dt.date
    teaching_weeks: int

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _is_holiday_week(monday: dt.date, holidays: Sequence[Span]) -> bool:
    weekdays = (monday + dt.timedelta(days=i) for i in range(5))
    return all(any(day in span for span in holidays) for day in weekdays)


def weeks(start: dt.date, end: dt.date, holidays: Iterable[Span] = ()) -> list[Week]:
    holidays = list(holidays)
    result = []
    monday = monday_of(start)
    number = 1
    while monday <= end:
        result.append(
            Week(
                number=number,
                start=monday,
                end=monday + dt.timedelta(days=6),
                is_teaching=not _is_holiday_week(monday, holidays),
            )
        )
        monday += ONE_WEEK
        number += 1
    return result


def week_number(start: dt.date, day: dt.date) -> int:
    """The calendar week of the term that holds `day` (0 before the term's first week)."""
    if day < monday_of(start):
        return 0
    return (monday_of(day) - monday_of(start)).days // 7 + 1


def teaching_weeks_elapsed(
    start: dt.date, end: dt.date, day: dt.date, holidays: Iterable[Span] = ()
) -> int:
    """Teaching weeks that have begun on or before `day` (the current week counts once it starts)."""
    return sum(1 for w in weeks(start, end, holidays) if w.is_teaching and w.start <= day)


def school_months(
    start: dt.date, end: dt.date, holidays: Iterable[Span] = (), weeks_per_month: int = 4
) -> list[SchoolMonth]:
    if weeks_per_month < 1:
        raise ValueError("weeks_per_month must be at least 1")
    blocks: list[list[Week]] = []
    taught = 0
    for week in weeks(start, end, holidays):
        if not blocks or (week.is_teaching and taught == weeks_per_month):
            blocks.append([])
            taught = 0
        blocks[-1].append(week)
        taught += week.is_teaching
    # A short tail (under half a month of teaching) joins the month before it.
    if len(blocks) > 1 and sum(w.is_teaching for w in blocks[-1]) * 2 < weeks_per_month:
        blocks[-2].extend(blocks.pop())
    months = []
    for index, block in enumerate(blocks, start=1):
        months.append(
            SchoolMonth(
                number=index,
                start=max(block[0].start, start),
                end=min(block[-1].end, end),
                teaching_weeks=sum(w.is_teaching for w in block),
            )
        )
    return months


def school_month_of(months: Sequence[SchoolMonth], day: dt.date) -> SchoolMonth | None:
    for month in months:
        if day in month:
            return month
    return None
