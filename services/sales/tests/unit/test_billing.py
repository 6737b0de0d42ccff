"""Invoices, receipts and settlement as sales sees them (from finance's events)."""

from decimal import Decimal
from uuid import uuid4

from sales.domain.events import SalesOrderCompleted
from sales.domain.sales_order import SalesOrder

from .builders import T0, customer, line, placed_order, qty


def shipped_in_two_parts() -> SalesOrder:
    order = placed_order(line("SKU-1", "10"), line("SKU-2", "5"))
    order.confirm([qty("SKU-1", "10"), qty("SKU-2", "5")], occurred_at=T0)
    order.record_shipment(uuid4(), "SH-1", [qty("SKU-1", "10")], occurred_at=T0)
    order.record_shipment(uuid4(), "SH-2", [qty("SKU-2", "5")], occurred_at=T0)
    return order


def test_an_order_is_invoiced_only_when_every_shipment_has_its_invoice() -> None:
    order = shipped_in_two_parts()
    first, second = uuid4(), uuid4()
    order.record_invoice(first, "AR-1", Decimal("135.60"), occurred_at=T0)
    assert order.status == "shipped"
    assert not order.record_invoice(first, "AR-1", Decimal("135.60"), occurred_at=T0)
    order.record_invoice(second, "AR-2", Decimal("67.80"), occurred_at=T0)
    assert order.status == "invoiced"


def test_the_last_settled_invoice_completes_the_order_once() -> None:
    order = shipped_in_two_parts()
    first, second = uuid4(), uuid4()
    order.record_invoice(first, "AR-1", Decimal("135.60"), occurred_at=T0)
    order.record_invoice(second, "AR-2", Decimal("67.80"), occurred_at=T0)
    order.collect_events()
    order.record_settlement(first, occurred_at=T0)
    assert order.status == "invoiced"
    order.record_settlement(second, occurred_at=T0)
    assert not order.record_settlement(second, occurred_at=T0)
    completed = [e for e in order.collect_events() if isinstance(e, SalesOrderCompleted)]
    assert len(completed) == 1
    assert order.status == "completed"


def test_an_invoice_that_overtakes_its_shipment_makes_the_order_invoiced_when_it_ships() -> None:
    # Finance's events travel on another topic than inventory's: no order between them.
    order = placed_order(line("SKU-1", "10"))
    order.confirm([qty("SKU-1", "10")], occurred_at=T0)
    invoice = uuid4()
    order.record_invoice(invoice, "AR-1", Decimal("135.60"), occurred_at=T0)
    assert order.status == "confirmed"
    order.record_shipment(uuid4(), "SH-1", [qty("SKU-1", "10")], occurred_at=T0)
    assert order.status == "invoiced"


def test_an_order_paid_before_sales_saw_it_ship_completes_when_it_ships() -> None:
    order = placed_order(line("SKU-1", "10"))
    order.confirm([qty("SKU-1", "10")], occurred_at=T0)
    invoice = uuid4()
    order.record_invoice(invoice, "AR-1", Decimal("135.60"), occurred_at=T0)
    order.record_settlement(invoice, occurred_at=T0)
    order.collect_events()
    order.record_shipment(uuid4(), "SH-1", [qty("SKU-1", "10")], occurred_at=T0)
    assert order.status == "completed"
    assert any(isinstance(e, SalesOrderCompleted) for e in order.collect_events())


def test_an_invoice_moves_credit_from_the_order_to_receivables_and_a_receipt_frees_it() -> None:
    buyer = customer("1000.00")
    order_id, invoice_id = uuid4(), uuid4()
    buyer.commit_credit(order_id, Decimal("226.00"), occurred_at=T0)
    assert buyer.exposure == Decimal("226.00")
    buyer.record_invoice(order_id, invoice_id, Decimal("226.00"), occurred_at=T0)
    buyer.record_invoice(order_id, invoice_id, Decimal("226.00"), occurred_at=T0)  # redelivered
    assert buyer.open_orders == {}
    assert buyer.open_receivables == Decimal("226.00")
    assert buyer.exposure == Decimal("226.00")
    receipt = uuid4()
    buyer.record_payment(
        receipt, [(invoice_id, Decimal("200.00")), (uuid4(), Decimal(5))], occurred_at=T0
    )
    buyer.record_payment(receipt, [(invoice_id, Decimal("200.00"))], occurred_at=T0)  # again
    assert buyer.open_receivables == Decimal("26.00")
    assert buyer.available_credit == Decimal("974.00")
