"""What every invoice (payable or receivable) shares: its total, what was paid against it,
and settlement once nothing is open."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from finance.domain.aggregate import Aggregate
from finance.domain.errors import InvalidAmount, InvalidState, OverAllocation
from finance.domain.events import DomainEvent, InvoiceSettled, PaymentAllocated
from finance.domain.money import ZERO, quantize_money, utc
from finance.domain.opening_balances import OpeningInvoice

OPEN, ON_HOLD, SETTLED = "open", "on_hold", "settled"


class Invoice(Aggregate):
    kind = ""

    def __init__(self) -> None:
        super().__init__()
        self.invoice_id: UUID | None = None
        self.counterparty_id = ""
        self.order_id: UUID | None = None
        self.status = ""
        self.total = ZERO
        self.paid = ZERO
        #: What a migrated (期初) invoice was recorded with; None for any other invoice.
        self.opening: OpeningInvoice | None = None

    @property
    def exists(self) -> bool:
        return self.invoice_id is not None

    @property
    def open_amount(self) -> Decimal:
        return self.total - self.paid

    def record_opening(self, invoice_id: UUID, opening: OpeningInvoice) -> None:
        """期初 (data migration): each kind records its own event."""
        raise NotImplementedError

    def allocate(self, payment_id: UUID, amount: Decimal, *, occurred_at: datetime) -> None:
        """Apply part of a payment or receipt; the invoice is settled once nothing is open."""
        invoice_id = self.invoice_id
        if invoice_id is None or self.status != OPEN:
            raise InvalidState(f"invoice {self.invoice_id} is {self.status}, not payable")
        amount = quantize_money(amount)
        if amount <= 0:
            raise InvalidAmount("an allocation must be > 0")
        if amount > self.open_amount:
            raise OverAllocation(
                f"invoice {invoice_id} has {self.open_amount} open, not {amount}",
                invoice_id=str(invoice_id),
                open_amount=str(self.open_amount),
            )
        moment = utc(occurred_at)
        self._record(
            PaymentAllocated(
                occurred_at=moment, invoice_id=invoice_id, payment_id=payment_id, amount=amount
            )
        )
        if self.open_amount == 0:
            self._record(
                InvoiceSettled(
                    occurred_at=moment,
                    invoice_id=invoice_id,
                    kind=self.kind,
                    counterparty_id=self.counterparty_id,
                    total=self.total,
                    order_id=self.order_id,
                )
            )

    def _apply_settlement(self, event: DomainEvent) -> None:
        match event:
            case PaymentAllocated():
                self.paid += event.amount
            case InvoiceSettled():
                self.status = SETTLED
            case _:
                raise self._cannot_apply(event)
