# Bibliotekernes kompetencenetværk. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# PostgreSQL for `make test-postgres`; pytest-django creates and drops its own test_ database on this server.
PG_URL ?= postgres://postgres@127.0.0.1:5432/kompetencenetvaerk

.DEFAULT_GOAL := help
.PHONY: help install run test test-sqlite test-postgres lint migrate demo clean bench bench-clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt ".[dev]"
	@touch $@

install: $(VENV)/.installed ## Create the virtual environment and install the pinned dependencies

migrate: install ## Apply the database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo content and demo users (idempotent)
	$(BIN)/python manage.py load_demo

run: demo ## Set up everything and serve the demo on http://127.0.0.1:$(PORT)
	@echo ""
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install ## ruff, Django's checks and the migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: install ## The test suite on SQLite (browser tests in their own process, skipped without Chromium)
	$(BIN)/pytest --ignore=tests/browser
	$(BIN)/pytest tests/browser

test: lint test-sqlite ## Install, lint and run every test (SQLite)

test-postgres: install ## The test suite on PostgreSQL (PG_URL)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest --ignore=tests/browser
	DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/browser

bench: install ## Benchmarks at N=200 and N=20,000 on SQLite (and PostgreSQL when DATABASE_URL is set)
	$(BIN)/python tests/benchmarks/bench.py $(BENCH_ARGS)

bench-clean: ## Remove the benchmark databases
	rm -rf var/bench

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) db.sqlite3 media static var
