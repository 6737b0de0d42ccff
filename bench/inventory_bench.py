"""Inventory benchmarks (issue: inventory). Ratios against baselines measured in this run.

1. reservations/s on ONE hot SKU with 32 concurrent clients ÷ the same on 32 distinct SKUs
   (how much the per-stock-item serialisation that prevents double-selling costs);
2. `as_of` stock query p50/p99 on a stock item with 1,000,000 ledger rows ÷ a primary-key
   lookup on the same table (goal ≤ 3×);
3. a 10,000-line stocktake started, counted in batches and completed: wall time (goal < 10 s;
   ERPNext users report 10–15 min for 5,000 lines);
4. fifo_vs_average: FIFO issue cost on an item with 10,000 open layers ÷ moving-average issue
   cost (goal ≤ 2×; `bench/costing_bench.py`). `python -m bench.inventory_bench
   fifo_vs_average` runs this case alone.
"""

import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from bench import costing_bench
from bench.common import console, median, percentile, report, run_for
from bench.eventkit_bench import raw_dsn
from erp_contracts.events.sales import SalesOrderLine, SalesOrderPlaced
from eventkit import CommandContext, EventStore
from eventkit.db import create_engine, folder_migrations, migrate
from eventkit.projections import ProjectionRunner
from eventkit.runtime import service_migrations
from eventkit.testing.databases import create_test_database, drop_test_database, prepare_template
from eventkit.testing.infrastructure import started_infrastructure
from eventkit.uow import in_transaction
from inventory import bootstrap
from inventory.adapters.projections import StockLedgerProjection, stock_as_of
from inventory.application import commands as c
from inventory.application.adjustments import adjust_stock
from inventory.application.master_data import register_item, register_warehouse
from inventory.application.reservations import on_sales_order_placed
from inventory.application.stocktakes import complete_stocktake, record_counts, start_stocktake
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.document_events import CountLine
from inventory.domain.item import StockPolicy
from inventory.domain.vocabulary import AdjustmentReason

CLIENTS = 32
RESERVATIONS = 1600
LEDGER_ROWS = int(__import__("os").environ.get("BENCH_LEDGER_ROWS", "1000000"))
QUERY_SAMPLES = 500
STOCKTAKE_LINES = 10_000
CONTEXT = CommandContext(actor="bench")


async def command(engine: Any, store: EventStore, handler: Any, cmd: Any) -> Any:
    async def work(conn: AsyncConnection) -> Any:
        uow = InventoryUnitOfWork(conn, store, CONTEXT)
        result = await handler(uow, cmd)
        await uow.save()
        return result

    return await in_transaction(engine, work, retries=10_000)


async def stocked_item(
    engine: Any, store: EventStore, sku: str, warehouse_id: str, qty: Decimal, cost: Decimal
) -> None:
    """Register `sku` and give it opening stock in the warehouse (其它入库, opening balance)."""
    item = c.RegisterItem(sku=sku, name=sku, uom="pcs", policy=StockPolicy())
    await command(engine, store, register_item, item)
    opening = c.AdjustStock(
        sku=sku,
        warehouse_id=warehouse_id,
        qty_delta=qty,
        reason=AdjustmentReason.OPENING_BALANCE,
        unit_cost=cost,
        occurred_at=datetime.now(UTC),
    )
    await command(engine, store, adjust_stock, opening)


async def opening_stock(engine: Any, store: EventStore, skus: list[str], qty: str) -> None:
    warehouse = c.RegisterWarehouse(warehouse_id="WH", name="W")
    await command(engine, store, register_warehouse, warehouse)
    for sku in skus:
        await stocked_item(engine, store, sku, "WH", Decimal(qty), Decimal(5))


def order(sku: str) -> SalesOrderPlaced:
    import uuid

    order_id = uuid.uuid4()
    line = SalesOrderLine(sku=sku, qty=Decimal(1), unit_price=Decimal(9))
    return SalesOrderPlaced(
        order_id=order_id, order_number="SO", customer_id="C", warehouse_id="WH", lines=(line,)
    )


async def bench_reservations(url: str) -> tuple[float, float]:
    engine = create_engine(url, pool_size=CLIENTS)
    await migrate(engine, folder_migrations(service_migrations(bootstrap.__file__), "inventory"))
    store = EventStore()
    skus = [f"SKU-{i:02d}" for i in range(CLIENTS)]
    await opening_stock(engine, store, ["HOT", *skus], "1000000")

    async def hot(_: int) -> None:
        await command(engine, store, on_sales_order_placed, order("HOT"))

    async def spread(i: int) -> None:
        await command(engine, store, on_sales_order_placed, order(skus[i % CLIENTS]))

    hot_rate, spread_rate = [], []
    for _ in range(2):  # interleaved rounds: both see the same machine and stream lengths
        hot_rate.append(await run_for(RESERVATIONS // 2, CLIENTS, hot))
        spread_rate.append(await run_for(RESERVATIONS // 2, CLIENTS, spread))
    await engine.dispose()
    return median(hot_rate), median(spread_rate)


async def bench_as_of(url: str) -> tuple[float, float, float, float]:
    engine = create_engine(url, pool_size=4)
    runner = ProjectionRunner(engine, StockLedgerProjection())
    await runner.ensure_schema()
    await engine.dispose()
    pool = await asyncpg.create_pool(raw_dsn(url), min_size=1, max_size=2)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    async with pool.acquire() as conn:
        columns = await conn.fetch(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'rm_ledger' AND table_name = 'movements'"
        )
        console.print(f"filling rm_ledger.movements with {LEDGER_ROWS:,} rows …")
        await conn.execute(_FILL_LEDGER, LEDGER_ROWS, start)
        await conn.execute("ANALYZE rm_ledger.movements")
        del columns
    engine = create_engine(url, pool_size=2)
    span = LEDGER_ROWS  # one movement a minute
    ours: list[float] = []
    async with engine.connect() as conn:
        for i in range(QUERY_SAMPLES):
            at = start + timedelta(minutes=(i * 7919) % span)
            began = time.perf_counter()
            await stock_as_of(conn, sku="HOT", warehouse_id="WH", as_of=at)
            ours.append((time.perf_counter() - began) * 1000)
    await engine.dispose()
    base: list[float] = []
    async with pool.acquire() as conn:
        for i in range(QUERY_SAMPLES):
            began = time.perf_counter()
            await conn.fetchrow(
                "SELECT * FROM rm_ledger.movements WHERE global_position = $1",
                (i * 7919) % span + 1,
            )
            base.append((time.perf_counter() - began) * 1000)
    await pool.close()
    return (
        percentile(ours, 0.5),
        percentile(ours, 0.99),
        percentile(base, 0.5),
        percentile(base, 0.99),
    )


# One stock item, one movement a minute, running balances as the projection keeps them.
_FILL_LEDGER = """
INSERT INTO rm_ledger.movements (global_position, line, movement_id, sku, warehouse_id,
    event_type, document, document_type, direction, qty, unit_cost, value, qty_before,
    qty_after, value_before, value_after, occurred_at, recorded_at, actor, lot, location,
    reason, known_qty, known_value)
SELECT g, 0, gen_random_uuid(), 'HOT', 'WH', 'StockReceived', 'GR-' || g, 'goods_receipt', 'in',
       1, 5, 5, g - 1, g, (g - 1) * 5, g * 5, $2::timestamptz + make_interval(mins => g),
       $2::timestamptz + make_interval(mins => g), 'bench', NULL, NULL, NULL, g, g * 5
FROM generate_series(1, $1) g
"""


async def bench_stocktake(url: str) -> tuple[float, float, float, float]:
    engine = create_engine(url, pool_size=4)
    store = EventStore()
    skus = [f"ST-{i:05d}" for i in range(STOCKTAKE_LINES)]
    await command(
        engine, store, register_warehouse, c.RegisterWarehouse(warehouse_id="STW", name="S")
    )
    console.print(f"registering {STOCKTAKE_LINES:,} items with opening stock …")
    sem = asyncio.Semaphore(8)

    async def seed(sku: str) -> None:
        async with sem:
            await stocked_item(engine, store, sku, "STW", Decimal(10), Decimal(3))

    await asyncio.gather(*(seed(sku) for sku in skus))
    import uuid

    stocktake_id = uuid.uuid4()
    began = time.perf_counter()
    await command(
        engine,
        store,
        start_stocktake,
        c.StartStocktake(
            warehouse_id="STW",
            skus=tuple(skus),
            occurred_at=datetime.now(UTC),
            stocktake_id=stocktake_id,
        ),
    )
    started = time.perf_counter()
    for batch in range(0, STOCKTAKE_LINES, 1000):
        counts = tuple(
            CountLine(sku=sku, counted_qty=Decimal(9 if i % 10 == 0 else 10))
            for i, sku in enumerate(skus[batch : batch + 1000])
        )
        await command(
            engine,
            store,
            record_counts,
            c.RecordCounts(stocktake_id=stocktake_id, counts=counts, occurred_at=datetime.now(UTC)),
        )
    counted = time.perf_counter()
    result = await command(
        engine,
        store,
        complete_stocktake,
        c.CompleteStocktake(stocktake_id=stocktake_id, occurred_at=datetime.now(UTC)),
    )
    done = time.perf_counter()
    assert result["variances"] == STOCKTAKE_LINES // 10, result
    await engine.dispose()
    return started - began, counted - started, done - counted, done - began


async def main() -> None:
    if sys.argv[1:] == ["fifo_vs_average"]:
        costing_bench.main()
        return
    with started_infrastructure() as infra:
        await prepare_template(infra.database_server_url)
        urls = [await create_test_database(infra.database_server_url) for _ in range(3)]
        try:
            hot, spread = await bench_reservations(urls[0])
            q50, q99, pk50, pk99 = await bench_as_of(urls[1])
            engine = create_engine(urls[2], pool_size=2)
            await migrate(
                engine, folder_migrations(service_migrations(bootstrap.__file__), "inventory")
            )
            await engine.dispose()
            st_start, st_count, st_complete, st_total = await bench_stocktake(urls[2])
        finally:
            for url in urls:
                await drop_test_database(infra.database_server_url, url)
    report(
        "inventory",
        [
            (
                "reservations/s, 32 clients",
                f"{hot:,.0f} on 1 hot SKU",
                f"{spread:,.0f} on 32 SKUs",
                f"{hot / spread:.2f}",
            ),
            (
                f"as_of query, {LEDGER_ROWS:,}-row ledger",
                f"p50 {q50:.2f} ms / p99 {q99:.2f} ms",
                f"PK p50 {pk50:.2f} / p99 {pk99:.2f} ms",
                f"{q50 / pk50:.2f} (≤ 3)",
            ),
            (
                "10,000-line stocktake",
                f"{st_total:.1f} s total",
                f"start {st_start:.2f} s, counts {st_count:.2f} s, complete {st_complete:.2f} s",
                "< 10 s",
            ),
            costing_bench.row(*costing_bench.fifo_vs_average()),
        ],
    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
