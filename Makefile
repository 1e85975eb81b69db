# jiceng: the two commands are `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint bench browser-deps clean

$(STAMP): pyproject.toml package.json
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	npm install --no-audit --no-fund --loglevel=error
	touch $(STAMP)

MO := jiceng/locale/en/LC_MESSAGES/django.mo

$(MO): jiceng/locale/en/LC_MESSAGES/django.po $(STAMP)
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq gettext >/dev/null; } \
	  || { echo "缺少 msgfmt：请安装 gettext / msgfmt is missing: install gettext"; exit 1; }
	$(BIN)/jiceng compilemessages -l en -v 0

setup: $(STAMP) $(MO)

run: setup
	$(BIN)/jiceng migrate --no-input -v 0
	$(BIN)/jiceng load_demo
	$(BIN)/jiceng serve --host $(HOST) --port $(PORT)

browser-deps:
	@bash scripts/ensure-chromium.sh

test: setup browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check jiceng tests bench
	$(BIN)/ruff format --check jiceng tests bench
	$(BIN)/mypy $$(ls jiceng/*/actions.py jiceng/*/selectors.py jiceng/*/actions/*.py 2>/dev/null)

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
