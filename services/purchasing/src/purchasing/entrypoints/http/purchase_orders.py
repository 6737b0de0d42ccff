"""Purchase orders: POST /purchase-orders, approve, cancel; GET one, list, open lines."""

from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from eventkit import CommandContext, NotFound
from eventkit.http import Page, command_context, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import BusinessDate, QueryText, require_ordered
from purchasing.adapters.projections import queries
from purchasing.application import commands as c
from purchasing.application.purchase_orders import (
    approve_purchase_order,
    cancel_purchase_order,
    place_purchase_order,
)
from purchasing.entrypoints.http.commands import execute, runtime_of
from purchasing.entrypoints.http.schemas import CancelIn, PurchaseOrderIn

router = APIRouter(tags=["purchase orders"])
Buyer = Annotated[CommandContext, Depends(command_context("purchasing"))]
Approver = Annotated[CommandContext, Depends(command_context("approver"))]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


@router.post("/purchase-orders", status_code=201)
async def post_purchase_order(body: PurchaseOrderIn, request: Request, ctx: Buyer) -> JSONResponse:
    """201 `{po_id, po_number, status, total, approval_required}`: `placed` at once when the
    total incl. VAT is within the approval threshold, else `draft` awaiting an approver."""
    command = c.PlacePurchaseOrder(
        supplier_id=body.supplier_id,
        warehouse_id=body.warehouse_id,
        lines=tuple(
            c.OrderLineRequest(
                sku=li.sku, qty=li.qty, unit_price=li.unit_price, tax_rate=li.tax_rate
            )
            for li in body.lines
        ),
        expected_date=body.expected_date,
        po_id=body.po_id or uuid4(),
    )
    return await execute(request, ctx, place_purchase_order, command, body)


@router.post("/purchase-orders/{po_id}/approve", status_code=200)
async def post_approve(po_id: UUID, request: Request, ctx: Approver) -> JSONResponse:
    command = c.ApprovePurchaseOrder(po_id=po_id, approver=ctx.actor)
    return await execute(request, ctx, approve_purchase_order, command, {}, status_code=200)


@router.post("/purchase-orders/{po_id}/cancel", status_code=200)
async def post_cancel(
    po_id: UUID, request: Request, ctx: Buyer, body: CancelIn | None = None
) -> JSONResponse:
    """Cancel the open quantity; a fully received or cancelled order → 409 `invalid_state`."""
    reason = body.reason if body is not None else None
    command = c.CancelPurchaseOrder(po_id=po_id, reason=reason)
    payload: BaseModel | dict[str, Any] = body if body is not None else {}
    return await execute(request, ctx, cancel_purchase_order, command, payload, status_code=200)


@router.get("/purchase-orders")
async def get_purchase_orders(
    request: Request,
    _: Viewer,
    paged: Annotated[Page, Depends(page)],
    status: QueryText | None = None,
    supplier_id: QueryText | None = None,
    from_: Annotated[BusinessDate | None, Query(alias="from")] = None,
    to: BusinessDate | None = None,
) -> list[dict[str, Any]]:
    """Newest first; `limit`/`offset`/`q` page and search (number, supplier, warehouse,
    status); without `limit` at most 500 rows."""
    require_ordered(from_, to)
    async with runtime_of(request).engine.connect() as conn:
        rows = await queries.purchase_orders(
            conn,
            status=status,
            supplier_id=supplier_id,
            from_=from_,
            to=to,
            page=queries.capped(paged),
        )
    return [jsonable(row) for row in rows]


@router.get("/purchase-orders/open-lines")
async def get_open_lines(
    request: Request, _: Viewer, supplier_id: QueryText | None = None, sku: QueryText | None = None
) -> list[dict[str, Any]]:
    async with runtime_of(request).engine.connect() as conn:
        rows = await queries.open_lines(conn, supplier_id=supplier_id, sku=sku)
    return [jsonable(row) for row in rows]


@router.get("/purchase-orders/{po_id}")
async def get_purchase_order(po_id: UUID, request: Request, _: Viewer) -> dict[str, Any]:
    """`{po_id, po_number, status, supplier_id, warehouse_id, lines:[{sku, qty, unit_price,
    tax_rate, received_qty, rejected_qty, returned_qty, cancelled_qty, open_qty}], total}`."""
    async with runtime_of(request).engine.connect() as conn:
        order = await queries.purchase_order(conn, po_id)
    if order is None:
        raise NotFound("purchase order", po_id)
    body: dict[str, Any] = jsonable(order)
    return body
