"""Purchase orders (采购订单): place (auto-approved at or below the threshold), approve, cancel."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventkit.numbering import next_document_number
from purchasing.application.commands import (
    ApprovePurchaseOrder,
    CancelPurchaseOrder,
    OrderLineRequest,
    PlacePurchaseOrder,
)
from purchasing.application.unit_of_work import PurchasingUnitOfWork
from purchasing.domain.events import OrderLine
from purchasing.domain.purchase_order import PurchaseOrder, purchase_order_stream_id
from purchasing.domain.supplier import Supplier


async def place_purchase_order(
    uow: PurchasingUnitOfWork, cmd: PlacePurchaseOrder
) -> dict[str, Any]:
    supplier = await uow.supplier(cmd.supplier_id)
    order = await draft_order(
        uow, cmd.po_id, supplier, cmd.warehouse_id, cmd.lines, cmd.expected_date
    )
    return summary(order)


async def approve_purchase_order(
    uow: PurchasingUnitOfWork, cmd: ApprovePurchaseOrder
) -> dict[str, Any]:
    order = await uow.purchase_order(cmd.po_id)
    order.approve(cmd.approver, occurred_at=datetime.now(UTC))
    return summary(order)


async def cancel_purchase_order(
    uow: PurchasingUnitOfWork, cmd: CancelPurchaseOrder
) -> dict[str, Any]:
    order = await uow.purchase_order(cmd.po_id)
    order.cancel(cmd.reason, occurred_at=datetime.now(UTC))
    return summary(order)


async def draft_order(
    uow: PurchasingUnitOfWork,
    po_id: UUID,
    supplier: Supplier,
    warehouse_id: str,
    lines: Sequence[OrderLineRequest],
    expected_date: date | None,
    requisition_id: UUID | None = None,
) -> PurchaseOrder:
    """Write a PO for the supplier. A line without a VAT rate takes the supplier's; without an
    expected date the order is expected after the supplier's lead time."""
    now = datetime.now(UTC)
    order = await uow.get(PurchaseOrder, purchase_order_stream_id(po_id))
    number = await next_document_number(uow.conn, "PO", now.date())
    order.draft(
        po_id,
        number,
        supplier_id=supplier.supplier_id,
        warehouse_id=warehouse_id,
        lines=[
            OrderLine(
                sku=line.sku,
                qty=line.qty,
                unit_price=line.unit_price,
                tax_rate=supplier.tax_rate if line.tax_rate is None else line.tax_rate,
            )
            for line in lines
        ],
        expected_date=expected_date or now.date() + timedelta(days=supplier.lead_time_days),
        rule=uow.rule,
        occurred_at=now,
        requisition_id=requisition_id,
    )
    return order


def summary(order: PurchaseOrder) -> dict[str, Any]:
    return {
        "po_id": str(order.po_id),
        "po_number": order.number,
        "status": order.status,
        "total": order.total,
        "approval_required": order.approval_required,
    }
