"""``LedgerProjection`` keeps ``rm_ledger``, the general ledger (总账) as a read model of finance's
own store: one entry per posted event with its balanced lines, plus finance's own stock
valuation (Σ stock value changes per sku and warehouse) for the 1405 reconciliation. Both live
in one projection so they are always at the same checkpoint.

- ``journal_entries``: ``entry_id`` (the finance event id), ``source_event_id`` (unique: the
  inventory event posted, or the finance event itself), ``source_type``, ``document``,
  ``occurred_at`` (business time), ``recorded_at``;
- ``journal_lines``: ``entry_id``, ``line_no``, ``account``, ``debit``, ``credit``;
- ``stock_valuation``: ``sku``, ``warehouse_id``, ``qty``, ``value``.
"""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Column, DateTime, Integer, MetaData, Numeric, Table, Text
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from finance.adapters.codec import from_payload
from finance.domain import events as e
from finance.domain.ledger_events import JournalVoucherPosted
from finance.domain.money import ZERO
from finance.domain.posting_rules import (
    credit_note_posting,
    customer_invoice_posting,
    debit_note_posting,
    opening_payable_posting,
    opening_receivable_posting,
    payment_posting,
    receipt_posting,
    supplier_invoice_posting,
    voucher_posting,
)
from finance.domain.supplier_invoice import MATCHED

SCHEMA = "rm_ledger"
MONEY, QTY = Numeric(24, 2), Numeric(24, 6)
metadata = MetaData()
journal_entries = Table(
    "journal_entries",
    metadata,
    Column("entry_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("source_event_id", PG_UUID(as_uuid=True), nullable=False, unique=True),
    Column("source_type", Text, nullable=False),
    Column("document", Text, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False, index=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)
journal_lines = Table(
    "journal_lines",
    metadata,
    Column("entry_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("account", Text, nullable=False, index=True),
    Column("debit", MONEY, nullable=False),
    Column("credit", MONEY, nullable=False),
    schema=SCHEMA,
)
stock_valuation = Table(
    "stock_valuation",
    metadata,
    Column("sku", Text, primary_key=True),
    Column("warehouse_id", Text, primary_key=True),
    Column("qty", QTY, nullable=False),
    Column("value", MONEY, nullable=False),
    schema=SCHEMA,
)


def _posting(  # noqa: PLR0911 - one case per posted event type
    event: e.DomainEvent,
) -> tuple[Any, str, tuple[e.PostingLine, ...]] | None:
    """(source event id or None for the finance event itself, document, lines)."""
    match event:
        case e.JournalPosted():
            return event.source_event_id, event.document, event.lines
        case e.SupplierInvoiceRecorded() if event.status == MATCHED:
            variance = event.price_variance or ZERO
            totals = (event.net_total, event.tax_total, event.total)
            return None, event.document_number, supplier_invoice_posting(*totals, variance)
        case e.SupplierInvoiceReleased():
            totals = (event.net_total, event.tax_total, event.total)
            lines = supplier_invoice_posting(*totals, event.price_variance)
            return None, event.document_number, lines
        case e.PaymentMade():
            return None, event.payment_number, payment_posting(event.amount)
        case e.CustomerInvoiceIssued():
            lines = customer_invoice_posting(event.net_total, event.tax_total, event.total)
            return None, event.invoice_number, lines
        case e.PaymentReceived():
            return None, event.receipt_number, receipt_posting(event.amount)
        case e.CreditNoteIssued():
            lines = credit_note_posting(event.net_total, event.tax_total, event.total)
            return None, event.credit_note_number, lines
        case e.DebitNoteIssued():
            lines = debit_note_posting(event.net_total, event.tax_total, event.total)
            return None, event.debit_note_number, lines
        case JournalVoucherPosted():
            return None, event.voucher_number, voucher_posting(event.lines)
        case e.OpeningReceivableRecorded():
            return None, event.invoice_number, opening_receivable_posting(event.total)
        case e.OpeningPayableRecorded():
            return None, event.invoice_number, opening_payable_posting(event.total)
        case _:
            return None


class LedgerProjection(Projection):
    name: ClassVar[str] = "finance.ledger"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        cls.event_type
        for cls in (
            e.JournalPosted,
            e.SupplierInvoiceRecorded,
            e.SupplierInvoiceReleased,
            e.PaymentMade,
            e.CustomerInvoiceIssued,
            e.PaymentReceived,
            e.CreditNoteIssued,
            e.DebitNoteIssued,
            JournalVoucherPosted,
            e.OpeningReceivableRecorded,
            e.OpeningPayableRecorded,
        )
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        """A batch in at most three statements: entries, lines, valuation (deltas summed)."""
        entries: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        stock: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
        for recorded in events:
            event = from_payload(recorded.event_type, recorded.payload)
            posting = _posting(event)
            if posting is None:
                continue
            source_event_id, document, posted = posting
            if isinstance(event, e.JournalPosted):
                for change in event.stock_changes:
                    totals = stock[(change.sku, change.warehouse_id)]
                    totals[0] += change.qty
                    totals[1] += change.value
            if not posted:
                continue  # a transfer: value moved between warehouses, nothing to post
            entries.append(_entry(recorded, source_event_id, document))
            lines.extend(_line(recorded, n, line) for n, line in enumerate(posted, start=1))
        if entries:
            await conn.execute(insert(journal_entries).on_conflict_do_nothing(), entries)
            await conn.execute(insert(journal_lines).on_conflict_do_nothing(), lines)
        if stock:
            await _add_stock(conn, stock)


def _entry(recorded: RecordedEvent, source_event_id: Any, document: str) -> dict[str, Any]:
    return {
        "entry_id": recorded.event_id,
        "source_event_id": source_event_id or recorded.event_id,
        "source_type": recorded.event_type
        if source_event_id is None
        else recorded.payload["source_type"],
        "document": document,
        "occurred_at": recorded.occurred_at,
        "recorded_at": recorded.recorded_at,
    }


def _line(recorded: RecordedEvent, line_no: int, line: e.PostingLine) -> dict[str, Any]:
    return {
        "entry_id": recorded.event_id,
        "line_no": line_no,
        "account": line.account,
        "debit": line.debit,
        "credit": line.credit,
    }


async def _add_stock(conn: AsyncConnection, stock: dict[tuple[str, str], list[Decimal]]) -> None:
    rows = [
        {"sku": sku, "warehouse_id": wh, "qty": qty, "value": value}
        for (sku, wh), (qty, value) in sorted(stock.items())
    ]
    statement = insert(stock_valuation)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[stock_valuation.c.sku, stock_valuation.c.warehouse_id],
            set_={
                "qty": stock_valuation.c.qty + statement.excluded.qty,
                "value": stock_valuation.c.value + statement.excluded.value,
            },
        ),
        rows,
    )
