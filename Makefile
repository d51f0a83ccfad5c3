# hpkg — the two commands a newcomer needs are `make demo` and `make test` (see README.md).
VENV ?= .venv
PY   := $(VENV)/bin/python
HPKG := $(VENV)/bin/hpkg

.PHONY: setup demo check test lint typecheck docs diagram bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/setup.sh
	bash scripts/setup.sh $(VENV)
	touch $@

## Build the graph (validated with SHACL) into the embedded store, then answer a sample question.
demo: setup
	$(HPKG) build
	$(HPKG) validate
	$(HPKG) query fdi-vs-plan

## The fast layer: lint, type check, unit tests on both cores (no Java, no browser, no server process).
check: setup lint typecheck
	$(VENV)/bin/pytest -q -n 2 tests/unit

## Everything, as CI runs it: lint, type check, the docs site (strict), every test (unit + integration), on both
## cores; --dist loadfile keeps each test file on one worker, so a file's servers and stores are its own.
test: setup lint typecheck docs
	$(VENV)/bin/pytest -n 2 --dist loadfile

lint: setup
	$(VENV)/bin/ruff check .

typecheck: setup
	$(VENV)/bin/mypy

## The documentation site (MkDocs); --strict fails on a broken link.
docs: setup
	$(VENV)/bin/mkdocs build --strict --quiet --site-dir .hpkg/site

## Regenerate the data-model diagram from the ontology.
diagram: setup
	$(HPKG) diagram

clean:
	rm -rf .hpkg dist

## Benchmarks (not part of the tests): 100k and 1M triples, results in bench/results/ (see docs/benchmarks.md).
bench: setup
	$(PY) bench/run.py --sizes 100k,1M
