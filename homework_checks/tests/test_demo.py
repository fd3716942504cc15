"""The demo school's homework side of the term (`homework_checks.demo`): created through the services, once.

The demo follows the real calendar (the school year around today): the assertions that need past school days or a
week of the second half left are made when the calendar has them."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from deductions.models import Violation
from homework_checks.models import HomeworkInspection, HomeworkPlan, HomeworkPlanItem, TutoringRecord
from homework_checks.selectors import plan_weeks
from school.models import School, Staff
from school.selectors import current_term

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (HomeworkInspection, HomeworkPlan, HomeworkPlanItem, TutoringRecord,
                                        Violation)]


def test_the_demo_term_has_checks_fines_a_weekly_list_and_tutoring_added_once():
    call_command("seed_demo", "--size", "small", stdout=StringIO())
    root = School.objects.get(parent__isnull=True)
    term = current_term(root)
    today = timezone.localdate()
    if not term.contains(today) or (today - term.start_date).days < 40:
        pytest.skip("the demo term has not run long enough today")
    assert TutoringRecord.objects.filter(term=term).count() > 10
    assert HomeworkInspection.objects.filter(term=term, round_kind="monthly").count() > 5
    # Gradings short under V4: a 2-yuan fine per grading missing, linked to its check, once each.
    short = [i for i in HomeworkInspection.objects.filter(term=term) if i.gradings_missing]
    assert short
    fines = Violation.objects.filter(source_type=ContentType.objects.get_for_model(HomeworkInspection))
    assert sorted(f.source_id for f in fines) == sorted(i.pk for i in short)
    assert all(f.amount == 2 * f.quantity for f in fines)
    # The weekly list checks every teacher with lessons exactly once, where weeks of the second half are left.
    if any(w.end >= today for w in plan_weeks(term) if w.is_teaching):
        plan = HomeworkPlan.objects.get(school=root, term=term)
        teachers = Staff.objects.filter(school=root, lessons__term=term).distinct()
        assert Counter(plan.items.values_list("teacher_id", flat=True)) == Counter({t.pk: 1 for t in teachers})

    before = _counts()
    call_command("seed_demo", "--size", "small", stdout=StringIO())
    assert _counts() == before
