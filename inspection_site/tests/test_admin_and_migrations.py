from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from school.services import staff_sync_admin_access

pytestmark = pytest.mark.django_db

OWN_APPS = tuple(settings.LOCAL_APPS)


def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_every_model_of_the_project_is_in_the_admin():
    """Registered, or edited inline on its parent's page (a term's holidays, a person's roles)."""
    inline = {i.model for model_admin in admin.site._registry.values() for i in model_admin.inlines}
    missing = [
        model.__name__
        for app in OWN_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical") and model not in admin.site._registry and model not in inline
    ]
    assert missing == []


def test_the_admin_lists_open_in_chinese_for_the_office(world, login):
    staff_sync_admin_access(staff=world.director)
    client = login(world.director)
    for model in (m for app in OWN_APPS for m in apps.get_app_config(app).get_models() if m in admin.site._registry):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="zh-hans"' in response.content.decode()
        assert "FOREIGN" not in response.content.decode(), url
        # The add form's choices (schools, classes, teachers…) are the office's own too.
        add = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
        if add.status_code == 200:
            assert "FOREIGN" not in add.content.decode(), url
