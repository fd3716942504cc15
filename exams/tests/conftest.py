import pytest


@pytest.fixture
def eager_tasks():
    """Celery tasks run at once in the calling process (no worker in these tests)."""
    from inspection_site import celery_app

    before = {key: celery_app.conf.get(key) for key in ("task_always_eager", "task_eager_propagates")}
    celery_app.conf.update(task_always_eager=True, task_eager_propagates=True)
    yield celery_app
    celery_app.conf.update(before)


@pytest.fixture(autouse=True)
def _english_messages():
    """Services' messages in English in these tests (the pages still speak the language of each request)."""
    from django.utils import translation

    with translation.override("en"):
        yield
