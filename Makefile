# FibroTrack developer commands. `make run` and `make test` work from a fresh
# clone on a machine that has only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# One pytest-xdist worker per core (each starts its own Chromium for the browser tests).
PYTEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run serve demo test lint typecheck pytest test-postgres bench durability durability-postgres lock clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Installs are pinned by constraints.txt (the lock file); `make lock` refreshes it.
# The app depends on fibrostats, its own distribution in packages/fibrostats: installed first.
$(VENV)/.installed: pyproject.toml packages/fibrostats/pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e packages/fibrostats
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt $(VENV)/.installed
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

# Translations: the .po catalogues in locale/ are compiled to .mo (build output, not in git) by Babel,
# pure Python, so no GNU gettext is needed. `fibrotrack makemessages` (needs xgettext) is for developers.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
locale/.compiled: $(PO_FILES) $(VENV)/.installed
	$(BIN)/pybabel -q compile -d locale -D django
	$(if $(wildcard locale/*/LC_MESSAGES/djangojs.po),$(BIN)/pybabel -q compile -d locale -D djangojs)
	touch $@

# Refresh the catalogues after marking strings (needs GNU gettext's xgettext, a developer tool), then
# translate every new entry in locale/es and locale/de: a test fails on any empty or fuzzy one.
MESSAGES_IGNORE := --ignore='.venv/*' --ignore='packages/*' --ignore='var/*' --ignore='node_modules/*' \
	--ignore='benchmarks/*' --ignore='*/tests/*'
messages: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/fibrotrack makemessages -l es -l de --add-location=file \
		--no-obsolete $(MESSAGES_IGNORE) --ignore='static/*'
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/fibrotrack makemessages -d djangojs -l es -l de \
		--add-location=file --no-obsolete $(MESSAGES_IGNORE) --ignore='static/vendor/*' --ignore='static/admin/*'

var/secret_key: | $(BIN)/python
	mkdir -p var
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The app reads its secret from the environment; locally we keep a generated one under var/.
ENVIRONMENT = SECRET_KEY="$$(cat var/secret_key)"

# The address in e-mails (sign-up confirmation, invitations) and in `make demo`'s output:
# http://HOST:PORT of `make run`, unless SITE_ROOT is set (behind a proxy: the public address).
# Listening on every interface (0.0.0.0 or ::) names this machine instead.
SITE_HOST = $(if $(filter 0.0.0.0 :: [::],$(HOST)),$(shell hostname),$(HOST))
SITE_ROOT ?= http://$(SITE_HOST):$(PORT)
# `make demo` in a second terminal, given no HOST, PORT or SITE_ROOT, prints the address the running
# `make run` serves (it writes it to var/site_root).
DEMO_SITE_ROOT = $(if $(filter-out file undefined,$(origin SITE_ROOT) $(origin HOST) $(origin PORT)),$(SITE_ROOT),$$(cat var/site_root 2>/dev/null || echo '$(SITE_ROOT)'))

run: $(VENV)/.installed var/secret_key locale/.compiled
	$(ENVIRONMENT) $(BIN)/fibrotrack migrate --noinput
	$(ENVIRONMENT) $(BIN)/fibrotrack load_reference_data
	$(ENVIRONMENT) $(BIN)/fibrotrack collectstatic --noinput -v0
	@echo ""
	@echo '$(SITE_ROOT)' > var/site_root
	@echo "  FibroTrack is running at http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	@echo "  Want sample data? In another terminal: make demo"
	@echo ""
	@# The background worker sends e-mails and runs confirmed imports; the reminder scheduler queues
	@# what is due once a minute (the worker sends it). Both stop with the server.
	$(ENVIRONMENT) SITE_ROOT='$(SITE_ROOT)'; export SECRET_KEY SITE_ROOT; \
	if [ -n "$$REDIS_URL" ]; then $(BIN)/fibrotrack rqworker default & else $(BIN)/fibrotrack db_worker & fi; \
	worker=$$!; $(BIN)/fibrotrack send_reminders --loop & reminders=$$!; \
	trap 'kill $$worker $$reminders 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi -c config/gunicorn.py -b $(HOST):$(PORT) -w $(WORKERS)

demo: $(VENV)/.installed var/secret_key locale/.compiled
	$(ENVIRONMENT) $(BIN)/fibrotrack migrate --noinput -v0
	$(ENVIRONMENT) $(BIN)/fibrotrack load_reference_data
	$(ENVIRONMENT) SITE_ROOT="$(DEMO_SITE_ROOT)" $(BIN)/fibrotrack demo $(DEMO_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/fibrotrack makemigrations --check --dry-run
	$(BIN)/mypy config fibrotrack packages/fibrostats/src packages/fibrostats/tests

pytest: $(VENV)/.installed-dev locale/.compiled
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	@# fibrostats' own suite, with its own settings and no Django (PYTEST_ARGS=packages/fibrostats runs it alone).
	$(if $(PYTEST_ARGS),,$(BIN)/pytest -n $(PYTEST_WORKERS) packages/fibrostats)

test: lint pytest

# The same suite against PostgreSQL (the scale path).
test-postgres: $(VENV)/.installed-dev locale/.compiled
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev var/secret_key locale/.compiled
	$(ENVIRONMENT) $(BIN)/python benchmarks/run.py

# kill -9 in the middle of a load of check-in saves, restart, and check that every acknowledged save
# is stored: gunicorn on a loopback port, SQLite in a temporary directory (DURABILITY_DATABASE_URL, e.g.
# a PostgreSQL database of its own, instead), a few clients, bounded in saves and in time.
durability: $(VENV)/.installed-dev
	$(BIN)/python -m fibrotrack.lib.testing.durability $(DURABILITY_ARGS)

# The same run on PostgreSQL: a database of its own on DATABASE_URL's server, created and dropped.
durability-postgres: $(VENV)/.installed-dev
	DURABILITY_DATABASE_URL="$${DATABASE_URL:?set DATABASE_URL=postgres://...}" \
	  $(BIN)/python -m fibrotrack.lib.testing.durability $(DURABILITY_ARGS)

lock: | $(BIN)/python
	$(BIN)/pip install -q -e packages/fibrostats
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -Ev '^(fibrotrack|fibrostats)' > constraints.txt

clean:
	rm -rf $(VENV) var/static
