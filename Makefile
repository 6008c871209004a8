# Two commands on a fresh machine: `make demo` and `make test`. Both build .venv from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= $(CURDIR)/.demo
DEMO_DB ?= sqlite:///$(DEMO_DIR)/antrean.db

.PHONY: venv demo test test-fast bench lint clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p $(DEMO_DIR)
	$(BIN)/antrean --database $(DEMO_DB) init --config assets/config/demo-branch.toml --always-open
	$(BIN)/antrean --database $(DEMO_DB) demo-data
	$(BIN)/antrean --database $(DEMO_DB) demo

# Each app's GUI tests run in a pytest process of their own: in one run over everything, a
# segfault came from pytest-qt's processEvents after the kiosk tests had finished (an event
# queued by one app's test delivered to an object its teardown deleted); apart, none has.
TEST_GROUPS := "tests --ignore=tests/kiosk --ignore=tests/counter --ignore=tests/display" \
  tests/kiosk tests/counter tests/display

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	for group in $(TEST_GROUPS); do \
	  QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $$group $(PYTEST_ARGS) || exit 1; \
	done

# The inner loop: the pure and SQLite tests only; no PostgreSQL, Qt, browser or
# multi-process runs (tests/conftest.py marks those by folder and fixture).
test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests \
	  -m "not postgres and not gui and not browser and not slow" $(PYTEST_ARGS)

BENCHMARKS := call_next estimates kiosk_issue call_to_display display_soak report concurrency live_pages notify

bench: $(STAMP)
	for name in $(BENCHMARKS); do \
	  echo "== bench/$$name.py"; QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.$$name || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache
