"""Current stock per (sku, warehouse) and per location/lot: ``rm_stock.levels``, ``rm_stock.lots``.

Each row mirrors the ``StockItem`` aggregate's own state (``stock_item_state._apply``):

- on_hand and value move by every movement's signed qty and ``stock_value_change``. A
  backdated movement's ``qty_after``/``value_after`` are balances at its business time, not
  now, so they are never copied. ``unit_cost`` is each movement's ``average_cost_after``; the
  ``StockRevalued`` recorded right after a backdated movement sets the current value and cost.
- reserved follows holds, releases and the reservation an issue consumed;
  ``available = on_hand − reserved`` is a generated column.
- in_transit / in_transit_value: sent on a transfer from this warehouse and not yet received
  at the destination (``StockTransferDelivered``). Goods on the road stay in the valuation of
  their source warehouse (``queries.valuation_totals`` adds them).
- ``updated_at`` is the record time of the last event applied (not the wall clock), so a
  rebuild reproduces every row exactly.

A batch reads the rows it touches once, applies the events in memory and writes each touched
row once (two or three statements per batch, however many events it holds).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, Computed, DateTime, MetaData, Table, Text, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from inventory.adapters.projections.stock_events import (
    COST,
    MONEY,
    MOVEMENT_TYPES,
    QTY,
    RESERVATION_TYPES,
    ZERO,
    StockEvent,
    StockKey,
    decoded_by_stock,
    stock_key,
)
from inventory.domain.events import (
    StockCostAdjusted,
    StockIssued,
    StockItemOpened,
    StockMovedBetweenBins,
    StockMovement,
    StockReservationHeld,
    StockReservationReleased,
    StockRevalued,
    StockTransferDelivered,
    StockTransferredOut,
)
from inventory.domain.stock_bins import bin_changes

SCHEMA = "rm_stock"
metadata = MetaData()
levels = Table(
    "levels",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("warehouse_id", Text, primary_key=True),
    Column("on_hand", QTY, nullable=False),
    Column("reserved", QTY, nullable=False),
    Column("available", QTY, Computed("on_hand - reserved", persisted=True)),
    Column("in_transit", QTY, nullable=False),
    Column("in_transit_value", MONEY, nullable=False),
    Column("unit_cost", COST, nullable=False),
    Column("value", MONEY, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)
lots = Table(
    "lots",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("warehouse_id", Text, primary_key=True),
    # '' when the movement named no location / lot, so the key stays a plain primary key.
    Column("location", Text, primary_key=True),
    Column("lot", Text, primary_key=True),
    Column("qty", QTY, nullable=False),
    schema=SCHEMA,
)

_STORED = ("on_hand", "reserved", "in_transit", "in_transit_value", "unit_cost", "value")
_level_insert = insert(levels)
_UPSERT_LEVELS = _level_insert.on_conflict_do_update(
    index_elements=[levels.c.sku, levels.c.warehouse_id],
    set_={name: _level_insert.excluded[name] for name in (*_STORED, "updated_at")},
)
_lot_insert = insert(lots)
_UPSERT_LOTS = _lot_insert.on_conflict_do_update(
    index_elements=[lots.c.sku, lots.c.warehouse_id, lots.c.location, lots.c.lot],
    set_={"qty": lots.c.qty + _lot_insert.excluded.qty},
)


@dataclass(slots=True)
class StockLevel:
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    in_transit: Decimal = ZERO
    in_transit_value: Decimal = ZERO
    unit_cost: Decimal = ZERO
    value: Decimal = ZERO

    def apply(self, event: StockEvent) -> None:
        match event:
            case StockIssued():
                self._move(event)
                if event.order_id is not None:
                    self.reserved -= event.reservation_consumed
            case StockTransferredOut():
                self._move(event)
                self.in_transit += event.qty
                self.in_transit_value += event.value
            case StockMovement():
                self._move(event)
            case StockRevalued() | StockCostAdjusted():
                self.value, self.unit_cost = event.value_after, event.average_cost_after
            case StockReservationHeld():
                self.reserved += event.qty
            case StockReservationReleased():
                self.reserved -= event.qty
            case StockTransferDelivered():
                self.in_transit -= event.qty
                self.in_transit_value -= event.value
            case _:
                pass  # opened: the zero row; alerts change nothing here

    def _move(self, event: StockMovement) -> None:
        self.on_hand += event.signed_qty
        self.value += event.stock_value_change
        self.unit_cost = event.average_cost_after


class StockLevelsProjection(Projection):
    name: ClassVar[str] = "inventory.stock_levels"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        {
            StockItemOpened.event_type,
            StockRevalued.event_type,
            StockCostAdjusted.event_type,
            StockTransferDelivered.event_type,
            StockMovedBetweenBins.event_type,
            *MOVEMENT_TYPES,
            *RESERVATION_TYPES,
        }
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        decoded, keys = decoded_by_stock(events)
        current = await _load_levels(conn, keys)
        updated_at: dict[StockKey, datetime] = {}
        lot_changes: dict[tuple[str, str, str, str], Decimal] = defaultdict(Decimal)
        for recorded, event in decoded:
            key = stock_key(event)
            current.setdefault(key, StockLevel()).apply(event)
            updated_at[key] = recorded.recorded_at
            for (location, lot), change in _bin_changes(event):
                lot_changes[(*key, location, lot)] += change
        await conn.execute(_UPSERT_LEVELS, _level_rows(current, updated_at))
        if lot_changes:
            await conn.execute(_UPSERT_LOTS, _lot_rows(lot_changes))


async def _load_levels(conn: AsyncConnection, keys: set[StockKey]) -> dict[StockKey, StockLevel]:
    rows = await conn.execute(
        select(levels.c.sku, levels.c.warehouse_id, *(levels.c[name] for name in _STORED)).where(
            tuple_(levels.c.sku, levels.c.warehouse_id).in_(sorted(keys))
        )
    )
    return {(row[0], row[1]): StockLevel(*row[2:]) for row in rows}


def _level_rows(
    current: dict[StockKey, StockLevel], updated_at: dict[StockKey, datetime]
) -> list[dict[str, Any]]:
    return [
        {
            "sku": sku,
            "warehouse_id": warehouse_id,
            **{name: getattr(current[sku, warehouse_id], name) for name in _STORED},
            "updated_at": moment,
        }
        for (sku, warehouse_id), moment in sorted(updated_at.items())
    ]


def _bin_changes(event: StockEvent) -> list[tuple[tuple[str, str], Decimal]]:
    """Per (location, lot): a movement's picks or its one bin; a bin move, both bins."""
    if isinstance(event, StockMovement):
        return bin_changes(event)
    if isinstance(event, StockMovedBetweenBins):
        return [
            ((event.from_location or "", event.lot or ""), -event.qty),
            ((event.to_location or "", event.lot or ""), event.qty),
        ]
    return []


def _lot_rows(changes: dict[tuple[str, str, str, str], Decimal]) -> list[dict[str, Any]]:
    return [
        {"sku": sku, "warehouse_id": warehouse_id, "location": location, "lot": lot, "qty": qty}
        for (sku, warehouse_id, location, lot), qty in sorted(changes.items())
    ]
