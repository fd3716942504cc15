"""The evaluation window as a deadline for the reminders (inspections' evidence registry), and the admin, which
shows no more of the answers than the pages do."""

import datetime as dt

import pytest
from django.urls import reverse

from .. import evidence
from school.services import staff_sync_admin_access

from ..models import Answer, Invitation, Response
from ..services import rounds as round_services
from .world import add_feedback, submit

pytestmark = pytest.mark.django_db


def test_rounds_closing_in_the_span_are_deadlines_of_their_creator(world):
    """Asked of this app's hook directly (the contract of `inspections/evidence.py`)."""
    w = world
    f = add_feedback(w)
    today = dt.date.today()
    found = [d for d in evidence.deadlines(school=w.school, term=w.term, start=today, end=today + dt.timedelta(days=30))
             if d.key.startswith("feedback:")]
    by_round = {d.key.split(":")[2]: d for d in found}
    assert set(by_round) == {str(f.open.pk), str(f.scheduled.pk), str(f.to_close.pk)}
    deadline = by_round[str(f.open.pk)]
    assert deadline.staff_id == w.director.pk and deadline.due_on == f.open.closes_on and not deadline.done
    assert "1 of 8 respondents have answered" in deadline.title
    assert deadline.url == reverse("feedback:round-detail", args=[f.open.pk])
    # Done once closed, or once everyone has answered.
    round_services.round_close(round_=f.to_close, user=w.director.user)
    for slip in f.open_slips:
        if not Invitation.objects.get(pk=slip.invitation.pk).used:
            submit(slip, f.open)
    done = {d.key.split(":")[2]: d.done for d in evidence.deadlines(
        school=w.school, term=w.term, start=today, end=today + dt.timedelta(days=30)) if d.key.startswith("feedback:")}
    assert done[str(f.open.pk)] and done[str(f.to_close.pk)] and not done[str(f.scheduled.pk)]
    # The past round is outside the span; the foreign school's rounds are not the central school's.
    assert str(f.past.pk) not in done and str(f.foreign_round.pk) not in done


def test_the_admin_shows_who_answered_not_what_nor_when(world, login):
    w = world
    f = add_feedback(w)
    staff_sync_admin_access(staff=w.director)
    client = login(w.director)
    page = client.get(reverse("admin:feedback_invitation_changelist")).content.decode()
    assert "token_hash" not in page and "code_hash" not in page
    invitation = Invitation.objects.filter(round_class__round=f.past, used=True).first()
    detail = client.get(reverse("admin:feedback_invitation_change", args=[invitation.pk])).content.decode()
    assert invitation.token_hash not in detail and invitation.code_hash not in detail
    # Responses of the open round are not listed at all; sealed ones by round and class only, not by day.
    page = client.get(reverse("admin:feedback_response_changelist")).content.decode()
    open_ids = [str(pk) for pk in Response.objects.filter(round=f.open).values_list("pk", flat=True)]
    assert open_ids and not any(pk in page for pk in open_ids)
    assert f.past.name in page
    response = Response.objects.filter(round=f.past).first()
    detail = client.get(reverse("admin:feedback_response_change", args=[response.pk])).content.decode()
    assert f"{response.submitted_on:%Y}" not in detail.split('id="content-main"')[1].split("</form>")[0]
    # Of the answers, only the comments the moderation page shows: no ratings, nothing of class_2's small group,
    # nothing of the open round.
    listed = set(Answer.objects.filter(pk__in=[a.pk for a in client.get(
        reverse("admin:feedback_answer_changelist")).context["cl"].queryset]).values_list("text", flat=True))
    assert listed and "" not in listed and "作业有点多" not in listed
    for model in ("invitation", "response", "answer", "roundclass"):
        assert client.get(reverse(f"admin:feedback_{model}_add")).status_code == 403
