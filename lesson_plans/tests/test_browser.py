"""On a phone: a group leader records a lesson-preparation check with a shortfall. Under V4 the page shows the fine
the check will propose as she types and, once saved, the proposed fine on the check; under V1 (no fines) it says so
and no fine is recorded. The teacher then sees the verdict and its fine on her home page."""

import re
from decimal import Decimal

import pytest

from deductions.models import Violation
from inspections.services import policy_load_preset
from lesson_plans.models import PrepCheck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_as(page, browser_login, person):
    page.context.clear_cookies()
    browser_login(page, person.staff_no)


def record_a_short_check(page, live_server, w):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/plans/checks/create/")
    page.select_option("#id_teacher", str(w.teacher.pk))
    page.select_option("#id_round_kind", "spot")
    expect(page.locator("#id_month_number")).to_be_hidden()  # a school month belongs to monthly checks only
    # The lessons taught come from the timetable; the checker counted 20, and 14 prepared.
    expect(page.locator("#preview-figures")).to_be_visible()
    page.fill("#id_lessons_taught", "20")
    page.fill("#id_lessons_prepared", "14")
    page.fill("#id_lessons_ahead", "0")
    page.check("#id_standard_format")
    page.click("label[for=id_grade_2]")  # 中
    page.fill("#id_comments", "备课数量不足，部分课时无教学反思。")


def test_a_shortfall_is_fined_under_v4(live_world, live_server, phone, browser_login):
    from playwright.sync_api import expect

    w = live_world  # the world's school follows V4
    page = phone
    log_in_as(page, browser_login, w.group_leader)
    record_a_short_check(page, live_server, w)
    # 0.8 x 20 = 16 lessons required, 14 prepared: 2 lessons short, 1 yuan each.
    expect(page.locator("#preview-fines")).to_contain_text("2.00")
    expect(page.locator('#preview-fines [data-fine-code="preparation_short"]')).to_be_visible()
    page.click("#save-check")
    page.wait_for_url(re.compile(r"/plans/checks/\d+/$"))
    finding = page.locator('#check-fines [data-finding="preparation_short"]')
    expect(finding).to_contain_text("2.00")
    expect(finding.locator(".badge")).to_be_visible()
    check = PrepCheck.objects.get()
    violation = Violation.objects.get()
    assert (violation.teacher, violation.code, violation.amount, violation.status) == (
        w.teacher, "preparation_short", Decimal("2.00"), "proposed")
    assert violation.source.check_record == check

    # The teacher sees the verdict and the fine on her home page.
    log_in_as(page, browser_login, w.teacher)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#card-checks")).to_contain_text("2.00")


def test_the_same_shortfall_is_not_fined_under_v1(live_world, live_server, phone, browser_login):
    from playwright.sync_api import expect

    w = live_world
    policy_load_preset(school=w.school, preset="v1")
    page = phone
    log_in_as(page, browser_login, w.group_leader)
    record_a_short_check(page, live_server, w)
    expect(page.locator("#preview-no-fines")).to_be_visible()
    expect(page.locator("#preview-fines")).to_have_count(0)
    page.click("#save-check")
    page.wait_for_url(re.compile(r"/plans/checks/\d+/$"))
    expect(page.locator("#no-fines")).to_be_visible()
    check = PrepCheck.objects.get()
    assert (check.lessons_taught, check.lessons_prepared, check.grade) == (20, 14, "C")
    assert not Violation.objects.exists()
