"""库存流水: ``StockLedgerProjection`` fills ``rm_ledger.movements`` (see ``ledger_tables``).

A movement recorded at the end of its stream's business time is inserted with the running
balances its event carries. A backdated one, and the rows of a ``StockRevalued``, land before
later rows; the batch then re-states the running balances of that stock from the earliest
such row on, once per batch, with one window-function UPDATE (``restate_running_balances``).
Everything else is plain inserts, a few statements per batch.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import MetaData, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from inventory.adapters.projections.ledger_restate import BusinessKey, restate_running_balances
from inventory.adapters.projections.ledger_tables import SCHEMA, metadata, movements, stocks
from inventory.adapters.projections.stock_events import (
    MOVEMENT_TYPES,
    ZERO,
    StockKey,
    decoded_by_stock,
    stock_key,
)
from inventory.domain.events import StockAdjusted, StockCostAdjusted, StockMovement, StockRevalued

REVALUATION_REASON = "revaluation"
#: The reason on the rows of a month-end restatement (月末一次加权平均).
MONTH_END_REASON = "month_end_average"


@dataclass(slots=True)
class StockHead:
    """Where a stock's stream stands: totals in record order, latest business time seen."""

    known_qty: Decimal = ZERO
    known_value: Decimal = ZERO
    latest_occurred_at: datetime | None = None


class StockLedgerProjection(Projection):
    name: ClassVar[str] = "inventory.stock_ledger"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        {*MOVEMENT_TYPES, StockRevalued.event_type, StockCostAdjusted.event_type}
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        decoded, keys = decoded_by_stock(events)
        batch = LedgerBatch(await _load_heads(conn, keys))
        for recorded, event in decoded:
            if isinstance(event, StockMovement):
                batch.add_movement(recorded, event)
            elif isinstance(event, StockRevalued | StockCostAdjusted):
                await batch.add_revaluation(conn, recorded, event)
        await batch.finish(conn)


class LedgerBatch:
    def __init__(self, heads: dict[StockKey, StockHead]) -> None:
        self.heads = heads
        self.pending: list[dict[str, Any]] = []
        self.restate_from: dict[StockKey, BusinessKey] = {}
        # What a re-costing row copies from its movement, for this batch's movements.
        self.recent: dict[UUID, dict[str, Any]] = {}

    def add_movement(self, recorded: RecordedEvent, event: StockMovement) -> None:
        key = stock_key(event)
        head = self.heads.setdefault(key, StockHead())
        head.known_qty += event.signed_qty
        head.known_value += event.stock_value_change
        latest = head.latest_occurred_at
        if latest is not None and event.occurred_at < latest:
            # Backdated: every row after it in business time now stands on it.
            self._restate(key, (event.occurred_at, recorded.global_position, 0))
        else:
            head.latest_occurred_at = event.occurred_at
        row = _movement_row(recorded, event, head)
        self.pending.append(row)
        self.recent[event.movement_id] = {name: row[name] for name in _COPIED}

    async def add_revaluation(
        self,
        conn: AsyncConnection,
        recorded: RecordedEvent,
        event: StockRevalued | StockCostAdjusted,
    ) -> None:
        if not event.adjustments:
            return
        ids = [a.movement_id for a in event.adjustments]
        originals = {i: self.recent[i] for i in ids if i in self.recent}
        originals |= await _movements_by_id(conn, [i for i in ids if i not in originals])
        key = stock_key(event)
        head = self.heads.setdefault(key, StockHead())
        actor = recorded.metadata.actor
        reason = MONTH_END_REASON if isinstance(event, StockCostAdjusted) else REVALUATION_REASON
        for line, adjustment in enumerate(event.adjustments, start=1):
            original = originals.get(adjustment.movement_id)
            if original is None:
                raise LookupError(
                    f"{event.event_type} at {recorded.global_position} re-costs movement "
                    f"{adjustment.movement_id}, which the ledger never recorded"
                )
            change = adjustment.stock_value_change
            head.known_value += change
            self.pending.append(
                {
                    **original,
                    "global_position": recorded.global_position,
                    "line": line,
                    "movement_id": adjustment.movement_id,
                    "event_type": event.event_type,
                    "document": adjustment.document,
                    "direction": adjustment.direction.value,
                    "qty": ZERO,
                    "unit_cost": adjustment.unit_cost,
                    "value": change,
                    # Placeholders: the re-statement at the end of the batch sets them.
                    **dict.fromkeys(("qty_before", "qty_after", "value_before", "value_after"), 0),
                    "recorded_at": recorded.recorded_at,
                    "actor": actor,
                    "reason": reason,
                    "known_qty": head.known_qty,
                    "known_value": head.known_value,
                }
            )
            self._restate(key, (original["occurred_at"], recorded.global_position, line))

    async def flush(self, conn: AsyncConnection) -> None:
        if self.pending:
            await conn.execute(insert(movements), self.pending)
            self.pending = []

    async def finish(self, conn: AsyncConnection) -> None:
        await self.flush(conn)
        for key, start in sorted(self.restate_from.items()):
            await restate_running_balances(conn, key, start)
        await _save_heads(conn, self.heads)

    def _restate(self, key: StockKey, start: BusinessKey) -> None:
        earlier = self.restate_from.get(key)
        self.restate_from[key] = start if earlier is None else min(earlier, start)


def _movement_row(recorded: RecordedEvent, event: StockMovement, head: StockHead) -> dict[str, Any]:
    return {
        "global_position": recorded.global_position,
        "line": 0,
        "movement_id": event.movement_id,
        "sku": event.sku,
        "warehouse_id": event.warehouse_id,
        "event_type": event.event_type,
        "document": event.document,
        "document_type": event.document_type.value,
        "direction": event.direction.value,
        "qty": event.signed_qty,
        "unit_cost": event.unit_cost,
        "value": event.stock_value_change,
        "qty_before": event.qty_before,
        "qty_after": event.qty_after,
        "value_before": event.value_before,
        "value_after": event.value_after,
        "occurred_at": event.occurred_at,
        "recorded_at": recorded.recorded_at,
        "actor": recorded.metadata.actor,
        "lot": event.lot,
        "location": event.location,
        "reason": event.reason.value if isinstance(event, StockAdjusted) else None,
        "known_qty": head.known_qty,
        "known_value": head.known_value,
    }


_COPIED = ("sku", "warehouse_id", "document_type", "occurred_at", "lot", "location")


async def _movements_by_id(
    conn: AsyncConnection, movement_ids: list[UUID]
) -> dict[UUID, dict[str, Any]]:
    """What a re-costing row copies from the movement it re-costs (earlier batches)."""
    if not movement_ids:
        return {}
    m = movements
    rows = await conn.execute(
        select(m.c.movement_id, *(m.c[name] for name in _COPIED)).where(
            m.c.movement_id.in_(movement_ids), m.c.line == 0
        )
    )
    return {row.movement_id: {name: row._mapping[name] for name in _COPIED} for row in rows}


async def _load_heads(conn: AsyncConnection, keys: set[StockKey]) -> dict[StockKey, StockHead]:
    rows = await conn.execute(
        select(stocks).where(tuple_(stocks.c.sku, stocks.c.warehouse_id).in_(sorted(keys)))
    )
    return {
        (row.sku, row.warehouse_id): StockHead(
            row.known_qty, row.known_value, row.latest_occurred_at
        )
        for row in rows
    }


_head_insert = pg_insert(stocks)
_UPSERT_HEADS = _head_insert.on_conflict_do_update(
    index_elements=[stocks.c.sku, stocks.c.warehouse_id],
    set_={
        name: _head_insert.excluded[name]
        for name in ("known_qty", "known_value", "latest_occurred_at")
    },
)


async def _save_heads(conn: AsyncConnection, heads: dict[StockKey, StockHead]) -> None:
    rows = [
        {
            "sku": sku,
            "warehouse_id": warehouse_id,
            "known_qty": head.known_qty,
            "known_value": head.known_value,
            "latest_occurred_at": head.latest_occurred_at,
        }
        for (sku, warehouse_id), head in sorted(heads.items())
        if head.latest_occurred_at is not None
    ]
    if rows:
        await conn.execute(_UPSERT_HEADS, rows)
