"""In a real browser: log in, find the way around, switch language, log out."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_switch_language_and_log_out(live_world, live_server, page, browser_login):
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url  # anonymous users are sent to the login page

    browser_login(page, "T002", "wrong-password")
    assert page.locator(".alert, .errorlist, .invalid-feedback").count() > 0
    assert "/accounts/login/" in page.url

    browser_login(page, live_world.teacher.staff_no)
    assert page.url == live_server.url + "/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert live_world.teacher.name in page.inner_text("h1")
    assert "我的" in page.inner_text("body")  # the Chinese navigation

    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "My term" in page.inner_text("nav")

    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    page.click("#user-menu")
    with page.expect_navigation():
        page.click("#logout-button")
    assert "/accounts/login/" in page.url


def test_the_navigation_follows_the_role(live_world, live_server, page, browser_login):
    browser_login(page, live_world.teacher.staff_no)
    menu = "#main-nav .nav-link, #main-nav .dropdown-item"
    teacher_links = page.locator(menu).count()
    page.context.clear_cookies()
    browser_login(page, live_world.director.staff_no)
    director_links = page.locator(menu).count()
    assert director_links > teacher_links
    # The office finds the patrol under Classroom.
    page.click("#main-nav a.dropdown-toggle:has(.bi-door-open)")
    page.locator("#main-nav a.dropdown-item[href='/observations/patrol/']").wait_for(state="visible")
    page.goto(live_server.url + "/school/classes/")
    assert page.locator("#class-table tbody tr").count() == 3  # two central classes and the village class


def test_a_phone_sees_the_collapsed_menu(live_world, live_server, phone, browser_login):
    browser_login(phone, live_world.teacher.staff_no)
    assert phone.locator(".navbar-toggler").is_visible()
    phone.click(".navbar-toggler")
    phone.locator("#main-nav .nav-link").first.wait_for(state="visible")
    assert phone.locator("#quota-card").is_visible()
