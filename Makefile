# The two commands of README: `make run` serves the demo school, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A development install: DEBUG on, SQLite and the embedded broker unless DATABASE_URL / CELERY_BROKER_URL are set.
export DJANGO_DEBUG ?= 1

.PHONY: run test install translations migrate demo messages clean

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

# For developers: refresh the catalogue from the code (needs GNU gettext's xgettext).
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-location --no-obsolete

clean:
	rm -rf var staticfiles
