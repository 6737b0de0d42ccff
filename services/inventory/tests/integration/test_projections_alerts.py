"""库存预警 read model: one row per breach, resolved when the stock is back at the line."""

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
from inventory.adapters.projections import StockAlertsProjection, open_alerts
from inventory.adapters.projections.alerts import alerts
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem, stock_stream_id

pytestmark = pytest.mark.integration


def on(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


async def save(engine: AsyncEngine, stock: StockItem) -> None:
    expected, events = stock.version, stock.collect_events()
    stream = stock_stream_id(stock.sku, stock.warehouse_id)
    new = [NewEvent(stream, e.event_type, to_payload(e), occurred_at=e.occurred_at) for e in events]
    async with engine.begin() as conn:
        await EventStore().append(conn, new, {stream: expected}, EventMetadata(actor="clerk-1"))


async def project(engine: AsyncEngine, projection: Projection, batch_size: int = 500) -> None:
    runner = ProjectionRunner(engine, projection, batch_size=batch_size)
    await runner.ensure_schema()
    await runner.catch_up()


def watched(policy: StockPolicy, sku: str = "SKU-1") -> StockItem:
    return StockItem.open(sku, "WH-SH", policy, occurred_at=on(1, 8))


async def all_alerts(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as conn:
        return list(await conn.execute(select(alerts).order_by(alerts.c.global_position)))


async def test_a_reorder_alert_appears_once_per_breach_and_closes_when_stock_is_back(
    engine: AsyncEngine,
) -> None:
    stock = watched(StockPolicy(reorder_point=Decimal(20), reorder_qty=Decimal(50)))
    stock.receive(Decimal(30), Decimal(10), document="GR-1", occurred_at=on(1))
    stock.issue(Decimal(15), document="SH-1", occurred_at=on(2))  # available 15 < 20: breach
    await save(engine, stock)
    stock.reserve(uuid4(), Decimal(5), occurred_at=on(3))  # still below: no second alert
    await save(engine, stock)
    projection = StockAlertsProjection()
    await project(engine, projection, batch_size=2)

    async with engine.connect() as conn:
        (alert,) = await open_alerts(conn, sku="SKU-1")
    assert (alert.kind, alert.available, alert.threshold, alert.suggested_qty) == (
        "reorder_point",
        15,
        20,
        50,
    )
    assert alert.occurred_at == on(2)

    stock.receive(Decimal(40), Decimal(10), document="GR-2", occurred_at=on(4))  # back: 50
    await save(engine, stock)
    stock.issue(Decimal(45), document="SH-2", occurred_at=on(5))  # available 5: breach again
    await save(engine, stock)
    await project(engine, projection)

    first, second = await all_alerts(engine)
    assert (first.resolved_at, second.resolved_at) == (on(4), None)
    assert second.available == 5
    async with engine.connect() as conn:
        assert [a.global_position for a in await open_alerts(conn)] == [second.global_position]
        assert await open_alerts(conn, warehouse_id="WH-BJ") == []


async def test_an_overstock_alert_carries_the_excess_over_max_stock(engine: AsyncEngine) -> None:
    stock = watched(StockPolicy(max_stock=Decimal(100)))
    stock.receive(Decimal(120), Decimal(1), document="GR-1", occurred_at=on(1))
    stock.receive(Decimal(5), Decimal(1), document="GR-2", occurred_at=on(2))  # still over
    await save(engine, stock)
    await project(engine, StockAlertsProjection())

    async with engine.connect() as conn:
        (alert,) = await open_alerts(conn)
    assert (alert.kind, alert.on_hand, alert.threshold, alert.excess_qty) == (
        "overstock",
        120,
        100,
        20,
    )


async def test_a_rebuilt_alerts_projection_equals_the_live_one_row_for_row(
    engine: AsyncEngine,
) -> None:
    policy = StockPolicy(reorder_point=Decimal(5), max_stock=Decimal(30))
    for n in range(3):
        stock = watched(policy, sku=f"SKU-{n}")
        for day in range(1, 8):
            stock.receive(Decimal(40), Decimal(2), document=f"GR-{day}", occurred_at=on(day))
            await save(engine, stock)
            stock.issue(Decimal(38), document=f"SH-{day}", occurred_at=on(day, 12))
            await save(engine, stock)
    projection = StockAlertsProjection()
    await project(engine, projection, batch_size=5)
    live = await contents(engine, projection)

    await rebuild_projection(engine, projection, batch_size=8)

    assert await contents(engine, projection) == live
    assert len(live["alerts"]) > 6
    assert {row[1] for row in live["alerts"]} == {"reorder_point", "overstock"}


async def contents(engine: AsyncEngine, projection: Projection) -> dict[str, list[tuple[Any, ...]]]:
    async with engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in await conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in projection.metadata.sorted_tables
        }
