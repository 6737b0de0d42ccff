"""库存预警: ``StockAlertsProjection`` keeps ``rm_alerts.alerts``, one row per alert event.

The ``StockItem`` decides when an alert fires (once per crossing, ``domain.stock_alerts``);
this read model records each ``ReorderPointBreached`` / ``OverstockDetected`` once (keyed by
its global position) and marks it resolved when the stock is back at the line — the moment
the aggregate re-arms that alert (available ≥ reorder point; on hand ≤ max stock). To know
that moment it follows each stock's on_hand and reserved in ``rm_alerts.watch``.
``open_alerts`` lists the unresolved ones, newest first.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    MetaData,
    Table,
    Text,
    bindparam,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from inventory.adapters.projections.stock_events import (
    ALERT_TYPES,
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
    OverstockDetected,
    ReorderPointBreached,
    StockIssued,
    StockItemOpened,
    StockMovement,
    StockPolicyChanged,
    StockReservationHeld,
    StockReservationReleased,
)

SCHEMA = "rm_alerts"
REORDER_POINT, OVERSTOCK = "reorder_point", "overstock"
metadata = MetaData()
alerts = Table(
    "alerts",
    metadata,
    Column("global_position", BigInteger, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("sku", Text, nullable=False),
    Column("warehouse_id", Text, nullable=False),
    Column("available", QTY),  # reorder_point alerts
    Column("on_hand", QTY),  # overstock alerts
    Column("threshold", QTY, nullable=False),  # the reorder point / the max stock
    Column("suggested_qty", QTY),
    Column("excess_qty", QTY),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_position", BigInteger),
    schema=SCHEMA,
)
Index(
    "alerts_open",
    alerts.c.sku,
    alerts.c.warehouse_id,
    alerts.c.global_position,
    postgresql_where=alerts.c.resolved_position.is_(None),
)
watch = Table(
    "watch",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("warehouse_id", Text, primary_key=True),
    Column("on_hand", QTY, nullable=False),
    Column("reserved", QTY, nullable=False),
    Column("reorder_point", QTY),
    Column("max_stock", QTY),
    Column("open_reorder_alert", BigInteger),
    Column("open_overstock_alert", BigInteger),
    schema=SCHEMA,
)
_WATCHED = tuple(c.name for c in watch.columns if not c.primary_key)


@dataclass(slots=True)
class Watch:
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    reorder_point: Decimal | None = None
    max_stock: Decimal | None = None
    open_reorder_alert: int | None = None
    open_overstock_alert: int | None = None

    def apply(self, event: StockEvent, position: int) -> None:
        match event:
            case StockItemOpened() | StockPolicyChanged():
                self.reorder_point, self.max_stock = event.reorder_point, event.max_stock
            case StockIssued():
                self.on_hand += event.signed_qty
                if event.order_id is not None:
                    self.reserved -= event.reservation_consumed
            case StockMovement():
                self.on_hand += event.signed_qty
            case StockReservationHeld():
                self.reserved += event.qty
            case StockReservationReleased():
                self.reserved -= event.qty
            case ReorderPointBreached():
                self.open_reorder_alert = position
            case OverstockDetected():
                self.open_overstock_alert = position
            case _:
                pass

    def resolved(self) -> list[int]:
        """Open alerts the stock is back inside the line of (the aggregate re-arms them)."""
        done = []
        point, cap = self.reorder_point, self.max_stock
        available = self.on_hand - self.reserved
        if self.open_reorder_alert is not None and point is not None and available >= point:
            done.append(self.open_reorder_alert)
            self.open_reorder_alert = None
        if self.open_overstock_alert is not None and cap is not None and self.on_hand <= cap:
            done.append(self.open_overstock_alert)
            self.open_overstock_alert = None
        return done


@dataclass(frozen=True, slots=True)
class StockAlert:
    global_position: int
    kind: str
    sku: str
    warehouse_id: str
    available: Decimal | None
    on_hand: Decimal | None
    threshold: Decimal
    suggested_qty: Decimal | None
    excess_qty: Decimal | None
    occurred_at: datetime
    recorded_at: datetime
    resolved_at: datetime | None
    resolved_position: int | None


class StockAlertsProjection(Projection):
    name: ClassVar[str] = "inventory.stock_alerts"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        {
            StockItemOpened.event_type,
            StockPolicyChanged.event_type,
            *MOVEMENT_TYPES,
            *RESERVATION_TYPES,
            *ALERT_TYPES,
        }
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        decoded, keys = decoded_by_stock(events)
        watches = await _load_watches(conn, keys)
        raised: dict[int, dict[str, Any]] = {}
        resolutions: dict[int, RecordedEvent] = {}
        for recorded, event in decoded:
            state = watches.setdefault(stock_key(event), Watch())
            state.apply(event, recorded.global_position)
            if isinstance(event, ReorderPointBreached | OverstockDetected):
                raised[recorded.global_position] = _alert_row(recorded, event)
            for position in state.resolved():
                resolutions[position] = recorded
        await _write(conn, watches, raised, resolutions)


async def open_alerts(
    conn: AsyncConnection,
    sku: str | None = None,
    warehouse_id: str | None = None,
    limit: int = 100,
) -> list[StockAlert]:
    query = (
        select(alerts)
        .where(alerts.c.resolved_position.is_(None))
        .order_by(alerts.c.global_position.desc())
        .limit(limit)
    )
    if sku is not None:
        query = query.where(alerts.c.sku == sku)
    if warehouse_id is not None:
        query = query.where(alerts.c.warehouse_id == warehouse_id)
    return [StockAlert(**row._mapping) for row in await conn.execute(query)]


def _alert_row(
    recorded: RecordedEvent, event: ReorderPointBreached | OverstockDetected
) -> dict[str, Any]:
    reorder = isinstance(event, ReorderPointBreached)
    return {
        "global_position": recorded.global_position,
        "kind": REORDER_POINT if reorder else OVERSTOCK,
        "sku": event.sku,
        "warehouse_id": event.warehouse_id,
        "available": event.available if isinstance(event, ReorderPointBreached) else None,
        "on_hand": event.on_hand if isinstance(event, OverstockDetected) else None,
        "threshold": (
            event.reorder_point if isinstance(event, ReorderPointBreached) else event.max_stock
        ),
        "suggested_qty": event.suggested_qty if isinstance(event, ReorderPointBreached) else None,
        "excess_qty": event.excess_qty if isinstance(event, OverstockDetected) else None,
        "occurred_at": event.occurred_at,
        "recorded_at": recorded.recorded_at,
        "resolved_at": None,
        "resolved_position": None,
    }


async def _load_watches(conn: AsyncConnection, keys: set[StockKey]) -> dict[StockKey, Watch]:
    rows = await conn.execute(
        select(watch).where(tuple_(watch.c.sku, watch.c.warehouse_id).in_(sorted(keys)))
    )
    return {
        (row.sku, row.warehouse_id): Watch(*(row._mapping[name] for name in _WATCHED))
        for row in rows
    }


_watch_insert = insert(watch)
_UPSERT_WATCH = _watch_insert.on_conflict_do_update(
    index_elements=[watch.c.sku, watch.c.warehouse_id],
    set_={name: _watch_insert.excluded[name] for name in _WATCHED},
)
_RESOLVE = (
    update(alerts)
    .where(alerts.c.global_position == bindparam("position"))
    .values(resolved_at=bindparam("at"), resolved_position=bindparam("by"))
)


async def _write(
    conn: AsyncConnection,
    watches: dict[StockKey, Watch],
    raised: dict[int, dict[str, Any]],
    resolutions: dict[int, RecordedEvent],
) -> None:
    await conn.execute(
        _UPSERT_WATCH,
        [
            {"sku": sku, "warehouse_id": wh, **{n: getattr(state, n) for n in _WATCHED}}
            for (sku, wh), state in sorted(watches.items())
        ],
    )
    earlier = []
    for position, by in sorted(resolutions.items()):
        resolved = {"resolved_at": by.occurred_at, "resolved_position": by.global_position}
        if position in raised:
            raised[position].update(resolved)
        else:
            earlier.append({"position": position, "at": by.occurred_at, "by": by.global_position})
    if raised:
        await conn.execute(
            insert(alerts).on_conflict_do_nothing(), [raised[p] for p in sorted(raised)]
        )
    if earlier:
        await conn.execute(_RESOLVE, earlier)
