"""The homework pages for every role (the project-wide matrix runs these cases too; this runs them alone, fast)."""

import pytest

from school.tests.matrix import run_matrix
from school.tests.world import user_for

from .permission_cases import CASES

pytestmark = pytest.mark.django_db


def test_every_role_gets_the_expected_status_on_the_homework_pages(world, client):
    problems = run_matrix(CASES, world, client, user_for)
    assert not problems, "\n".join(problems)
