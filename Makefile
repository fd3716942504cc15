# The two commands of README: `make run` serves the demo school, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A development install: DEBUG on, SQLite and the embedded broker unless DATABASE_URL / CELERY_BROKER_URL are set.
export DJANGO_DEBUG ?= 1

.PHONY: run test install translations migrate demo messages clean bench loadtest

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# A development checkout's .env, so that plain `manage.py` commands run in debug mode too. Production sets
# its variables in the environment instead (see README) and has no .env.
.env:
	printf '# Development settings, written by make; see README "Configuration".\nDJANGO_DEBUG=1\n' > .env

install: $(VENV)/.installed .env

translations: install
	$(BIN)/python manage.py compile_translations

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_periodic_tasks

demo: migrate
	$(BIN)/python manage.py seed_demo --size small

run: translations demo
	@echo "Serving http://127.0.0.1:8000 with a Celery worker and beat. Ctrl-C stops them all."
	$(BIN)/honcho start -f Procfile.dev

test: translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks (README "Benchmarks"): every benchmark of benchmarks/ and the apps' benchmarks.py on the large demo
# school, in a database of their own (var/bench/ for SQLite; or set DATABASE_URL to an empty PostgreSQL database
# of its own). Prints the table and writes var/bench/results.md and results.json.
BENCH_VAR ?= $(CURDIR)/var/bench
BENCH_ARGS ?=
bench: translations
	DJANGO_VAR_DIR=$(BENCH_VAR) $(BIN)/python manage.py migrate --noinput -v 0
	DJANGO_VAR_DIR=$(BENCH_VAR) $(BIN)/python manage.py seed_demo --size large
	DJANGO_VAR_DIR=$(BENCH_VAR) $(BIN)/python -m benchmarks --output $(BENCH_VAR) $(BENCH_ARGS)

# Load test (README "Load test"): gunicorn with several workers on PostgreSQL (loopback only) and locust's
# simulated staff for a bounded time; fails on any error. Not part of `make test`.
LOADTEST_ARGS ?=
loadtest: translations
	$(BIN)/python -m benchmarks.loadtest $(LOADTEST_ARGS)

# For developers: refresh the catalogue from the code (needs GNU gettext's xgettext).
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-location --no-obsolete

clean:
	rm -rf var staticfiles
