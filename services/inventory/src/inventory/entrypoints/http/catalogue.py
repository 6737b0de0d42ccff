"""Lists people browse: GET /items, /warehouses, /stocktakes, /stocktakes/{id} (盘点 review).

Paged and searched the same way everywhere (`limit`, `offset`, `q`: eventkit.http.paging);
without `limit` a list answers every row.
"""

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from eventkit import NotFound
from eventkit.http import Page, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import Moment, QueryText, require_ordered
from inventory.adapters.projections import catalogue_queries as catalogue
from inventory.entrypoints.http.commands import runtime_of

router = APIRouter(tags=["catalogue"])
Viewer = Annotated[Principal, Depends(require_role("viewer"))]
Paged = Annotated[Page, Depends(page)]


@router.get("/items")
async def get_items(
    request: Request, _: Viewer, paged: Paged, category: QueryText | None = None
) -> list[dict[str, Any]]:
    """`[{sku, name, uom, category, reorder_point, reorder_qty, max_stock, negative_stock,
    registered_at}]` by sku; `category` (exact) narrows, `q` searches sku and name."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await catalogue.list_items(conn, paged, category)
    return [jsonable(row) for row in rows]


@router.get("/warehouses")
async def get_warehouses(request: Request, _: Viewer, paged: Paged) -> list[dict[str, Any]]:
    """`[{warehouse_id, name, locations, registered_at}]`; `q` searches id and name."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await catalogue.list_warehouses(conn, paged)
    return [jsonable(row) for row in rows]


@router.get("/stocktakes")
async def get_stocktakes(
    request: Request,
    _: Viewer,
    paged: Paged,
    warehouse_id: QueryText | None = None,
    status: Literal["counting", "completed"] | None = None,
    from_: Annotated[Moment | None, Query(alias="from")] = None,
    to: Annotated[Moment | None, Query()] = None,
) -> list[dict[str, Any]]:
    """Newest first: number, warehouse, status, book lines, counted lines, posted value;
    filtered by warehouse, status and `from ≤ started_at < to`; `q` searches number and
    warehouse. `GET /stocktakes/{id}` has the count sheet."""
    require_ordered(from_, to)
    where = catalogue.StocktakeFilter(warehouse_id=warehouse_id, status=status, from_=from_, to=to)
    async with runtime_of(request).engine.connect() as conn:
        rows = await catalogue.list_stocktakes(conn, paged, where)
    return [jsonable(row) for row in rows]


@router.get("/stocktakes/{stocktake_id}")
async def get_stocktake(
    stocktake_id: UUID, request: Request, _: Viewer, paged: Paged, differing: bool = False
) -> dict[str, Any]:
    """Variance review: the header, totals over all lines, and a page of lines (book vs
    counted, qty and value variance; `differing=true`: only lines with a variance)."""
    async with runtime_of(request).engine.connect() as conn:
        review = await catalogue.stocktake_review(conn, stocktake_id, paged, differing=differing)
    if review is None:
        raise NotFound("stocktake", stocktake_id)
    body: dict[str, Any] = jsonable(
        {**review.header, "totals": review.totals, "lines": review.lines}
    )
    return body
