"""请购 and 采购退货: POST /requisitions, GET /requisitions, POST /purchase-returns,
GET /price-history."""

from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext
from eventkit.http import Page, command_context, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import QueryText
from purchasing.adapters.projections import queries
from purchasing.application.commands import (
    OrderRequisition,
    RaiseRequisition,
    RequestPurchaseReturn,
)
from purchasing.application.receipts import request_purchase_return
from purchasing.application.requisitions import order_requisition, raise_requisition
from purchasing.entrypoints.http.commands import execute, runtime_of
from purchasing.entrypoints.http.schemas import (
    PurchaseReturnIn,
    RequisitionIn,
    RequisitionOrderIn,
)

router = APIRouter(tags=["requisitions and returns"])
Buyer = Annotated[CommandContext, Depends(command_context("purchasing"))]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


@router.post("/requisitions", status_code=201)
async def post_requisition(body: RequisitionIn, request: Request, ctx: Buyer) -> JSONResponse:
    """A manual 请购 with the scorecard's suggested supplier; it stays open for a clerk."""
    command = RaiseRequisition(
        sku=body.sku,
        warehouse_id=body.warehouse_id,
        qty=body.qty,
        requisition_id=body.requisition_id or uuid4(),
    )
    return await execute(request, ctx, raise_requisition, command, body)


@router.post("/requisitions/{requisition_id}/order", status_code=201)
async def post_requisition_order(
    requisition_id: UUID, request: Request, ctx: Buyer, body: RequisitionOrderIn | None = None
) -> JSONResponse:
    """Order an open requisition: the suggested supplier, or `{supplier_id, unit_price?}`;
    `qty` (optional) replaces the requisition's qty on the PO."""
    body = body or RequisitionOrderIn()
    command = OrderRequisition(
        requisition_id=requisition_id,
        supplier_id=body.supplier_id,
        unit_price=body.unit_price,
        qty=body.qty,
    )
    return await execute(request, ctx, order_requisition, command, body)


@router.get("/requisitions")
async def get_requisitions(
    request: Request,
    _: Viewer,
    paged: Annotated[Page, Depends(page)],
    status: QueryText | None = None,
    sku: QueryText | None = None,
) -> list[dict[str, Any]]:
    """Newest first; `limit`/`offset`/`q` page and search (number, sku, warehouse, suggested
    supplier, PO number); without `limit` at most 500 rows."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await queries.requisition_list(
            conn, status=status, sku=sku, page=queries.capped(paged)
        )
    return [jsonable(row) for row in rows]


@router.post("/purchase-returns", status_code=201)
async def post_purchase_return(
    body: PurchaseReturnIn, request: Request, ctx: Buyer
) -> JSONResponse:
    """Ask inventory to return received goods to the supplier; more than received − already
    returned → 409 `return_exceeds_received`."""
    command = RequestPurchaseReturn(
        po_id=body.po_id,
        lines=tuple((li.sku, li.qty) for li in body.lines),
        reason=body.reason,
        return_id=body.return_id or uuid4(),
    )
    return await execute(request, ctx, request_purchase_return, command, body)


@router.get("/price-history")
async def get_price_history(
    request: Request, _: Viewer, sku: QueryText, supplier_id: QueryText | None = None
) -> list[dict[str, Any]]:
    async with runtime_of(request).engine.connect() as conn:
        rows = await queries.prices_paid(conn, sku=sku, supplier_id=supplier_id)
    return [jsonable(row) for row in rows]
