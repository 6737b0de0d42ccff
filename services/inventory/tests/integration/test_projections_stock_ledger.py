"""库存流水 read model: rows with both times, history on either axis, backdating, paging."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit import EventMetadata, EventStore, NewEvent
from eventkit.projections import Projection, ProjectionRunner, rebuild_projection
from inventory.adapters.codec import to_payload
from inventory.adapters.projections import (
    InvalidCursor,
    StockLedgerProjection,
    ledger_page,
    stock_as_of,
)
from inventory.adapters.projections.ledger_tables import movements
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem, stock_stream_id
from inventory.domain.vocabulary import AdjustmentReason

pytestmark = pytest.mark.integration


def on(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


async def save(engine: AsyncEngine, stock: StockItem, actor: str = "clerk-1") -> datetime:
    """Append what the stock item recorded; return the record time the store gave it."""
    expected, events = stock.version, stock.collect_events()
    stream = stock_stream_id(stock.sku, stock.warehouse_id)
    new = [NewEvent(stream, e.event_type, to_payload(e), occurred_at=e.occurred_at) for e in events]
    async with engine.begin() as conn:
        positions = await EventStore().append(
            conn, new, {stream: expected}, EventMetadata(actor=actor)
        )
        recorded = await conn.scalar(
            text("SELECT recorded_at FROM events WHERE global_position = :p"), {"p": positions[0]}
        )
    assert isinstance(recorded, datetime)
    return recorded


async def project(engine: AsyncEngine, projection: Projection, batch_size: int = 500) -> None:
    runner = ProjectionRunner(engine, projection, batch_size=batch_size)
    await runner.ensure_schema()
    await runner.catch_up()


async def ledger_rows(engine: AsyncEngine, sku: str = "SKU-1") -> list[Any]:
    m = movements
    async with engine.connect() as conn:
        result = await conn.execute(
            select(m).where(m.c.sku == sku).order_by(m.c.occurred_at, m.c.global_position, m.c.line)
        )
        return list(result)


async def stock_at(engine: AsyncEngine, **when: datetime) -> tuple[Decimal, Decimal]:
    async with engine.connect() as conn:
        (row,) = await stock_as_of(conn, sku="SKU-1", warehouse_id="WH-SH", **when)
    return row.on_hand, row.value


def opened(sku: str = "SKU-1", warehouse_id: str = "WH-SH") -> StockItem:
    return StockItem.open(sku, warehouse_id, StockPolicy(), occurred_at=on(1, 8))


async def test_each_movement_is_a_ledger_row_with_balances_document_actor_and_both_times(
    engine: AsyncEngine,
) -> None:
    stock = opened()
    stock.receive(Decimal(100), Decimal(10), document="GR-1", occurred_at=on(1), lot="L1")
    recorded = await save(engine, stock, actor="clerk-1")
    stock.issue(Decimal(30), document="SH-1", occurred_at=on(2))
    await save(engine, stock, actor="clerk-2")
    await project(engine, StockLedgerProjection())

    receipt, issue = await ledger_rows(engine)
    assert (receipt.event_type, receipt.document, receipt.document_type) == (
        "StockReceived",
        "GR-1",
        "goods_receipt",
    )
    assert (receipt.qty, receipt.unit_cost, receipt.value) == (100, 10, Decimal("1000.00"))
    assert (receipt.qty_before, receipt.qty_after) == (0, 100)
    assert (receipt.value_before, receipt.value_after) == (0, Decimal("1000.00"))
    assert (receipt.actor, receipt.lot, receipt.occurred_at) == ("clerk-1", "L1", on(1))
    assert receipt.recorded_at == recorded
    assert (issue.direction, issue.qty, issue.value) == ("out", -30, Decimal("-300.00"))
    assert (issue.qty_before, issue.qty_after) == (100, 70)
    assert (issue.value_before, issue.value_after) == (Decimal("1000.00"), Decimal("700.00"))
    assert (issue.actor, issue.known_qty, issue.known_value) == ("clerk-2", 70, Decimal(700))


async def test_stock_as_of_returns_historical_qty_and_value_on_either_time_axis(
    engine: AsyncEngine,
) -> None:
    stock = opened()
    stock.receive(Decimal(100), Decimal(10), document="GR-1", occurred_at=on(1))
    first = await save(engine, stock)
    stock.receive(Decimal(100), Decimal(13), document="GR-2", occurred_at=on(2))
    second = await save(engine, stock)
    stock.issue(Decimal(50), document="SH-1", occurred_at=on(3))
    await save(engine, stock)
    await project(engine, StockLedgerProjection())

    # Business time: between the movements, and before any of them.
    assert await stock_at(engine, as_of=on(1, 12)) == (100, Decimal("1000.00"))
    assert await stock_at(engine, as_of=on(2, 12)) == (200, Decimal("2300.00"))
    assert await stock_at(engine, as_of=on(3, 12)) == (150, Decimal("1725.00"))
    async with engine.connect() as conn:
        assert await stock_as_of(conn, sku="SKU-1", as_of=on(1, 0)) == []
    # Record time: what was known right after each append.
    assert await stock_at(engine, recorded_as_of=first) == (100, Decimal("1000.00"))
    assert await stock_at(engine, recorded_as_of=second) == (200, Decimal("2300.00"))
    # Both: business time Nov 3 noon as known after the second append.
    assert await stock_at(engine, as_of=on(3, 12), recorded_as_of=second) == (200, Decimal(2300))
    async with engine.connect() as conn:
        (row,) = await stock_as_of(conn, sku="SKU-1", as_of=on(2, 12))
    assert (row.unit_cost, row.reserved, row.in_transit) == (Decimal("11.5"), None, None)


async def backdated_november(engine: AsyncEngine) -> tuple[StockItem, datetime]:
    """Nov 1 +100 @ 10, Nov 3 −60, Nov 4 +60 @ 12, Nov 5 −50; then +100 @ 13 backdated to Nov 2.
    Returns the stock item and the record time of the last append before the backdated one."""
    stock = opened()
    stock.receive(Decimal(100), Decimal(10), document="GR-1", occurred_at=on(1))
    await save(engine, stock)
    stock.issue(Decimal(60), document="SH-1", occurred_at=on(3))
    await save(engine, stock)
    stock.receive(Decimal(60), Decimal(12), document="GR-2", occurred_at=on(4))
    await save(engine, stock)
    stock.issue(Decimal(50), document="SH-2", occurred_at=on(5))
    before_backdating = await save(engine, stock)
    stock.receive(Decimal(100), Decimal(13), document="GR-0", occurred_at=on(2))
    await save(engine, stock, actor="clerk-late")
    return stock, before_backdating


@pytest.mark.parametrize("batch_size", [1, 500])
async def test_a_backdated_receipt_shifts_and_revalues_the_running_balances_of_later_rows(
    engine: AsyncEngine, batch_size: int
) -> None:
    stock, _ = await backdated_november(engine)
    await project(engine, StockLedgerProjection(), batch_size=batch_size)

    rows = await ledger_rows(engine)
    assert [
        (r.document, r.event_type, r.qty, r.value, r.qty_after, r.value_after) for r in rows
    ] == [
        ("GR-1", "StockReceived", 100, Decimal("1000.00"), 100, Decimal("1000.00")),
        ("GR-0", "StockReceived", 100, Decimal("1300.00"), 200, Decimal("2300.00")),
        ("SH-1", "StockIssued", -60, Decimal("-600.00"), 140, Decimal("1700.00")),
        ("SH-1", "StockRevalued", 0, Decimal("-90.00"), 140, Decimal("1610.00")),
        ("GR-2", "StockReceived", 60, Decimal("720.00"), 200, Decimal("2330.00")),
        ("SH-2", "StockIssued", -50, Decimal("-560.00"), 150, Decimal("1770.00")),
        ("SH-2", "StockRevalued", 0, Decimal("-22.50"), 150, Decimal("1747.50")),
    ]
    for earlier, later in pairwise(rows):
        assert (later.qty_before, later.value_before) == (earlier.qty_after, earlier.value_after)
    for row in rows:
        assert (row.qty_after - row.qty_before, row.value_after - row.value_before) == (
            row.qty,
            row.value,
        )
    revaluations = [r for r in rows if r.event_type == "StockRevalued"]
    assert {r.actor for r in revaluations} == {"clerk-late"}
    assert [r.occurred_at for r in revaluations] == [on(3), on(5)]
    # Each business moment of the stock item's own ledger, as the read model answers it.
    for entry in stock.ledger:
        assert await stock_at(engine, as_of=entry.movement.occurred_at) == (
            entry.after.qty,
            entry.after.value,
        )
    assert await stock_at(engine, as_of=on(30)) == (stock.on_hand, stock.value)


async def test_recorded_as_of_before_a_backdated_receipt_shows_what_was_known_then(
    engine: AsyncEngine,
) -> None:
    _, before_backdating = await backdated_november(engine)
    await project(engine, StockLedgerProjection())

    assert await stock_at(engine, as_of=on(3, 12)) == (140, Decimal("1610.00"))
    assert await stock_at(engine, recorded_as_of=before_backdating) == (50, Decimal("560.00"))
    assert await stock_at(engine, as_of=on(3, 12), recorded_as_of=before_backdating) == (
        40,
        Decimal("400.00"),
    )
    now = datetime.now(UTC) + timedelta(minutes=1)
    assert await stock_at(engine, as_of=on(3, 12), recorded_as_of=now) == (
        140,
        Decimal("1610.00"),
    )
    assert await stock_at(engine, recorded_as_of=now) == (150, Decimal("1747.50"))


async def test_a_rebuilt_ledger_equals_the_live_one_row_for_row(engine: AsyncEngine) -> None:
    await backdated_november(engine)
    other = opened("SKU-2")
    other.receive(Decimal(5), Decimal(2), document="GR-8", occurred_at=on(2), location="A-1")
    other.adjust(Decimal(-1), AdjustmentReason.DAMAGE, document="AJ-1", occurred_at=on(6))
    await save(engine, other)
    other.receive(Decimal(5), Decimal(4), document="GR-9", occurred_at=on(4))  # re-costs AJ-1
    await save(engine, other)
    projection = StockLedgerProjection()
    await project(engine, projection, batch_size=2)  # movements and revaluations split up
    live = await contents(engine, projection)

    await rebuild_projection(engine, projection, batch_size=3)

    assert await contents(engine, projection) == live
    assert len(live["movements"]) == 7 + 4
    assert len(live["stocks"]) == 2


async def test_keyset_paging_returns_every_ledger_row_exactly_once(engine: AsyncEngine) -> None:
    for sku in ("SKU-1", "SKU-2", "SKU-3"):
        stock = opened(sku)
        for day in range(1, 11):
            stock.receive(Decimal(day), Decimal(3), document=f"GR-{day}", occurred_at=on(day))
        await save(engine, stock)
    await project(engine, StockLedgerProjection())

    seen, cursor, pages = [], None, 0
    async with engine.connect() as conn:
        while True:
            page, cursor = await ledger_page(conn, after=cursor, limit=7)
            seen += [(r.global_position, r.line) for r in page]
            pages += 1
            if cursor is None:
                break
        everything, _ = await ledger_page(conn, limit=1000)
        window, _ = await ledger_page(conn, sku="SKU-2", from_=on(3), to=on(6), limit=1000)
        with pytest.raises(InvalidCursor):
            await ledger_page(conn, after="not-a-cursor")
    assert len(seen) == len(set(seen)) == 30
    assert seen == [(r.global_position, r.line) for r in everything]
    assert pages == 5
    assert [r.document for r in window] == ["GR-3", "GR-4", "GR-5"]


async def contents(engine: AsyncEngine, projection: Projection) -> dict[str, list[tuple[Any, ...]]]:
    async with engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in await conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in projection.metadata.sorted_tables
        }
