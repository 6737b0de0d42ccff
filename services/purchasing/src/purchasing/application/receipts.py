"""What purchasing learns from inventory (receipts, returns executed) and 采购退货 requests."""

from datetime import UTC, datetime
from typing import Any

from erp_contracts.events.inventory import GoodsReceived, GoodsReturnedToSupplier
from eventkit.numbering import next_document_number
from purchasing.application.commands import RequestPurchaseReturn
from purchasing.application.unit_of_work import PurchasingUnitOfWork
from purchasing.domain.events import QuantityLine, ReceiptLine
from purchasing.domain.purchase_order import PurchaseOrder, purchase_order_stream_id


async def on_goods_received(uow: PurchasingUnitOfWork, event: GoodsReceived) -> None:
    order = await uow.get(PurchaseOrder, purchase_order_stream_id(event.po_id))
    if not order.exists:
        return  # a PO purchasing never wrote (another system's): nothing to track
    lines = [
        ReceiptLine(sku=li.sku, qty_accepted=li.qty_accepted, qty_rejected=li.qty_rejected)
        for li in event.lines
    ]
    order.record_receipt(
        event.receipt_id, event.receipt_number, lines, occurred_at=event.occurred_at
    )


async def on_goods_returned_to_supplier(
    uow: PurchasingUnitOfWork, event: GoodsReturnedToSupplier
) -> None:
    order = await uow.get(PurchaseOrder, purchase_order_stream_id(event.po_id))
    if not order.exists:
        return
    lines = [QuantityLine(sku=li.sku, qty=li.qty) for li in event.lines]
    order.record_supplier_return(event.return_id, lines, occurred_at=event.occurred_at)


async def request_purchase_return(
    uow: PurchasingUnitOfWork, cmd: RequestPurchaseReturn
) -> dict[str, Any]:
    order = await uow.purchase_order(cmd.po_id)
    now = datetime.now(UTC)
    number = await next_document_number(uow.conn, "PRT", now.date())
    lines = [QuantityLine(sku=sku, qty=qty) for sku, qty in cmd.lines]
    requested = order.request_return(cmd.return_id, number, lines, cmd.reason, occurred_at=now)
    return {
        "return_id": str(requested.return_id),
        "return_number": number,
        "po_id": str(cmd.po_id),
        "status": "requested",
    }
