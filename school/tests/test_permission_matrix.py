import pytest

from .matrix import collect_cases, project_url_names, run_matrix
from .world import user_for

pytestmark = pytest.mark.django_db


def test_every_project_url_has_a_matrix_case():
    covered = {case.url_name for case in collect_cases()}
    missing = sorted(project_url_names() - covered)
    assert not missing, f"URLs with no permission-matrix case: {missing}"


def test_every_role_gets_the_expected_status_and_no_foreign_rows(world, client):
    problems = run_matrix(collect_cases(), world, client, user_for)
    assert not problems, "\n".join(problems)
