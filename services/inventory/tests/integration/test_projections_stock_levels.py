"""Current stock read model (rm_stock): it must agree with the StockItem aggregates."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit import EventMetadata, EventStore, NewEvent
from eventkit.projections import Projection, ProjectionRunner, rebuild_projection
from inventory.adapters.codec import to_payload
from inventory.adapters.projections import (
    OnOrderProjection,
    StockLevelsProjection,
    StockRow,
    current_stock,
    stock_as_of,
    valuation_totals,
)
from inventory.adapters.projections.stock_levels import lots
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem, stock_stream_id

pytestmark = pytest.mark.integration


def on(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


async def save(engine: AsyncEngine, *stocks: StockItem) -> None:
    """Append what the stock items recorded, in one transaction (as a document would)."""
    new, expected = [], {}
    for stock in stocks:
        stream = stock_stream_id(stock.sku, stock.warehouse_id)
        expected[stream] = stock.version
        new += [
            NewEvent(stream, e.event_type, to_payload(e), occurred_at=e.occurred_at)
            for e in stock.collect_events()
        ]
    async with engine.begin() as conn:
        await EventStore().append(conn, new, expected, EventMetadata(actor="clerk-1"))


async def project(engine: AsyncEngine, projection: Projection, batch_size: int = 500) -> None:
    # `current_stock` also reads the on-order model, as the running service has it.
    await ProjectionRunner(engine, OnOrderProjection()).ensure_schema()
    runner = ProjectionRunner(engine, projection, batch_size=batch_size)
    await runner.ensure_schema()
    await runner.catch_up()


def opened(sku: str = "SKU-1", warehouse_id: str = "WH-SH") -> StockItem:
    return StockItem.open(sku, warehouse_id, StockPolicy(), occurred_at=on(1, 8))


async def level_of(engine: AsyncEngine, sku: str, warehouse_id: str) -> StockRow:
    async with engine.connect() as conn:
        (row,) = await current_stock(conn, sku=sku, warehouse_id=warehouse_id)
    return row


def assert_agrees(row: StockRow, stock: StockItem) -> None:
    assert (row.on_hand, row.reserved, row.available, row.value, row.unit_cost) == (
        stock.on_hand,
        stock.reserved,
        stock.available,
        stock.value,
        stock.unit_cost,
    )
    assert (row.in_transit, row.in_transit_value) == (stock.in_transit_out, stock.in_transit_value)


async def test_levels_equal_the_stock_items_own_state_after_receipts_issues_and_reservations(
    engine: AsyncEngine,
) -> None:
    order = uuid4()
    shanghai, beijing = opened(), opened(warehouse_id="WH-BJ")
    shanghai.receive(Decimal(100), Decimal(10), document="GR-1", occurred_at=on(1), lot="L1")
    beijing.receive(Decimal(7), Decimal("3.333333"), document="GR-2", occurred_at=on(1))
    await save(engine, shanghai, beijing)
    shanghai.reserve(order, Decimal(30), occurred_at=on(2))
    shanghai.issue(Decimal(20), document="SH-1", occurred_at=on(2), order_id=order, lot="L1")
    await save(engine, shanghai)
    shanghai.receive(
        Decimal(50), Decimal("12.5"), document="GR-3", occurred_at=on(3), location="A-1"
    )
    shanghai.issue(Decimal(11), document="SH-2", occurred_at=on(4))
    beijing.issue(Decimal(7), document="SH-3", occurred_at=on(4))
    await save(engine, shanghai, beijing)
    await project(engine, StockLevelsProjection(), batch_size=3)

    assert_agrees(await level_of(engine, "SKU-1", "WH-SH"), shanghai)
    assert_agrees(await level_of(engine, "SKU-1", "WH-BJ"), beijing)
    assert shanghai.reserved == 10  # the issue consumed 20 of the 30 held
    async with engine.connect() as conn:
        by_lot = {
            (r.location, r.lot): r.qty
            for r in await conn.execute(select(lots).where(lots.c.warehouse_id == "WH-SH"))
        }
    # SH-2 names no lot: FEFO takes it from lot L1 (a lot before unlotted stock), as the
    # aggregate did.
    assert by_lot == {("", "L1"): 69, ("A-1", ""): 50} == shanghai.bins.balances

    shanghai.release(order, occurred_at=on(5))
    await save(engine, shanghai)
    await project(engine, StockLevelsProjection())
    assert_agrees(await level_of(engine, "SKU-1", "WH-SH"), shanghai)


async def test_a_backdated_receipt_leaves_levels_at_the_stock_items_current_value_and_cost(
    engine: AsyncEngine,
) -> None:
    stock = opened()
    stock.receive(Decimal(100), Decimal(10), document="GR-1", occurred_at=on(1))
    stock.issue(Decimal(60), document="SH-1", occurred_at=on(3))
    stock.receive(Decimal(60), Decimal(12), document="GR-2", occurred_at=on(4))
    stock.issue(Decimal(50), document="SH-2", occurred_at=on(5))
    await save(engine, stock)
    stock.receive(Decimal(100), Decimal(13), document="GR-0", occurred_at=on(2))
    await save(engine, stock)
    await project(engine, StockLevelsProjection(), batch_size=1)

    row = await level_of(engine, "SKU-1", "WH-SH")
    # The backdated receipt's own qty_after / value_after (200, 2300.00) are history, not now.
    assert (row.on_hand, row.value, row.unit_cost) == (150, Decimal("1747.50"), Decimal("11.65"))
    assert_agrees(row, stock)


async def test_goods_on_a_transfer_stay_in_transit_and_valued_at_the_source_until_delivered(
    engine: AsyncEngine,
) -> None:
    transfer = uuid4()
    source, destination = opened(), opened(warehouse_id="WH-BJ")
    source.receive(Decimal(10), Decimal(4), document="GR-1", occurred_at=on(1))
    out = source.transfer_out(
        Decimal(6),
        transfer_id=transfer,
        destination_warehouse_id="WH-BJ",
        document="TR-1",
        occurred_at=on(2),
    )
    await save(engine, source, destination)
    projection = StockLevelsProjection()
    await project(engine, projection)

    assert_agrees(await level_of(engine, "SKU-1", "WH-SH"), source)
    assert (await level_of(engine, "SKU-1", "WH-SH")).in_transit == 6
    async with engine.connect() as conn:
        valuation = await valuation_totals(conn)
    assert valuation.by_warehouse == [("WH-BJ", 0), ("WH-SH", Decimal("40.00"))]

    destination.transfer_in(
        out.qty,
        out.unit_cost,
        out.value,
        transfer_id=transfer,
        source_warehouse_id="WH-SH",
        document="TR-1",
        occurred_at=on(3),
    )
    source.deliver_transfer(transfer, occurred_at=on(3))
    await save(engine, source, destination)
    await project(engine, projection)

    assert_agrees(await level_of(engine, "SKU-1", "WH-SH"), source)
    assert_agrees(await level_of(engine, "SKU-1", "WH-BJ"), destination)
    assert (await level_of(engine, "SKU-1", "WH-SH")).in_transit == 0
    async with engine.connect() as conn:
        valuation = await valuation_totals(conn)
        as_of_now = await stock_as_of(conn, sku="SKU-1")
    assert valuation.by_warehouse == [("WH-BJ", Decimal("24.00")), ("WH-SH", Decimal("16.00"))]
    assert valuation.total == Decimal("40.00")
    assert [r.on_hand for r in as_of_now] == [6, 4]  # no time given: current stock


async def test_a_rebuilt_stock_levels_projection_equals_the_live_one_row_for_row(
    engine: AsyncEngine,
) -> None:
    order = uuid4()
    stocks = [opened(f"SKU-{n}") for n in range(5)]
    for n, stock in enumerate(stocks):
        stock.receive(
            Decimal(10 + n), Decimal(n + 1), document=f"GR-{n}", occurred_at=on(2), lot="L9"
        )
        stock.reserve(order, Decimal(n + 1), occurred_at=on(3))
    await save(engine, *stocks)
    for stock in stocks[:3]:
        stock.issue(Decimal(2), document="SH-1", occurred_at=on(4), order_id=order, lot="L9")
        stock.receive(Decimal(1), Decimal(9), document="GR-9", occurred_at=on(1))  # backdated
    await save(engine, *stocks[:3])
    projection = StockLevelsProjection()
    await project(engine, projection, batch_size=4)
    live = await contents(engine, projection)

    await rebuild_projection(engine, projection, batch_size=7)

    assert await contents(engine, projection) == live
    assert len(live["levels"]) == 5
    for stock in stocks:
        assert_agrees(await level_of(engine, stock.sku, "WH-SH"), stock)


async def contents(engine: AsyncEngine, projection: Projection) -> dict[str, list[tuple[Any, ...]]]:
    async with engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in await conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in projection.metadata.sorted_tables
        }
