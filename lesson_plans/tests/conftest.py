"""What the lesson-plan tests share: uploads kept in a temporary MEDIA_ROOT, pages in English, and documents of
each accepted kind (and some that are not)."""

from __future__ import annotations

import pytest
from django.utils import translation

from .documents import docx, docx_bytes, pdf, txt  # noqa: F401  (the tests import them from here)


@pytest.fixture(autouse=True)
def _language_left_as_found():
    """Requests and commands activate a language for the thread; leave it as the test found it, so that no test
    of another app sees a language this one left behind."""
    language = translation.get_language()
    yield
    if language:
        translation.activate(language)
    else:
        translation.deactivate()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
