import pytest
from school.tests.matrix import run_matrix
from school.tests.world import user_for
from .permission_cases import CASES
pytestmark = pytest.mark.django_db
def test_matrix(world, client):
    problems = run_matrix(CASES, world, client, user_for)
    assert not problems, "\n".join(problems)
