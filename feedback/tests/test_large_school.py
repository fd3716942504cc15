"""The evaluation pages on the large demo school (a central school and three village schools, 60 classes, 3,000
students and a term of activity) run a fixed number of queries, for the director, a teacher and a group leader.
The numbers are what the pages run today plus two."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from school.models import Staff

from ..models import Round
from ..selectors.results import closed_rounds

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HEADROOM = 2
PEOPLE = ("T0003", "T0015", "T0009")


def test_evaluation_pages_of_the_large_school_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    call_command("seed_demo", "--size", "large", stdout=StringIO())
    past = closed_rounds(Round.objects.all()).first()
    current = Round.objects.exclude(pk=past.pk if past else None).first()
    # (page, args) -> the most queries as the director, a teacher, a group leader (None: not hers to open).
    pages = {
        ("feedback:results", ()): (20, 19, 19),
        ("feedback:forum-list", ()): (12, 11, 11),
        ("feedback:round-list", ()): (10, None, None),
        ("feedback:round-detail", (current.pk,)): (10, None, None),
        ("feedback:questionnaire-list", ()): (11, None, None),
    }
    if past is not None:
        pages |= {("feedback:round-results", (past.pk,)): (16, 15, 15),
                  ("feedback:round-comments", (past.pk,)): (10, None, None)}
    for index, staff_no in enumerate(PEOPLE):
        client.force_login(Staff.objects.get(staff_no=staff_no).user)
        for (name, args), limits in pages.items():
            if limits[index] is None:
                continue
            with django_assert_max_num_queries(limits[index] + HEADROOM):
                response = client.get(reverse(name, args=args))
            assert response.status_code == 200, (staff_no, name)
