# One entry point. `make demo` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ITAS := $(BIN)/itas
# Every app of itas/ (a new app's catalogue is compiled without anyone remembering to list it).
APPS := $(notdir $(patsubst %/apps.py,%,$(wildcard itas/*/apps.py)))
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-postgres bench bench-quick bench-credibility serve lint format messages compilemessages clean venv venv-postgres

venv: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

# The PostgreSQL driver, for the targets that run on PostgreSQL.
venv-postgres: $(BIN)/.installed-postgres

$(BIN)/.installed-postgres: $(BIN)/.installed
	$(BIN)/pip install -q -e ".[dev,postgres]"
	touch $@

compilemessages: venv
	@for app in $(APPS); do \
	  if [ -d itas/$$app/locale ]; then (cd itas/$$app && $(abspath $(ITAS)) compilemessages -v0) || exit 1; fi; \
	done

# Extract new strings into each app's Thai catalogue; translate them before committing.
messages: venv
	@for app in $(APPS); do \
	  mkdir -p itas/$$app/locale; \
	  (cd itas/$$app && ../../$(ITAS) makemessages -l th --no-obsolete --no-location -v0) || exit 1; \
	done

demo: venv compilemessages
	ITAS_DEMO=1 $(ITAS) migrate -v0
	ITAS_DEMO=1 $(ITAS) load_demo
	ITAS_DEMO=1 ITAS_DEBUG=1 $(ITAS) runserver $(HOST):$(PORT)

# PYTEST_ARGS narrows a run, e.g. make test PYTEST_ARGS='-m "not e2e"' or a file's path.
test: venv compilemessages
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

test-postgres: venv-postgres compilemessages
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

serve: venv-postgres compilemessages
	bin/serve

bench: venv-postgres compilemessages
	$(BIN)/python -m bench $(BENCH_ARGS)

# The same measurements on a tenth of the country (830 agencies, 140,000 respondents): minutes.
bench-quick: venv-postgres compilemessages
	$(BIN)/python -m bench --size small --seconds 10 $(BENCH_ARGS)

# The credibility engine against its generator at the bench's size (100 honest agencies, 5 of
# each planted pattern, all through the real form; minutes): the table of docs/benchmarks.md.
bench-credibility: venv compilemessages
	ITAS_CREDIBILITY_BENCH=1 $(BIN)/pytest -p no:cacheprovider -n 0 -s \
	  tests/surveys/test_credibility_measured.py::test_at_bench_size

lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var .pytest_cache .ruff_cache
