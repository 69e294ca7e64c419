# grader — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint format bench migrate install install-dev system-deps mobile clean help

help:
	@echo "make run    - set up .venv, migrate, load the demo course, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install test dependencies and run the whole suite"
	@echo "make lint   - ruff check, ruff format --check, mypy --strict app"
	@echo "make bench  - run the benchmarks in bench/"
	@echo "make mobile - start the Kivy app on the desktop against http://$(HOST):$(PORT)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamps re-run an install only when its pinned requirements change.
$(VENV)/.installed-base: requirements/base.txt pyproject.toml | $(PY)
	$(PIP) install -r requirements/base.txt
	$(PIP) install --no-deps -e .
	@touch $@

# Test extras (browser and Kivy clients) live in their own files, installed when present.
EXTRA_REQUIREMENTS := $(wildcard requirements/web.txt requirements/mobile.txt)

$(VENV)/.installed-dev: requirements/dev.txt $(EXTRA_REQUIREMENTS) $(VENV)/.installed-base
	$(PIP) install -r requirements/dev.txt $(addprefix -r ,$(EXTRA_REQUIREMENTS))
	@touch $@

# System packages the browser and Kivy tests need: Debian's Chromium (Playwright's own
# browser download cannot work offline) and Mesa's GL/EGL for a headless SDL2 window.
# Installed with apt only when missing, and only as root on Debian.
SYSTEM_PACKAGES := chromium libgl1-mesa-dri libegl1 libgles2 libmtdev1 xvfb xauth fonts-dejavu-core
system-deps:
	@missing=""; for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; \
	else \
	  echo "Missing system packages:$$missing (install them, or run as root on Debian)" >&2; exit 1; \
	fi

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

migrate: install
	$(VENV)/bin/grader migrate

run: install
	$(PY) run.py --host $(HOST) --port $(PORT)

test: install-dev system-deps
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

mobile: install-dev
	$(PY) -m mobile --server http://$(HOST):$(PORT)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov test-output
