"""``BankProjection`` keeps ``rm_bank``, the bank reconciliation read model:

- ``cash_documents``: every payment (``payment``, amount < 0: money out) and receipt
  (``receipt``, > 0) with its number, counterparty, value date (the day it was recorded) and
  the bank line it was matched to (``statement_id``, ``line_no``; null while unmatched) — the
  candidates a statement is matched against;
- ``statement_lines``: every imported line (``statement_id``, ``line_no``, ``account_id``,
  ``value_date``, ``amount``, ``reference``, ``counterparty``, ``description``,
  ``transaction_id``) with ``status`` (``matched`` / ``unmatched``), ``document_id``,
  ``document_number`` and the ``rule`` that matched it.
"""

from typing import Any, ClassVar

from sqlalchemy import Column, Date, Integer, MetaData, Numeric, Table, Text, select, update
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from finance.adapters.codec import from_payload
from finance.domain import bank
from finance.domain import events as e

SCHEMA = "rm_bank"
MONEY = Numeric(24, 2)
metadata = MetaData()
cash_documents = Table(
    "cash_documents",
    metadata,
    Column("document_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("kind", Text, nullable=False),
    Column("number", Text, nullable=False),
    Column("counterparty_id", Text, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("value_date", Date, nullable=False, index=True),
    Column("statement_id", PG_UUID(as_uuid=True)),
    Column("line_no", Integer),
    schema=SCHEMA,
)
statement_lines = Table(
    "statement_lines",
    metadata,
    Column("statement_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("account_id", Text, nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("value_date", Date, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("reference", Text, nullable=False),
    Column("counterparty", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("transaction_id", Text),
    Column("status", Text, nullable=False, index=True),
    Column("document_id", PG_UUID(as_uuid=True)),
    Column("document_number", Text),
    Column("rule", Text),
    schema=SCHEMA,
)


class BankProjection(Projection):
    name: ClassVar[str] = "finance.bank"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        cls.event_type
        for cls in (
            e.PaymentMade,
            e.PaymentReceived,
            bank.BankStatementImported,
            bank.BankLineMatched,
        )
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await _apply(conn, from_payload(event.event_type, event.payload))


async def _apply(conn: AsyncConnection, event: e.DomainEvent) -> None:
    match event:
        case e.PaymentMade():
            await _document(
                conn,
                event.payment_id,
                bank.PAYMENT,
                event.payment_number,
                event.supplier_id,
                -event.amount,
                event,
            )
        case e.PaymentReceived():
            await _document(
                conn,
                event.receipt_id,
                bank.RECEIPT,
                event.receipt_number,
                event.customer_id,
                event.amount,
                event,
            )
        case bank.BankStatementImported():
            if event.lines:
                await conn.execute(
                    insert(statement_lines).on_conflict_do_nothing(),
                    [_line(event, line) for line in event.lines],
                )
        case bank.BankLineMatched():
            await conn.execute(
                update(statement_lines)
                .where(
                    statement_lines.c.statement_id == event.statement_id,
                    statement_lines.c.line_no == event.line_no,
                )
                .values(
                    status="matched",
                    document_id=event.document_id,
                    document_number=event.document_number,
                    rule=event.rule,
                )
            )
            await conn.execute(
                update(cash_documents)
                .where(cash_documents.c.document_id == event.document_id)
                .values(statement_id=event.statement_id, line_no=event.line_no)
            )
        case _:
            pass


async def _document(
    conn: AsyncConnection,
    document_id: Any,
    kind: str,
    number: str,
    counterparty_id: str,
    amount: Any,
    event: e.DomainEvent,
) -> None:
    row = {
        "document_id": document_id,
        "kind": kind,
        "number": number,
        "counterparty_id": counterparty_id,
        "amount": amount,
        "value_date": event.occurred_at.date(),
    }
    await conn.execute(insert(cash_documents).on_conflict_do_nothing(), row)


def _line(event: bank.BankStatementImported, line: bank.BankLine) -> dict[str, Any]:
    return {
        "statement_id": event.statement_id,
        "line_no": line.line_no,
        "account_id": event.account_id,
        "source": event.source,
        "value_date": line.value_date,
        "amount": line.amount,
        "reference": line.reference,
        "counterparty": line.counterparty,
        "description": line.description,
        "transaction_id": line.transaction_id,
        "status": "unmatched",
        "document_id": None,
        "document_number": None,
        "rule": None,
    }


async def unmatched_documents(conn: AsyncConnection) -> list[bank.CashDocument]:
    """Payments and receipts no bank line matched yet (the aggregate has the final word)."""
    query = select(cash_documents).where(cash_documents.c.statement_id.is_(None))
    return [
        bank.CashDocument(
            document_id=row.document_id,
            kind=row.kind,
            number=row.number,
            amount=row.amount,
            value_date=row.value_date,
        )
        for row in await conn.execute(query)
    ]


async def cash_document(conn: AsyncConnection, document_id: Any) -> bank.CashDocument | None:
    row = (
        await conn.execute(
            select(cash_documents).where(cash_documents.c.document_id == document_id)
        )
    ).first()
    if row is None:
        return None
    return bank.CashDocument(
        document_id=row.document_id,
        kind=row.kind,
        number=row.number,
        amount=row.amount,
        value_date=row.value_date,
    )


async def lines_of(
    conn: AsyncConnection,
    *,
    statement_id: Any = None,
    account_id: str | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    query = select(statement_lines).order_by(
        statement_lines.c.value_date, statement_lines.c.statement_id, statement_lines.c.line_no
    )
    if statement_id is not None:
        query = query.where(statement_lines.c.statement_id == statement_id)
    if account_id is not None:
        query = query.where(statement_lines.c.account_id == account_id)
    if status is not None:
        query = query.where(statement_lines.c.status == status)
    return [row._asdict() for row in await conn.execute(query)]
