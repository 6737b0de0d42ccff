"""`rm_report_stock`: stock movements and end-of-day position by day × sku × warehouse.

One row per (sku, warehouse, day) on which something moved: quantities and values in and out
that day, and the closing quantity and value (期末结存) after the day's last movement. A day
without movement has no row: the position on any date is the latest row on or before it. A
backdated movement adds to its own day and shifts the closing balance of every later day.

Sources (each movement counted once): `GoodsReceived` (accepted qty), `ShipmentDispatched`,
`StockTransferred` (out of the source, into the destination), `StockAdjusted` — which is also
how inventory publishes stocktake variances, customer returns and returns to suppliers, so
`CustomerReturnReceived` / `GoodsReturnedToSupplier` are not read here — and `StockRevalued`
and the month-end `StockCostAdjusted` (value only, on the month's last day). Values include
each line's `cost_variance` the way inventory's valuation does.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, Date, MetaData, Table, Text, func, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.inventory import (
    GoodsReceived,
    ShipmentDispatched,
    StockAdjusted,
    StockCostAdjusted,
    StockRevalued,
    StockTransferred,
)
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import (
    QTY,
    ContractProjection,
    business_day,
    decoded,
    measure,
    summed,
    types_of,
    unnested,
)

SCHEMA = "rm_report_stock"
metadata = MetaData()
ZERO = Decimal(0)

stock_daily = Table(
    "stock_daily",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("warehouse_id", Text, primary_key=True),
    Column("day", Date, primary_key=True),
    measure("qty_in", QTY),
    measure("qty_out", QTY),
    measure("value_in"),
    measure("value_out"),
    measure("closing_qty", QTY),
    measure("closing_value"),
    schema=SCHEMA,
)


class StockProjection(ContractProjection):
    name: ClassVar[str] = "reporting.stock"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = types_of(
        GoodsReceived,
        ShipmentDispatched,
        StockTransferred,
        StockAdjusted,
        StockRevalued,
        StockCostAdjusted,
    )

    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        await _book(conn, _moves(event, business_day(recorded)))

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        moves = [
            move
            for recorded in events
            if (event := decoded(recorded)) is not None
            for move in _moves(event, business_day(recorded))
        ]
        await _book(conn, moves)


#: A signed movement: (sku, warehouse, day, qty, value).
Move = tuple[str, str, date, Decimal, Decimal]
_KEY = ("sku", "warehouse_id", "day")


def _moves(event: PublicEvent, day: date) -> list[Move]:
    match event:
        case GoodsReceived():
            wh = event.warehouse_id
            return [
                (li.sku, wh, day, li.qty_accepted, li.value + li.cost_variance)
                for li in event.lines
            ]
        case ShipmentDispatched():
            return [(out.sku, event.warehouse_id, day, -out.qty, -out.value) for out in event.lines]
        case StockTransferred():
            src, dst = event.source_warehouse_id, event.destination_warehouse_id
            return [
                move
                for m in event.lines
                for move in ((m.sku, src, day, -m.qty, -m.value), (m.sku, dst, day, m.qty, m.value))
            ]
        case StockAdjusted():
            sign = Decimal(1) if event.direction == "in" else Decimal(-1)
            value = sign * event.value + event.cost_variance
            return [(event.sku, event.warehouse_id, day, sign * event.qty, value)]
        case StockRevalued() | StockCostAdjusted():
            return [(event.sku, event.warehouse_id, day, ZERO, event.value_delta)]
    return []


async def _book(conn: AsyncConnection, moves: Sequence[Move]) -> None:
    """Book the movements on their days and carry them into the closing balance of later days.

    The result does not depend on their order: a day's row ends at the position before the
    batch on that day plus every movement of the batch up to that day. Two statements: the
    days' movements (a new day's row opens at the closing of the latest day before it, as it
    stood before the batch), then each touched or later day's closing moves by the batch's net
    movements on or before it."""
    if not moves:
        return
    days: dict[tuple[Any, ...], dict[str, Decimal]] = {}
    for sku, warehouse_id, day, qty, value in moves:
        in_out = {
            "qty_in": max(qty, ZERO),
            "qty_out": max(-qty, ZERO),
            "value_in": max(value, ZERO),
            "value_out": max(-value, ZERO),
            "closing_qty": qty,  # the day's net movement, carried below
            "closing_value": value,
        }
        summed(days, (sku, warehouse_id, day), in_out)
    rows = [{**dict(zip(_KEY, key, strict=True)), **sums} for key, sums in days.items()]
    await _book_days(conn, rows)
    await _carry(conn, [r for r in rows if r["closing_qty"] or r["closing_value"]])


async def _book_days(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    moved = unnested("moved", stock_daily, rows)
    c, before = moved.c, stock_daily.alias("before")
    opening = (
        select(before.c.closing_qty, before.c.closing_value)
        .where(before.c.sku == c.sku, before.c.warehouse_id == c.warehouse_id, before.c.day < c.day)
        .order_by(before.c.day.desc())
        .limit(1)
        .lateral("opening")
    )
    measures = ("qty_in", "qty_out", "value_in", "value_out")
    given = select(
        c.sku,
        c.warehouse_id,
        c.day,
        *(c[name] for name in measures),
        func.coalesce(opening.c.closing_qty, ZERO),
        func.coalesce(opening.c.closing_value, ZERO),
    ).select_from(moved.outerjoin(opening, true()))
    stmt = insert(stock_daily).from_select(
        [*_KEY, *measures, "closing_qty", "closing_value"], given
    )
    added = {name: stock_daily.c[name] + stmt.excluded[name] for name in measures}
    await conn.execute(stmt.on_conflict_do_update(index_elements=list(_KEY), set_=added))


async def _carry(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    moved, later = unnested("moved", stock_daily, rows), stock_daily.alias("later")
    c = moved.c
    shifts = (
        select(
            later.c.sku,
            later.c.warehouse_id,
            later.c.day,
            func.sum(c.closing_qty).label("qty"),
            func.sum(c.closing_value).label("value"),
        )
        .join_from(
            later,
            moved,
            (later.c.sku == c.sku)
            & (later.c.warehouse_id == c.warehouse_id)
            & (later.c.day >= c.day),
        )
        .group_by(later.c.sku, later.c.warehouse_id, later.c.day)
        .subquery("shifts")
    )
    s = stock_daily.c
    await conn.execute(
        update(stock_daily)
        .where(
            s.sku == shifts.c.sku, s.warehouse_id == shifts.c.warehouse_id, s.day == shifts.c.day
        )
        .values(
            closing_qty=s.closing_qty + shifts.c.qty,
            closing_value=s.closing_value + shifts.c.value,
        )
    )
