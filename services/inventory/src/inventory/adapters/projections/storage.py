"""库位 and 批次 read model: ``rm_storage.locations`` (master data per warehouse) and
``rm_storage.fixed_locations`` (固定库位 per item and warehouse) and
``rm_storage.lots`` (one row per lot of a stock item: qty on hand, expiry, first receipt, when
the near-expiry alert fired). Per-bin quantities are ``rm_stock.lots`` (stock_levels).

A lot's qty follows the same bin changes as the aggregate (``stock_bins.bin_changes``), so a
FEFO pick spread over two lots lowers both. Rows are written in commit order, one statement per
event that touches them; ``LotNearExpiry`` sets ``alerted_at`` (its business time).
"""

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from inventory.adapters.codec import from_payload
from inventory.adapters.projections.stock_events import MOVEMENT_TYPES, QTY
from inventory.domain.document_events import (
    ItemFixedLocationAssigned,
    ItemRegistered,
    LocationAdded,
    WarehouseRegistered,
)
from inventory.domain.events import LotNearExpiry, StockMovement
from inventory.domain.stock_bins import bin_changes, lots_brought_in
from inventory.domain.vocabulary import MovementDirection

SCHEMA = "rm_storage"
metadata = MetaData()
locations = Table(
    "locations",
    metadata,
    Column("warehouse_id", Text, primary_key=True),
    Column("code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("capacity", QTY),
    #: The warehouse's location order (putaway takes the first empty one in this order).
    Column("position", Integer, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)
lots = Table(
    "lots",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("warehouse_id", Text, primary_key=True),
    Column("lot", Text, primary_key=True),
    Column("qty", QTY, nullable=False),
    Column("expiry", Date),
    Column("first_received_at", DateTime(timezone=True)),
    Column("alerted_at", DateTime(timezone=True)),
    schema=SCHEMA,
)

fixed_locations = Table(
    "fixed_locations",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("warehouse_id", Text, primary_key=True),
    Column("location", Text, nullable=False),
    schema=SCHEMA,
)

#: Each item's 临期预警 lead time (null: the service default), so the sweep only visits lots
#: that can be due.
alert_days = Table(
    "alert_days",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("expiry_alert_days", Integer),
    schema=SCHEMA,
)

_lot_insert = insert(lots)
_fixed_insert = insert(fixed_locations)
_FIX = _fixed_insert.on_conflict_do_update(
    index_elements=[fixed_locations.c.sku, fixed_locations.c.warehouse_id],
    set_={"location": _fixed_insert.excluded.location},
)
_ADD_TO_LOT = _lot_insert.on_conflict_do_update(
    index_elements=[lots.c.sku, lots.c.warehouse_id, lots.c.lot],
    set_={
        "qty": lots.c.qty + _lot_insert.excluded.qty,
        "expiry": func.coalesce(lots.c.expiry, _lot_insert.excluded.expiry),
        "first_received_at": func.coalesce(
            lots.c.first_received_at, _lot_insert.excluded.first_received_at
        ),
    },
)


class StorageProjection(Projection):
    name: ClassVar[str] = "inventory.storage"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        {
            WarehouseRegistered.event_type,
            LocationAdded.event_type,
            ItemFixedLocationAssigned.event_type,
            ItemRegistered.event_type,
            LotNearExpiry.event_type,
            *MOVEMENT_TYPES,
        }
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        match from_payload(event.event_type, event.payload):
            case WarehouseRegistered() as registered:
                for code in registered.locations:
                    await _add_location(conn, registered.warehouse_id, code, code, None, event)
            case LocationAdded() as added:
                await _add_location(
                    conn, added.warehouse_id, added.code, added.name, added.capacity, event
                )
            case ItemRegistered() as item:
                row = {"sku": item.sku, "expiry_alert_days": item.expiry_alert_days}
                await conn.execute(insert(alert_days).on_conflict_do_nothing(), [row])
            case ItemFixedLocationAssigned() as fixed:
                await _fix_location(conn, fixed)
            case LotNearExpiry() as alert:
                await conn.execute(
                    update(lots)
                    .where(lots.c.sku == alert.sku)
                    .where(lots.c.warehouse_id == alert.warehouse_id)
                    .where(lots.c.lot == alert.lot)
                    .values(alerted_at=alert.occurred_at)
                )
            case StockMovement() as movement:
                rows = _lot_rows(movement)
                if rows:
                    await conn.execute(_ADD_TO_LOT, rows)

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        for event in events:
            await self.apply(conn, event)


async def _add_location(
    conn: AsyncConnection,
    warehouse_id: str,
    code: str,
    name: str,
    capacity: object,
    recorded: RecordedEvent,
) -> None:
    position = (
        select(func.coalesce(func.max(locations.c.position), 0) + 1)
        .where(locations.c.warehouse_id == warehouse_id)
        .scalar_subquery()
    )
    row = {
        "warehouse_id": warehouse_id,
        "code": code,
        "name": name,
        "capacity": capacity,
        "position": position,
        "added_at": recorded.occurred_at,
    }
    await conn.execute(insert(locations).values(row).on_conflict_do_nothing())


async def _fix_location(conn: AsyncConnection, event: ItemFixedLocationAssigned) -> None:
    if event.location is None:
        await conn.execute(
            delete(fixed_locations)
            .where(fixed_locations.c.sku == event.sku)
            .where(fixed_locations.c.warehouse_id == event.warehouse_id)
        )
        return
    row = {"sku": event.sku, "warehouse_id": event.warehouse_id, "location": event.location}
    await conn.execute(_FIX, [row])


def _lot_rows(movement: StockMovement) -> list[dict[str, Any]]:
    """One row per lot the movement changes (lot '' = no lot is not tracked here)."""
    changes: dict[str, Any] = {}
    for (_, lot), change in bin_changes(movement):
        if lot:
            changes[lot] = changes.get(lot, 0) + change
    inbound = movement.direction is MovementDirection.IN
    expiries = dict(lots_brought_in(movement)) if inbound else {}
    return [
        {
            "sku": movement.sku,
            "warehouse_id": movement.warehouse_id,
            "lot": lot,
            "qty": change,
            "expiry": expiries.get(lot),
            "first_received_at": movement.occurred_at if inbound else None,
        }
        for lot, change in sorted(changes.items())
    ]
