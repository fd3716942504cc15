"""On a phone: the director opens this week's homework list from her home page, records each check on it (the
teacher comes from the list, the class and subject from the timetable), and sees them done; a grading short under
V4 shows its fine on the check's page."""

import re

import pytest

from deductions.models import Violation
from homework_checks.models import HomeworkInspection
from homework_checks.selectors import week_of
from homework_checks.services.plans import homework_plan_generate, homework_plan_item_update
from school.selectors import today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inspector_works_through_this_week_s_homework_list(live_world, live_server, phone, browser_login):
    from playwright.sync_api import expect

    w = live_world
    plan = homework_plan_generate(school=w.school, term=w.term, user=w.director.user).plan
    week = week_of(w.term, today())
    # The office puts the three teachers in this week, all to the director.
    for item in plan.items.all():
        homework_plan_item_update(item=item, week_number=week.number, inspector=w.director, user=w.director.user)
    page = phone
    browser_login(page, w.director.staff_no)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#homework-week")).to_contain_text("0")
    page.click("#homework-week-link")
    page.wait_for_url(re.compile(r"/homework/week/"))
    expect(page.locator("#my-checks [data-record]")).to_have_count(3)
    expect(page.locator("#my-progress")).to_have_text("0/3")

    for number in range(3):
        page.locator("#my-checks [data-record]").first.click()
        page.wait_for_url(re.compile(r"/homework/inspections/create/\?item=\d+"))
        lesson = page.locator("#id_lesson")
        if lesson.input_value() == "":
            # A teacher of two classes: pick one; the lesson block shows what the rules require of it.
            lesson.select_option(index=1)
        expect(page.locator("#required-gradings")).to_be_visible()
        page.fill("#id_gradings_counted", "0" if number == 0 else "99")
        page.uncheck("#id_handwriting_good")
        page.click("label[for=id_verdict_2]")
        page.fill("#id_findings", "部分作业书写潦草")
        page.check("#id_discussed")
        page.fill("#id_talk_notes", "已当面交流")
        page.click("#inspection-submit")
        page.wait_for_url(re.compile(r"/homework/inspections/\d+/$"))
        expect(page.locator("#inspection-criteria .bi-x-circle")).to_have_count(1)
        if number == 0:
            # No grading found in the month's notebooks: each lesson taught is a 2-yuan finding under V4.
            expect(page.locator("#inspection-fine")).to_be_visible()
        page.goto(f"{live_server.url}/homework/week/")

    expect(page.locator("#my-checks [data-done]")).to_have_count(3)
    expect(page.locator("#my-checks [data-record]")).to_have_count(0)
    expect(page.locator("#my-progress")).to_have_text("3/3")
    assert HomeworkInspection.objects.filter(inspector=w.director, round_kind="weekly_homework").count() == 3
    assert all(item.inspection_id for item in plan.items.all())
    first = HomeworkInspection.objects.order_by("pk").first()
    if first.gradings_required:
        violation = Violation.objects.get()
        assert violation.amount == 2 * first.gradings_required
