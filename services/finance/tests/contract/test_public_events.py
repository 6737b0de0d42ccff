"""Finance's stored payloads are valid instances of its published contracts."""

from datetime import date
from decimal import Decimal
from uuid import uuid4

import erp_contracts.events  # noqa: F401 - registers every public event
from erp_contracts import resolve_event
from finance.adapters.codec import CODEC
from finance.domain.customer import CustomerAccount
from finance.domain.customer_invoice import CustomerInvoice
from finance.domain.events import DomainEvent, HoldReason, InvoiceLine
from finance.domain.notes import CreditNote, DebitNote
from finance.domain.periods import AccountingPeriods
from finance.domain.supplier import SupplierAccount
from finance.domain.supplier_invoice import SupplierInvoice

from ..unit.inventory_events import T0


def scenario() -> list[DomainEvent]:
    supplier = SupplierAccount()
    supplier.record_registration("SUP-1", "Acme", 30, occurred_at=T0)
    line = InvoiceLine(
        sku="A", qty=Decimal(2), unit_price=Decimal("9.99"), tax_rate=Decimal("0.13")
    )
    events: list[DomainEvent] = []
    for reasons in ((), (HoldReason(sku="A", code="over_invoiced", message="2 > 1"),)):
        invoice = SupplierInvoice()
        invoice.record(
            uuid4(),
            invoice_number="INV-1",
            document_number="AP-1",
            supplier_id="SUP-1",
            po_id=uuid4(),
            invoice_date=date(2026, 11, 24),
            lines=[line],
            hold_reasons=reasons,
            occurred_at=T0,
            price_variance=Decimal("0.10"),  # kept on the matched one only
        )
        if not reasons:
            invoice.allocate(uuid4(), invoice.total, occurred_at=T0)
        events.extend(invoice.collect_events())
    supplier.pay(uuid4(), "PAY-1", Decimal("22.58"), [], occurred_at=T0)
    sale = CustomerInvoice()
    sale.issue(
        uuid4(),
        invoice_number="AR-1",
        customer_id="CUS-1",
        order_id=uuid4(),
        shipment_id=uuid4(),
        invoice_date=date(2026, 11, 24),
        payment_terms_days=30,
        lines=[line],
        occurred_at=T0,
    )
    customer = CustomerAccount()
    customer.record_registration("CUS-1", "华南商贸", 30, occurred_at=T0)
    customer.receive(uuid4(), "RC-1", Decimal("5.00"), [], occurred_at=T0)
    books = AccountingPeriods()
    books.close("2026-10", occurred_at=T0)
    books.reopen("2026-10", "late supplier invoice", occurred_at=T0)
    credit, debit = CreditNote(), DebitNote()
    applied_to = [(uuid4(), Decimal("5.00"))]  # part applied, the rest unapplied
    credit.issue(
        uuid4(),
        number="CN-1",
        customer_id="CUS-1",
        order_id=uuid4(),
        return_id=uuid4(),
        note_date=date(2026, 11, 24),
        lines=[line],
        open_invoices=applied_to,
        occurred_at=T0,
    )
    debit.issue(
        uuid4(),
        number="DN-1",
        supplier_id="SUP-1",
        po_id=uuid4(),
        return_id=uuid4(),
        note_date=date(2026, 11, 24),
        lines=[line],
        open_invoices=applied_to,
        occurred_at=T0,
    )
    notes = [*credit.collect_events(), *debit.collect_events()]
    return [
        *notes,
        *supplier.collect_events(),
        *events,
        *sale.collect_events(),
        *customer.collect_events(),
        *books.collect_events(),
    ]


def test_every_stored_public_payload_is_valid_under_its_contract() -> None:
    checked = set()
    for event in scenario():
        contract = resolve_event(event.event_type, 1)
        if contract is None:
            continue  # internal event
        payload = CODEC.encode(event)
        contract.model_validate(payload)
        assert contract.producer == "finance"
        checked.add(event.event_type)
    assert checked == {
        "SupplierInvoiceRecorded",
        "PaymentMade",
        "InvoiceSettled",
        "CustomerInvoiceIssued",
        "PaymentReceived",
        "PeriodClosed",
        "PeriodReopened",
        "CreditNoteIssued",
        "DebitNoteIssued",
    }
