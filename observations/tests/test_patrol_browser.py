"""In a real browser on a phone: the office patrols a period, taps "late", and the fine follows the policy."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from deductions.models import Violation
from inspections.services import policy_load_preset
from observations.models import AttendanceIncident, PatrolMark

from .permission_cases_patrol import last_monday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_patrol(phone, live_server, world, browser_login):
    browser_login(phone, world.office_staff.staff_no)
    # A past period, so that the test does not depend on the clock.
    phone.goto(f"{live_server.url}/observations/patrol/?date={last_monday(world).isoformat()}&period=1")
    row = phone.locator(f"#row-{world.class_1.pk}")
    expect(row).to_contain_text(world.teacher.name)
    expect(row).to_contain_text(world.chinese.name)
    return row


def tap(phone, world, status):
    button = phone.locator(f"#row-{world.class_1.pk} button[data-status={status}]")
    with phone.expect_response(lambda response: "/observations/patrol/mark/" in response.url) as answer:
        button.tap()
    return answer.value


@pytest.mark.parametrize(("preset", "amounts"), [("v4", [Decimal("2.00")]), ("v1", [])])
def test_office_staff_mark_a_class_late_on_a_phone(live_world, live_server, phone, browser_login, preset, amounts):
    if preset != "v4":
        policy_load_preset(school=live_world.school, preset=preset)
    row = open_patrol(phone, live_server, live_world, browser_login)
    late = row.locator("button[data-status=late]")
    assert late.bounding_box()["height"] >= 44  # a thumb-sized target

    response = tap(phone, live_world, "late")
    # Saved at once by htmx: the answer is the row itself, not a redirect to a new page.
    assert response.status == 200 and response.request.headers.get("hx-request") == "true"
    marked = phone.locator(f"#row-{live_world.class_1.pk}[data-status=late]")
    expect(marked).to_be_visible()
    expect(marked.locator("button[data-status=late]")).to_have_attribute("aria-pressed", "true")

    tap(phone, live_world, "late")  # tapped twice
    expect(phone.locator(f"#row-{live_world.class_1.pk}[data-status=late]")).to_be_visible()

    assert PatrolMark.objects.get().status == "late"
    assert AttendanceIncident.objects.get().teacher == live_world.teacher
    assert [v.amount for v in Violation.objects.filter(teacher=live_world.teacher)] == amounts
