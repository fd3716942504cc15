"""gunicorn's settings for production (README "Deployment"): `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be changed by an environment variable of the same name in upper case with a GUNICORN_ prefix."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx in front; never exposed directly
# Two workers per core (pages spend part of their time waiting for PostgreSQL), two threads each.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# An import or a term report of the largest school finishes well within this; a request stuck longer is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
# Restart each worker after this many requests (with jitter), so that memory cannot creep.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
wsgi_app = "inspection_site.wsgi:application"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# nginx on the same host sets X-Forwarded-Proto and X-Real-IP.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
