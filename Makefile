# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint bench eval examples clean

$(STAMP): pyproject.toml scripts/convert_model.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres-test]'
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

# docs/examples.md: real /quote, /summary and digest output, produced through the fake Discord API of the tests.
examples: setup
	$(BIN)/python -m tests.discord.examples docs/examples.md

clean:
	rm -rf $(VENV) .cache data/colloquy.db data/colloquy.db-* data/colloquy.db.*
