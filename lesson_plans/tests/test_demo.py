"""The demo school's term of lesson preparation (`lesson_plans.demo`): written through the services, so every rule
holds, and added only once. The demo follows the real calendar, so what the term "so far" holds depends on the day
the tests run: assertions that need days of term behind us are made when the calendar has them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from deductions.models import Violation
from lesson_plans.files import check_upload
from lesson_plans.models import (
    ActivityCheck,
    EntryScore,
    GroupActivity,
    MissingPlan,
    PlanReview,
    PrepCheck,
    PrepCheckFinding,
    Selection,
    SelectionEntry,
    TeachingPlan,
    TermSummary,
)
from lesson_plans.selectors.common import deadlines_for
from school.models import School, TimetableEntry
from school.selectors import current_term

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
COUNTED = [TeachingPlan, PlanReview, MissingPlan, PrepCheck, PrepCheckFinding, GroupActivity, ActivityCheck,
           Selection, SelectionEntry, EntryScore, TermSummary, Violation]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--size", "small", stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_the_demo_shows_a_term_of_lesson_preparation_once():
    seed()
    today = timezone.localdate()
    root = School.objects.get(parent__isnull=True)
    term = current_term(root, today)
    if term is None or not term.contains(today):
        assert not TeachingPlan.objects.exists()
        return
    deadlines = deadlines_for(term)
    teachers = set(TimetableEntry.objects.filter(term=term).values_list("teacher_id", flat=True))
    # Teaching plans: most handed in and reviewed; after the deadline the missing ones are recorded and fined (V4).
    plans = TeachingPlan.objects.filter(term=term)
    assert plans.count() > len(teachers)
    assert PlanReview.objects.filter(verdict="passed").exists() and PlanReview.objects.filter(verdict="accepted")
    assert all(p.submitted_at.date() <= today for p in plans)
    if today > deadlines.plans_due:
        missing = MissingPlan.objects.filter(term=term)
        assert missing.exists()
        fined = Violation.objects.filter(code="teaching_plan_missing")
        assert {v.source for v in fined} == set(missing)
    # The plans are real Word documents, as a teacher would download them.
    plan = plans.first()
    with plan.file.open("rb") as handle:
        assert check_upload(SimpleUploadedFile("x.docx", handle.read())).content_type.endswith("document")
    # Checks: every teacher at the start of term (V4), monthly checks of the months ended, some fined.
    starts = PrepCheck.objects.filter(term=term, round_kind="start_of_term")
    assert starts.count() == starts.values("teacher").distinct().count() > 0
    assert set(starts.values_list("teacher_id", flat=True)) <= teachers
    if any(m.end < today for m in term.school_months()):
        assert PrepCheck.objects.filter(term=term, round_kind="monthly").exists()
    finding_type = ContentType.objects.get_for_model(PrepCheckFinding)
    fines = Violation.objects.filter(source_type=finding_type)
    assert fines.exists() and fines.count() == PrepCheckFinding.objects.count()
    assert all(v.amount > 0 for v in fines)
    assert fines.filter(status="confirmed").exists() or today - term.start_date < timezone.timedelta(days=8)
    # Activities with attendance and records, leaders' checks; selections; summaries.
    held = GroupActivity.objects.filter(term=term, date__lt=today)
    if held.exists():
        assert all(a.has_record and a.attendees.exists() for a in held)
        assert ActivityCheck.objects.exists()
    assert Selection.objects.filter(status="published").count() == 1
    assert Selection.objects.filter(status="open").count() == 1
    assert EntryScore.objects.exists()
    assert TermSummary.objects.filter(term=term, submitted_at__isnull=False).exists()

    before = counts()
    seed()
    assert counts() == before
    from lesson_plans.demo import seed_demo_activity

    assert seed_demo_activity(root=root, size="small", today=today) is None
