# One-command entry points. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
PLAN   ?= src/cicte/plan/fixtures/2012-work-plan.txt
# PostgreSQL used by `make test` for the second run of the suite.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/cicte
export DJANGO_SETTINGS_MODULE := cicte.settings

.PHONY: run demo setup setup-dev test lint typecheck test-sqlite test-postgres browser messages clean bench

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

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

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
	DATABASE_URL= $(BIN)/pytest

test-postgres:
	@sh scripts/with-postgres.sh "$(TEST_POSTGRES_URL)" $(BIN)/pytest

bench: setup-dev
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var build *.egg-info
