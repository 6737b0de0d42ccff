"""调拨 reads: GET /transfers (paged, filtered) and GET /transfers/{id} with its lines."""

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from eventkit import NotFound
from eventkit.http import Page, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import Moment, QueryText, require_ordered
from inventory.adapters.projections import transfer_queries
from inventory.entrypoints.http.commands import runtime_of

router = APIRouter(tags=["catalogue"])
Viewer = Annotated[Principal, Depends(require_role("viewer"))]
When = Annotated[Moment | None, Query()]


@router.get("/transfers")
async def get_transfers(
    request: Request,
    _: Viewer,
    paged: Annotated[Page, Depends(page)],
    status: Literal["in_transit", "received"] | None = None,
    warehouse_id: QueryText | None = None,
    sku: QueryText | None = None,
    from_: Annotated[Moment | None, Query(alias="from")] = None,
    to: When = None,
) -> list[dict[str, Any]]:
    """Newest dispatch first: `[{transfer_id, transfer_number, source_warehouse_id,
    destination_warehouse_id, status, lines, qty, value, dispatched_at, dispatched_by,
    received_at, received_by}]`. `warehouse_id` matches either end; `sku`: transfers moving
    it; `from ≤ dispatched_at < to`; `q` searches the number and both warehouses."""
    require_ordered(from_, to)
    where = transfer_queries.TransferFilter(
        status=status, warehouse_id=warehouse_id, sku=sku, from_=from_, to=to
    )
    async with runtime_of(request).engine.connect() as conn:
        rows = await transfer_queries.list_transfers(conn, paged, where)
    return [jsonable(row) for row in rows]


@router.get("/transfers/{transfer_id}")
async def get_transfer(transfer_id: UUID, request: Request, _: Viewer) -> dict[str, Any]:
    """The transfer as listed, with `lines: [{sku, qty, unit_cost, value}]`."""
    async with runtime_of(request).engine.connect() as conn:
        found = await transfer_queries.transfer_detail(conn, transfer_id)
    if found is None:
        raise NotFound("transfer", transfer_id)
    body: dict[str, Any] = jsonable(found)
    return body
