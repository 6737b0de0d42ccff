"""``SuppliersProjection`` keeps ``rm_suppliers``:

| table | rows |
|---|---|
| ``suppliers`` | one per supplier: terms, lead time, default VAT rate |
| ``prices`` | the current price list, one row per (supplier, sku) |
| ``price_history`` | every price-list entry and every placed PO line price, in order |
| ``scorecard`` | per supplier: placed orders, deliveries (receipts), on-time deliveries, |
| | summed lead-time days, accepted and rejected qty |

Scorecard rules: a delivery is one goods receipt; it is on time when its date ≤ the PO's
expected date; lead time = receipt date − date the PO was placed; reject rate = rejected qty /
(accepted + rejected qty). The rates are computed when read (``queries.scorecard``).
"""

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, Table, Text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from purchasing.adapters.codec import from_payload
from purchasing.adapters.projections.columns import PRICE, QTY, RATE
from purchasing.domain import events as e

SCHEMA = "rm_suppliers"
metadata = MetaData()
suppliers = Table(
    "suppliers",
    metadata,
    Column("supplier_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("payment_terms_days", Integer, nullable=False),
    Column("lead_time_days", Integer, nullable=False),
    Column("tax_rate", RATE, nullable=False),
    schema=SCHEMA,
)
prices = Table(
    "prices",
    metadata,
    Column("supplier_id", Text, primary_key=True),
    Column("sku", Text, primary_key=True, index=True),
    Column("unit_price", PRICE, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)
price_history = Table(
    "price_history",
    metadata,
    Column("global_position", BigInteger, primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("sku", Text, nullable=False, index=True),
    Column("supplier_id", Text, nullable=False),
    Column("unit_price", PRICE, nullable=False),
    Column("qty", QTY),
    #: `price_list` or `purchase_order`.
    Column("source", Text, nullable=False),
    Column("document", Text),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)
scorecard = Table(
    "scorecard",
    metadata,
    Column("supplier_id", Text, primary_key=True),
    Column("orders", Integer, nullable=False, default=0),
    Column("deliveries", Integer, nullable=False, default=0),
    Column("on_time_deliveries", Integer, nullable=False, default=0),
    Column("lead_time_days_total", Integer, nullable=False, default=0),
    Column("accepted_qty", QTY, nullable=False, default=0),
    Column("rejected_qty", QTY, nullable=False, default=0),
    schema=SCHEMA,
)
_COUNTERS = (
    "orders",
    "deliveries",
    "on_time_deliveries",
    "lead_time_days_total",
    "accepted_qty",
    "rejected_qty",
)
_score_insert = insert(scorecard)
_ADD_SCORES = _score_insert.on_conflict_do_update(
    index_elements=[scorecard.c.supplier_id],
    set_={name: scorecard.c[name] + _score_insert.excluded[name] for name in _COUNTERS},
)
_price_insert = insert(prices)
_SET_PRICE = _price_insert.on_conflict_do_update(
    index_elements=[prices.c.supplier_id, prices.c.sku],
    set_={
        "unit_price": _price_insert.excluded.unit_price,
        "updated_at": _price_insert.excluded.updated_at,
    },
)


class SuppliersProjection(Projection):
    name: ClassVar[str] = "purchasing.suppliers"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        cls.event_type
        for cls in (
            e.SupplierRegistered,
            e.SupplierPriceSet,
            e.PurchaseOrderPlaced,
            e.GoodsReceiptRecorded,
        )
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        for recorded in events:
            event = from_payload(recorded.event_type, recorded.payload)
            await _apply(conn, recorded.global_position, event)


async def _apply(conn: AsyncConnection, position: int, event: e.DomainEvent) -> None:
    match event:
        case e.SupplierRegistered():
            row = {c: getattr(event, c) for c in suppliers.c.keys()}  # noqa: SIM118
            await conn.execute(insert(suppliers).on_conflict_do_nothing(), row)
        case e.SupplierPriceSet():
            await conn.execute(
                _SET_PRICE,
                {
                    "supplier_id": event.supplier_id,
                    "sku": event.sku,
                    "unit_price": event.unit_price,
                    "updated_at": event.occurred_at,
                },
            )
            await _history(
                conn,
                [
                    _history_row(
                        position,
                        0,
                        event.sku,
                        event.supplier_id,
                        event.unit_price,
                        event.occurred_at,
                    )
                ],
            )
        case e.PurchaseOrderPlaced():
            await _score(conn, event.supplier_id, orders=1)
            await _history(
                conn,
                [
                    _history_row(
                        position,
                        n,
                        li.sku,
                        event.supplier_id,
                        li.unit_price,
                        event.occurred_at,
                        qty=li.qty,
                        document=event.po_number,
                    )
                    for n, li in enumerate(event.lines, start=1)
                ],
            )
        case e.GoodsReceiptRecorded():
            await _score(
                conn,
                event.supplier_id,
                deliveries=1,
                on_time_deliveries=int(event.on_time),
                lead_time_days_total=event.lead_time_days,
                accepted_qty=sum(li.qty_accepted for li in event.lines),
                rejected_qty=sum(li.qty_rejected for li in event.lines),
            )
        case _:
            pass


async def _score(conn: AsyncConnection, supplier_id: str, **deltas: Any) -> None:
    row = {name: deltas.get(name, 0) for name in _COUNTERS}
    await conn.execute(_ADD_SCORES, {"supplier_id": supplier_id, **row})


async def _history(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(insert(price_history).on_conflict_do_nothing(), rows)


def _history_row(
    position: int,
    line: int,
    sku: str,
    supplier_id: str,
    unit_price: Any,
    occurred_at: Any,
    *,
    qty: Any = None,
    document: str | None = None,
) -> dict[str, Any]:
    return {
        "global_position": position,
        "line": line,
        "sku": sku,
        "supplier_id": supplier_id,
        "unit_price": unit_price,
        "qty": qty,
        "source": "price_list" if document is None else "purchase_order",
        "document": document,
        "occurred_at": occurred_at,
    }
