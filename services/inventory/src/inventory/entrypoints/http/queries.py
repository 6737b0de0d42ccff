"""Read side: GET /stock (now, or as of either time axis), GET /ledger (库存流水), alerts and
valuation. Served from the projections; a just-committed command shows up within one relay
poll of the projection runner (normally milliseconds)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from eventkit import InvalidCommand
from eventkit.http import Page, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import Moment, QueryText, require_ordered
from inventory.adapters import projections as queries
from inventory.entrypoints.http.commands import runtime_of

router = APIRouter(tags=["queries"])
Viewer = Annotated[Principal, Depends(require_role("viewer"))]
When = Annotated[Moment | None, Query()]
Paged = Annotated[Page, Depends(page)]


@router.get("/stock")
async def get_stock(
    request: Request,
    _: Viewer,
    paged: Paged,
    sku: QueryText | None = None,
    warehouse_id: QueryText | None = None,
    as_of: When = None,
    recorded_as_of: When = None,
) -> list[dict[str, Any]]:
    """`[{sku, warehouse_id, on_hand, reserved, available, in_transit, unit_cost, value}]`;
    with `as_of` (business time) and/or `recorded_as_of` (record time): history. Paged by
    (sku, warehouse) with `limit`/`offset`; `q` searches sku and warehouse."""
    async with runtime_of(request).engine.connect() as conn:
        if as_of is None and recorded_as_of is None:
            rows = await queries.current_stock(conn, sku, warehouse_id, paged)
        else:
            history = await queries.stock_as_of(
                conn, sku=sku, warehouse_id=warehouse_id, as_of=as_of, recorded_as_of=recorded_as_of
            )
            rows = paged.slice([row for row in history if _matches(row, paged.q)])
    return [jsonable(row) for row in rows]


def _matches(row: queries.StockRow, text: str | None) -> bool:
    needle = (text or "").casefold()
    return needle in row.sku.casefold() or needle in row.warehouse_id.casefold()


@router.get("/ledger")
async def get_ledger(
    request: Request,
    _: Viewer,
    sku: QueryText | None = None,
    warehouse_id: QueryText | None = None,
    from_: Annotated[Moment | None, Query(alias="from")] = None,
    to: When = None,
    after: QueryText | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    q: QueryText | None = None,
) -> dict[str, Any]:
    """Each movement with qty and value before/after, document, actor, both times and the
    `event_id` behind it (GET /events/{event_id}); page with `after=<next>` or `offset`;
    `q` searches document, actor, event type, reason, lot and location."""
    require_ordered(from_, to)
    async with runtime_of(request).engine.connect() as conn:
        try:
            rows, cursor = await queries.ledger_page(
                conn,
                sku=sku,
                warehouse_id=warehouse_id,
                from_=from_,
                to=to,
                after=after,
                limit=limit,
                offset=offset,
                q=q.strip() if q else None,
            )
        except queries.InvalidCursor as error:
            raise InvalidCommand(str(error), loc=("query", "after")) from error
    return {"movements": [jsonable(row) for row in rows], "next": cursor}


@router.get("/alerts")
async def get_alerts(
    request: Request,
    _: Viewer,
    sku: QueryText | None = None,
    warehouse_id: QueryText | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    async with runtime_of(request).engine.connect() as conn:
        rows = await queries.open_alerts(conn, sku=sku, warehouse_id=warehouse_id, limit=limit)
    return [jsonable(row) for row in rows]


@router.get("/valuation")
async def get_valuation(request: Request, _: Viewer) -> dict[str, Any]:
    """Inventory value per warehouse and in total (the figure finance's 1405 must equal)."""
    async with runtime_of(request).engine.connect() as conn:
        totals = await queries.valuation_totals(conn)
    body: dict[str, Any] = jsonable(totals)
    return body
