"""Helpers of the homework tests: a check recorded through the service with sensible defaults, and the Mondays of
the world's timetable (the world's teacher has Chinese in class 1 on Mondays)."""

from __future__ import annotations

import datetime as dt

from homework_checks.models import CRITERIA, Verdict
from homework_checks.services.inspections import homework_inspection_create
from school.selectors import today


def mondays(start: dt.date, end: dt.date) -> int:
    return sum(1 for n in range((end - start).days + 1) if (start + dt.timedelta(days=n)).isoweekday() == 1)


def record(w, *, inspector=None, teacher=None, school_class=None, subject=None, day=None, **kwargs):
    """A monthly check by the director of the teacher's Chinese in class 1, every criterion met unless told."""
    values = dict(
        inspector=inspector or w.director,
        teacher=teacher or w.teacher,
        school_class=school_class or w.class_1,
        subject=subject or w.chinese,
        date=day or today(),
        round_kind="monthly",
        notebooks_sampled=6,
        criteria={name: True for name in CRITERIA},
        verdict=Verdict.GOOD,
        user=(inspector or w.director).user,
    )
    values.update(kwargs)
    return homework_inspection_create(**values)
