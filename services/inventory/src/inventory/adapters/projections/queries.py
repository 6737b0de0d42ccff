"""Reads of the stock read models (``GET /stock``, ``GET /ledger``, valuation).

Historical stock (``stock_as_of``) comes from the ledger, on either time axis:

- ``as_of`` (business time): for each stock, the last ledger row with ``occurred_at ≤ as_of``
  in business order, and its ``qty_after``/``value_after`` — one backward index probe per
  stock (``movements_business_time``), independent of the history's length.
- ``recorded_as_of`` (record time): the last row with ``recorded_at ≤ recorded_as_of`` and its
  ``known_qty``/``known_value`` — what the system knew then. One probe per stock
  (``movements_record_time``). ``recorded_at`` is the writing transaction's start time, so
  two appends to one stream whose transactions overlapped can carry record times in the
  opposite order to their commits; between those two instants the answer already includes
  the later commit (rare, and never wrong once both times have passed).
- both: the stock at business time ``as_of`` as it was known at ``recorded_as_of`` — the sum
  of ``qty``/``value`` over rows with ``occurred_at ≤ as_of`` and ``recorded_at ≤
  recorded_as_of``. This one is O(rows of the stock up to ``as_of``).

Historical rows report ``reserved``, ``available``, ``in_transit`` and ``in_transit_value``
as ``None``: the ledger records movements of goods, not promises or goods on the road.
``unit_cost`` is value / qty (6 places) while qty > 0, else ``None``. Stocks without a ledger
row up to the moment asked are left out (they had no history yet).

``ledger_page`` lists 库存流水 rows in business order ``(occurred_at, global_position, line)``,
``from_ ≤ occurred_at < to``, ``limit`` rows at a time; the cursor is an opaque string naming
the last row returned: a page goes on after that row, so a backdated row inserted before it
meanwhile neither repeats nor skips anything on the following pages.

``valuation_totals`` is per warehouse: value on hand plus value sent from it and still in
transit (goods on the road stay in the source's valuation until received).

``open_alerts`` (库存预警 not yet resolved) lives with its projection in ``alerts`` and is
re-exported here, so the HTTP layer reads everything from this module.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, column, func, select, table, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http import Page
from eventkit.http.schemas import EARLIEST_MOMENT, LATEST_MOMENT
from inventory.adapters.projections.alerts import StockAlert, open_alerts
from inventory.adapters.projections.ledger_restate import BusinessKey, business_key_literal
from inventory.adapters.projections.ledger_tables import movements, stocks
from inventory.adapters.projections.on_order import on_order
from inventory.adapters.projections.stock_events import ZERO
from inventory.adapters.projections.stock_levels import levels

__all__ = [
    "InvalidCursor",
    "LedgerEntry",
    "StockAlert",
    "StockRow",
    "Valuation",
    "current_stock",
    "ledger_page",
    "open_alerts",
    "stock_as_of",
    "valuation_totals",
]

COST_STEP = Decimal("0.000001")
#: The kernel's event store (same database): a ledger row names the event behind it.
_events = table("events", column("global_position"), column("event_id"))


@dataclass(frozen=True, slots=True)
class StockRow:
    sku: str
    warehouse_id: str
    on_hand: Decimal
    reserved: Decimal | None
    available: Decimal | None
    in_transit: Decimal | None
    unit_cost: Decimal | None
    value: Decimal
    in_transit_value: Decimal | None = None
    #: Open purchase-order quantity, and on hand + on order − reserved (current stock only).
    on_order: Decimal | None = None
    projected: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One 库存流水 row (``ledger_tables.movements``); ``line`` > 0: a re-costing row."""

    global_position: int
    line: int
    movement_id: UUID
    sku: str
    warehouse_id: str
    event_type: str
    document: str
    document_type: str
    direction: str
    qty: Decimal
    unit_cost: Decimal
    value: Decimal
    qty_before: Decimal
    qty_after: Decimal
    value_before: Decimal
    value_after: Decimal
    occurred_at: datetime
    recorded_at: datetime
    actor: str | None
    lot: str | None
    location: str | None
    reason: str | None
    known_qty: Decimal
    known_value: Decimal
    #: The stored event behind the row (``GET /events/{event_id}``): the stock-stream event,
    #: or the ``StockRevalued`` of a re-costing row.
    event_id: UUID | None = None

    @property
    def cursor(self) -> str:
        raw = f"{self.occurred_at.isoformat()}|{self.global_position}|{self.line}"
        return base64.urlsafe_b64encode(raw.encode()).decode()


class InvalidCursor(ValueError):
    """A ledger cursor this service did not hand out."""


@dataclass(frozen=True, slots=True)
class Valuation:
    """Stock value per warehouse (on hand + sent from it and still in transit) and in all."""

    by_warehouse: list[tuple[str, Decimal]]
    total: Decimal


async def current_stock(
    conn: AsyncConnection,
    sku: str | None = None,
    warehouse_id: str | None = None,
    page: Page | None = None,
) -> list[StockRow]:
    """``page`` narrows by ``q`` (a substring of sku or warehouse) and pages by (sku, wh)."""
    query = select(levels).order_by(levels.c.sku, levels.c.warehouse_id)
    query = _for_stock(query, levels, sku, warehouse_id)
    if page is not None:
        query = page.apply(query, levels.c.sku, levels.c.warehouse_id)
    ordered = await on_order(conn, sku, warehouse_id)
    rows = []
    for row in await conn.execute(query):
        expected = ordered.get((row.sku, row.warehouse_id), ZERO)
        rows.append(
            StockRow(
                sku=row.sku,
                warehouse_id=row.warehouse_id,
                on_hand=row.on_hand,
                reserved=row.reserved,
                available=row.available,
                in_transit=row.in_transit,
                unit_cost=row.unit_cost,
                value=row.value,
                in_transit_value=row.in_transit_value,
                on_order=expected,
                projected=row.on_hand + expected - row.reserved,
            )
        )
    return rows


async def stock_as_of(
    conn: AsyncConnection,
    *,
    sku: str | None = None,
    warehouse_id: str | None = None,
    as_of: datetime | None = None,
    recorded_as_of: datetime | None = None,
) -> list[StockRow]:
    if as_of is not None and recorded_as_of is not None:
        query = _bitemporal(sku, warehouse_id, as_of, recorded_as_of)
        return [_historical(*row) for row in await conn.execute(query)]
    moment = as_of if as_of is not None else recorded_as_of
    if moment is None:
        return await current_stock(conn, sku, warehouse_id)
    known = as_of is None
    query = _last_row(known=known, by_sku=sku is not None, by_warehouse=warehouse_id is not None)
    params = {"moment": moment, "sku": sku, "warehouse_id": warehouse_id}
    return [_historical(*row) for row in await conn.execute(query, params)]


async def ledger_page(
    conn: AsyncConnection,
    *,
    sku: str | None = None,
    warehouse_id: str | None = None,
    from_: datetime | None = None,
    to: datetime | None = None,
    after: str | None = None,
    limit: int = 100,
    offset: int = 0,
    q: str | None = None,
) -> tuple[list[LedgerEntry], str | None]:
    """A page of rows and the cursor of the next page (``None`` on the last one). ``offset``
    skips rows (the console's numbered pages); ``q`` searches document, actor, event type,
    reason, lot and location."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    m = movements
    order = (m.c.occurred_at, m.c.global_position, m.c.line)
    query = (
        select(m, _events.c.event_id)
        .select_from(m.outerjoin(_events, _events.c.global_position == m.c.global_position))
        .order_by(*order)
        .limit(limit + 1)
    )
    query = _for_stock(query, m, sku, warehouse_id)
    searched = (m.c.document, m.c.actor, m.c.event_type, m.c.reason, m.c.lot, m.c.location)
    query = Page(offset=offset, q=q).apply(query, *searched)
    if from_ is not None:
        query = query.where(m.c.occurred_at >= from_)
    if to is not None:
        query = query.where(m.c.occurred_at < to)
    if after is not None:
        query = query.where(tuple_(*order) > business_key_literal(_decode_cursor(after)))
    rows = [LedgerEntry(**row._mapping) for row in await conn.execute(query)]
    page = rows[:limit]
    return page, (page[-1].cursor if len(rows) > limit else None)


def _decode_cursor(cursor: str) -> BusinessKey:
    try:
        occurred_at, position, line = base64.urlsafe_b64decode(cursor).decode().split("|")
        key = (datetime.fromisoformat(occurred_at), int(position), int(line))
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidCursor(f"not a ledger cursor: {cursor!r}") from error
    if key[0].tzinfo is None or not _fits_columns(key):
        raise InvalidCursor(f"not a ledger cursor: {cursor!r}")
    return key


def _fits_columns(key: BusinessKey) -> bool:
    """A forged cursor must not reach the database with values its columns cannot hold
    (timestamptz in the business range, bigint position, smallint line)."""
    occurred_at, position, line = key
    return (
        EARLIEST_MOMENT <= occurred_at <= LATEST_MOMENT
        and 0 <= position < 2**63
        and 0 <= line < 2**15
    )


async def valuation_totals(conn: AsyncConnection) -> Valuation:
    value = func.sum(levels.c.value + levels.c.in_transit_value)
    rows = await conn.execute(
        select(levels.c.warehouse_id, value)
        .group_by(levels.c.warehouse_id)
        .order_by(levels.c.warehouse_id)
    )
    by_warehouse = [(row[0], row[1]) for row in rows]
    return Valuation(by_warehouse, sum((v for _, v in by_warehouse), Decimal("0.00")))


@cache
def _last_row(*, known: bool, by_sku: bool, by_warehouse: bool) -> Select[Any]:
    """Built once per shape (bind parameters ``moment``, ``sku``, ``warehouse_id``): the
    lookup is a single index probe, so building the statement would otherwise dominate."""
    m = movements
    time_column = m.c.recorded_at if known else m.c.occurred_at
    qty, value = (m.c.known_qty, m.c.known_value) if known else (m.c.qty_after, m.c.value_after)
    # One backward probe of the per-stock index: the greatest (sku, warehouse, time, …) key at
    # or below (this stock, moment); it counts only if it is this stock's. Written as a single
    # row comparison so no other index fits — with `sku = … AND time <= moment` the planner
    # may walk the all-stocks time index instead, a full scan for a stock with no row then.
    moment = bindparam("moment", type_=time_column.type)
    last = (
        select(m.c.sku, m.c.warehouse_id, qty.label("qty"), value.label("value"))
        .where(
            tuple_(m.c.sku, m.c.warehouse_id, time_column)
            <= tuple_(stocks.c.sku, stocks.c.warehouse_id, moment)
        )
        .order_by(
            m.c.sku.desc(),
            m.c.warehouse_id.desc(),
            time_column.desc(),
            m.c.global_position.desc(),
            m.c.line.desc(),
        )
        .limit(1)
        .lateral("last")
    )
    same_stock = (last.c.sku == stocks.c.sku) & (last.c.warehouse_id == stocks.c.warehouse_id)
    query = (
        select(stocks.c.sku, stocks.c.warehouse_id, last.c.qty, last.c.value)
        .select_from(stocks.join(last, same_stock))
        .order_by(stocks.c.sku, stocks.c.warehouse_id)
    )
    if by_sku:
        query = query.where(stocks.c.sku == bindparam("sku"))
    if by_warehouse:
        query = query.where(stocks.c.warehouse_id == bindparam("warehouse_id"))
    return query


def _bitemporal(
    sku: str | None, warehouse_id: str | None, as_of: datetime, recorded_as_of: datetime
) -> Select[Any]:
    m = movements
    query = (
        select(m.c.sku, m.c.warehouse_id, func.sum(m.c.qty), func.sum(m.c.value))
        .where(m.c.occurred_at <= as_of, m.c.recorded_at <= recorded_as_of)
        .group_by(m.c.sku, m.c.warehouse_id)
        .order_by(m.c.sku, m.c.warehouse_id)
    )
    return _for_stock(query, m, sku, warehouse_id)


def _for_stock(
    query: Select[Any], table: Any, sku: str | None, warehouse_id: str | None
) -> Select[Any]:
    if sku is not None:
        query = query.where(table.c.sku == sku)
    if warehouse_id is not None:
        query = query.where(table.c.warehouse_id == warehouse_id)
    return query


def _historical(sku: str, warehouse_id: str, qty: Decimal, value: Decimal) -> StockRow:
    unit_cost = (value / qty).quantize(COST_STEP, rounding=ROUND_HALF_UP) if qty > 0 else None
    return StockRow(
        sku=sku,
        warehouse_id=warehouse_id,
        on_hand=qty,
        reserved=None,
        available=None,
        in_transit=None,
        unit_cost=unit_cost,
        value=value,
    )
