"""Reads of ``rm_catalogue``: items, warehouses, stocktakes (``GET /items``, ``/warehouses``,
``/stocktakes``, ``/stocktakes/{id}``), paged and searched by ``eventkit.http.Page``.

A stocktake still counting shows its variance *as it would be posted now*: counted − on hand
today (= counted − (book at start + movements since the start), the rule of
``domain.stocktake``), valued at today's moving-average unit cost. A completed one shows what
was posted. Lines never counted have no variance (they are not adjusted).

A sku counted per bin (盘点到库位/批次) shows its bin lines (book and on hand per location and
lot, ``rm_stock.lots``) instead of its per-sku line; every other sku shows its per-sku line.
``location``/``lot`` are null on per-sku lines and for the default location / no lot.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http import Page
from inventory.adapters.projections.catalogue import (
    items,
    stocktake_lines,
    stocktakes,
    warehouses,
)
from inventory.adapters.projections.stock_levels import levels
from inventory.adapters.projections.stock_levels import lots as bins


@dataclass(frozen=True, slots=True)
class StocktakeReview:
    header: dict[str, Any]
    totals: dict[str, Any]
    lines: list[dict[str, Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class StocktakeFilter:
    warehouse_id: str | None = None
    status: str | None = None
    #: Started at or after `from_`, before `to` (business time).
    from_: datetime | None = None
    to: datetime | None = None


async def list_items(
    conn: AsyncConnection, page: Page, category: str | None = None
) -> list[dict[str, Any]]:
    query = select(items).order_by(items.c.sku)
    if category is not None:
        query = query.where(items.c.category == category)
    query = page.apply(query, items.c.sku, items.c.name)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def list_warehouses(conn: AsyncConnection, page: Page) -> list[dict[str, Any]]:
    w = warehouses
    query = page.apply(select(w).order_by(w.c.warehouse_id), w.c.warehouse_id, w.c.name)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def list_stocktakes(
    conn: AsyncConnection, page: Page, where: StocktakeFilter | None = None
) -> list[dict[str, Any]]:
    """Newest first, with how many lines were counted so far."""
    s, lines = stocktakes, stocktake_lines
    counted = (
        select(func.count(lines.c.counted_qty))
        .where(lines.c.stocktake_id == s.c.stocktake_id)
        .scalar_subquery()
    )
    query = select(s, counted.label("counted_lines")).order_by(
        s.c.started_at.desc(), s.c.stocktake_id
    )
    where = where or StocktakeFilter()
    if where.warehouse_id is not None:
        query = query.where(s.c.warehouse_id == where.warehouse_id)
    if where.status is not None:
        query = query.where(s.c.status == where.status)
    if where.from_ is not None:
        query = query.where(s.c.started_at >= where.from_)
    if where.to is not None:
        query = query.where(s.c.started_at < where.to)
    query = page.apply(query, s.c.stocktake_number, s.c.warehouse_id)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def stocktake_review(
    conn: AsyncConnection, stocktake_id: UUID, page: Page, *, differing: bool = False
) -> StocktakeReview | None:
    """The header, totals over every line, and one page of lines (by sku)."""
    header = (
        await conn.execute(select(stocktakes).where(stocktakes.c.stocktake_id == stocktake_id))
    ).first()
    if header is None:
        return None
    columns = _line_columns()
    base = (
        select(*columns.values())
        .select_from(_lines_with_levels(header.warehouse_id))
        .where(stocktake_lines.c.stocktake_id == stocktake_id)
        .where(stocktake_lines.c.per_bin == _counted_per_bin())
    )
    totals = await _totals(conn, base.subquery())
    if differing:
        base = base.where(columns["variance"] != 0)
    li = stocktake_lines
    query = page.apply(base.order_by(li.c.sku, li.c.location, li.c.lot), li.c.sku)
    rows = [dict(row._mapping) for row in await conn.execute(query)]
    return StocktakeReview(dict(header._mapping), totals, rows)


def _counted_per_bin() -> ColumnElement[bool]:
    """Whether the line's sku has a bin count in this stocktake (then it is counted per bin)."""
    li, other = stocktake_lines, stocktake_lines.alias("bin_count")
    return exists().where(
        other.c.stocktake_id == li.c.stocktake_id,
        other.c.sku == li.c.sku,
        other.c.per_bin,
        other.c.counted_qty.is_not(None),
    )


def _lines_with_levels(warehouse_id: str) -> Any:
    lv, li = levels, stocktake_lines
    at_bin = and_(
        li.c.per_bin,
        bins.c.sku == li.c.sku,
        bins.c.warehouse_id == warehouse_id,
        bins.c.location == li.c.location,
        bins.c.lot == li.c.lot,
    )
    return li.outerjoin(
        lv, and_(lv.c.sku == li.c.sku, lv.c.warehouse_id == warehouse_id)
    ).outerjoin(bins, at_bin)


def _line_columns() -> dict[str, ColumnElement[Any]]:
    li, lv = stocktake_lines, levels
    on_hand = case(
        (li.c.per_bin, func.coalesce(bins.c.qty, 0)), else_=func.coalesce(lv.c.on_hand, 0)
    )
    unit_cost = func.coalesce(lv.c.unit_cost, 0)
    # Completed lines carry what was posted; counting lines the variance if posted now.
    variance = case((li.c.variance.is_not(None), li.c.variance), else_=li.c.counted_qty - on_hand)
    value = case(
        (li.c.variance_value.is_not(None), li.c.variance_value),
        else_=func.round(variance * unit_cost, 2),
    )
    movements = func.coalesce(li.c.movements_during_count, on_hand - li.c.book_qty)
    return {
        "sku": li.c.sku,
        "location": func.nullif(li.c.location, "").label("location"),
        "lot": func.nullif(li.c.lot, "").label("lot"),
        "in_book": li.c.in_book,
        "book_qty": li.c.book_qty,
        "counted_qty": li.c.counted_qty,
        "movements_during_count": movements.label("movements_during_count"),
        "variance": variance.label("variance"),
        "unit_cost": lv.c.unit_cost,
        "variance_value": value.label("variance_value"),
    }


async def _totals(conn: AsyncConnection, lines: Any) -> dict[str, Any]:
    row = (
        await conn.execute(
            select(
                func.count().label("lines"),
                func.count(lines.c.counted_qty).label("counted_lines"),
                func.count().filter(lines.c.variance != 0).label("differing_lines"),
                func.coalesce(func.sum(lines.c.variance), 0).label("variance"),
                func.coalesce(func.sum(lines.c.variance_value), 0).label("variance_value"),
                func.coalesce(
                    func.sum(lines.c.variance_value).filter(lines.c.variance < 0), 0
                ).label("loss_value"),
                func.coalesce(
                    func.sum(lines.c.variance_value).filter(lines.c.variance > 0), 0
                ).label("gain_value"),
            )
        )
    ).one()
    totals = dict(row._mapping)
    totals["uncounted_lines"] = totals["lines"] - totals["counted_lines"]
    return totals
