# policyflow: `make demo` serves the app with demo data; `make test` runs the suite.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in the demo's notifications and emails point at the server `make demo` runs.
SITE_URL ?= http://$(HOST):$(PORT)
DEMO_ENV := DEBUG=1 POLICYFLOW_DEMO=1 SITE_URL=$(SITE_URL)

.PHONY: demo test lint check-deploy bench bench-api openapi clean stack browser gettext

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The browser tests drive Debian's Chromium (never a downloaded browser):
# install it when it is missing and this user may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "chromium is not installed: the browser tests will be skipped" >&2; fi; }

# The translation tests regenerate the catalogues with GNU gettext's xgettext.
gettext:
	@command -v xgettext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gettext; \
	  else echo "gettext is not installed: the translation check will be skipped" >&2; fi; }

# pytest exits 5 when it collected nothing: treat that as a failure.
test: $(VENV)/.installed browser gettext
	$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Production settings, a broker and a shared cache included as production sets
# them (the checks read the settings; nothing connects to either).
check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=policyflow.example.org CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	CACHE_URL=redis://127.0.0.1:6379/1 \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# The API's schema, committed: tests/api/test_openapi_file.py fails until it is
# regenerated after a change to the API (in English, whatever the environment).
openapi: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py spectacular --validate --fail-on-warn --lang en --file docs/openapi.yaml

bench: $(VENV)/.installed
	$(BIN)/python bench/documents_bench.py
	$(BIN)/python bench/evidence_bench.py
	$(BIN)/python bench/notifications_bench.py
	$(BIN)/python bench/web_bench.py
	$(BIN)/python bench/api_bench.py
	$(BIN)/python bench/storage_bench.py

# The API's list and policy beside the web list, at two portfolio sizes.
bench-api: $(VENV)/.installed
	$(BIN)/python bench/api_bench.py

# The production topology without containers: gunicorn, a Celery worker and
# beat against the local PostgreSQL and Redis (see scripts/stack). Ctrl-C stops it;
# `exec` lets a SIGTERM sent to make reach the script, not only the shell.
stack: $(VENV)/.installed
	exec env VENV_BIN=$(BIN) STACK_HOST=$(HOST) STACK_PORT=$(PORT) scripts/stack

clean:
	rm -rf $(VENV) var
