"""The demo school's evaluation (`feedback.demo`): a past round whose results are shown for most teachers and
withheld for one, a round in progress, a forum; written through the services, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from inspections.models import Policy
from inspections.services import policy_load_preset
from school.demo.builder import demo_seed
from school.models import School

from ..demo import seed_demo_activity
from ..models import Forum, Invitation, Moderation, Response, Round
from ..selectors.results import closed_rounds, results_for

pytestmark = pytest.mark.django_db


def check_past_round(root, today):
    past = closed_rounds(Round.objects.filter(school=root), today).get()
    assert past.sealed
    admin = get_user_model().objects.get(username="admin")
    result = results_for(admin, [past])[0]
    by_teacher: dict[int, list] = {}
    for cell in result.teacher_cells:
        by_teacher.setdefault(cell.teacher_id, []).append(cell)
    shown = {t for t, cells in by_teacher.items() if any(c.shown for c in cells)}
    withheld_only = {t for t, cells in by_teacher.items() if not any(c.shown for c in cells)}
    assert len(shown) >= 5 and len(withheld_only) >= 1
    assert all(c.overall is not None and 1 <= c.overall <= 5 for c in result.teacher_cells if c.shown)
    moderation = set(past.responses.values_list("answers__moderation", flat=True))
    assert Moderation.APPROVED in moderation and Moderation.REJECTED in moderation
    assert any(c.comments for c in result.teacher_cells)
    return past


def test_the_demo_term_has_evaluation_and_is_added_once():
    out = StringIO()
    call_command("seed_demo", "--size", "small", stdout=out)
    assert "Evaluation:" in out.getvalue() or "评教" in out.getvalue()
    root = School.objects.get(parent__isnull=True)
    policy = Policy.objects.get(school=root)
    assert (policy.student_sample_min, policy.student_sample_max) == (5, 10)
    assert policy.history.filter(history_change_reason__startswith="demo").exists()
    today = timezone.localdate()
    rounds = Round.objects.filter(school=root)
    assert rounds.exists() and Forum.objects.filter(school=root).exists()
    if closed_rounds(rounds, today).exists():
        check_past_round(root, today)
    counts = (Round.objects.count(), Response.objects.count(), Invitation.objects.count(), Forum.objects.count())
    call_command("seed_demo", "--size", "small", stdout=StringIO())
    assert (Round.objects.count(), Response.objects.count(), Invitation.objects.count(),
            Forum.objects.count()) == counts


@pytest.mark.parametrize("today, past_kind, current_status", [
    (dt.date(2026, 12, 7), "student", "open"),  # first term, after the mid-term exam: students' round done
    (dt.date(2027, 3, 15), "parent", "scheduled"),  # second term, before its mid-term: last term's parents
])
def test_the_past_round_follows_the_calendar(today, past_kind, current_status):
    result = demo_seed(size="small", today=today)
    policy_load_preset(school=result.root, preset="v4")
    line = seed_demo_activity(root=result.root, size="small", today=today)
    assert line and "2 rounds" in line
    past = check_past_round(result.root, today)
    assert past.kind == past_kind
    current = Round.objects.exclude(pk=past.pk).get()
    assert current.status(today) == current_status
    assert current.round_classes.exists() and not Invitation.objects.filter(
        round_class__round=current, token_hash__isnull=True).exists()
