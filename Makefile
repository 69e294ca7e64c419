# grader — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint format bench migrate install install-dev clean help

help:
	@echo "make run    - set up .venv, migrate, load the demo course, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install test dependencies and run the whole suite"
	@echo "make lint   - ruff check, ruff format --check, mypy --strict app"
	@echo "make bench  - run the benchmarks in bench/"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamps re-run an install only when its pinned requirements change.
$(VENV)/.installed-base: requirements/base.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements/base.txt
	$(PIP) install --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.installed-base
	$(PIP) install -r requirements/dev.txt
	@touch $@

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

migrate: install
	$(VENV)/bin/grader migrate

run: install
	$(PY) run.py --host $(HOST) --port $(PORT)

test: install-dev
	$(PY) -m pytest --cov=app --cov-report=term-missing:skip-covered --cov-fail-under=90 $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --strict app

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-dev
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov test-output
