"""Held supplier invoices released (the match passes now) or overridden (accepted as is), and
price variances within tolerance posted to 6401.01 so GRNI clears at the PO price."""

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from finance.domain.errors import InvalidState
from finance.domain.events import HoldReason, InvoiceLine, QuantityLine
from finance.domain.invoice import OPEN
from finance.domain.posting_rules import is_balanced, supplier_invoice_posting
from finance.domain.supplier_invoice import StillOnHold, SupplierInvoice

from .test_payables import T0, TOLERANCE, line, order_with_receipt

D = Decimal


def held(
    lines: list[InvoiceLine], reasons: tuple[HoldReason, ...], po_id: UUID | None
) -> SupplierInvoice:
    assert po_id is not None
    invoice = SupplierInvoice()
    invoice.record(
        uuid4(),
        invoice_number="INV-9",
        document_number="AP-9",
        supplier_id="SUP-1",
        po_id=po_id,
        invoice_date=date(2026, 11, 24),
        lines=lines,
        hold_reasons=reasons,
        occurred_at=T0,
    )
    invoice.collect_events()
    return invoice


def test_a_price_variance_within_tolerance_goes_to_6401_01_and_gross_clears_at_po_price() -> None:
    order = order_with_receipt(received="6")
    # 6 × 10.20 = 61.20 invoiced against 6 × 10.00 = 60.00 accrued in GRNI.
    variance = order.price_variance([line("6", "10.20")], D("61.20"))
    assert variance == D("1.20")
    lines = supplier_invoice_posting(D("61.20"), D("7.96"), D("69.16"), variance)
    assert is_balanced(lines)
    assert [(li.account, li.debit, li.credit) for li in lines] == [
        ("2202.02", D("60.00"), D(0)),
        ("6401.01", D("1.20"), D(0)),
        ("2221.01", D("7.96"), D(0)),
        ("2202.01", D(0), D("69.16")),
    ]
    cheaper = supplier_invoice_posting(D("59.40"), D("7.72"), D("67.12"), D("-0.60"))
    assert is_balanced(cheaper)
    assert ("6401.01", D(0), D("0.60")) in [(li.account, li.debit, li.credit) for li in cheaper]


def test_releasing_a_held_invoice_needs_the_match_to_pass_now() -> None:
    order = order_with_receipt(received="6")
    reasons = order.hold_reasons([line("8")], TOLERANCE)
    invoice = held([line("8")], reasons, order.po_id)
    with pytest.raises(StillOnHold) as refused:
        invoice.release(
            "goods arrived",
            reasons_now=reasons,
            override=False,
            price_variance=D(0),
            occurred_at=T0,
        )
    assert refused.value.details == {"reasons": ["over_invoiced"]}
    assert invoice.collect_events() == []

    # The missing two arrive: the match passes, the invoice is released and payable.
    order.record_receipt(order.po_id, uuid4(), [QuantityLine(sku="A", qty=D(2))], occurred_at=T0)
    released = invoice.release(
        "goods arrived",
        reasons_now=order.hold_reasons([line("8")], TOLERANCE),
        override=False,
        price_variance=D(0),
        occurred_at=T0,
    )
    assert (released.overridden, released.overridden_reasons) == (False, ())
    assert invoice.status == OPEN
    with pytest.raises(InvalidState):
        invoice.release(
            "again", reasons_now=(), override=False, price_variance=D(0), occurred_at=T0
        )


def test_an_override_accepts_the_standing_reasons_but_not_a_line_off_the_order() -> None:
    order = order_with_receipt(received="6")
    pricey = [line("6", "10.50")]
    reasons = order.hold_reasons(pricey, TOLERANCE)
    invoice = held(pricey, reasons, order.po_id)
    overridden = invoice.release(
        "agreed surcharge",
        reasons_now=reasons,
        override=True,
        price_variance=D("3.00"),
        occurred_at=T0,
    )
    assert overridden.overridden
    assert [r.code for r in overridden.overridden_reasons] == ["price_variance"]
    assert (overridden.reason, overridden.price_variance) == ("agreed surcharge", D("3.00"))

    off_order = [line("1", sku="Z")]
    reasons = order.hold_reasons(off_order, TOLERANCE)
    stray = held(off_order, reasons, order.po_id)
    with pytest.raises(InvalidState):
        stray.release(
            "accept", reasons_now=reasons, override=True, price_variance=D(0), occurred_at=T0
        )
