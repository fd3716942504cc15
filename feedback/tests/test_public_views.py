"""The public answer pages (issue 7.4, 7.8): no login, phone-first, clear pages for every kind of bad link or bad
input, nothing stored unless everything is right, rate limits, never a traceback."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from ..models import Answer, Invitation, Response
from ..selectors.rounds import answer_sections
from ..services import rounds as round_services
from ..views import public
from .world import add_feedback, answers_for

pytestmark = pytest.mark.django_db

CODE = reverse("feedback:answer-code")
SUBMIT = reverse("feedback:answer-submit")


@pytest.fixture
def f(world):
    return add_feedback(world)


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client


@pytest.fixture
def still_clock():
    """The rate limits count in fixed windows (a minute, its start offset per key): with the clock stopped at this
    moment, a test's requests all fall in one window, whatever second it runs at."""
    with time_machine.travel(timezone.now(), tick=False):
        yield


def link(token):
    return reverse("feedback:answer", args=[token])


def full_answers(f, key, **kwargs):
    return {"key": key, **answers_for(f.open, f.open_class.school_class, **kwargs)}


def counts():
    return Response.objects.count(), Answer.objects.count(), Invitation.objects.filter(used=True).count()


def test_the_link_opens_the_questionnaire_without_a_login_in_chinese(client, f, world):
    response = client.get(link(f.open_token))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page and 'name="viewport"' in page
    assert '<meta name="referrer" content="no-referrer">' in page  # the token stays out of Referer headers
    assert "no-store" in response["Cache-Control"]
    # Every teacher of the class, with her subject, and the class questions.
    assert world.teacher.name in page and world.other_teacher.name in page and world.chinese.name in page
    sections = answer_sections(f.open, world.class_1)
    for section in sections:
        for item in section.items:
            assert f'name="{item.field_name}"' in page
    assert world.student.name not in page  # the page names no respondent
    assert "<script>" not in page and " style=" not in page and " onclick=" not in page


def test_answering_then_opening_the_link_again_says_it_was_used(en, f):
    before = counts()
    response = en.post(SUBMIT, full_answers(f, f.open_token, comment="谢谢老师"))
    assert response.status_code == 302 and response["Location"] == reverse("feedback:answer-done")
    assert "Thank you" in en.get(response["Location"]).content.decode()
    after = counts()
    assert after[0] == before[0] + 1 and after[2] == before[2] + 1
    again = en.get(link(f.open_token))
    assert again.status_code == 410 and "This slip has been used" in again.content.decode()
    resubmitted = en.post(SUBMIT, full_answers(f, f.open_token))
    assert resubmitted.status_code == 410 and counts() == after


def test_missing_and_out_of_range_answers_are_refused_with_the_form(en, f):
    before = counts()
    data = full_answers(f, f.open_token)
    missing = next(k for k in data if k.startswith("q") and data[k] == 4)
    del data[missing]
    response = en.post(SUBMIT, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose a rating for this." in page and "1 answer needs your attention" in page
    assert "Nothing has been saved yet." in page
    data[missing] = "9"
    response = en.post(SUBMIT, data)
    assert response.status_code == 400 and "Ratings run from 1 to 5" in response.content.decode()
    data[missing] = "4"
    data[next(k for k in data if data[k] == "")] = "长" * 600
    response = en.post(SUBMIT, data)
    assert response.status_code == 400 and "Keep it to 500 characters" in response.content.decode()
    assert counts() == before
    # The answers already given are still ticked.
    assert 'value="4" autocomplete="off" checked' in response.content.decode()


def test_tampered_and_unknown_links_get_a_clear_page_and_change_nothing(en, f):
    before = counts()
    token = f.open_token
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x", "ZZZZ-ZZZZ", "%E4%B8%AD" * 20):
        response = en.get(link(bad))
        assert response.status_code == 404
        assert "This link does not open a questionnaire" in response.content.decode()
    response = en.post(SUBMIT, full_answers(f, token[:-2]))
    assert response.status_code == 404 and counts() == before


def test_a_closed_round_and_a_round_not_yet_open_say_so(en, f, world):
    slip = round_services.invitations_issue(round_=f.scheduled, user=world.director.user)[0]
    response = en.get(link(slip.token))
    assert response.status_code == 200 and "Not open yet" in response.content.decode()
    assert f"{f.scheduled.opens_on:%Y-%m-%d}" in response.content.decode()
    round_services.round_close(round_=f.open, user=world.director.user)
    response = en.get(link(f.open_token))
    assert response.status_code == 410 and "This evaluation has closed" in response.content.decode()


def test_the_code_on_the_slip_opens_the_same_questionnaire(en, f):
    assert en.get(CODE).status_code == 200
    response = en.post(CODE, {"code": f"{f.open_code[:4].lower()} {f.open_code[4:]}"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="answer-form"' in page
    assert f'name="key" value="{f.open_code}"' in page  # the normalised code travels in the form, not in the URL
    assert en.post(SUBMIT, full_answers(f, f.open_code)).status_code == 302
    response = en.post(CODE, {"code": f.open_code})
    assert response.status_code == 410


@pytest.mark.parametrize("code, status, message", [
    ("", 400, "Type the 8-character code"),
    ("ABC", 400, "A code has 8 letters and digits"),
    ("ABCD-EFG0", 400, "A code has 8 letters and digits"),  # 0 is not on any slip (it looks like O)
    ("ABCD-EFGH", 404, "No slip has this code"),
])
def test_bad_codes_are_refused_with_what_to_do(en, f, code, status, message):
    response = en.post(CODE, {"code": code})
    assert response.status_code == status and message in response.content.decode()


def test_keys_that_open_nothing_are_rate_limited(en, f, monkeypatch, still_clock):
    monkeypatch.setattr(public, "RATE_MISSES", "3/m")
    for _attempt in range(3):
        assert en.post(CODE, {"code": "ABCD-EFGH"}).status_code == 404
    response = en.post(CODE, {"code": f.open_code})  # even a right code waits now
    assert response.status_code == 429 and "Please wait a few minutes" in response.content.decode()
    assert en.get(link(f.open_token)).status_code == 429
    # Another address is not held back.
    assert en.get(link(f.open_token), REMOTE_ADDR="10.1.2.3").status_code == 200


def test_every_address_has_a_request_limit(en, f, monkeypatch, still_clock):
    monkeypatch.setattr(public, "RATE_REQUESTS", "5/m")
    statuses = [en.get(link(f.open_token)).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    assert en.post(SUBMIT, full_answers(f, f.open_token)).status_code == 429
    assert not Invitation.objects.get(pk=f.open_slips[0].invitation.pk).used


@pytest.mark.parametrize("data", [
    {},
    {"key": ["a", "b"]},
    {"key": "k" * 5000},
    {"key": "\x00\x01"},
    {"code": "\u202e\u0000"},
])
def test_garbage_never_shows_a_traceback(client, f, data):
    for url in (SUBMIT, CODE):
        response = client.post(url, data)
        assert response.status_code < 500
        assert b"Traceback" not in response.content


def test_garbage_in_the_answers_never_shows_a_traceback(client, f):
    data = full_answers(f, f.open_token)
    first = next(k for k in data if k.startswith("q"))
    for value in ("", "\x00", "1" * 10000, "-1", "4.5", "١"):
        data[first] = value
        response = client.post(SUBMIT, data)
        assert response.status_code == 400, value
    assert not Invitation.objects.get(pk=f.open_slips[0].invitation.pk).used


def test_the_page_is_readable_in_english_when_chosen(en, f):
    page = en.get(link(f.open_token)).content.decode()
    assert '<html lang="en">' in page and "Submit my answers" in page


def test_the_day_of_use_is_not_recorded_on_the_link(en, f):
    en.post(SUBMIT, full_answers(f, f.open_token))
    invitation = Invitation.objects.get(pk=f.open_slips[0].invitation.pk)
    assert invitation.used
    assert invitation.expires_at.date() >= dt.date.today()  # the round's end, the same for every link
    assert len(set(Invitation.objects.filter(round_class=f.open_class).values_list("expires_at", flat=True))) == 1
