import pytest

from .world import add_feedback

pytestmark = pytest.mark.django_db


def test_the_world_builds(world):
    f = add_feedback(world)
    assert f.past.responses.count() == 9
