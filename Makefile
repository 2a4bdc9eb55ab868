# One-command entry points. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
PLAN   ?= src/cicte/plan/fixtures/2012-work-plan.txt
# PostgreSQL used by `make test` for the second run of the suite. Any database name: the
# run uses <name>_<random> (scripts/pg_probe.py), so runs on one server never collide.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/cicte
# pytest-xdist workers for the suite (auto = one per core).
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS)
export DJANGO_SETTINGS_MODULE := cicte.settings

.PHONY: run demo setup setup-dev test lint typecheck test-sqlite test-postgres browser messages clean bench lock wheel

## make run: set up everything, load the 2012 Work Plan and serve http://$(HOST)
run: setup
	mkdir -p var
	$(BIN)/cicte migrate --noinput
	$(BIN)/cicte import-plan $(PLAN)
	@if [ "$(DEMO)" = "1" ]; then $(BIN)/cicte demo; else \
	  echo "Tip: 'make run DEMO=1' also loads a clearly labelled sample of 2012 events."; fi
	@$(BIN)/cicte ensure-admin
	$(BIN)/cicte runserver $(HOST)

demo:
	$(MAKE) run DEMO=1

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reproducible installs: the exact versions in requirements.lock (requirements-dev.lock with
# the test tools), then the project itself without resolving again. `make lock` refreshes them.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

## make lock: re-resolve pyproject.toml's dependencies into the two lock files
lock: | $(BIN)/python
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet --upgrade pip
	$(VENV)-lock/bin/pip install --quiet .
	$(VENV)-lock/bin/pip freeze --exclude cicte > requirements.lock
	$(VENV)-lock/bin/pip install --quiet '.[dev]'
	$(VENV)-lock/bin/pip freeze --exclude cicte > requirements-dev.lock
	rm -rf $(VENV)-lock

## make wheel: build dist/cicte-*.whl (translations compiled in by setup.py)
wheel: setup-dev
	$(BIN)/pip wheel --quiet --no-deps -w dist .

messages: $(VENV)/.installed
	$(BIN)/python -m cicte.core.i18n_compile

setup: $(VENV)/.installed messages

setup-dev: $(VENV)/.installed-dev messages

browser:
	@sh scripts/ensure-chromium.sh

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup-dev
	$(BIN)/mypy

## make test: set up, lint, type-check, then the whole suite on SQLite and on PostgreSQL
test: setup-dev browser lint typecheck
	$(BIN)/cicte makemigrations --check --dry-run
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	DATABASE_URL= $(PYTEST)

test-postgres:
	@sh scripts/with-postgres.sh "$(TEST_POSTGRES_URL)" $(PYTEST)

bench: setup-dev
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var build dist *.egg-info
