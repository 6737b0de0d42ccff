# 进销存 ERP — every target installs what it needs first (uv from PyPI, then the locked workspace).
PYTHON ?= python3
UV := $(PYTHON) -m uv
MYPY_PATHS := contracts/src libs/eventkit/src cli/src $(wildcard services/*/src) bench conftest.py

.PHONY: install run test lint format bench bench-system schemas soak consistency clean

install:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --frozen --quiet

## The local stack on the embedded default: PostgreSQL + Kafka-compatible broker + all services.
run: install
	$(UV) run erp up

## The tests, in two runs. First what runs in this process (contracts, kernel, CLI, services,
## fuzzing), TEST_WORKERS files at a time (pytest-xdist); then, one test at a time, what starts
## whole stacks as processes or measures under load (browser, consistency, e2e, faults), which
## tests running beside them would skew. Both runs always run; either failing fails the target.
TEST_WORKERS ?= 3
PARALLEL_TESTS := contracts/tests libs/eventkit/tests cli/tests services tests/fuzz
SERIAL_TESTS := tests/browser tests/consistency tests/e2e tests/faults
test: install
	@status=0; \
	$(UV) run pytest -n $(TEST_WORKERS) --dist loadfile $(PARALLEL_TESTS) || status=1; \
	$(UV) run pytest $(SERIAL_TESTS) || status=1; \
	exit $$status

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
	$(UV) run python -m bench.reporting_bench
	$(UV) run python -m bench.console_bench
	$(UV) run python -m bench.import_bench
	$(MAKE) bench-system

## Order-to-cash through the whole stack (all services as processes), against pgbench in the
## same run; figures also in .erp/bench/system.json. CLIENTS=16 BENCH_SECONDS=60 by default.
CLIENTS ?= 16
BENCH_SECONDS ?= 60
bench-system: install
	$(UV) run python -m bench.system_bench --clients $(CLIENTS) --seconds $(BENCH_SECONDS)

## Fault soak (docs/faults.md): a seeded random schedule of every fault under load for MINUTES
## minutes, then the invariants. The seed is printed first; SEED=<it> replays the schedule.
MINUTES ?= 10
SEED ?=
soak: install
	ERP_SOAK_MINUTES=$(MINUTES) ERP_SOAK_SEED=$(SEED) $(UV) run pytest tests/faults -m soak -s

## Read-your-writes in full: 1,000 create-then-read pairs in a row per service, under load.
consistency: install
	ERP_CONSISTENCY_PAIRS=1000 ERP_CONSISTENCY_OTHER_PAIRS=50 $(UV) run pytest tests/consistency -s -q

## Regenerate the committed JSON Schema snapshots after an additive contract change.
schemas: install
	$(UV) run python -m erp_contracts.schema_export --write contracts/schemas

clean:
	rm -rf .erp .pytest_cache .mypy_cache .ruff_cache
