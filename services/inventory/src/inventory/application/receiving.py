"""采购入库 against purchase orders, 采购退货, and what inventory learns from purchasing."""

from datetime import UTC, datetime
from typing import Any

from erp_contracts.events.purchasing import (
    PurchaseOrderCancelled,
    PurchaseOrderPlaced,
    PurchaseReturnRequested,
)
from eventkit.errors import NotYetKnown
from eventkit.numbering import next_document_number
from inventory.application.commands import ReceiveGoods, ReturnToSupplier
from inventory.application.storage import prepare_receipt_lines
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.document_events import OrderedLine, QuantityLine
from inventory.domain.purchase_order_ledger import PurchaseOrderLedger, purchase_order_stream_id

#: Over-receipt tolerance: a receipt may exceed the open PO qty by this fraction (default 0).
RECEIPT_TOLERANCE_DEFAULT = 0


async def receive_goods(uow: InventoryUnitOfWork, cmd: ReceiveGoods) -> dict[str, Any]:
    ledger = await _ledger(uow, cmd.po_id)
    warehouse = await uow.warehouse(cmd.warehouse_id)
    for line in cmd.lines:
        warehouse.require_location(line.location)
    accepting = [line.sku for line in cmd.lines if line.qty_accepted > 0]
    stock = await uow.stock_items(accepting, cmd.warehouse_id, opened_at=cmd.occurred_at)
    # Lot rules and 存放建议 for lines naming no location.
    lines = await prepare_receipt_lines(uow, warehouse, cmd.lines, stock, cmd.occurred_at)
    number = await next_document_number(uow.conn, "GR", cmd.occurred_at.date())
    received = ledger.receive(
        cmd.receipt_id, number, cmd.warehouse_id, lines, stock, occurred_at=cmd.occurred_at
    )
    return {
        "receipt_id": str(received.receipt_id),
        "receipt_number": number,
        "po_id": str(cmd.po_id),
        "po_open": not ledger.fully_received,
        "lines": [
            {"sku": li.sku, "location": li.location, "lot": li.lot, "expiry": li.expiry}
            for li in received.lines
        ],
    }


async def return_to_supplier(uow: InventoryUnitOfWork, cmd: ReturnToSupplier) -> dict[str, Any]:
    ledger = await _ledger(uow, cmd.po_id)
    await uow.warehouse(cmd.warehouse_id)
    stock = await uow.stock_items(
        [line.sku for line in cmd.lines], cmd.warehouse_id, opened_at=cmd.occurred_at
    )
    number = await next_document_number(uow.conn, "RS", cmd.occurred_at.date())
    ledger.return_to_supplier(cmd.return_id, number, cmd.lines, stock, occurred_at=cmd.occurred_at)
    return {"return_id": str(cmd.return_id), "return_number": number}


async def on_purchase_order_placed(uow: InventoryUnitOfWork, event: PurchaseOrderPlaced) -> None:
    ledger = await uow.get(PurchaseOrderLedger, purchase_order_stream_id(event.po_id))
    if ledger.po_id is not None:
        return  # already recorded (a replayed or duplicated event)
    lines = [OrderedLine(sku=li.sku, qty=li.qty, unit_price=li.unit_price) for li in event.lines]
    ledger.record_placed(event.po_id, event.warehouse_id, lines, occurred_at=datetime.now(UTC))


async def on_purchase_order_cancelled(
    uow: InventoryUnitOfWork, event: PurchaseOrderCancelled
) -> None:
    ledger = await uow.get(PurchaseOrderLedger, purchase_order_stream_id(event.po_id))
    if ledger.po_id is None:
        return  # never placed here: nothing is open
    ledger.record_cancelled(occurred_at=datetime.now(UTC))


async def on_purchase_return_requested(
    uow: InventoryUnitOfWork, event: PurchaseReturnRequested
) -> None:
    """采购退货 requested by purchasing: take the goods out at moving-average cost under the
    return number purchasing gave it (one number across both services)."""
    ledger = await _ledger(uow, event.po_id)
    if event.return_id in ledger.return_ids:
        return  # already executed (a replayed event)
    lines = [QuantityLine(sku=line.sku, qty=line.qty) for line in event.lines]
    now = datetime.now(UTC)
    stock = await uow.stock_items([line.sku for line in lines], event.warehouse_id, opened_at=now)
    ledger.return_to_supplier(event.return_id, event.return_number, lines, stock, occurred_at=now)


async def _ledger(uow: InventoryUnitOfWork, po_id: Any) -> PurchaseOrderLedger:
    ledger = await uow.get(PurchaseOrderLedger, purchase_order_stream_id(po_id))
    if ledger.po_id is None:
        # POs are purchasing's: inventory knows one once its PurchaseOrderPlaced arrived.
        raise NotYetKnown("purchase order", po_id, "purchasing")
    return ledger
