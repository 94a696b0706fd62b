# The two commands a new user needs are `make run` and `make test`; both install first.
PYTHON ?= python3.11
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin
# PostgreSQL and Redis of this machine (see README); override on the command line.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/aidledger
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
HOST ?= 127.0.0.1
PORT ?= 8000
# `make db-roles` creates or updates the two PostgreSQL roles (owner and app, see README)
# on this database, connected as a superuser; the database must exist.
DATABASE_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/aidledger
# The suite runs on every core (pytest-xdist); PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: install run serve test test-sqlite lint typecheck check deploy-check worker beat migrate db-roles clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --python $(BIN)/python
	touch $@

# Migrations run as the tables' owner when DATABASE_OWNER_URL is set; the service itself
# then connects with DATABASE_URL, the app role's.
migrate: install
	DATABASE_URL="$${DATABASE_OWNER_URL:-$$DATABASE_URL}" $(BIN)/python manage.py migrate --noinput

db-roles: install
	DATABASE_URL="$(DATABASE_ADMIN_URL)" $(BIN)/python manage.py setup_database_roles

# `make run` serves plain HTTP on loopback: no redirect to HTTPS, cookies without TLS.
run: export SECURE_SSL_REDIRECT ?= false
run: export SESSION_COOKIE_SECURE ?= false
run: export CSRF_COOKIE_SECURE ?= false
run: migrate
	$(BIN)/python manage.py load_fx_rates
	$(BIN)/python manage.py load_scenario
	$(BIN)/python manage.py load_demo_news
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@if [ -z "$$REDIS_URL" ]; then \
		echo "Scheduled ingest: a Celery worker with beat runs beside the web server (log: var/worker.log)."; \
	fi
	@echo "Serving on http://$(HOST):$(PORT)/"
	@# Its last line says how to log in: the generated password on the first start, then where it is.
	@$(BIN)/python manage.py ensure_superuser --admin-url http://$(HOST):$(PORT)/admin/
	@# Without Redis, one worker with beat inside serves the filesystem queue in var/celery/.
	@if [ -z "$$REDIS_URL" ]; then \
		$(BIN)/celery -A config worker --beat --pool solo --loglevel INFO --logfile var/worker.log & \
	fi; \
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: install
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest $(PYTEST_ARGS)

test-sqlite: install
	env -u DATABASE_URL -u REDIS_URL CELERY_TASK_ALWAYS_EAGER=1 $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Django's deployment checks with production settings: no debug, a real secret key (this
# environment's SECRET_KEY, else a fresh one), a host name, and the secure defaults.
deploy-check: install
	DEBUG=false ALLOWED_HOSTS=$${ALLOWED_HOSTS:-aidledger.example.org} \
	SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

worker: install
	$(BIN)/celery -A config worker --loglevel INFO

beat: install
	$(BIN)/celery -A config beat --loglevel INFO

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
