"""The Celery application (Celery's "First steps with Django" layout)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection_site.settings")

app = Celery("inspection_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
