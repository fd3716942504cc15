"""In a real browser, on the large demo school (a central school, three village schools, 200 staff, a term of
activity): each role opens its dashboard (the teacher hers on a phone), the principal's charts are drawn, and a
figure of the principal's leads to the list of exactly the findings it counts.

One test: the large demo is seeded once (a minute), and a live server's database is emptied after each test."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from benchmarks.people import Demo
from deductions.models import Violation
from observations.models import Observation

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo2026"


def login(page, live_server, staff):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", staff.staff_no)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")


def test_every_role_opens_its_dashboard_on_the_large_school(live_server, page, phone):
    call_command("seed_demo", "--size", "large", stdout=StringIO())
    demo = Demo.find()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The principal: the figures with their charts drawn by Chart.js from static/.
    login(page, live_server, demo.person("principal"))
    page.goto(f"{live_server.url}{reverse('inspections:dashboard-principal')}")
    assert page.locator("#figure-findings canvas").count() == 1
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('#figure-findings canvas'))")
    assert page.locator("#figure-exam-quality table tbody tr").count() > 0
    assert page.locator("#figure-schools table tbody tr").count() == 4  # the central school and three villages

    # The drill-down: the findings of one kind in one month, the list shows exactly those.
    page.click("#figure-findings summary")
    cell = page.locator("#figure-findings a[data-drill]").first
    counted = int(cell.inner_text())
    with page.expect_navigation():
        cell.click()
    query = dict(part.split("=") for part in page.url.split("?", 1)[1].split("&"))
    listed: set[int] = set()
    while True:  # the list shows 50 rows a page: follow "next" to the last
        listed |= {int(v) for v in page.locator("tr[data-violation-id]").evaluate_all(
            "rows => rows.map(r => r.dataset.violationId)")}
        following = page.locator("ul.pagination li.page-item:last-child a.page-link")
        if not following.count():
            break
        with page.expect_navigation():
            following.click()
    assert len(listed) == counted
    schools = [demo.root.pk, *demo.root.village_schools.values_list("pk", flat=True)]
    expected = set(Violation.objects.filter(term_id=query["term"], code=query["code"],
                                            month_number=query["month_number"], school__in=schools)
                   .values_list("pk", flat=True))
    assert listed == expected

    # The office: today's patrol, the checks, what waits.
    page.context.clear_cookies()
    login(page, live_server, demo.person("office"))
    page.goto(f"{live_server.url}{reverse('inspections:dashboard-office')}")
    for section in ("#office-patrol", "#office-checks", "#office-waiting", "#office-jobs"):
        assert page.locator(section).is_visible()
    proposed = Violation.objects.filter(status=Violation.Status.PROPOSED, school__in=schools).count()
    assert str(proposed) in page.locator("#office-proposed").inner_text()

    # The group leader: her group's quotas, checks, activities.
    page.context.clear_cookies()
    leader = demo.person("group_leader")
    login(page, live_server, leader)
    page.goto(f"{live_server.url}{reverse('inspections:dashboard-group')}")
    assert leader.led_groups.first().name in page.locator("h1").inner_text()
    assert page.locator("#group-quotas tbody tr").count() == leader.led_groups.first().members.count()

    # The teacher, on a phone: "my term" with her cards, nothing wider than the screen.
    teacher = demo.person("teacher")
    login(phone, live_server, teacher)
    phone.goto(f"{live_server.url}/")
    written = Observation.objects.filter(term=demo.term, observer=teacher).count()
    received = Observation.objects.filter(term=demo.term, teacher=teacher).count()
    assert written or received  # the demo's term of activity
    counts = phone.locator("#my-term-counts").inner_text()
    assert f"{written}" in counts and f"{received}" in counts
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    # The principal's page on a phone too: the charts fit the screen.
    phone.context.clear_cookies()
    login(phone, live_server, demo.person("principal"))
    phone.goto(f"{live_server.url}{reverse('inspections:dashboard-principal')}")
    phone.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('#figure-findings canvas'))")
    assert phone.locator("#figure-findings canvas").bounding_box()["width"] <= 390
    assert errors == []
