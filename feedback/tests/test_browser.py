"""On a phone: a parent opens her link, answers and submits; the same link then says it was used; the teacher
sees her results only once five responses exist."""

import datetime as dt
import re

import pytest

from ..models import Invitation, Kind, Response
from ..services import responses as response_services
from ..services import rounds as round_services
from .world import default_questionnaire, enrol, set_samples, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_DAY = dt.timedelta(days=1)


def parents_round(w, name, *, opens, closes, today=None):
    return round_services.round_create(
        school=w.school, term=w.term, kind=Kind.PARENT, name=name, opens_on=opens, closes_on=closes,
        questionnaire=default_questionnaire(w.school, Kind.PARENT), classes=[w.class_1], sample_size=6,
        user=w.director.user, today=today)


def test_a_parent_answers_on_her_phone_and_the_teacher_sees_results_from_five_responses(
    live_world, live_server, phone, browser_login
):
    from playwright.sync_api import expect

    w = live_world
    set_samples(w.school)
    enrol(w.class_1, 5, "P")
    today = dt.date.today()
    # Last week's round: four parents answered, so it shows nothing.
    earlier = parents_round(w, "上周家长评教", opens=today - 10 * ONE_DAY, closes=today - 5 * ONE_DAY,
                            today=today - 10 * ONE_DAY)
    for slip in round_services.invitations_issue(round_=earlier, user=w.director.user,
                                                 today=today - 10 * ONE_DAY)[:4]:
        submit(slip, earlier, today=today - 9 * ONE_DAY)
    # This week's round: four parents have answered; the fifth answers on her phone.
    current = parents_round(w, "本周家长评教", opens=today, closes=today + 5 * ONE_DAY)
    slips = round_services.invitations_issue(round_=current, user=w.director.user)
    for slip in slips[:4]:
        submit(slip, current, rating=5)
    page = phone
    url = f"{live_server.url}/feedback/a/{slips[4].token}/"

    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(f'[data-teacher-id="{w.teacher.pk}"]')).to_contain_text(w.teacher.name)
    # Phone-first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Submitting with nothing ticked: every question is marked, nothing is stored.
    page.click("#answer-submit")
    page.wait_for_load_state()
    expect(page.locator("#answer-errors")).to_be_visible()
    assert Response.objects.filter(round=current).count() == 4
    groups = page.locator(".rating-group")
    assert groups.count() >= 10
    for index in range(groups.count()):
        groups.nth(index).locator("label").nth(3).click()  # 4
    expect(groups.nth(0).locator("input").nth(3)).to_be_checked()
    page.locator(f'[data-teacher-id="{w.teacher.pk}"] textarea').first.fill("老师讲得清楚，孩子进步很大")
    page.click("#answer-submit")
    page.wait_for_url(re.compile(r"/feedback/a/done/$"))
    expect(page.locator("#answer-done")).to_be_visible()
    assert Response.objects.filter(round=current).count() == 5
    assert Invitation.objects.get(pk=slips[4].invitation.pk).used

    # The same link again: used.
    page.goto(url)
    expect(page.locator("#link-status")).to_have_attribute("data-status", "used")

    # The teacher: nothing while the round is open; once it closes, this week's five answers are shown and last
    # week's four are not.
    browser_login(page, w.teacher.staff_no)
    page.goto(f"{live_server.url}/feedback/results/")
    withheld = page.locator(f'[data-round-id="{earlier.pk}"] [data-teacher-id="{w.teacher.pk}"] [data-withheld]')
    expect(withheld).to_be_visible()
    expect(page.locator(f'[data-round-id="{current.pk}"]')).to_have_count(0)
    round_services.round_close(round_=current, user=w.director.user)
    page.goto(f"{live_server.url}/feedback/results/")
    mine = page.locator(f'[data-round-id="{current.pk}"] [data-teacher-id="{w.teacher.pk}"]')
    # Four parents rated 5, one rated 4: 4.80.
    expect(mine.locator("[data-overall]")).to_have_text("4.80")
    expect(page.locator(f'[data-round-id="{current.pk}"] [data-teacher-id="{w.other_teacher.pk}"]')).to_have_count(0)
    page.click(f'[data-round-id="{current.pk}"] [data-round-results]')
    expect(page.locator(f'[data-teacher-id="{w.teacher.pk}"]')).to_contain_text("4.80")
    # Her comment waits for the office's moderation.
    expect(page.locator("body")).not_to_contain_text("孩子进步很大")
    assert response_services.round_seal(round_=current) is False  # sealed when it closed
