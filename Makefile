# Two commands set everything up on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup serve test lint bench openapi fuzz clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP) ## create or refresh .venv

serve: $(STAMP) ## build the embedded guide when needed and serve the API
	$(BIN)/prepdeck serve

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint ## run the whole test suite
	$(BIN)/python -m pytest

# scale.py last: it writes and deletes gigabytes, and the machine is slower for a while after
BENCHES = $(filter-out benchmarks/scale.py,$(sort $(wildcard benchmarks/[!_]*.py))) benchmarks/scale.py

bench: $(STAMP) ## run every benchmark; each ends with `target ...` lines
	@set -e; for b in $(BENCHES); do echo "== $$b"; $(BIN)/python $$b; done

fuzz: $(STAMP) ## property-based run of the API against openapi/openapi.json (default 300 s)
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),300) FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),100) \
		$(BIN)/python -m pytest tests/api/test_fuzz.py -q -s -p no:cacheprovider

openapi: $(STAMP) ## regenerate openapi/openapi.json (a test fails when it is stale)
	$(BIN)/python -m api.openapi.file openapi/openapi.json

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
