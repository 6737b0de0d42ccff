"""Sales orders (销售订单): place with the credit check, cancel, request a return (销售退货).

Placing an order locks the customer's stream first, so the credit checks of one customer's
concurrent orders run one after the other on the exposure the previous one left; the order
and the customer's credit commitment are appended in one transaction, or nothing is.
"""

from datetime import UTC, datetime
from typing import Any

from eventkit.errors import NotYetKnown
from eventkit.numbering import next_document_number
from sales.adapters.known_items import unknown_skus
from sales.application.commands import (
    CancelSalesOrder,
    OrderLineRequest,
    PlaceSalesOrder,
    RequestSalesReturn,
)
from sales.application.unit_of_work import SalesUnitOfWork
from sales.domain.customer import Customer
from sales.domain.errors import InvalidPrice
from sales.domain.events import OrderLine, QuantityLine
from sales.domain.money import DEFAULT_TAX_RATE
from sales.domain.sales_order import SalesOrder, sales_order_stream_id


async def place_sales_order(uow: SalesUnitOfWork, cmd: PlaceSalesOrder) -> dict[str, Any]:
    customer = await uow.customer(cmd.customer_id, for_update=True)
    unknown = await unknown_skus(uow.conn, [line.sku for line in cmd.lines])
    if unknown:
        # Items are inventory's: sales knows them from its ItemRegistered, which may lag.
        raise NotYetKnown("item", ", ".join(unknown), "inventory")
    order = await uow.get(SalesOrder, sales_order_stream_id(cmd.order_id))
    now = datetime.now(UTC)
    totals = order.place(
        cmd.order_id,
        await next_document_number(uow.conn, "SO", now.date()),
        customer_id=customer.customer_id,
        warehouse_id=cmd.warehouse_id,
        lines=[_priced(customer, line) for line in cmd.lines],
        occurred_at=now,
    )
    customer.commit_credit(cmd.order_id, totals.total, occurred_at=now)
    return summary(order)


async def cancel_sales_order(uow: SalesUnitOfWork, cmd: CancelSalesOrder) -> dict[str, Any]:
    order = await uow.sales_order(cmd.order_id)
    customer = await uow.customer(order.customer_id, for_update=True)
    now = datetime.now(UTC)
    order.cancel(cmd.reason, occurred_at=now)
    customer.release_credit(cmd.order_id, occurred_at=now)
    return summary(order)


async def request_sales_return(uow: SalesUnitOfWork, cmd: RequestSalesReturn) -> dict[str, Any]:
    order = await uow.sales_order(cmd.order_id)
    if cmd.shipment_id is not None and cmd.shipment_id not in order.shipments:
        # Sales learns of shipments from inventory's events: not refused, not yet known.
        raise NotYetKnown("shipment", cmd.shipment_id, "inventory")
    now = datetime.now(UTC)
    requested = order.request_return(
        cmd.return_id,
        await next_document_number(uow.conn, "SR", now.date()),
        [QuantityLine(sku=sku, qty=qty) for sku, qty in cmd.lines],
        cmd.reason,
        occurred_at=now,
    )
    return {
        "return_id": str(requested.return_id),
        "return_number": requested.return_number,
        "order_id": str(cmd.order_id),
        "status": "requested",
    }


def _priced(customer: Customer, line: OrderLineRequest) -> OrderLine:
    """An explicit price is taken as given; otherwise the customer's list price less its
    discount. A line without a VAT rate is 13%."""
    unit_price = line.unit_price if line.unit_price is not None else customer.list_price(line.sku)
    if unit_price is None:
        raise InvalidPrice(f"{line.sku} has no unit_price and is not on the customer's price list")
    tax_rate = DEFAULT_TAX_RATE if line.tax_rate is None else line.tax_rate
    return OrderLine(sku=line.sku, qty=line.qty, unit_price=unit_price, tax_rate=tax_rate)


def summary(order: SalesOrder) -> dict[str, Any]:
    return {
        "order_id": str(order.order_id),
        "order_number": order.number,
        "status": order.status,
        "customer_id": order.customer_id,
        "total": order.total,
    }
