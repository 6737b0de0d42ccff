"""`rm_report_stock`: stock movements and end-of-day position by day × sku × warehouse.

One row per (sku, warehouse, day) on which something moved: quantities and values in and out
that day, and the closing quantity and value (期末结存) after the day's last movement. A day
without movement has no row: the position on any date is the latest row on or before it. A
backdated movement adds to its own day and shifts the closing balance of every later day.

Sources (each movement counted once): `GoodsReceived` (accepted qty), `ShipmentDispatched`,
`StockTransferred` (out of the source, into the destination), `StockAdjusted` — which is also
how inventory publishes stocktake variances, customer returns and returns to suppliers, so
`CustomerReturnReceived` / `GoodsReturnedToSupplier` are not read here — and `StockRevalued`
(value only). Values include each line's `cost_variance` the way inventory's valuation does.
"""

from datetime import date
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import Column, Date, MetaData, Table, Text, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.inventory import (
    GoodsReceived,
    ShipmentDispatched,
    StockAdjusted,
    StockRevalued,
    StockTransferred,
)
from erp_contracts.registry import PublicEvent
from eventkit.store.records import RecordedEvent
from reporting.adapters.projections.base import (
    QTY,
    ContractProjection,
    business_day,
    measure,
    types_of,
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
        GoodsReceived, ShipmentDispatched, StockTransferred, StockAdjusted, StockRevalued
    )

    async def on(self, conn: AsyncConnection, event: PublicEvent, recorded: RecordedEvent) -> None:
        day = business_day(recorded)
        match event:
            case GoodsReceived():
                for line in event.lines:
                    value = line.value + line.cost_variance
                    await _move(conn, line.sku, event.warehouse_id, day, line.qty_accepted, value)
            case ShipmentDispatched():
                for out in event.lines:
                    await _move(conn, out.sku, event.warehouse_id, day, -out.qty, -out.value)
            case StockTransferred():
                src, dst = event.source_warehouse_id, event.destination_warehouse_id
                for moved in event.lines:
                    await _move(conn, moved.sku, src, day, -moved.qty, -moved.value)
                    await _move(conn, moved.sku, dst, day, moved.qty, moved.value)
            case StockAdjusted():
                sign = Decimal(1) if event.direction == "in" else Decimal(-1)
                value = sign * event.value + event.cost_variance
                await _move(conn, event.sku, event.warehouse_id, day, sign * event.qty, value)
            case StockRevalued():
                await _move(conn, event.sku, event.warehouse_id, day, ZERO, event.value_delta)


async def _move(
    conn: AsyncConnection, sku: str, warehouse_id: str, day: date, qty: Decimal, value: Decimal
) -> None:
    """Book a signed movement on `day` and carry it into the closing balance of later days."""
    where = (stock_daily.c.sku == sku) & (stock_daily.c.warehouse_id == warehouse_id)
    before = (
        select(stock_daily.c.closing_qty, stock_daily.c.closing_value)
        .where(where, stock_daily.c.day < day)
        .order_by(stock_daily.c.day.desc())
        .limit(1)
    )
    opening = (await conn.execute(before)).one_or_none()
    await conn.execute(
        insert(stock_daily)
        .values(
            sku=sku,
            warehouse_id=warehouse_id,
            day=day,
            closing_qty=opening.closing_qty if opening else ZERO,
            closing_value=opening.closing_value if opening else ZERO,
        )
        .on_conflict_do_nothing()
    )
    c = stock_daily.c
    await conn.execute(
        update(stock_daily)
        .where(where, c.day == day)
        .values(
            qty_in=c.qty_in + max(qty, ZERO),
            qty_out=c.qty_out + max(-qty, ZERO),
            value_in=c.value_in + max(value, ZERO),
            value_out=c.value_out + max(-value, ZERO),
        )
    )
    await conn.execute(
        update(stock_daily)
        .where(where, c.day >= day)
        .values(closing_qty=c.closing_qty + qty, closing_value=c.closing_value + value)
    )
