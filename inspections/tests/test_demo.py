"""The demo school's inspection rounds (`inspections.demo`): opened as the tick would have, with checks done and
overdue, reminders on their days, published summaries and a spot check; added once.

The demo follows the real calendar, so what the term "so far" holds depends on the day the tests run: the
assertions that need a round past its due date are made when the calendar has one."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspections.models import Assignment, InspectionRound, Notification
from inspections.services.rounds import planned_rounds
from school.models import School
from school.selectors import current_term

pytestmark = pytest.mark.django_db


def test_the_demo_term_has_rounds_as_the_tick_would_have_opened_them():
    call_command("seed_demo", "--size", "small", stdout=StringIO())
    root = School.objects.get(parent__isnull=True)
    today = timezone.localdate()
    term = current_term(root, today)
    if term is None or not term.contains(today):
        pytest.skip("the demo calendar has no term today")
    due = [(p.kind, p.month_number) for p in planned_rounds(root.policy, term) if p.opens_on <= today]
    calendar_rounds = InspectionRound.objects.filter(school=root, term=term).exclude(kind__in=["spot", "special"])
    assert sorted((r.kind, r.month_number or 0) for r in calendar_rounds) == sorted((k, m or 0) for k, m in due)
    assert InspectionRound.objects.filter(kind="spot", grade__isnull=False).count() == 1
    assignments = Assignment.objects.filter(round__term=term)
    assert assignments.filter(done_at__isnull=False, done_by_hand=False).exists()  # done by the apps' records
    for round in calendar_rounds:
        opened = Notification.objects.filter(key__startswith=f"round:{round.pk}:checker:", key__endswith=":opened")
        assert opened.exists() and all(timezone.localtime(n.created_at).date() == round.opens_on for n in opened)
    past = calendar_rounds.filter(due_on__lt=today).order_by("due_on")
    if past.count() >= 2:
        assert assignments.filter(done_at__isnull=True, due_on__lt=today).exists()  # some never did theirs
        assert past.first().is_published and past.first().summary
        assert Notification.objects.filter(key__endswith=":nudge-1").exists()
    counts = (InspectionRound.objects.count(), Assignment.objects.count(), Notification.objects.count())
    call_command("seed_demo", "--size", "small", stdout=StringIO())
    assert (InspectionRound.objects.count(), Assignment.objects.count(), Notification.objects.count()) == counts
