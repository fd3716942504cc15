"""Settings come from the environment; production refuses to start without a secret and passes the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "production-secret-for-the-check-only-" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "jiaowu.school.example",
    "DATABASE_URL": "postgres://inspection@db.school.example:5432/inspection",
    "CELERY_BROKER_URL": "redis://redis.school.example:6379/0",
    "DJANGO_EMAIL_URL": "smtp+tls://jiaowu@school.example:secret@mail.school.example:587",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=clean | env, capture_output=True, text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_language_time_zone_and_brokers(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == settings.CELERY_TIMEZONE == "Asia/Shanghai"
    expected = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert settings.CELERY_BROKER_URL == expected
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
