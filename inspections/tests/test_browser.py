"""In a real browser: the office adds rows to the rules with the "Add a row" button and saves them."""

import pytest

from inspections.models import ObservationQuota

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_adds_two_quota_rows_and_saves(live_world, live_server, page, browser_login):
    browser_login(page, live_world.director.staff_no)
    page.goto(f"{live_server.url}/policy/edit/")
    # The blank row the page starts with, and one more from the button.
    page.click('[data-add-row="quotas"]')
    rows = page.locator('[data-formset="quotas"] tbody tr:not(.empty-form)')
    assert rows.count() == 2
    for index, (role, count) in enumerate((("teacher", "10"), ("group_leader", "16"))):
        page.select_option(f'select[name="quotas-{index}-role"]', role)
        page.fill(f'input[name="quotas-{index}-count"]', count)
        page.select_option(f'select[name="quotas-{index}-per"]', "term")
    with page.expect_navigation():
        page.click("#policy-save")
    assert page.url == f"{live_server.url}/policy/"
    quotas = {(q.role, q.count) for q in ObservationQuota.objects.filter(policy__school=live_world.school)}
    assert quotas == {("teacher", 10), ("group_leader", 16)}
