"""Supplier invoices (供应商发票), stream ``supplier-invoice-<invoice_id>``; the id derives from
(supplier, invoice number), so a number can be recorded once per supplier. Only a matched
invoice (status ``open`` until paid) is posted and payable; one on hold is neither."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid5

from finance.domain.errors import AlreadyExists, InvalidAmount
from finance.domain.events import (
    DomainEvent,
    HoldReason,
    InvoiceLine,
    OpeningPayableRecorded,
    SupplierInvoiceRecorded,
)
from finance.domain.invoice import ON_HOLD, OPEN, Invoice
from finance.domain.money import total_of, utc
from finance.domain.opening_balances import OpeningInvoice, refuse_existing

MATCHED = "matched"
_INVOICE_IDS = UUID("6b1c5a0e-3f0a-4d5e-9a53-6d9a1f0c2b7e")


def supplier_invoice_id(supplier_id: str, invoice_number: str) -> UUID:
    return uuid5(_INVOICE_IDS, f"{supplier_id}/{invoice_number}")


def supplier_invoice_stream_id(invoice_id: UUID) -> str:
    return f"supplier-invoice-{invoice_id}"


def invoice_totals(lines: Sequence[InvoiceLine]) -> tuple[Decimal, Decimal]:
    """(net, VAT): line amounts summed unrounded, each total rounded half-up once."""
    for line in lines:
        if line.qty <= 0 or line.unit_price < 0:
            raise InvalidAmount(f"{line.sku}: qty must be > 0 and unit_price ≥ 0")
    net = total_of(line.qty * line.unit_price for line in lines)
    tax = total_of(line.qty * line.unit_price * line.tax_rate for line in lines)
    return net, tax


class SupplierInvoice(Invoice):
    kind = "payable"

    def record(
        self,
        invoice_id: UUID,
        *,
        invoice_number: str,
        document_number: str,
        supplier_id: str,
        po_id: UUID,
        invoice_date: date,
        lines: Sequence[InvoiceLine],
        hold_reasons: Sequence[HoldReason],
        occurred_at: datetime,
    ) -> SupplierInvoiceRecorded:
        if self.exists:
            raise AlreadyExists(f"invoice {invoice_number} of {supplier_id} is already recorded")
        net, tax = invoice_totals(lines)
        event = SupplierInvoiceRecorded(
            occurred_at=utc(occurred_at),
            invoice_id=invoice_id,
            invoice_number=invoice_number,
            document_number=document_number,
            supplier_id=supplier_id,
            po_id=po_id,
            invoice_date=invoice_date,
            lines=tuple(lines),
            net_total=net,
            tax_total=tax,
            total=net + tax,
            status=ON_HOLD if hold_reasons else MATCHED,
            hold_reasons=tuple(hold_reasons),
        )
        self._record(event)
        return event

    def record_opening(self, invoice_id: UUID, opening: OpeningInvoice) -> None:
        """期初应付 (data migration): open (payable) for its whole amount."""
        if self.exists:
            raise refuse_existing(opening.invoice_number, opening.counterparty_id)
        checked = opening.checked()
        self._record(
            OpeningPayableRecorded(
                occurred_at=utc(checked.occurred_at),
                invoice_id=invoice_id,
                invoice_number=checked.invoice_number,
                supplier_id=checked.counterparty_id,
                invoice_date=checked.invoice_date,
                due_date=checked.due_date,
                total=checked.total,
            )
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case OpeningPayableRecorded():
                self.invoice_id, self.counterparty_id = event.invoice_id, event.supplier_id
                self.total, self.status = event.total, OPEN
                self.opening = OpeningInvoice(
                    invoice_number=event.invoice_number,
                    counterparty_id=event.supplier_id,
                    invoice_date=event.invoice_date,
                    due_date=event.due_date,
                    total=event.total,
                    occurred_at=event.occurred_at,
                )
            case SupplierInvoiceRecorded():
                self.invoice_id, self.counterparty_id = event.invoice_id, event.supplier_id
                self.order_id, self.total = event.po_id, event.total
                self.status = OPEN if event.status == MATCHED else ON_HOLD
            case _:
                self._apply_settlement(event)
