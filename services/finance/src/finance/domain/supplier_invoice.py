"""Supplier invoices (供应商发票), stream ``supplier-invoice-<invoice_id>``; the id derives from
(supplier, invoice number), so a number can be recorded once per supplier. Only a matched
invoice (status ``open`` until paid) is posted and payable; one on hold is neither.

A held invoice becomes payable (and is posted) when a finance user **releases** it — its cause
was fixed, so the three-way match passes now (the goods arrived, the PO was corrected) — or a
finance admin **overrides** it — accepted as it is, for a reason, despite the reasons still
standing. A line not on the order cannot be overridden: there is no PO price to clear GRNI
at; purchasing must amend the order first."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid5

from finance.domain.errors import AlreadyExists, FinanceError, InvalidAmount, InvalidState
from finance.domain.events import (
    DomainEvent,
    HoldReason,
    InvoiceLine,
    OpeningPayableRecorded,
    SupplierInvoiceRecorded,
    SupplierInvoiceReleased,
)
from finance.domain.invoice import ON_HOLD, OPEN, Invoice
from finance.domain.money import total_of, utc
from finance.domain.opening_balances import OpeningInvoice, refuse_existing

MATCHED = "matched"
NOT_ON_ORDER = "not_on_order"


class StillOnHold(FinanceError):
    """Released, but the three-way match still fails: fix the cause, or override it."""

    code = "still_on_hold"


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

    def __init__(self) -> None:
        super().__init__()
        self.document_number = ""
        self.lines: tuple[InvoiceLine, ...] = ()
        self.net_total = self.tax_total = Decimal(0)

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
        price_variance: Decimal | None = None,
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
            price_variance=None if hold_reasons else price_variance,
        )
        self._record(event)
        return event

    def release(
        self,
        reason: str,
        *,
        reasons_now: Sequence[HoldReason],
        override: bool,
        price_variance: Decimal,
        occurred_at: datetime,
    ) -> SupplierInvoiceReleased:
        """Make a held invoice payable: `reasons_now` is the three-way match run again."""
        if self.invoice_id is None or self.order_id is None or self.status != ON_HOLD:
            raise InvalidState(f"invoice {self.invoice_id} is {self.status}, not on hold")
        if not override and reasons_now:
            codes = sorted({r.code for r in reasons_now})
            raise StillOnHold(f"the match still fails ({', '.join(codes)})", reasons=codes)
        if any(r.code == NOT_ON_ORDER for r in reasons_now):
            raise InvalidState("a line is not on the purchase order: amend the order first")
        event = SupplierInvoiceReleased(
            occurred_at=utc(occurred_at),
            invoice_id=self.invoice_id,
            document_number=self.document_number,
            supplier_id=self.counterparty_id,
            po_id=self.order_id,
            reason=reason,
            overridden=override,
            overridden_reasons=tuple(reasons_now),
            net_total=self.net_total,
            tax_total=self.tax_total,
            total=self.total,
            price_variance=price_variance,
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
                self.document_number, self.lines = event.document_number, event.lines
                self.net_total, self.tax_total = event.net_total, event.tax_total
                self.status = OPEN if event.status == MATCHED else ON_HOLD
            case SupplierInvoiceReleased():
                self.status = OPEN
            case _:
                self._apply_settlement(event)
