"""Sales orders: POST /orders, cancel, returns; GET one, list, open quantities per sku."""

from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from eventkit import CommandContext, NotFound
from eventkit.http import Page, command_context, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import QueryText
from sales.adapters.projections import queries
from sales.application import commands as c
from sales.application.orders import cancel_sales_order, place_sales_order, request_sales_return
from sales.entrypoints.http.commands import execute, runtime_of
from sales.entrypoints.http.schemas import CancelIn, SalesOrderIn, SalesReturnIn

router = APIRouter(tags=["sales orders"])
Clerk = Annotated[CommandContext, Depends(command_context("sales"))]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


@router.post("/orders", status_code=201)
async def post_order(body: SalesOrderIn, request: Request, ctx: Clerk) -> JSONResponse:
    """201 `{order_id, order_number, status, customer_id, total}`. Unknown customer → 404; a
    sku sales has not (yet) learned from inventory → 409 `not_yet_known` with Retry-After;
    exposure + total above the credit limit → 409 `credit_limit_exceeded`."""
    command = c.PlaceSalesOrder(
        customer_id=body.customer_id,
        warehouse_id=body.warehouse_id,
        lines=tuple(
            c.OrderLineRequest(
                sku=li.sku, qty=li.qty, unit_price=li.unit_price, tax_rate=li.tax_rate
            )
            for li in body.lines
        ),
        order_id=body.order_id or uuid4(),
    )
    return await execute(request, ctx, place_sales_order, command, body)


@router.post("/orders/{order_id}/cancel", status_code=200)
async def post_cancel(
    order_id: UUID, request: Request, ctx: Clerk, body: CancelIn | None = None
) -> JSONResponse:
    """Cancel before dispatch (inventory releases the stock); after → 409 `invalid_state`."""
    command = c.CancelSalesOrder(order_id=order_id, reason=body.reason if body else None)
    payload: BaseModel | dict[str, Any] = body if body is not None else {}
    return await execute(request, ctx, cancel_sales_order, command, payload, status_code=200)


@router.post("/orders/{order_id}/returns", status_code=201)
async def post_return(
    order_id: UUID, body: SalesReturnIn, request: Request, ctx: Clerk
) -> JSONResponse:
    """销售退货: more than shipped − returned → 409 `return_exceeds_shipped`. Naming a
    `shipment_id` sales has not heard of from inventory yet → 409 `not_yet_known` with
    Retry-After (the dispatch is on its way), instead of a refusal that would be wrong."""
    command = c.RequestSalesReturn(
        order_id=order_id,
        lines=tuple((li.sku, li.qty) for li in body.lines),
        reason=body.reason,
        return_id=body.return_id or uuid4(),
        shipment_id=body.shipment_id,
    )
    return await execute(request, ctx, request_sales_return, command, body)


@router.get("/orders")
async def get_orders(
    request: Request,
    _: Viewer,
    paged: Annotated[Page, Depends(page)],
    customer_id: QueryText | None = None,
    status: QueryText | None = None,
) -> list[dict[str, Any]]:
    """Newest first with `customer_name`; paging `limit`/`offset` (without `limit` at most
    500 orders), `q` searches order number, customer id and name."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await queries.sales_orders(conn, customer_id=customer_id, status=status, page=paged)
    return [jsonable(row) for row in rows]


@router.get("/orders/{order_id}")
async def get_order(order_id: UUID, request: Request, _: Viewer) -> dict[str, Any]:
    """`{order_id, order_number, status, customer_id, warehouse_id, lines:[{sku, qty,
    unit_price, tax_rate, shipped_qty, ...}], total, timeline:[{status, at, event_id}]}`."""
    async with runtime_of(request).engine.connect() as conn:
        order = await queries.sales_order(conn, order_id)
    if order is None:
        raise NotFound("sales order", order_id)
    body: dict[str, Any] = jsonable(order)
    return body


@router.get("/open-orders")
async def get_open_orders(
    request: Request, _: Viewer, sku: QueryText | None = None
) -> list[dict[str, Any]]:
    """Ordered but not yet shipped, per sku and warehouse, over orders still open."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await queries.open_order_qty(conn, sku=sku)
    return [jsonable(row) for row in rows]
