"""Small builders for the pure domain tests."""

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

from purchasing.domain.approval import ApprovalRule
from purchasing.domain.events import OrderLine
from purchasing.domain.purchase_order import PurchaseOrder

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
RULE = ApprovalRule(Decimal("50000.00"))


def line(sku: str = "SKU-1", qty: str = "10", price: str = "12.00", tax: str = "0.13") -> OrderLine:
    return OrderLine(sku=sku, qty=Decimal(qty), unit_price=Decimal(price), tax_rate=Decimal(tax))


def placed_order(*lines: OrderLine, expected: date = date(2026, 11, 30)) -> PurchaseOrder:
    order = PurchaseOrder()
    order.draft(
        uuid4(),
        "PO-20261124-0001",
        supplier_id="SUP-1",
        warehouse_id="WH-1",
        lines=list(lines or (line(),)),
        expected_date=expected,
        rule=RULE,
        occurred_at=T0,
    )
    order.collect_events()
    return order
