"""Every homework list page, on the large demo school (a central school and three village schools, 200 staff, a term
of activity), runs in a fixed number of queries for the director, a teacher and a group leader (as
`school/tests/test_large_school.py` pins the other apps' pages). The numbers are what the pages run today plus two,
so that a query per row would show at once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from homework_checks.models import HomeworkInspection, HomeworkPlanItem
from school.models import Staff

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HEADROOM = 2
# (page, query) -> the most queries it may run as the director (T0003), a teacher (T0015), a group leader (T0009).
PAGES = {
    ("homework_checks:inspection-list", ""): (13, 13, 13),
    ("homework_checks:week", ""): (12, None, 10),
    ("homework_checks:plan", ""): (20, None, None),
    ("homework_checks:tutoring-list", ""): (13, 14, 14),
    ("homework_checks:inspection-export", ""): (10, None, 9),
}
PEOPLE = ("T0003", "T0015", "T0009")


def test_the_homework_pages_of_the_large_school_run_a_fixed_number_of_queries(client,
                                                                               django_assert_max_num_queries):
    call_command("seed_demo", "--size", "large", stdout=StringIO())
    assert HomeworkInspection.objects.count() > 20
    for index, staff_no in enumerate(PEOPLE):
        client.force_login(Staff.objects.get(staff_no=staff_no).user)
        for (name, query), limits in PAGES.items():
            if limits[index] is None:
                continue
            url = reverse(name) + (f"?{query}" if query else "")
            with django_assert_max_num_queries(limits[index] + HEADROOM):
                response = client.get(url)
            assert response.status_code == 200, (staff_no, url)
        # A check's page and the form of a check of the list.
        inspection = HomeworkInspection.objects.filter(teacher__staff_no=staff_no).first() \
            or HomeworkInspection.objects.filter(inspector__staff_no=staff_no).first()
        if inspection is not None:
            with django_assert_max_num_queries(9 + HEADROOM):
                assert client.get(reverse("homework_checks:inspection-detail", args=[inspection.pk])).status_code \
                    == 200
    item = HomeworkPlanItem.objects.filter(inspection__isnull=True, inspector__isnull=False).select_related(
        "inspector").first()
    if item is not None:
        client.force_login(item.inspector.user)
        with django_assert_max_num_queries(16 + HEADROOM):
            assert client.get(reverse("homework_checks:inspection-create") + f"?item={item.pk}").status_code == 200
