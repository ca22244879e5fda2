# tallyflow: `make run` sets up and runs the example pipeline; `make test` sets up and runs
# every check. Both create .venv and install everything the project needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Debian packages the test suite drives as real peers (installed when missing; needs root);
# chromium is the headless browser of the web UI tests.
APT_PACKAGES := prometheus git chromium
EXAMPLE := examples/codemirror
# graphite-web needs Django 3.x: its own virtualenv, used by the series-store test
GRAPHITE_WEB := .venv-graphite-web

.PHONY: help install debian run test lint typecheck pytest bench screenshots clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $@

install: $(STAMP) ## create .venv with tallyflow and its test tools

debian: ## install the Debian packages the tests need (when missing)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

run: install ## set up and run the example pipeline (Ctrl-C stops it)
	$(BIN)/tallyflow up -p $(EXAMPLE) --traffic --every 30s

lint: install ## ruff
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: install ## mypy --strict on src/
	$(BIN)/mypy

$(GRAPHITE_WEB)/bin/django-admin:
	$(PYTHON) -m venv $(GRAPHITE_WEB)
	$(GRAPHITE_WEB)/bin/pip install --quiet graphite-web==1.1.10 whisper==1.1.10

pytest: install debian $(GRAPHITE_WEB)/bin/django-admin ## the test suite
	$(BIN)/pytest

test: lint typecheck pytest ## set up, then lint, type-check and run every test

bench: install ## benchmarks (figures go to docs/performance.md)
	@$(MAKE) --no-print-directory debian APT_PACKAGES=wrk
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/statsd.py
	$(BIN)/python bench/generate.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/schemas.py
	$(BIN)/python bench/spec.py
	$(BIN)/python bench/ui_streams.py

screenshots: install debian ## screenshots of the web UI into docs/images
	TALLYFLOW_SCREENSHOTS=docs/images $(BIN)/pytest tests/visualize/ui -k screenshot

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) $(GRAPHITE_WEB) .pytest_cache .mypy_cache .ruff_cache
