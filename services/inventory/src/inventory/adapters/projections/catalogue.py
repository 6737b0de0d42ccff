"""Items, warehouses and stocktakes as lists people browse: schema ``rm_catalogue``.

- ``items``: one row per registered sku (name, uom, category, the item's default stock policy);
- ``warehouses``: one row per warehouse (name, its locations);
- ``stocktakes`` / ``stocktake_lines``: each 盘点 with its book qty frozen at the start, the
  latest count of each sku (a re-count overwrites) and, once completed, the posted variance.
  A sku counted but not in the book is a line with book 0 (found goods).
  A sku counted per bin (盘点到库位/批次) has lines per (location, lot) — ``per_bin`` true,
  '' = the default location / no lot — next to its per-sku line: the start writes both (the
  book per sku and per bin) and the review shows the per-bin ones once the sku has a bin
  count, else the per-sku one (``catalogue_queries``). Databases made before these columns
  existed get them from ``migrations/0002_stocktake_bin_lines.sql``.

Every value comes from the events (business and record times included), never the wall clock,
so a rebuild reproduces the tables row for row.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    ARRAY,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    Uuid,
    false,
    func,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from inventory.adapters.codec import from_payload
from inventory.adapters.projections.stock_events import MONEY, QTY
from inventory.domain.document_events import (
    BookLine,
    ItemRegistered,
    LocationAdded,
    StocktakeCompleted,
    StocktakeCountsRecorded,
    StocktakeStarted,
    WarehouseRegistered,
)
from inventory.domain.stock_bins import BinKey, bin_key

SCHEMA = "rm_catalogue"
metadata = MetaData()

items = Table(
    "items",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("uom", Text, nullable=False),
    Column("category", Text),
    Column("reorder_point", QTY),
    Column("reorder_qty", QTY),
    Column("max_stock", QTY),
    Column("negative_stock", Text, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)

warehouses = Table(
    "warehouses",
    metadata,
    Column("warehouse_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("locations", ARRAY(Text), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)

stocktakes = Table(
    "stocktakes",
    metadata,
    Column("stocktake_id", Uuid, primary_key=True),
    Column("stocktake_number", Text, nullable=False, unique=True),
    Column("warehouse_id", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("book_lines", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("completed_at", DateTime(timezone=True)),
    Column("variance_value", MONEY),
    Column("actor", Text),
    schema=SCHEMA,
)

stocktake_lines = Table(
    "stocktake_lines",
    metadata,
    Column("stocktake_id", Uuid, primary_key=True),
    Column("sku", Text, primary_key=True),
    Column("per_bin", Boolean, primary_key=True, server_default=false()),
    Column("location", Text, primary_key=True, server_default=text("''")),
    Column("lot", Text, primary_key=True, server_default=text("''")),
    Column("in_book", Boolean, nullable=False),
    Column("book_qty", QTY, nullable=False),
    Column("counted_qty", QTY),
    # Set at completion: what was posted.
    Column("movements_during_count", QTY),
    Column("variance", QTY),
    Column("variance_value", MONEY),
    schema=SCHEMA,
)

_line_insert = insert(stocktake_lines)
_LINE_KEY = [
    stocktake_lines.c[name] for name in ("stocktake_id", "sku", "per_bin", "location", "lot")
]
_COUNT = _line_insert.on_conflict_do_update(
    index_elements=_LINE_KEY,
    set_={"counted_qty": _line_insert.excluded.counted_qty},
)
_POST = _line_insert.on_conflict_do_update(
    index_elements=_LINE_KEY,
    set_={
        name: _line_insert.excluded[name]
        for name in ("counted_qty", "movements_during_count", "variance", "variance_value")
    },
)
_TYPES = (
    ItemRegistered,
    WarehouseRegistered,
    LocationAdded,
    StocktakeStarted,
    StocktakeCountsRecorded,
)


class CatalogueProjection(Projection):
    name: ClassVar[str] = "inventory.catalogue"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        {*(t.event_type for t in _TYPES), StocktakeCompleted.event_type}
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        # In commit order, one statement per event: counts must land after their start.
        for recorded in events:
            await _apply(conn, recorded, from_payload(recorded.event_type, recorded.payload))


async def _apply(conn: AsyncConnection, recorded: RecordedEvent, event: object) -> None:
    match event:
        case ItemRegistered():
            await conn.execute(insert(items).on_conflict_do_nothing(), [_item_row(event)])
        case WarehouseRegistered():
            row = {
                "warehouse_id": event.warehouse_id,
                "name": event.name,
                "locations": list(event.locations),
                "registered_at": event.occurred_at,
            }
            await conn.execute(insert(warehouses).on_conflict_do_nothing(), [row])
        case LocationAdded():
            await conn.execute(
                update(warehouses)
                .where(warehouses.c.warehouse_id == event.warehouse_id)
                .values(locations=func.array_append(warehouses.c.locations, event.code))
            )
        case StocktakeStarted():
            await _started(conn, recorded, event)
        case StocktakeCountsRecorded():
            await conn.execute(_COUNT, _count_rows(event))
        case StocktakeCompleted():
            await _completed(conn, event)


def _item_row(event: ItemRegistered) -> dict[str, Any]:
    return {
        "sku": event.sku,
        "name": event.name,
        "uom": event.uom,
        "category": event.category,
        "reorder_point": event.reorder_point,
        "reorder_qty": event.reorder_qty,
        "max_stock": event.max_stock,
        "negative_stock": event.negative_stock.value,
        "registered_at": event.occurred_at,
    }


async def _started(conn: AsyncConnection, recorded: RecordedEvent, event: StocktakeStarted) -> None:
    header = {
        "stocktake_id": event.stocktake_id,
        "stocktake_number": event.stocktake_number,
        "warehouse_id": event.warehouse_id,
        "status": "counting",
        "book_lines": len(event.lines),
        "started_at": event.occurred_at,
        "actor": recorded.metadata.actor,
    }
    await conn.execute(insert(stocktakes).on_conflict_do_nothing(), [header])
    lines = [
        {"stocktake_id": event.stocktake_id, "sku": sku, "in_book": True}
        | {"per_bin": per_bin, "location": location, "lot": lot}
        | {"book_qty": qty, "counted_qty": None}
        for line in event.lines
        for sku, per_bin, (location, lot), qty in _book_rows(line)
    ]
    if lines:
        await conn.execute(insert(stocktake_lines).on_conflict_do_nothing(), lines)


def _book_rows(line: BookLine) -> list[tuple[str, bool, BinKey, Decimal]]:
    """The per-sku book row, and one per bin holding stock at the start when the sku had any
    named bin (a sku held only in the default bin — a warehouse without locations, an item
    without lots — gets no bin rows: that bin cannot be named by a per-bin count anyway)."""
    bins = [(line.sku, True, bin_key(b.location, b.lot), b.qty) for b in line.bins]
    return [(line.sku, False, ("", ""), line.book_qty), *bins]


def _count_rows(event: StocktakeCountsRecorded) -> list[dict[str, Any]]:
    latest = {  # last one wins
        (count.sku, count.per_bin, bin_key(count.location, count.lot)): count.counted_qty
        for count in event.counts
    }
    return [
        {"stocktake_id": event.stocktake_id, "sku": sku, "in_book": False, "book_qty": 0}
        | {"per_bin": per_bin, "location": location, "lot": lot, "counted_qty": qty}
        for (sku, per_bin, (location, lot)), qty in latest.items()
    ]


async def _completed(conn: AsyncConnection, event: StocktakeCompleted) -> None:
    total = sum((line.variance_value for line in event.lines), Decimal(0))
    await conn.execute(
        update(stocktakes)
        .where(stocktakes.c.stocktake_id == event.stocktake_id)
        .values(status="completed", completed_at=event.occurred_at, variance_value=total)
    )
    rows = [
        {
            "stocktake_id": event.stocktake_id,
            "sku": line.sku,
            "per_bin": line.location is not None or line.lot is not None,
            "location": line.location or "",
            "lot": line.lot or "",
            "in_book": False,
            "book_qty": line.book_qty,
            "counted_qty": line.counted_qty,
            "movements_during_count": line.movements_during_count,
            "variance": line.variance,
            "variance_value": line.variance_value,
        }
        for line in event.lines
    ]
    if rows:
        await conn.execute(_POST, rows)
