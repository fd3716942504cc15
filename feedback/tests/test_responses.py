"""Submitting through a one-time link (issue 7.4, 7.8): answers stored whole or not at all, a link used once even
when twenty submissions of it arrive together, clear refusals; sealing a closed round."""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from ..models import Answer, Invitation, Kind, Response
from ..selectors.rounds import LinkStatus
from ..services import responses as services
from ..services import rounds as round_services
from .world import answers_for, default_questionnaire, enrol, set_samples

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


@pytest.fixture
def live(world):
    """A parents' round open today over class_1 (teachers 教师己 and 教师庚), six slips printed."""
    set_samples(world.school)
    enrol(world.class_1, 5, "P")
    today = dt.date.today()
    world.round = round_services.round_create(
        school=world.school, term=world.term, kind=Kind.PARENT, name="家长评教",
        questionnaire=default_questionnaire(world.school, Kind.PARENT), opens_on=today,
        closes_on=today + 5 * ONE_DAY, classes=[world.class_1], sample_size=6, user=world.director.user)
    world.slips = round_services.invitations_issue(round_=world.round, user=world.director.user)
    return world


def answers(w, **kwargs):
    return answers_for(w.round, w.class_1, **kwargs)


def unusable(key, data, **kwargs) -> str:
    with pytest.raises(services.LinkUnusable) as caught:
        services.response_submit(key=key, answers=data, **kwargs)
    return caught.value.status


def nothing_stored(w, slip):
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Invitation.objects.get(pk=slip.invitation.pk).used


def test_a_submission_stores_the_answers_and_spends_the_link(live):
    w = live
    data = answers(w, rating=lambda item: 5 if item.teacher and item.teacher.teacher_id == w.teacher.pk else 3,
                   comment="讲得清楚")
    services.response_submit(key=w.slips[0].token, answers=data)
    response = Response.objects.get()
    assert (response.round, response.school_class, response.submitted_on) == (w.round, w.class_1, dt.date.today())
    questions = list(w.round.questionnaire.questions.all())
    per_teacher = [q for q in questions if q.per_teacher]
    general = [q for q in questions if not q.per_teacher]
    assert response.answers.count() == 2 * len(per_teacher) + len(general)
    mine = response.answers.filter(teacher=w.teacher, value__isnull=False)
    assert set(mine.values_list("value", flat=True)) == {5}
    assert set(response.answers.filter(teacher=w.other_teacher, value__isnull=False).values_list("value", flat=True)) \
        == {3}
    assert set(response.answers.exclude(text="").values_list("moderation", flat=True)) == {"pending"}
    assert Invitation.objects.get(pk=w.slips[0].invitation.pk).used
    assert unusable(w.slips[0].token, data) == LinkStatus.USED
    assert unusable(w.slips[0].code, data) == LinkStatus.USED
    assert Response.objects.count() == 1


def test_the_code_on_the_slip_works_like_the_link(live):
    w = live
    typed = f" {w.slips[1].code[:4].lower()} - {w.slips[1].code[4:]} "
    services.response_submit(key=typed, answers=answers(w))
    assert Invitation.objects.get(pk=w.slips[1].invitation.pk).used


def test_empty_comments_store_nothing_and_comments_are_optional(live):
    w = live
    services.response_submit(key=w.slips[0].token, answers=answers(w, comment="   "))
    assert not Answer.objects.exclude(text="").exists()


@pytest.mark.parametrize("change, message", [
    (lambda a: a.pop(next(k for k in a if k.startswith("q"))), "Every rating is needed"),
    (lambda a: a.update({next(k for k in a): "6"}), "Ratings run from 1 to 5"),
    (lambda a: a.update({next(k for k in a): 0}), "Ratings run from 1 to 5"),
    (lambda a: a.update({next(k for k in a): "very good"}), "Every rating is needed"),
    (lambda a: a.update({"q99999_t1": 5}), "do not match this questionnaire"),
])
def test_bad_answers_are_refused_and_nothing_is_stored(live, change, message):
    w = live
    data = answers(w)
    change(data)
    with pytest.raises(ValidationError, match=message):
        services.response_submit(key=w.slips[0].token, answers=data)
    nothing_stored(w, w.slips[0])


def test_a_comment_too_long_is_refused(live):
    w = live
    with pytest.raises(ValidationError, match="at most 500"):
        services.response_submit(key=w.slips[0].token, answers=answers(w, comment="长" * 501))
    nothing_stored(w, w.slips[0])


def test_unknown_tampered_expired_and_early_links_are_refused(live):
    w = live
    token = w.slips[0].token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for key in (tampered, "", "x" * 500, "ABCD-EFGH", "../../etc/passwd", "' OR 1=1 --"):
        assert unusable(key, answers(w)) == LinkStatus.UNKNOWN
    assert unusable(token, answers(w), today=w.round.closes_on + ONE_DAY) == LinkStatus.EXPIRED
    w.round.opens_on = dt.date.today() + ONE_DAY
    w.round.save()
    assert unusable(token, answers(w)) == LinkStatus.NOT_OPEN
    nothing_stored(w, w.slips[0])


def test_a_link_replaced_by_a_new_slip_is_refused(live):
    w = live
    round_services.invitations_issue(round_=w.round, invitation=w.slips[0].invitation, user=w.director.user)
    assert unusable(w.slips[0].token, answers(w)) == LinkStatus.UNKNOWN


def test_a_closed_round_refuses_its_links(live):
    w = live
    round_services.round_close(round_=w.round, user=w.director.user)
    assert unusable(w.slips[0].token, answers(w)) == LinkStatus.EXPIRED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_twenty_submissions_of_one_link_at_once_store_one(live):
    w = live
    data = answers(w)
    threads_count = 20
    barrier = threading.Barrier(threads_count)
    outcomes, errors = [], []

    def work():
        try:
            barrier.wait()
            services.response_submit(key=w.slips[0].token, answers=data)
            outcomes.append("stored")
        except services.LinkUnusable as refused:
            outcomes.append(refused.status)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Counter(outcomes) == {"stored": 1, LinkStatus.USED: threads_count - 1}
    assert Response.objects.count() == 1
    assert Answer.objects.filter(response__round=w.round).count() == len(data) - sum(
        1 for k, v in data.items() if v == "")


# --- sealing ------------------------------------------------------------------------------------------------


def test_sealing_rewrites_a_closed_round_s_responses_and_keeps_every_answer(live):
    w = live
    for index, slip in enumerate(w.slips[:5]):
        services.response_submit(key=slip.token, answers=answers(w, rating=index % 5 + 1, comment=f"意见{index}"))
    before_ids = set(Response.objects.values_list("pk", flat=True))
    content = Counter(Answer.objects.values_list("question_id", "teacher_id", "value", "text"))
    assert services.round_seal(round_=w.round) is False  # still open: nothing to do
    round_services.round_close(round_=w.round, user=w.director.user)  # closing seals
    w.round.refresh_from_db()
    assert w.round.sealed
    after_ids = set(Response.objects.values_list("pk", flat=True))
    assert len(after_ids) == 5 and not after_ids & before_ids
    assert Counter(Answer.objects.values_list("question_id", "teacher_id", "value", "text")) == content
    per_response = Counter(Answer.objects.values_list("response_id", flat=True))
    assert len(set(per_response.values())) == 1  # each response kept its whole set of answers
    assert services.round_seal(round_=w.round) is False  # once
