# One gate: lint, types, tests.
PY ?= .venv/bin
.PHONY: check lint types test bench
check: lint types test
lint:
	$(PY)/ruff check .
	$(PY)/ruff format --check advisor tests benchmarks scripts
types:
	$(PY)/mypy
test:
	$(PY)/pytest
bench:
	$(PY)/python benchmarks/scale.py
