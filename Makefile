# Bibliotekernes kompetencenetværk. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# PostgreSQL for `make test-postgres`; pytest-django creates and drops its own test_ database on this server.
PG_URL ?= postgres://postgres@127.0.0.1:5432/kompetencenetvaerk

.DEFAULT_GOAL := help
.PHONY: help install messages run test test-sqlite test-postgres lint structure migrate demo clean bench bench-registration bench-admin bench-fragments bench-peer bench-clean lighthouse loadtest loadtest-round

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt ".[dev]"
	@touch $@

# The interface catalogues (Danish is the source language; English is translated in locale/en) and the Danish for
# Wagtail's and taggit's catalogues (locale/wagtail/..., locale/taggit/...), compiled with GNU gettext's msgfmt,
# installed from Debian's packages when missing.
MO_FILES := $(patsubst %.po,%.mo,$(shell find locale -name '*.po'))

# Each catalogue on its own, as compilemessages would (msgfmt --check-format), only when its .po changed.
locale/%.mo: locale/%.po
	@command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null)
	msgfmt --check-format -o $@ $<

# axe-core and Lighthouse for the accessibility checks of the browser tests and `make lighthouse`, pinned in
# package-lock.json; skipped (and the axe checks with it) where npm is missing.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the axe-core checks of the browser tests will be skipped"; fi

# nginx for the test of the README's proxy set-up (tests/network/test_proxy_nginx.py), from Debian's packages when missing.
.PHONY: nginx
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null)

# WeasyPrint (the course certificates) draws text with Debian's Pango and HarfBuzz and needs a font.
.PHONY: pango
pango:
	@ldconfig -p | grep -q 'libpangoft2-1.0.so' && ldconfig -p | grep -q 'libharfbuzz-subset.so' && test -d /usr/share/fonts/truetype/dejavu || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null)

# The tests of a Redis that stops (and `make loadtest`) start their own redis-server: Debian's, installed when missing.
install: $(VENV)/.installed $(MO_FILES) node_modules/.installed nginx pango ## Create the virtual environment, install the pinned dependencies (Python and npm), compile the catalogues
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)

messages: install ## Update the English catalogue from the code and templates (then translate the new entries)
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=node_modules -v0

migrate: install ## Apply the database migrations
	$(BIN)/python manage.py migrate --noinput

# The address `make run` serves on goes to the demo site (the pages' full URLs: canonical links, JSON-LD, calendars)
# and to the links in e-mails (WAGTAILADMIN_BASE_URL), so both lead to this server whatever HOST and PORT are.
BASE_URL ?= http://$(HOST):$(PORT)

demo: migrate ## Load the demo content and demo users (idempotent), its site on HOST:PORT
	WAGTAILADMIN_BASE_URL=$(BASE_URL) $(BIN)/python manage.py load_demo --hostname $(HOST) --port $(PORT)

run: demo ## Set up everything and serve the demo on http://127.0.0.1:$(PORT)
	@echo ""
	@echo "Serving on $(BASE_URL)/  (admin: $(BASE_URL)/admin/)"
	WAGTAILADMIN_BASE_URL=$(BASE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install ## ruff, Django's checks and the migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

structure: install ## The imports between the apps and the project layer, and what runs against the layers
	$(BIN)/python -m tests.structure

test-sqlite: install ## The test suite on SQLite (browser tests in their own process, skipped without Chromium)
	$(BIN)/pytest --ignore=tests/browser
	$(BIN)/pytest tests/browser

test: lint test-sqlite ## Install, lint and run every test (SQLite)

test-postgres: install ## The test suite on PostgreSQL (PG_URL)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest --ignore=tests/browser
	DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/browser

bench: install ## Benchmarks at N=200 and N=20,000 on SQLite (and PostgreSQL, with registration, when DATABASE_URL is set); Lighthouse
	$(BIN)/python tests/benchmarks/bench.py $(BENCH_ARGS)
	@case "$$DATABASE_URL" in postgres*) $(MAKE) --no-print-directory bench-registration ;; esac
	$(MAKE) --no-print-directory bench-fragments
	$(MAKE) --no-print-directory bench-admin
	$(MAKE) --no-print-directory lighthouse

bench-fragments: install ## What each cache inside a page saves when the page is made anew, N=200 and N=20,000; var/bench/fragments.json
	$(BIN)/python tests/benchmarks/bench_fragments.py $(BENCH_FRAGMENTS_ARGS)

bench-registration: install ## Registration at 20 concurrent clients on PostgreSQL (DATABASE_URL)
	$(BIN)/python tests/benchmarks/bench_registration.py $(BENCH_REGISTRATION_ARGS)

bench-admin: install ## The coordinators' admin screens and exports at 2,000 and 200,000 participants; var/bench/admin.json
	$(BIN)/python tests/benchmarks/bench_admin.py $(BENCH_ADMIN_ARGS)

# Not part of `make test` nor `make bench`: it installs Wagtail CRX from PyPI into var/bench/crx/ and runs for minutes.
bench-peer: install ## Our listing and month filter beside Wagtail CRX's event index (computed and cached) and calendar JSON, N=200 and N=20,000; var/bench/peer.json
	$(BIN)/python tests/benchmarks/bench_peer.py $(BENCH_PEER_ARGS)

lighthouse: install ## Lighthouse scores (mobile) of the home page, a listing, a course page and search; var/bench/lighthouse.json
	$(BIN)/python tests/benchmarks/lighthouse.py

# Not part of `make test`: it runs for minutes (LOADTEST_SECONDS per run, 300 by default; LOADTEST_FAULTS picks runs).
loadtest: install ## 100 visitors and 20 registering contacts against gunicorn + PostgreSQL (DATABASE_URL) + Redis; then with Redis stopped and the database's connections killed
	$(BIN)/python tests/benchmarks/loadtest.py $(LOADTEST_ARGS)

loadtest-round: install ## A registration round opening: 200 visitors on one offering page while 50 contacts register at once
	$(BIN)/python tests/benchmarks/loadtest.py --scenario round $(LOADTEST_ARGS)

bench-clean: ## Remove the benchmark databases
	rm -rf var/bench

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) node_modules db.sqlite3 media static var
