"""Customer invoices (销售发票), stream ``customer-invoice-<invoice_id>``: one per shipment,
issued on dispatch at the sales order's prices; due after the customer's payment terms."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

from finance.domain.errors import AlreadyExists
from finance.domain.events import (
    CustomerInvoiceIssued,
    DomainEvent,
    InvoiceLine,
    OpeningReceivableRecorded,
)
from finance.domain.invoice import OPEN, Invoice
from finance.domain.money import utc
from finance.domain.opening_balances import OpeningInvoice, refuse_existing
from finance.domain.supplier_invoice import invoice_totals


def customer_invoice_stream_id(invoice_id: UUID) -> str:
    return f"customer-invoice-{invoice_id}"


class CustomerInvoice(Invoice):
    kind = "receivable"

    def __init__(self) -> None:
        super().__init__()
        self.invoice_date: date | None = None

    def issue(
        self,
        invoice_id: UUID,
        *,
        invoice_number: str,
        customer_id: str,
        order_id: UUID,
        shipment_id: UUID,
        invoice_date: date,
        payment_terms_days: int,
        lines: Sequence[InvoiceLine],
        occurred_at: datetime,
    ) -> CustomerInvoiceIssued:
        if self.exists:
            raise AlreadyExists(f"shipment {shipment_id} is already invoiced")
        net, tax = invoice_totals(lines)
        event = CustomerInvoiceIssued(
            occurred_at=utc(occurred_at),
            invoice_id=invoice_id,
            invoice_number=invoice_number,
            customer_id=customer_id,
            order_id=order_id,
            shipment_id=shipment_id,
            invoice_date=invoice_date,
            due_date=invoice_date + timedelta(days=payment_terms_days),
            lines=tuple(lines),
            net_total=net,
            tax_total=tax,
            total=net + tax,
        )
        self._record(event)
        return event

    def record_opening(self, invoice_id: UUID, opening: OpeningInvoice) -> None:
        """期初应收 (data migration): open for its whole amount, due on its due date."""
        if self.exists:
            raise refuse_existing(opening.invoice_number, opening.counterparty_id)
        checked = opening.checked()
        self._record(
            OpeningReceivableRecorded(
                occurred_at=utc(checked.occurred_at),
                invoice_id=invoice_id,
                invoice_number=checked.invoice_number,
                customer_id=checked.counterparty_id,
                invoice_date=checked.invoice_date,
                due_date=checked.due_date,
                total=checked.total,
            )
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case OpeningReceivableRecorded():
                self.invoice_id, self.counterparty_id = event.invoice_id, event.customer_id
                self.total, self.status, self.invoice_date = event.total, OPEN, event.invoice_date
                self.opening = OpeningInvoice(
                    invoice_number=event.invoice_number,
                    counterparty_id=event.customer_id,
                    invoice_date=event.invoice_date,
                    due_date=event.due_date,
                    total=event.total,
                    occurred_at=event.occurred_at,
                )
            case CustomerInvoiceIssued():
                self.invoice_id, self.counterparty_id = event.invoice_id, event.customer_id
                self.order_id, self.total, self.status = event.order_id, event.total, OPEN
                self.invoice_date = event.invoice_date
            case _:
                self._apply_settlement(event)
