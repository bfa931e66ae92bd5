# SkillPath: `make run` serves the app on SQLite with the LLM tracks; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run serve test loadtest bench lint format content clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py import_content --if-empty
	@echo ""
	@echo "  SkillPath is starting at http://$(HOST):$(PORT)/"
	@echo "  Admin account: DEBUG=1 $(PY) manage.py createsuperuser   (then http://$(HOST):$(PORT)/admin/)"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The production setup, locally: gunicorn on PostgreSQL (and Redis when REDIS_URL is set),
# static files collected and fingerprinted, a secret key kept in .secret-key.
SERVE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/skillpath
serve: export DEBUG = 0
serve: export SECRET_KEY = $(shell cat .secret-key)
serve: export DATABASE_URL ?= $(SERVE_DATABASE_URL)
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SECURE_SSL_REDIRECT ?= 0
serve: setup .secret-key
	@psql "$$DATABASE_URL" -c "SELECT 1" >/dev/null 2>&1 || \
		createdb --maintenance-db="$(dir $(SERVE_DATABASE_URL))postgres" "$(notdir $(SERVE_DATABASE_URL))"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_content --if-empty
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  SkillPath (production setup) at http://$(HOST):$(PORT)/ on $$DATABASE_URL"
	@echo ""
	HOST=$(HOST) PORT=$(PORT) exec $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

.secret-key:
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# In one process by default; TEST_WORKERS=auto gives one pytest-xdist worker per core, each
# with its own test database (test_<name>_gw0, ...). On this quiet 2-core machine,
# 2026-12-01, SQLite: 241 s in one process, 211 s in two workers (1,058 tests). The
# workers also passed twice on each database under heavy load, but one process has the
# longer record and costs only half a minute more, so CI stays on it.
TEST_WORKERS ?= 0
test: setup
	$(PY) -m pytest --numprocesses=$(TEST_WORKERS)

# Not part of the suite: two gunicorn servers on PostgreSQL and Redis (loadtest/README.md).
loadtest: setup
	$(PY) loadtest/scaleout.py
	$(PY) loadtest/load.py --users 50 --duration 180
	$(PY) loadtest/load.py --users 50 --duration 120 --restart-postgres-at 60

# Not part of the suite: page timings and throughput (gunicorn + wrk, against a trivial
# Django view) at 100,000 users on PostgreSQL (docs/performance.md). BENCH_SIZES=1000,10000,100000
# adds the growth table. wrk comes from Debian when missing.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/skillpath_bench
BENCH_SIZES ?= 100000
bench: setup
	@command -v wrk >/dev/null || (apt-get install -y wrk || sudo apt-get install -y wrk)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/pages_benchmark.py --sizes $(BENCH_SIZES)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .hypothesis
