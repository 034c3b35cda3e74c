# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint bench eval clean

$(STAMP): pyproject.toml scripts/convert_model.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python scripts/convert_model.py
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/colloquy demo

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: setup
	$(BIN)/colloquy bench search --passages 100000

eval: setup
	$(BIN)/colloquy eval search

clean:
	rm -rf $(VENV) .cache data/colloquy.db data/colloquy.db-*
