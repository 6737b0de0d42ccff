"""期初应收/应付: invoices still open when a business moves its books to this system.

An opening invoice lives in the same stream as any invoice of its kind (so receipts and
payments settle it the same way). Its id derives from (counterparty, invoice number), so the
same row imported twice names the same invoice: same values → nothing to record; other
values → refused (a migration never silently rewrites an open item).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid5

from finance.domain.errors import AlreadyExists, InvalidAmount
from finance.domain.money import quantize_money

_RECEIVABLE_IDS = UUID("0f6c3d52-2a51-4a7e-9e0b-3e4f1e2a9c11")


def opening_receivable_id(customer_id: str, invoice_number: str) -> UUID:
    return uuid5(_RECEIVABLE_IDS, f"{customer_id}/{invoice_number}")


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningInvoice:
    invoice_number: str
    counterparty_id: str
    invoice_date: date
    due_date: date
    total: Decimal
    occurred_at: datetime

    def checked(self) -> "OpeningInvoice":
        if quantize_money(self.total) != self.total or self.total <= 0:
            raise InvalidAmount("an open amount is > 0 with at most 2 decimals", field="amount")
        if self.due_date < self.invoice_date:
            raise InvalidAmount("the due date is before the invoice date", field="due_date")
        return self


def differing_field(stored: OpeningInvoice | None, wanted: OpeningInvoice) -> str | None:
    """Which field of an already recorded invoice differs from `wanted` (None: the same).
    An invoice recorded otherwise than by migration (`stored` None) differs in its number."""
    if stored is None:
        return "invoice_number"
    for name in ("invoice_date", "due_date", "total"):
        if getattr(stored, name) != getattr(wanted, name):
            return name
    return None


def refuse_existing(number: str, counterparty_id: str) -> AlreadyExists:
    return AlreadyExists(f"invoice {number} of {counterparty_id} is already recorded")
