# 进销存 ERP — every target installs what it needs first (uv from PyPI, then the locked workspace).
PYTHON ?= python3
UV := $(PYTHON) -m uv
MYPY_PATHS := contracts/src libs/eventkit/src cli/src $(wildcard services/*/src) bench conftest.py

.PHONY: install run test lint format bench schemas clean

install:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --frozen --quiet

## The local stack on the embedded default: PostgreSQL + Kafka-compatible broker + all services.
run: install
	$(UV) run erp up

test: install
	$(UV) run pytest

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy $(MYPY_PATHS)
	$(UV) run python -m erp_contracts.schema_export --check contracts/schemas

format: install
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

bench: install
	$(UV) run python -m bench.eventkit_bench
	$(UV) run python -m bench.inventory_bench
	$(UV) run python -m bench.finance_bench

## Regenerate the committed JSON Schema snapshots after an additive contract change.
schemas: install
	$(UV) run python -m erp_contracts.schema_export --write contracts/schemas

clean:
	rm -rf .erp .pytest_cache .mypy_cache .ruff_cache
