"""Three-way match (三单匹配) and payments on the pure aggregates."""

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from finance.domain.errors import AlreadyExists, InvalidAmount, InvalidState, OverAllocation
from finance.domain.events import (
    Allocation,
    HoldReason,
    InvoiceLine,
    InvoiceSettled,
    OrderLine,
    PaymentAllocated,
    QuantityLine,
    SupplierInvoiceRecorded,
)
from finance.domain.purchase_order import PurchaseOrderMatch
from finance.domain.supplier import SupplierAccount
from finance.domain.supplier_invoice import SupplierInvoice

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
D = Decimal
TOLERANCE = D("0.02")


def order_with_receipt(ordered: str = "10", received: str = "6") -> PurchaseOrderMatch:
    order = PurchaseOrderMatch()
    po_id = uuid4()
    # Inventory's receipt may arrive before purchasing's PO: both are kept.
    order.record_receipt(po_id, uuid4(), [QuantityLine(sku="A", qty=D(received))], occurred_at=T0)
    line = OrderLine(sku="A", qty=D(ordered), unit_price=D("10.00"), tax_rate=D("0.13"))
    order.record_order(po_id, "PO-1", "SUP-1", [line], occurred_at=T0)
    return order


def line(qty: str, price: str = "10.00", sku: str = "A") -> InvoiceLine:
    return InvoiceLine(sku=sku, qty=D(qty), unit_price=D(price), tax_rate=D("0.13"))


def recorded_invoice(
    lines: list[InvoiceLine], reasons: tuple[HoldReason, ...] = ()
) -> SupplierInvoice:
    invoice = SupplierInvoice()
    invoice.record(
        uuid4(),
        invoice_number="INV-1",
        document_number="AP-1",
        supplier_id="SUP-1",
        po_id=uuid4(),
        invoice_date=date(2026, 11, 24),
        lines=lines,
        hold_reasons=reasons,
        occurred_at=T0,
    )
    return invoice


def test_an_invoice_within_received_qty_and_price_tolerance_matches() -> None:
    order = order_with_receipt()
    assert order.hold_reasons([line("6", "10.20")], TOLERANCE) == ()


def test_an_invoice_beyond_what_was_received_and_not_yet_invoiced_is_over_invoiced() -> None:
    order = order_with_receipt()
    order.record_invoice_match(uuid4(), [line("4")], occurred_at=T0)
    reasons = order.hold_reasons([line("3")], TOLERANCE)
    assert [(r.sku, r.code) for r in reasons] == [("A", "over_invoiced")]


def test_a_price_outside_the_tolerance_and_an_unordered_sku_are_held() -> None:
    order = order_with_receipt()
    reasons = order.hold_reasons([line("1", "10.21"), line("1", sku="Z")], TOLERANCE)
    assert [(r.sku, r.code) for r in reasons] == [("A", "price_variance"), ("Z", "not_on_order")]


def test_goods_returned_to_the_supplier_cannot_be_invoiced() -> None:
    order = order_with_receipt()
    order.record_return(
        order.po_id or uuid4(), uuid4(), [QuantityLine(sku="A", qty=D(2))], occurred_at=T0
    )
    assert order.invoiceable("A") == D(4)


def test_invoice_totals_round_half_up_once_at_the_document() -> None:
    invoice = recorded_invoice([line("3", "0.335"), line("1", "0.005", sku="B")])
    (event,) = invoice.collect_events()
    assert isinstance(event, SupplierInvoiceRecorded)
    assert (event.net_total, event.tax_total, event.total) == (D("1.01"), D("0.13"), D("1.14"))


def test_paying_the_whole_open_amount_settles_the_invoice() -> None:
    invoice = recorded_invoice([line("10")])
    invoice.collect_events()
    invoice.allocate(uuid4(), D("100.00"), occurred_at=T0)
    invoice.allocate(uuid4(), D("13.00"), occurred_at=T0)
    events = invoice.collect_events()
    assert [type(e) for e in events] == [PaymentAllocated, PaymentAllocated, InvoiceSettled]
    with pytest.raises(InvalidState):
        invoice.allocate(uuid4(), D("1.00"), occurred_at=T0)


def test_an_allocation_beyond_the_open_amount_or_to_a_held_invoice_is_refused() -> None:
    invoice = recorded_invoice([line("10")])
    with pytest.raises(OverAllocation):
        invoice.allocate(uuid4(), D("113.01"), occurred_at=T0)
    held = recorded_invoice(
        [line("10")], reasons=(HoldReason(sku="A", code="price_variance", message="x"),)
    )
    with pytest.raises(InvalidState):
        held.allocate(uuid4(), D("1.00"), occurred_at=T0)
    with pytest.raises(AlreadyExists):
        recorded_invoice([line("1")]).record(
            uuid4(),
            invoice_number="INV-1",
            document_number="AP-2",
            supplier_id="SUP-1",
            po_id=uuid4(),
            invoice_date=date(2026, 11, 24),
            lines=[line("1")],
            hold_reasons=(),
            occurred_at=T0,
        )


def test_a_payment_must_be_positive_and_cover_its_allocations() -> None:
    supplier = SupplierAccount()
    supplier.record_registration("SUP-1", "Acme", 30, occurred_at=T0)
    with pytest.raises(InvalidAmount):
        supplier.pay(uuid4(), "PAY-1", D("-1"), [], occurred_at=T0)
    with pytest.raises(OverAllocation):
        supplier.pay(
            uuid4(),
            "PAY-1",
            D("10"),
            [Allocation(invoice_id=uuid4(), amount=D("11"))],
            occurred_at=T0,
        )
    made = supplier.pay(uuid4(), "PAY-1", D("10"), [], occurred_at=T0)
    assert made.amount == D("10.00")
