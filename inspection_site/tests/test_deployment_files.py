"""The deployment files of README "Deployment" agree with the code: gunicorn's configuration loads, every variable
of the example environment is one the settings read, nginx passes the client's address the way the lockout reads
it and accepts the largest upload, and the units start commands that exist."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

from .test_settings import PRODUCTION

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SETTINGS = (Path(__file__).resolve().parents[1] / "settings.py").read_text(encoding="utf-8")


def test_gunicorn_loads_its_configuration_and_the_site():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(DEPLOY / "gunicorn.conf.py")],
        cwd=DEPLOY.parent, env=clean | PRODUCTION, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_variable_of_the_example_environment_is_read_by_the_settings():
    names = [line.split("=", 1)[0] for line in (DEPLOY / "env.example").read_text().splitlines()
             if line and not line.startswith("#")]
    assert "DJANGO_SECRET_KEY" in names and "DATABASE_URL" in names
    for name in names:
        assert f'"{name}"' in SETTINGS, name


def test_nginx_passes_the_client_address_the_lockout_reads_and_takes_the_largest_upload():
    nginx = (DEPLOY / "nginx" / "jiaowu.conf").read_text()
    assert "proxy_set_header X-Real-IP $remote_addr;" in nginx
    assert "DJANGO_CLIENT_IP_HEADER=HTTP_X_REAL_IP" in (DEPLOY / "env.example").read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx  # SECURE_PROXY_SSL_HEADER
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    assert megabytes * 1024 * 1024 > settings.IMPORT_MAX_UPLOAD_BYTES


def test_the_units_and_the_procfile_start_what_exists_and_one_beat():
    units = {path.name: path.read_text() for path in (DEPLOY / "systemd").iterdir()}
    procfile = (DEPLOY / "Procfile").read_text()
    starts = [line for text in [*units.values(), procfile] for line in text.splitlines()
              if line.startswith(("ExecStart=", "web:", "worker:", "beat:"))]
    assert sum(" beat " in line for line in starts) == 2  # the unit and the Procfile's line: one per installation
    for line in starts:
        if "celery" in line:
            assert "-A inspection_site " in line
        if "manage.py" in line:
            command = re.search(r"manage\.py (\w+)", line).group(1)
            assert command in get_commands(), command
        if "gunicorn" in line:
            assert "deploy/gunicorn.conf.py" in line
    assert all("EnvironmentFile=/etc/jiaowu.env" in text for name, text in units.items() if name.endswith(".service"))
