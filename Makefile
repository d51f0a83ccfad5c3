# hpkg — the two commands a newcomer needs are `make demo` and `make test` (see README.md).
VENV ?= .venv
PY   := $(VENV)/bin/python
HPKG := $(VENV)/bin/hpkg

.PHONY: setup demo test lint diagram bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	bash scripts/setup.sh $(VENV)
	touch $@

## Build the graph (validated with SHACL), then answer a sample question.
demo: setup
	$(HPKG) build
	$(HPKG) query fdi-vs-plan

## Lint, then the whole test suite.
test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check .

## Regenerate the data-model diagram from the ontology.
diagram: setup
	$(HPKG) diagram

clean:
	rm -rf .hpkg dist

## Benchmarks (not part of the tests): 100k and 1M triples, results in bench/results/ (see README, Scaling up).
bench: setup
	$(PY) bench/run.py --sizes 100k,1M
