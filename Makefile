# Budgetuppföljning: everyday commands. `make run` and `make test` are all a newcomer needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
LOAD_STAMP := $(VENV)/.installed-load
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k export -x"
PYTEST_ARGS ?=
# Parallel test processes (pytest-xdist); 0 runs the suite in one process.
PYTEST_WORKERS ?= auto
# The port make run serves on, e.g. make run PORT=8001 when 8000 is taken.
PORT ?= 8000
# The SQLite file make run uses when DATABASE_URL is not set (hedemora/settings.py).
DB_FILE := db.sqlite3
# Template lines longer than this fail make lint (djlint joins lines only up to 120).
TEMPLATE_MAX_LINE := 200

.DEFAULT_GOAL := help
.PHONY: help venv install run reset-demo test lint format migrations-check deploy-check ci bench load

help:
	@echo "make run               set up .venv, migrate, load the demo budget and users, serve http://127.0.0.1:$(PORT)"
	@echo "                       (make run PORT=8001 when the port is taken)"
	@echo "make reset-demo        delete $(DB_FILE) and load the demo again (SQLite only; then make run)"
	@echo "make test              run the whole test suite"
	@echo "make lint / format     ruff and djlint (templates): check / reformat"
	@echo "make migrations-check  fail if models have changes without migrations"
	@echo "make deploy-check      Django's deployment checks in production mode"
	@echo "make ci                lint, migrations-check, deploy-check, test"
	@echo "make bench             benchmarks on fresh SQLite and PostgreSQL databases -> bench/RESULTS.md (not tests)"
	@echo "make load              month-end load test: gunicorn + PostgreSQL, locust -> bench/LOAD.md (not tests)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo --url http://127.0.0.1:$(PORT)/
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Back to the demo as make run first loads it: a new SQLite file with the budget, the demo
# follow-up and the demo users. Refuses with DATABASE_URL (it never drops a PostgreSQL
# database) and in production mode. Uploaded files in media/ are left as they are.
reset-demo: install
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "make reset-demo: DATABASE_URL is set; it only resets the SQLite file $(DB_FILE)" >&2; exit 1; fi
	@if [ "$$DJANGO_ENV" = "production" ]; then \
		echo "make reset-demo: refused in production mode (DJANGO_ENV=production)" >&2; exit 1; fi
	rm -f $(DB_FILE) $(DB_FILE)-journal $(DB_FILE)-wal $(DB_FILE)-shm
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_demo

# pytest exits 5 when it collected no tests: that must fail, not pass.
# PYTHONDONTWRITEBYTECODE (set on some machines) would make every worker rewrite and compile
# every test module again on each run, about 4 s of CPU per worker: the suite keeps its
# compiled files in __pycache__/ (ignored by git).
test: install
	@env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$rc

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --check
	$(BIN)/djlint templates --lint
	@long=$$(find templates -name '*.html' -exec awk -v max=$(TEMPLATE_MAX_LINE) \
		'length > max { printf "%s:%d: %d characters\n", FILENAME, FNR, length }' {} +); \
	if [ -n "$$long" ]; then \
		echo "$$long"; echo "make lint: template lines over $(TEMPLATE_MAX_LINE) characters" >&2; exit 1; fi

# djlint --reformat exits 1 when it changed a file: then the check must pass.
format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat --quiet || $(BIN)/djlint templates --check --quiet

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# A fresh random key each time: check --deploy warns about short or guessable keys.
deploy-check: install
	DJANGO_ENV=production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=budget.example.org \
	SITE_URL=https://budget.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

ci: lint migrations-check deploy-check test

# Benchmarks, not tests: fresh SQLite files and PostgreSQL databases (bench_budget,
# bench_budget_demo), generated data, bench/RESULTS.md. BENCH_GENERATE_ARGS=--full for the big run.
bench: install
	bench/run.sh

# The month-end load test, not a test: 50 controllers and 20 councillors (locust) against
# gunicorn and a fresh PostgreSQL database (bench_budget_load), on loopback -> bench/LOAD.md.
# Fails on any error or lost save. Installs the load extra (locust) first.
$(LOAD_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -e '.[dev,load]'
	@touch $(LOAD_STAMP)

load: $(LOAD_STAMP)
	bench/load/run.sh
