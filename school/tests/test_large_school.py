"""Every list page, on the large demo school (a central school and three village schools, 200 staff, 60 classes,
3,000 students and a term of activity), runs in a fixed number of queries, for the office, a teacher and a
group leader. The numbers are what the pages run today plus two, so that a query per row would show at once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from school.models import Staff

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HEADROOM = 2
# (page, query) -> the most queries it may run as the director (T0003), a teacher (T0015), a group leader (T0009).
PAGES = {
    # The homework card: her checks and tutoring (2 queries), an inspector's checks of this week's list (1);
    # the inspections card (1); the exams card (2 for the office, 1 for a teacher); the lesson-preparation card (5);
    # the evaluation card (2).
    ("home", ""): (39, 27, 30),
    ("observations:observation-list", "tab=all"): (8, 7, 7),
    ("observations:quota-list", ""): (18, None, 17),
    ("observations:review-list", ""): (13, None, 12),
    ("observations:patrol", "period=1"): (13, None, None),
    ("observations:patrol-summary", ""): (11, None, None),
    ("observations:incident-list", ""): (9, 6, 6),
    ("observations:swap-list", ""): (8, 6, 7),
    ("observations:lab-session-list", ""): (17, 15, 15),
    ("observations:experiment-list", ""): (15, None, None),
    ("observations:lab-shortfalls", ""): (16, None, None),
    ("observations:lab-tidiness-list", ""): (11, 9, 9),
    ("observations:report", ""): (29, None, None),
    ("deductions:violation-list", ""): (16, 16, 17),
    ("deductions:ledger-month-list", ""): (23, None, 10),
    ("deductions:conduct-points", ""): (10, 11, 9),
    ("school:staff-list", ""): (12, None, 11),
    ("school:class-list", ""): (9, None, None),
    ("school:student-list", ""): (9, None, None),
    ("school:timetable", ""): (12, 11, 11),
    ("inspections:policy-detail", ""): (12, 11, 11),
    ("inspections:round-list", ""): (10, 9, 9),
    ("inspections:assignment-list", "all=1"): (7, 6, 6),
    ("inspections:notification-list", ""): (9, 8, 8),
    ("inspections:notification-bell", ""): (8, 7, 7),
    ("inspections:six-earnests", ""): (26, 23, 25),  # a fixed number per evidence provider
    ("inspections:group-robot", ""): (9, None, None),
    ("exams:exam-list", ""): (11, 10, 10),
    ("exams:form-list", ""): (8, 7, 7),
    ("exams:unit-check-list", ""): (7, 6, 6),
    ("lesson_plans:my-work", ""): (25, 23, 23),
    ("lesson_plans:plan-list", ""): (23, None, 21),
    ("lesson_plans:plan-list", "tab=review"): (23, None, 21),
    ("lesson_plans:plan-missing", ""): (22, None, 20),
    ("lesson_plans:check-list", ""): (18, 16, 16),
    ("lesson_plans:sampling", ""): (23, None, None),
    ("lesson_plans:activity-list", ""): (16, 14, 14),
    ("lesson_plans:leader-attendance", ""): (23, None, None),
    ("lesson_plans:selection-list", ""): (11, 10, 10),
    ("lesson_plans:summary-list", ""): (24, None, 22),
    ("inspections:dashboard-principal", ""): (30, None, None),
    ("inspections:dashboard-office", ""): (18, None, None),
    ("inspections:dashboard-group", ""): (None, None, 21),
}
PEOPLE = ("T0003", "T0015", "T0009")


def test_pages_of_the_large_school_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    call_command("seed_demo", "--size", "large", stdout=StringIO())
    today = timezone.localdate()
    last_monday = today - dt.timedelta(days=today.weekday() + 7)
    for index, staff_no in enumerate(PEOPLE):
        client.force_login(Staff.objects.get(staff_no=staff_no).user)
        for (name, query), limits in PAGES.items():
            if limits[index] is None:
                continue
            if name == "observations:patrol":
                query = f"date={last_monday}&{query}"
            url = reverse(name) + (f"?{query}" if query else "")
            with django_assert_max_num_queries(limits[index] + HEADROOM):
                response = client.get(url)
            assert response.status_code == 200, (staff_no, url)
    # An inspection round's page for the director: progress by item and by checker, the late names, the summary.
    from inspections.models import InspectionRound

    client.force_login(Staff.objects.get(staff_no=PEOPLE[0]).user)
    round = InspectionRound.objects.order_by("pk").first()
    with django_assert_max_num_queries(13 + HEADROOM):
        assert client.get(reverse("inspections:round-detail", args=[round.pk])).status_code == 200
