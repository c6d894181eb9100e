# meute — the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
export MEUTE_DATA_DIR ?= $(CURDIR)/var
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.PHONY: demo serve test test-sqlite test-postgresql lint install install-test messages system-test-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==26.3"

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

install: $(VENV)/.installed messages
	$(BIN)/meute collectstatic --noinput -v0
	$(BIN)/meute warm-up

install-test: $(VENV)/.installed-test messages

messages: $(BIN)/python
	cd src/meute && ../../$(BIN)/python -m django compilemessages --settings=meute.settings -v0

demo: install
	$(BIN)/meute demo
	$(BIN)/meute serve --bind 127.0.0.1:8000

serve: install
	$(BIN)/meute serve

system-test-deps:
	bash scripts/install-test-deps.sh

lint: install-test
	$(BIN)/ruff check src tests bench scripts

test: system-test-deps install-test lint test-sqlite test-postgresql

test-sqlite:
	env -u DATABASE_URL $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal -q

# The browser journeys run once, on SQLite: what they click through is database-neutral, and
# PostgreSQL's own behaviour (row locks, COPY, the audit trigger) has its tests in tests/concurrency,
# tests/core and the service tests, which run here.
test-postgresql:
	bash scripts/ensure-postgresql.sh
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal -q -m "not nodb and not browser" tests

clean:
	rm -rf $(VENV) var
