"""Reserving stock for sales orders, all lines or none, and retrying backorders.

A sales order placed in sales reaches us as `SalesOrderPlaced`; we reserve every line
atomically (`StockReserved`) or none (`StockReservationRejected` with per-line shortages), and
the order then waits (a backorder) until stock arrives for one of its skus.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from erp_contracts.events.sales import SalesOrderCancelled, SalesOrderPlaced
from inventory.adapters.backorders import add_waiting, remove_waiting, waiting_order
from inventory.application.commands import ReserveOrder
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.document_events import QuantityLine, StockReservationRejected
from inventory.domain.errors import InvalidState
from inventory.domain.order_allocation import (
    AllocationStatus,
    OrderAllocation,
    order_allocation_stream_id,
)


async def on_sales_order_placed(uow: InventoryUnitOfWork, event: SalesOrderPlaced) -> None:
    allocation = await uow.get(OrderAllocation, order_allocation_stream_id(event.order_id))
    if allocation.status is not AllocationStatus.NEW:
        return  # already decided (a duplicate of an event we handled)
    lines = tuple(QuantityLine(sku=line.sku, qty=line.qty) for line in event.lines)
    await _reserve(uow, allocation, event.order_id, event.warehouse_id, lines)


async def reserve_order(uow: InventoryUnitOfWork, cmd: ReserveOrder) -> dict[str, Any]:
    """Reserve an order's lines directly (POS, marketplace connectors): all or none."""
    allocation = await uow.get(OrderAllocation, order_allocation_stream_id(cmd.order_id))
    if allocation.status is AllocationStatus.REJECTED:
        raise InvalidState(f"order {cmd.order_id} is backordered; it is retried automatically")
    reserved = await _reserve(uow, allocation, cmd.order_id, cmd.warehouse_id, cmd.lines)
    outcome = allocation.pending_events[-1]
    shortages = outcome.shortages if isinstance(outcome, StockReservationRejected) else ()
    return {
        "order_id": str(cmd.order_id),
        "status": "reserved" if reserved else "backordered",
        "shortages": [
            {"sku": s.sku, "requested": s.requested, "available": s.available} for s in shortages
        ],
    }


async def retry_reservation(uow: InventoryUnitOfWork, order_id: UUID) -> bool:
    """Try a backordered order again; True when it is now reserved."""
    allocation = await uow.get(OrderAllocation, order_allocation_stream_id(order_id))
    waiting = await waiting_order(uow.conn, order_id)
    if waiting is None:
        return False
    if allocation.status is not AllocationStatus.REJECTED:
        await remove_waiting(uow.conn, order_id)
        return False
    lines = tuple(QuantityLine(sku=sku, qty=qty) for sku, qty in waiting.lines)
    return await _reserve(uow, allocation, order_id, waiting.warehouse_id, lines)


async def _reserve(
    uow: InventoryUnitOfWork,
    allocation: OrderAllocation,
    order_id: UUID,
    warehouse_id: str,
    lines: tuple[QuantityLine, ...],
) -> bool:
    now = datetime.now(UTC)
    stock = await uow.known_stock_items([line.sku for line in lines], warehouse_id, opened_at=now)
    outcome = allocation.reserve(order_id, warehouse_id, lines, stock, occurred_at=now)
    if isinstance(outcome, StockReservationRejected):
        requested = [(line.sku, line.qty) for line in lines]
        await add_waiting(uow.conn, order_id, warehouse_id, requested, now)
        return False
    await remove_waiting(uow.conn, order_id)
    return True


async def on_sales_order_cancelled(uow: InventoryUnitOfWork, event: SalesOrderCancelled) -> None:
    allocation = await uow.get(OrderAllocation, order_allocation_stream_id(event.order_id))
    await remove_waiting(uow.conn, event.order_id)
    if allocation.order_id is None or not allocation.reserved:
        return
    now = datetime.now(UTC)
    stock = await uow.stock_items(allocation.reserved, allocation.warehouse_id, opened_at=now)
    allocation.release(stock, occurred_at=now)
