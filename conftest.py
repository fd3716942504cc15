import pytest


@pytest.fixture
def world(db):
    from school.tests.world import build_world

    return build_world()


@pytest.fixture
def login(client):
    """Log the test client in as a user (or a Staff) and return it."""

    def _login(who):
        user = getattr(who, "user", who)
        client.force_login(user)
        return client

    return _login
