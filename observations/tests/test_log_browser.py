"""On a phone-sized screen: a teacher logs an observation from her home page and sees her quota move; the
observed teacher acknowledges it; the group leader reviews the teacher's notes."""

import re

import pytest

from inspections.services import policy_load_preset
from observations.models import NotesReview, Observation

from .permission_cases_log import last_monday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_as(page, browser_login, person):
    page.context.clear_cookies()
    browser_login(page, person.staff_no)


def test_an_observation_goes_from_the_observer_s_phone_to_the_teacher_and_the_group_leader(
    live_world, live_server, phone, browser_login
):
    from playwright.sync_api import expect

    w = live_world
    policy_load_preset(school=w.school, preset="v1")  # teachers: 10 peer observations a term
    page = phone

    # The observer, from her home page.
    log_in_as(page, browser_login, w.teacher)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#quota-card [data-quota-text]")).to_contain_text("0/10")
    page.click("#log-observation")
    page.wait_for_url(re.compile(r"/observations/log/create/"))
    # Pick the lesson: the date, the period and the class fill the teacher and the subject.
    page.fill("#id_date", f"{last_monday():%Y-%m-%d}")
    page.select_option("#id_period", "1")
    page.select_option("#id_school_class", str(w.class_2.pk))
    expect(page.locator("#lesson-teacher")).to_have_text(w.other_teacher.name)
    expect(page.locator("#lesson-subject")).to_have_text(w.maths.name)
    page.fill("#id_topic", "一元一次方程的解法")
    scores = page.locator("[data-score]")
    assert scores.count() == 6
    for index, value in enumerate(["13", "17", "18", "16.5", "12", "9"]):
        scores.nth(index).fill(value)
    expect(page.locator("[data-score-total]")).to_have_text("85.5")
    page.fill("#id_suggestions", "练习时间再多一些")
    page.check("#id_discussed")
    page.click("#observation-submit")
    page.wait_for_url(re.compile(r"/observations/log/\d+/$"))
    expect(page.locator("#observation-total")).to_have_text("85.5")
    observation = Observation.objects.get()
    assert (observation.observer, observation.teacher, observation.subject) == (w.teacher, w.other_teacher, w.maths)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#quota-card [data-quota-text]")).to_contain_text("1/10")

    # The observed teacher reads it and acknowledges it.
    log_in_as(page, browser_login, w.other_teacher)
    page.goto(f"{live_server.url}/observations/log/")
    page.click(f'[data-observation-id="{observation.pk}"]')
    expect(page.locator("#observation-notes")).to_contain_text("练习时间再多一些")
    page.click("#observation-acknowledge")
    page.wait_for_load_state()
    expect(page.locator("#acknowledgement .text-bg-success")).to_be_visible()
    observation.refresh_from_db()
    assert observation.acknowledged_at is not None

    # The group leader reviews her teacher's notes.
    log_in_as(page, browser_login, w.group_leader)
    page.goto(f"{live_server.url}/")
    page.click("#review-list-link")
    reviewee = page.locator(f'[data-reviewee-id="{w.teacher.pk}"]')
    expect(reviewee.locator("[data-reviews]")).to_contain_text("0/2")
    page.click(f"#review-{w.teacher.pk}")
    expect(page.locator(f'input[name="observations"][value="{observation.pk}"]')).to_be_checked()
    page.fill("#id_comment", "记录详实，评价中肯")
    page.click("#review-submit")
    page.wait_for_url(re.compile(r"/observations/reviews/$"))
    expect(page.locator(f'[data-reviewee-id="{w.teacher.pk}"] [data-reviews]')).to_contain_text("1/2")
    review = NotesReview.objects.get()
    assert (review.reviewer, review.reviewee, list(review.observations.all())) == (
        w.group_leader, w.teacher, [observation])
