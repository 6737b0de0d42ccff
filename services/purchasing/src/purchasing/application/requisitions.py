"""Requisitions (请购): raised by a clerk, by inventory's reorder-point alert or by a
backordered sales order; each suggests the best supplier by scorecard.

Policy (unattended replenishment): a requisition raised by an event whose suggested supplier
is known becomes a purchase order at once — placed when its total is within the approval
threshold, else a draft waiting for an approver. Manual requisitions stay open for a clerk.
The requisition (and its PO) ids derive from the source event, so a replay of the same source
(even under a new event id) finds them already written and does nothing.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from erp_contracts.events.inventory import ReorderPointBreached
from erp_contracts.events.sales import SalesOrderBackordered
from eventkit.numbering import next_document_number
from purchasing.adapters.projections.queries import supplier_offers
from purchasing.application.commands import OrderLineRequest, OrderRequisition, RaiseRequisition
from purchasing.application.purchase_orders import draft_order
from purchasing.application.settings import auto_order_requisitions
from purchasing.application.unit_of_work import PurchasingUnitOfWork
from purchasing.domain.errors import InvalidState, NotFound
from purchasing.domain.purchase_order import PurchaseOrder
from purchasing.domain.requisition import (
    OPEN,
    Requisition,
    requisition_id_for,
    requisition_stream_id,
)
from purchasing.domain.sourcing import choose_supplier
from purchasing.domain.supplier import Supplier

MANUAL, REORDER_POINT, BACKORDER = "manual", "reorder_point", "backorder"


async def raise_requisition(uow: PurchasingUnitOfWork, cmd: RaiseRequisition) -> dict[str, Any]:
    source = f"manual:{uow.context.actor}:{cmd.requisition_id}"
    requisition = await _raise(
        uow, cmd.requisition_id, cmd.sku, cmd.warehouse_id, cmd.qty, MANUAL, source
    )
    return summary(requisition)


async def order_requisition(uow: PurchasingUnitOfWork, cmd: OrderRequisition) -> dict[str, Any]:
    """A clerk turns an open requisition into a PO: with the suggested supplier at its price,
    or with a supplier (and price) of their choosing, for the requisition's qty or one they
    adjust — the approval rule applies as usual."""
    requisition = await uow.get(Requisition, requisition_stream_id(cmd.requisition_id))
    if not requisition.raised:
        raise NotFound(f"requisition {cmd.requisition_id} not found")
    if requisition.status != OPEN:
        raise InvalidState(f"requisition {requisition.number} is {requisition.status}")
    supplier_id = cmd.supplier_id or requisition.suggested_supplier_id
    if supplier_id is None:
        raise InvalidState(f"no supplier offers {requisition.sku}: name one to order from")
    supplier = await uow.supplier(supplier_id)
    unit_price = cmd.unit_price or supplier.price_of(requisition.sku)
    if unit_price is None:
        raise InvalidState(f"{supplier_id} has no price for {requisition.sku}: give unit_price")
    order = await _draft_for(uow, requisition, supplier, unit_price, cmd.qty)
    return {**summary(requisition), "po_number": order.number, "po_status": order.status}


async def on_reorder_point_breached(
    uow: PurchasingUnitOfWork, event: ReorderPointBreached, source: str
) -> None:
    """Replenish by inventory's suggested qty (it already applies reorder qty / max stock)."""
    if event.suggested_qty <= 0:
        return
    await _raise_once(
        uow, source, event.sku, event.warehouse_id, event.suggested_qty, REORDER_POINT
    )


async def on_sales_order_backordered(
    uow: PurchasingUnitOfWork, event: SalesOrderBackordered, source: str
) -> None:
    """One requisition per short sku, for the shortage: requested − available."""
    for shortage in event.shortages:
        missing = shortage.requested - max(shortage.available, Decimal(0))
        if missing > 0:
            await _raise_once(
                uow,
                f"{source}/{shortage.sku}",
                shortage.sku,
                event.warehouse_id,
                missing,
                BACKORDER,
            )


async def _raise_once(
    uow: PurchasingUnitOfWork, source: str, sku: str, warehouse_id: str, qty: Decimal, origin: str
) -> None:
    requisition_id = requisition_id_for(source)
    existing = await uow.get(Requisition, requisition_stream_id(requisition_id))
    if existing.raised:
        return  # the same source again (a replay): already raised
    requisition = await _raise(uow, requisition_id, sku, warehouse_id, qty, origin, source)
    if auto_order_requisitions():
        await _order(uow, requisition)


async def _raise(
    uow: PurchasingUnitOfWork,
    requisition_id: UUID,
    sku: str,
    warehouse_id: str,
    qty: Decimal,
    origin: str,
    source: str,
) -> Requisition:
    now = datetime.now(UTC)
    requisition = await uow.get(Requisition, requisition_stream_id(requisition_id))
    choice = choose_supplier(await supplier_offers(uow.conn, sku))
    requisition.raise_requisition(
        requisition_id,
        await next_document_number(uow.conn, "PR", now.date()),
        sku=sku,
        warehouse_id=warehouse_id,
        qty=qty,
        origin=origin,
        source=source,
        choice=choice,
        occurred_at=now,
    )
    return requisition


async def _order(uow: PurchasingUnitOfWork, requisition: Requisition) -> None:
    """Turn the requisition into a PO with its suggested supplier at the price-list price."""
    if requisition.suggested_supplier_id is None or requisition.suggested_unit_price is None:
        return  # no supplier offers the sku: stays open for a clerk
    supplier = await uow.supplier(requisition.suggested_supplier_id)
    await _draft_for(uow, requisition, supplier, requisition.suggested_unit_price)


async def _draft_for(
    uow: PurchasingUnitOfWork,
    requisition: Requisition,
    supplier: Supplier,
    unit_price: Decimal,
    qty: Decimal | None = None,
) -> PurchaseOrder:
    """The requisition's PO (its id derives from the requisition: ordering twice is refused by
    the requisition, never doubled)."""
    if requisition.requisition_id is None:
        raise InvalidState("requisition was never raised")
    line = OrderLineRequest(sku=requisition.sku, qty=qty or requisition.qty, unit_price=unit_price)
    po_id = uuid5(requisition.requisition_id, "purchase-order")
    order = await draft_order(
        uow,
        po_id,
        supplier,
        requisition.warehouse_id,
        [line],
        None,
        requisition_id=requisition.requisition_id,
    )
    requisition.mark_ordered(po_id, order.number, occurred_at=datetime.now(UTC))
    return order


def summary(requisition: Requisition) -> dict[str, Any]:
    return {
        "requisition_id": str(requisition.requisition_id),
        "requisition_number": requisition.number,
        "status": requisition.status,
        "suggested_supplier_id": requisition.suggested_supplier_id,
        "suggested_unit_price": requisition.suggested_unit_price,
        "po_id": str(requisition.po_id) if requisition.po_id else None,
    }
