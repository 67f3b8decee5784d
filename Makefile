# SLI Scorecard: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both set everything up on a fresh machine and are quick and idempotent the second time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_ENV := DEBUG=1 DEMO_MODE=1
PYTEST_ARGS ?=

.PHONY: run test screenshots setup venv assets bytecode migrate demo lint format serve bench clean browsers

run: setup migrate demo  ## Set up, load demo data and serve on http://127.0.0.1:8000 (with the task worker)
	@# The background-task worker (imports, packs) runs beside the web server; Ctrl-C or the end of
	@# runserver stops both.
	$(DEV_ENV) $(PY) manage.py db_worker --no-reload --interval 0.5 --worker-id make-run-$(PORT) & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# Two workers, the longest tests first (tests/conftest.py); a worker that runs out takes half the other's
# queue, so both finish together. The 25 slowest tests are listed after the results.
# pytest rewrites the asserts of ~250 test modules as it imports them (~4 s a worker) and keeps the result
# in __pycache__, unless PYTHONDONTWRITEBYTECODE is set, as on some machines: set empty here, so only the
# first run pays.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest
test: setup browsers  ## Run the whole test suite (SQLite by default; DATABASE_URL=postgres://… for PostgreSQL)
	$(PYTEST) -n 2 --dist worksteal --durations=25 $(PYTEST_ARGS)

# The browser tests again, saving a full-page screenshot of each page they check (at 1280 and 390 px, and
# printed) in test-artifacts/, for people to look at; `make test` takes none (they assert nothing).
screenshots: setup browsers  ## The browser tests, with screenshots of the pages in test-artifacts/
	SCREENSHOTS=1 $(PYTEST) -n 2 --dist worksteal -m browser $(PYTEST_ARGS)

setup: venv assets bytecode

# The project's modules compiled once, as pip compiles every installed package: under
# PYTHONDONTWRITEBYTECODE (set on some machines and images) Python would otherwise compile ~50 of them
# from source at every start of a command (~50 ms of `manage.py import_ascof`). Quick when up to date;
# a stale file is ignored by Python (it checks the source's time and size).
bytecode: venv
	$(PY) -m compileall -q core config councils scorecard selfassessment peerchallenge manage.py

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

assets: static/build/.built
static/build/.built: package.json package-lock.json static/src/app.scss static/src/init.js static/src/charts.js static/src/js-enabled.js static/src/plenary.js static/src/progress.js $(VENV)/.installed
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/build/govuk
	npx sass --pkg-importer=node --style=compressed --no-source-map static/src/app.scss static/build/app.min.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/src/init.js static/build/govuk/
	# The compiled CSS references govuk-frontend's images (and fonts, if switched on): collectstatic's
	# manifest storage fails on any missing file, so copy the whole assets folder.
	rm -rf static/build/govuk/assets && cp -R node_modules/govuk-frontend/dist/govuk/assets static/build/govuk/assets
	cp static/src/charts.js static/src/js-enabled.js static/src/plenary.js static/src/progress.js static/build/
	$(PY) -c "import plotly.offline, pathlib; pathlib.Path('static/build/plotly.min.js').write_text(plotly.offline.get_plotlyjs())"
	touch $@

browsers:  ## Debian Chromium and poppler for browser and PDF tests (needs root and apt)
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	   chromium chromium-driver poppler-utils fonts-liberation2 libharfbuzz-subset0 >/dev/null)

migrate: setup
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_councils
	$(DEV_ENV) $(PY) manage.py load_catalogue

demo: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo
	$(DEV_ENV) $(PY) manage.py seed_demo_summits

# gunicorn worker options, set explicitly (override on the command line, e.g. `make serve WEB_WORKERS=4`).
# Imports and pack builds run as tasks off the request, so a request should never need more than
# WEB_TIMEOUT seconds; a worker stuck longer is killed and replaced.
WEB_WORKERS ?= 2
TASK_WORKER ?= db_worker --no-reload --interval 1 --worker-id serve-$(PORT)
WEB_THREADS ?= 1
WEB_TIMEOUT ?= 60
WEB_GRACEFUL_TIMEOUT ?= 30
WEB_KEEPALIVE ?= 5
WEB_MAX_REQUESTS ?= 1000

serve: setup  ## Production-style: gunicorn + whitenoise (needs SECRET_KEY and ALLOWED_HOSTS)
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py migrate --noinput
	$(PY) manage.py check --deploy --database default --fail-level ERROR
	@# The task worker (imports, packs) runs beside the web server and stops with it. With the RQ backend
	@# (TASKS_BACKEND=rq) run `make serve TASK_WORKER="rqworker default"`, or run workers on other machines.
	$(PY) manage.py $(TASK_WORKER) & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) \
	  --workers $(WEB_WORKERS) --threads $(WEB_THREADS) --timeout $(WEB_TIMEOUT) \
	  --graceful-timeout $(WEB_GRACEFUL_TIMEOUT) --keep-alive $(WEB_KEEPALIVE) \
	  --max-requests $(WEB_MAX_REQUESTS) --max-requests-jitter 100 \
	  --limit-request-line 8190 --access-logfile - --error-logfile -

lint: setup  ## ruff (complexity included), the import graph (no cycle, one-way layers) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) .ci/import_graph.py
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

BENCH_PG ?= postgres://postgres@127.0.0.1:5432/sc
bench: setup  ## Every benchmark (imports, pages on SQLite and PostgreSQL, the load test); prints the machine's load
	$(PY) benchmarks/make_national_file.py
	$(PY) benchmarks/bench_import.py
	DATABASE_URL=$(BENCH_PG) $(PY) benchmarks/bench_import.py
	$(PY) benchmarks/bench_scorecard.py
	$(PY) benchmarks/bench_pages.py
	DATABASE_URL=$(BENCH_PG) $(PY) benchmarks/bench_pages.py
	DATABASE_URL=$(BENCH_PG) $(PY) benchmarks/load_test.py
	$(PY) benchmarks/bench_packs.py

clean:
	rm -rf $(VENV) static/build staticfiles node_modules

lock:  ## Re-pin requirements.lock from pyproject.toml in a scratch venv
	rm -rf /tmp/sli-lock && $(PYTHON) -m venv /tmp/sli-lock
	/tmp/sli-lock/bin/pip install --quiet --upgrade pip
	/tmp/sli-lock/bin/pip install --quiet "$$(pwd)[dev]"
	(echo "# Pinned versions for repeatable installs: regenerate with 'make lock' after changing pyproject.toml."; \
	 /tmp/sli-lock/bin/pip freeze --exclude-editable | grep -v '^sli-scorecard') > requirements.lock
