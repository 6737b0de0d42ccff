"""What sales learns from inventory: reservations (confirmed / backordered), releases,
dispatches and customer returns received, and the item catalogue. Each policy records the
fact on the order once; an order sales never wrote is ignored."""

from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.events.inventory import (
    CustomerReturnReceived,
    ItemRegistered,
    ShipmentDispatched,
    StockReleased,
    StockReservationRejected,
    StockReserved,
)
from sales.adapters.known_items import remember_item
from sales.application.unit_of_work import SalesUnitOfWork
from sales.domain.events import QuantityLine, Shortage
from sales.domain.sales_order import SalesOrder, sales_order_stream_id


async def on_stock_reserved(uow: SalesUnitOfWork, event: StockReserved) -> None:
    order = await uow.get(SalesOrder, sales_order_stream_id(event.order_id))
    if order.exists:
        lines = [QuantityLine(sku=li.sku, qty=li.qty) for li in event.lines]
        order.confirm(lines, occurred_at=event.occurred_at)


async def on_stock_reservation_rejected(
    uow: SalesUnitOfWork, event: StockReservationRejected
) -> None:
    order = await uow.get(SalesOrder, sales_order_stream_id(event.order_id))
    if order.exists:
        shortages = [
            Shortage(sku=s.sku, requested=s.requested, available=s.available)
            for s in event.shortages
        ]
        order.backorder(shortages, occurred_at=event.occurred_at)


async def on_stock_released(uow: SalesUnitOfWork, event: StockReleased) -> None:
    order = await uow.get(SalesOrder, sales_order_stream_id(event.order_id))
    if order.exists:
        lines = [QuantityLine(sku=li.sku, qty=li.qty) for li in event.lines]
        order.record_stock_released(lines, occurred_at=event.occurred_at)


async def on_shipment_dispatched(uow: SalesUnitOfWork, event: ShipmentDispatched) -> None:
    order = await uow.get(SalesOrder, sales_order_stream_id(event.order_id))
    if order.exists:
        lines = [QuantityLine(sku=li.sku, qty=li.qty) for li in event.lines]
        order.record_shipment(
            event.shipment_id, event.shipment_number, lines, occurred_at=event.occurred_at
        )


async def on_customer_return_received(uow: SalesUnitOfWork, event: CustomerReturnReceived) -> None:
    order = await uow.get(SalesOrder, sales_order_stream_id(event.order_id))
    if order.exists:
        lines = [QuantityLine(sku=li.sku, qty=li.qty) for li in event.lines]
        order.record_customer_return(event.return_id, lines, occurred_at=event.occurred_at)


async def on_item_registered(conn: AsyncConnection, event: ItemRegistered) -> None:
    await remember_item(conn, event.sku, event.name, event.uom, event.occurred_at)
