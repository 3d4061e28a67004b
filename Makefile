# The developer interface: `make demo` runs the app with demo data, `make test` runs the suite.
.DELETE_ON_ERROR:
.PHONY: demo run test quality fix venv venv-test migrate serve

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.test-installed: requirements/test.txt $(VENV)/.base-installed
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

venv: $(VENV)/.base-installed
venv-test: $(VENV)/.test-installed

migrate: venv
	mkdir -p var/static
	$(BIN)/python manage.py migrate --verbosity 0

## Run the app on the embedded SQLite database with the demo data, on http://127.0.0.1:8000
demo: migrate
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver $(HOST)

run: migrate
	$(BIN)/python manage.py runserver $(HOST)

## Serve the app for real: production settings, migrations and the shared cache's table, gunicorn (2 × cores + 1 workers, or WEB_CONCURRENCY) on DATABASE_URL.
## Needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (docs/deploiement.md); listens on HOST.
SERVE_SETTINGS ?= config.settings.production
serve: venv
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/python manage.py createcachetable
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/python manage.py migrate --verbosity 0
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=$(SERVE_SETTINGS) TREMPLIN_BIND=$(HOST) exec $(BIN)/gunicorn --config config/gunicorn.py

## Run the whole test suite (browser tests included: they need Debian's chromium)
test: venv-test
	$(BIN)/pytest $(PYTEST_ARGS)

quality: venv-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py indicators_doc --check

fix: venv-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/python manage.py indicators_doc
