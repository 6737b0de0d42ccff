"""Stock documents: receipts (入库), shipments (出库), returns both ways, adjustments."""

from typing import Annotated
from uuid import uuid4

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext
from eventkit.http import command_context
from inventory.application import commands as c
from inventory.application.adjustments import adjust_stock
from inventory.application.customer_returns import receive_customer_return
from inventory.application.receiving import receive_goods, return_to_supplier
from inventory.application.reservations import reserve_order
from inventory.application.shipping import dispatch_shipment
from inventory.domain.document_events import QuantityLine
from inventory.domain.document_lines import OutboundLine, ReceiptLine
from inventory.entrypoints.http.commands import execute, retry_backorders_after
from inventory.entrypoints.http.schemas import (
    AdjustmentIn,
    CustomerReturnIn,
    QtyLineIn,
    ReceiptIn,
    ReservationIn,
    ShipmentIn,
    SupplierReturnIn,
)

router = APIRouter(tags=["stock documents"])
Clerk = Annotated[CommandContext, Depends(command_context("inventory"))]


def quantity_lines(lines: list[QtyLineIn]) -> tuple[QuantityLine, ...]:
    return tuple(QuantityLine(sku=line.sku, qty=line.qty) for line in lines)


@router.post("/receipts", status_code=201)
async def post_receipt(
    body: ReceiptIn, request: Request, ctx: Clerk, tasks: BackgroundTasks
) -> JSONResponse:
    lines = tuple(
        ReceiptLine(
            sku=li.sku,
            qty_accepted=li.qty_accepted,
            qty_rejected=li.qty_rejected,
            lot=li.lot,
            expiry=li.expiry,
            location=li.location,
        )
        for li in body.lines
    )
    command = c.ReceiveGoods(
        po_id=body.po_id,
        warehouse_id=body.warehouse_id,
        lines=lines,
        occurred_at=body.when(),
        receipt_id=body.receipt_id or uuid4(),
    )
    response = await execute(request, ctx, receive_goods, command, body)
    retry_backorders_after(tasks, request, body.warehouse_id, [li.sku for li in body.lines])
    return response


@router.post("/supplier-returns", status_code=201)
async def post_supplier_return(
    body: SupplierReturnIn, request: Request, ctx: Clerk
) -> JSONResponse:
    command = c.ReturnToSupplier(
        po_id=body.po_id,
        warehouse_id=body.warehouse_id,
        lines=quantity_lines(body.lines),
        occurred_at=body.when(),
        return_id=body.return_id or uuid4(),
    )
    return await execute(request, ctx, return_to_supplier, command, body)


@router.post("/reservations", status_code=201)
async def post_reservation(body: ReservationIn, request: Request, ctx: Clerk) -> JSONResponse:
    """Reserve all lines of an order or none; a shortage answers `status: backordered` with
    the shortages, and the order is retried automatically when stock arrives."""
    command = c.ReserveOrder(
        order_id=body.order_id, warehouse_id=body.warehouse_id, lines=quantity_lines(body.lines)
    )
    return await execute(request, ctx, reserve_order, command, body)


@router.post("/shipments", status_code=201)
async def post_shipment(body: ShipmentIn, request: Request, ctx: Clerk) -> JSONResponse:
    command = c.DispatchShipment(
        order_id=body.order_id,
        lines=tuple(
            OutboundLine(sku=li.sku, qty=li.qty, lot=li.lot, location=li.location)
            for li in body.lines
        )
        if body.lines
        else None,
        occurred_at=body.when(),
        shipment_id=body.shipment_id or uuid4(),
    )
    return await execute(request, ctx, dispatch_shipment, command, body)


@router.post("/customer-returns", status_code=201)
async def post_customer_return(
    body: CustomerReturnIn, request: Request, ctx: Clerk
) -> JSONResponse:
    """销售退货入库 against the RMA sales authorised (`rma_id` = sales' return id). No RMA,
    or another order's → 409 `rma_not_found`; an RMA inventory has not heard of from sales
    yet → 409 `rma_not_found` with Retry-After; more of a sku than authorised less already
    returned → 409 `rma_exceeded`. A refusal writes nothing."""
    command = c.ReceiveCustomerReturn(
        order_id=body.order_id,
        lines=quantity_lines(body.lines),
        occurred_at=body.when(),
        return_id=body.return_id or uuid4(),
        rma_id=body.rma_id,
    )
    return await execute(request, ctx, receive_customer_return, command, body)


@router.post("/adjustments", status_code=201)
async def post_adjustment(
    body: AdjustmentIn, request: Request, ctx: Clerk, tasks: BackgroundTasks
) -> JSONResponse:
    command = c.AdjustStock(
        sku=body.sku,
        warehouse_id=body.warehouse_id,
        qty_delta=body.qty,
        reason=body.reason,
        occurred_at=body.when(),
        unit_cost=body.unit_cost,
        location=body.location,
        lot=body.lot,
        expiry=body.expiry,
        adjustment_id=body.adjustment_id or uuid4(),
    )
    response = await execute(request, ctx, adjust_stock, command, body)
    if body.qty > 0:
        retry_backorders_after(tasks, request, body.warehouse_id, [body.sku])
    return response
