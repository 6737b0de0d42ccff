"""Reads of ``rm_storage`` and ``rm_stock.lots``: ``GET /locations``, ``GET /lots``,
``GET /stock/locations``, the putaway inputs and the expiry sweep's candidates."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http import Page
from inventory.adapters.projections.stock_levels import lots as bins
from inventory.adapters.projections.storage import alert_days, fixed_locations, locations, lots


async def list_locations(
    conn: AsyncConnection, page: Page, warehouse_id: str | None = None
) -> list[dict[str, Any]]:
    """In each warehouse's location order, with what each holds now (all skus)."""
    held = (
        select(func.coalesce(func.sum(bins.c.qty), 0))
        .where(bins.c.warehouse_id == locations.c.warehouse_id)
        .where(bins.c.location == locations.c.code)
        .scalar_subquery()
    )
    query = select(locations, held.label("on_hand")).order_by(
        locations.c.warehouse_id, locations.c.position
    )
    if warehouse_id is not None:
        query = query.where(locations.c.warehouse_id == warehouse_id)
    query = page.apply(query, locations.c.code, locations.c.name)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def list_lots(
    conn: AsyncConnection,
    page: Page,
    *,
    as_of: date,
    sku: str | None = None,
    warehouse_id: str | None = None,
    expiring_within_days: int | None = None,
    alerted: bool | None = None,
) -> list[dict[str, Any]]:
    """Lots in stock, earliest expiry first (FEFO order); ``expired``/``days_left`` at
    ``as_of``; ``expiring_within_days`` keeps lots expiring at most that many days ahead
    (expired ones included); ``alerted`` keeps the lots whose 临期预警 has (or has not) been
    raised — the open near-expiry alerts are the alerted lots still in stock."""
    query: Select[Any] = select(
        lots,
        (lots.c.expiry < as_of).label("expired"),
        (lots.c.expiry - as_of).label("days_left"),
    ).where(lots.c.qty > 0)
    if sku is not None:
        query = query.where(lots.c.sku == sku)
    if warehouse_id is not None:
        query = query.where(lots.c.warehouse_id == warehouse_id)
    if expiring_within_days is not None:
        query = query.where(lots.c.expiry <= as_of + timedelta(days=expiring_within_days))
    if alerted is not None:
        flagged = lots.c.alerted_at.is_not(None)
        query = query.where(flagged if alerted else ~flagged)
    query = query.order_by(
        lots.c.expiry.asc().nulls_last(),
        lots.c.first_received_at,
        lots.c.sku,
        lots.c.warehouse_id,
        lots.c.lot,
    )
    query = page.apply(query, lots.c.sku, lots.c.lot)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def stock_by_location(
    conn: AsyncConnection, page: Page, *, sku: str | None, warehouse_id: str | None
) -> list[dict[str, Any]]:
    """On hand per sku × warehouse × location × lot ('' = unnamed), empty bins left out."""
    query = (
        select(bins, lots.c.expiry)
        .outerjoin(
            lots,
            (lots.c.sku == bins.c.sku)
            & (lots.c.warehouse_id == bins.c.warehouse_id)
            & (lots.c.lot == bins.c.lot),
        )
        .where(bins.c.qty != 0)
        .order_by(bins.c.sku, bins.c.warehouse_id, bins.c.location, bins.c.lot)
    )
    if sku is not None:
        query = query.where(bins.c.sku == sku)
    if warehouse_id is not None:
        query = query.where(bins.c.warehouse_id == warehouse_id)
    query = page.apply(query, bins.c.sku, bins.c.location, bins.c.lot)
    return [dict(row._mapping) for row in await conn.execute(query)]


async def location_capacities(
    conn: AsyncConnection, warehouse_id: str
) -> dict[str, Decimal | None]:
    rows = await conn.execute(
        select(locations.c.code, locations.c.capacity)
        .where(locations.c.warehouse_id == warehouse_id)
        .order_by(locations.c.position)
    )
    return {row.code: row.capacity for row in rows}


async def occupancy(conn: AsyncConnection, warehouse_id: str) -> dict[str, Decimal]:
    """location → qty held of every sku (what putaway's capacity and "empty" look at)."""
    rows = await conn.execute(
        select(bins.c.location, func.sum(bins.c.qty).label("held"))
        .where(bins.c.warehouse_id == warehouse_id)
        .where(bins.c.location != "")
        .group_by(bins.c.location)
    )
    return {row.location: row.held for row in rows}


async def locations_holding(conn: AsyncConnection, sku: str, warehouse_id: str) -> list[str]:
    rows = await conn.execute(
        select(bins.c.location)
        .where(bins.c.sku == sku, bins.c.warehouse_id == warehouse_id)
        .where(bins.c.location != "", bins.c.qty > 0)
    )
    return list(rows.scalars())


async def fixed_location(conn: AsyncConnection, sku: str, warehouse_id: str) -> str | None:
    row = await conn.execute(
        select(fixed_locations.c.location).where(
            fixed_locations.c.sku == sku, fixed_locations.c.warehouse_id == warehouse_id
        )
    )
    return row.scalar_one_or_none()


async def sweep_candidates(
    conn: AsyncConnection, as_of: date, default_days: int
) -> list[tuple[str, str]]:
    """Stock items holding a dated lot not yet alerted that is within its item's lead time
    at ``as_of`` (the aggregate decides for itself; this only narrows whom to ask)."""
    lead = func.coalesce(alert_days.c.expiry_alert_days, default_days)
    rows = await conn.execute(
        select(lots.c.sku, lots.c.warehouse_id)
        .outerjoin(alert_days, alert_days.c.sku == lots.c.sku)
        .where(lots.c.qty > 0, lots.c.expiry.is_not(None), lots.c.alerted_at.is_(None))
        .where(lots.c.expiry - as_of <= lead)
        .distinct()
        .order_by(lots.c.sku, lots.c.warehouse_id)
    )
    return [(row.sku, row.warehouse_id) for row in rows]
