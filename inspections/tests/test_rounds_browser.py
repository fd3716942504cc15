"""In a real browser: the office publishes a round's summary; a teacher's bell (loaded after the page) shows it
unread, its list opens the round, and the count goes."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_published_summary_rings_the_teachers_bell(live_world, live_server, page, browser_login):
    from playwright.sync_api import expect

    from .permission_cases import make_rounds

    w = make_rounds(live_world)
    browser_login(page, w.director.staff_no)
    page.goto(f"{live_server.url}/policy/rounds/{w.matrix_round.pk}/")
    page.fill("#id_summary", "本次专项检查总体良好，请各组长督促整改。")
    page.click("#publish-form button[type=submit]")
    expect(page.locator("#round-summary")).to_contain_text("总体良好")

    page.context.clear_cookies()
    browser_login(page, w.other_teacher.staff_no)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#unread-count")).to_have_text("1")
    page.goto(f"{live_server.url}/policy/notifications/")
    item = page.locator("#notification-list li").first
    expect(item).to_contain_text("本次专项检查总体良好")
    item.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/policy/rounds/{w.matrix_round.pk}/"))
    expect(page.locator("#round-summary")).to_be_visible()
    expect(page.locator("#notification-bell")).to_be_visible()
    expect(page.locator("#unread-count")).to_have_count(0)
