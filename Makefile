# One command each: `make run` (embedded defaults, demo data) and `make test` (PostgreSQL + Redis).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
TEST_DATABASE_URL := $(or $(DATABASE_URL),postgresql://postgres:postgres@127.0.0.1:5432/test)

.PHONY: run demo-stream test bench setup system venv frontend messages lint typecheck contracts compose-check lock clean

setup: system venv frontend messages

system:
	@scripts/system-deps.sh docker-compose wrk

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

frontend:
	@scripts/frontend.sh

# Compile the translations (Chinese first) from backend/locale/*.po.
messages: export DEBUG = 1
messages: venv
	cd backend && ../$(PY) ../manage.py compilemessages -v0

# DEBUG defaults to off (production); the demo turns it on, for every process honcho starts.
run: export DEBUG = 1
run: setup
	@scripts/services.sh redis
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py demo_load
	@scripts/run.sh

# With `make run` up, in a second terminal: a test pattern pushed through the demo session,
# restreamed to the local ingest, two products explained, ended; the replay and clips follow.
demo-stream: export DEBUG = 1
demo-stream:
	$(PY) manage.py live_demo_stream

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy backend worker sandboxes
	$(VENV)/bin/mypy --strict streaming shop_connectors

contracts: venv
	$(VENV)/bin/lint-imports

# Parses the production stack without a Docker engine (placeholders for required secrets).
compose-check:
	SECRET_KEY=check FIELD_ENCRYPTION_KEYS=check POSTGRES_PASSWORD=check STREAMING_CALLBACK_SECRET=check \
	  PAYMENT_SECRET=check SMS_SANDBOX_API_KEY=check \
	  docker-compose -f docker/compose.yaml config -q

test: setup
	@scripts/services.sh postgres redis
	$(MAKE) --no-print-directory lint typecheck contracts compose-check
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest -n $${PYTEST_WORKERS:-3} --dist loadgroup --durations=15

bench: setup
	@scripts/services.sh postgres redis
	@set -e; for b in tests/bench/bench_*.py; do echo "== $$b"; $(PY) $$b; done

# Re-resolve the pinned versions after changing dependencies in pyproject.toml.
lock:
	rm -rf /tmp/qs-lock && python3 -m venv /tmp/qs-lock
	/tmp/qs-lock/bin/pip install -q -e '.[dev]'
	/tmp/qs-lock/bin/pip freeze --exclude-editable | grep -v '^qinshui-platform' > constraints.txt

clean:
	rm -rf var/static var/celerybeat-schedule .pytest_cache .mypy_cache .ruff_cache
