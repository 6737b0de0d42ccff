"""销售出库 (dispatch a reserved order at moving-average cost) and 销售退货 (customer returns)."""

from typing import Any
from uuid import UUID

from eventkit.errors import NotYetKnown
from eventkit.numbering import next_document_number
from inventory.application.commands import DispatchShipment, ReceiveCustomerReturn
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.order_allocation import OrderAllocation, order_allocation_stream_id


async def dispatch_shipment(uow: InventoryUnitOfWork, cmd: DispatchShipment) -> dict[str, Any]:
    allocation = await _allocation(uow, cmd.order_id)
    skus = [line.sku for line in cmd.lines] if cmd.lines else list(allocation.reserved)
    stock = await uow.stock_items(skus, allocation.warehouse_id, opened_at=cmd.occurred_at)
    number = await next_document_number(uow.conn, "SH", cmd.occurred_at.date())
    shipped = allocation.dispatch(
        cmd.shipment_id, number, stock, occurred_at=cmd.occurred_at, lines=cmd.lines
    )
    return {
        "shipment_id": str(cmd.shipment_id),
        "shipment_number": number,
        "order_id": str(cmd.order_id),
        "lines": [
            {
                "sku": li.sku,
                "qty": li.qty,
                "unit_cost": li.unit_cost,
                "value": li.value,
                "picks": [{"location": p.location, "lot": p.lot, "qty": p.qty} for p in li.picks],
            }
            for li in shipped.lines
        ],
    }


async def receive_customer_return(
    uow: InventoryUnitOfWork, cmd: ReceiveCustomerReturn
) -> dict[str, Any]:
    allocation = await _allocation(uow, cmd.order_id)
    skus = [line.sku for line in cmd.lines]
    stock = await uow.stock_items(skus, allocation.warehouse_id, opened_at=cmd.occurred_at)
    number = await next_document_number(uow.conn, "CR", cmd.occurred_at.date())
    allocation.receive_customer_return(
        cmd.return_id, number, cmd.lines, stock, occurred_at=cmd.occurred_at, rma_id=cmd.rma_id
    )
    return {"return_id": str(cmd.return_id), "return_number": number}


async def _allocation(uow: InventoryUnitOfWork, order_id: UUID) -> OrderAllocation:
    allocation = await uow.get(OrderAllocation, order_allocation_stream_id(order_id))
    if allocation.order_id is None:
        # Sales orders are sales': inventory knows one once its SalesOrderPlaced arrived.
        raise NotYetKnown("sales order", order_id, "sales")
    return allocation
