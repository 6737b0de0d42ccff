"""Credit notes (红字发票, for goods a customer returned) and debit notes (for invoiced goods
returned to the supplier), stream ``note-<id>``. A note's id derives from its return, so each
return is noted once, however often its event is delivered.

A note is priced like the invoice it reverses (order prices, VAT per line, net and VAT each
rounded half-up once) and applied to the order's open invoices in the order given, up to
their open amounts; the rest is `unapplied` — owed back to the customer, or by the supplier.
"""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID, uuid5

from finance.domain.aggregate import Aggregate
from finance.domain.errors import AlreadyExists
from finance.domain.events import (
    Allocation,
    CreditNoteIssued,
    DebitNoteIssued,
    DomainEvent,
    InvoiceLine,
)
from finance.domain.money import ZERO, utc
from finance.domain.supplier_invoice import invoice_totals

N = TypeVar("N", CreditNoteIssued, DebitNoteIssued)
_CREDIT_NOTE_IDS = UUID("2d7f4b8e-61c3-4e0a-9f57-0b8c3a1e5d42")
_DEBIT_NOTE_IDS = UUID("8a3e1f6c-2b4d-4c9e-a1f0-7e5d9c3b2a18")


def credit_note_id(return_id: UUID) -> UUID:
    return uuid5(_CREDIT_NOTE_IDS, str(return_id))


def debit_note_id(return_id: UUID) -> UUID:
    return uuid5(_DEBIT_NOTE_IDS, str(return_id))


def note_stream_id(note_id: UUID) -> str:
    return f"note-{note_id}"


def applied_in_order(
    total: Decimal, open_invoices: Sequence[tuple[UUID, Decimal]]
) -> tuple[tuple[Allocation, ...], Decimal]:
    """Spread `total` over (invoice, open amount) in the order given: (allocations, rest)."""
    allocations: list[Allocation] = []
    left = total
    for invoice_id, open_amount in open_invoices:
        share = min(left, open_amount)
        if share > ZERO:
            allocations.append(Allocation(invoice_id=invoice_id, amount=share))
            left -= share
    return tuple(allocations), left


class _Note(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.note_id: UUID | None = None

    def _issue(
        self,
        event_class: type[N],
        lines: Sequence[InvoiceLine],
        open_invoices: Sequence[tuple[UUID, Decimal]],
        occurred_at: datetime,
        **document: Any,  # the note kind's own fields (ids, number, counterparty)
    ) -> N:
        """Price the lines like an invoice, apply the total in order, record the note."""
        if self.note_id is not None:
            raise AlreadyExists(f"note {self.note_id} is already issued")
        net, tax = invoice_totals(lines)
        allocations, unapplied = applied_in_order(net + tax, open_invoices)
        event = event_class(
            occurred_at=utc(occurred_at),
            lines=tuple(lines),
            net_total=net,
            tax_total=tax,
            total=net + tax,
            allocations=allocations,
            unapplied=unapplied,
            **document,
        )
        self._record(event)
        return event


class CreditNote(_Note):
    def issue(
        self,
        note_id: UUID,
        *,
        number: str,
        customer_id: str,
        order_id: UUID,
        return_id: UUID,
        note_date: date,
        lines: Sequence[InvoiceLine],
        open_invoices: Sequence[tuple[UUID, Decimal]],
        occurred_at: datetime,
    ) -> CreditNoteIssued:
        return self._issue(
            CreditNoteIssued,
            lines,
            open_invoices,
            occurred_at,
            credit_note_id=note_id,
            credit_note_number=number,
            customer_id=customer_id,
            order_id=order_id,
            return_id=return_id,
            note_date=note_date,
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case CreditNoteIssued():
                self.note_id = event.credit_note_id
            case _:
                raise self._cannot_apply(event)


class DebitNote(_Note):
    def issue(
        self,
        note_id: UUID,
        *,
        number: str,
        supplier_id: str,
        po_id: UUID,
        return_id: UUID,
        note_date: date,
        lines: Sequence[InvoiceLine],
        open_invoices: Sequence[tuple[UUID, Decimal]],
        occurred_at: datetime,
    ) -> DebitNoteIssued:
        return self._issue(
            DebitNoteIssued,
            lines,
            open_invoices,
            occurred_at,
            debit_note_id=note_id,
            debit_note_number=number,
            supplier_id=supplier_id,
            po_id=po_id,
            return_id=return_id,
            note_date=note_date,
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case DebitNoteIssued():
                self.note_id = event.debit_note_id
            case _:
                raise self._cannot_apply(event)
