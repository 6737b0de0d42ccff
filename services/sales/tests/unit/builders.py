"""Small builders for the pure domain tests."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from sales.domain.customer import Customer
from sales.domain.events import OrderLine, QuantityLine
from sales.domain.sales_order import SalesOrder

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)


def line(sku: str = "SKU-1", qty: str = "10", price: str = "12.00", tax: str = "0.13") -> OrderLine:
    return OrderLine(sku=sku, qty=Decimal(qty), unit_price=Decimal(price), tax_rate=Decimal(tax))


def qty(sku: str, amount: str) -> QuantityLine:
    return QuantityLine(sku=sku, qty=Decimal(amount))


def customer(limit: str = "1000.00") -> Customer:
    registered = Customer()
    registered.register(
        "CUS-1", "Acme", credit_limit=Decimal(limit), payment_terms_days=30, occurred_at=T0
    )
    registered.collect_events()
    return registered


def placed_order(*lines: OrderLine) -> SalesOrder:
    order = SalesOrder()
    order.place(
        uuid4(),
        "SO-20261124-0001",
        customer_id="CUS-1",
        warehouse_id="WH-1",
        lines=list(lines or (line(),)),
        occurred_at=T0,
    )
    order.collect_events()
    return order
