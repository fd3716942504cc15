"""In a real browser: the office confirms a finding; the teacher, on her phone, sees it on her home page and
appeals; the office waives it; her statement shows the fine, its reversal and a total of 0."""

import pytest
from django.utils import timezone

from deductions import services
from deductions.models import Violation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_fine_is_confirmed_appealed_waived_and_reversed(live_world, live_server, page, phone, browser_login):
    w = live_world
    violation = services.violation_record(teacher=w.teacher, code="no_preparation", occurred_on=timezone.localdate(),
                                          reason="巡课发现未备课上课", user=w.director.user)

    # The office finds it among the proposed findings and confirms it.
    browser_login(page, w.director.staff_no)
    page.goto(f"{live_server.url}/fines/?status=proposed")
    row = page.locator(f'#violation-table tr[data-violation-id="{violation.pk}"]')
    with page.expect_navigation():
        row.locator("a").click()
    with page.expect_navigation():
        page.click("#confirm-button")
    assert page.locator('h1 + [data-status="confirmed"]').count() == 1
    assert "20.00" not in page.inner_text("#violation-amount")  # one lesson: 10 yuan
    assert "10.00" in page.inner_text("#violation-amount")

    # The teacher sees it on her home page, on her phone, and appeals with a reason.
    browser_login(phone, w.teacher.staff_no)
    card = phone.locator("#fines-card")
    assert card.is_visible()
    assert phone.inner_text("#fines-amount") == "10.00"
    assert phone.inner_text("#fines-new") == "1"
    with phone.expect_navigation():
        card.locator("#new-findings a").first.click()
    assert phone.url.endswith(f"/fines/{violation.pk}/")
    phone.fill('textarea[name="appeal-reason"]', "当天已备课，教案在教研组长处")
    with phone.expect_navigation():
        phone.click("#appeal-button")
    assert phone.locator('h1 + [data-status="appealed"]').count() == 1
    assert "教案在教研组长处" in phone.inner_text("#appeal-card")

    # The office reads the appeal and waives the fine.
    page.goto(f"{live_server.url}/fines/{violation.pk}/")
    page.check('input[name="decide-decision"][value="waive"]')
    page.fill('textarea[name="decide-reason"]', "经核实，教案齐全")
    with page.expect_navigation():
        page.click("#decide-button")
    assert page.locator('h1 + [data-status="waived"]').count() == 1
    assert Violation.objects.get(pk=violation.pk).status == Violation.Status.WAIVED

    # Her statement shows the fine and its reversal, and nothing to pay.
    phone.goto(f"{live_server.url}/fines/{violation.pk}/")
    with phone.expect_navigation():
        phone.locator("#entries-card a").first.click()
    table = phone.locator("#statement-table")
    assert table.locator('tbody tr[data-kind="charge"]').count() == 1
    assert table.locator('tbody tr[data-kind="reversal"]').count() == 1
    assert "-10.00" in table.locator('tbody tr[data-kind="reversal"]').inner_text()
    assert phone.inner_text("[data-total-amount]") == "0.00"
    # The page fits the phone: the table scrolls inside its own box, not the page.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
