"""数据迁移 into finance: open receivables and payables (期初应收/应付) from a validated file.

The whole file goes in the import's one transaction; every row names a customer (supplier)
finance already knows from sales (purchasing), or it is a cell error. A row already recorded
with the same dates and amount writes nothing; with others it is a cell error.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from uuid import UUID

from eventkit.imports import CellError, FileRejected, ImportContext, ImportOutcome, ImportRow
from finance.application.unit_of_work import FinanceUnitOfWork
from finance.domain.aggregate import Aggregate
from finance.domain.customer import CustomerAccount, customer_stream_id
from finance.domain.customer_invoice import CustomerInvoice, customer_invoice_stream_id
from finance.domain.errors import FinanceError
from finance.domain.invoice import Invoice
from finance.domain.opening_balances import OpeningInvoice, differing_field, opening_receivable_id
from finance.domain.supplier import SupplierAccount, supplier_stream_id
from finance.domain.supplier_invoice import (
    SupplierInvoice,
    supplier_invoice_id,
    supplier_invoice_stream_id,
)

#: Where a domain refusal's field shows in the file.
_COLUMNS = {"amount": "amount", "due_date": "due_date", "total": "amount"}


@dataclass(frozen=True, slots=True)
class Side:
    """What differs between receivables and payables."""

    counterparty: str  # the column naming the customer or supplier
    owner: str  # the service the counterparty is registered in
    account: type[Aggregate]
    account_stream: Callable[[str], str]
    invoice: type[Invoice]
    invoice_id: Callable[[str, str], UUID]
    invoice_stream: Callable[[UUID], str]


RECEIVABLES = Side(
    "customer_id", "sales", CustomerAccount, customer_stream_id,
    CustomerInvoice, opening_receivable_id, customer_invoice_stream_id,
)  # fmt: skip
PAYABLES = Side(
    "supplier_id", "purchasing", SupplierAccount, supplier_stream_id,
    SupplierInvoice, supplier_invoice_id, supplier_invoice_stream_id,
)  # fmt: skip


def opening_of(side: Side, row: ImportRow) -> OpeningInvoice:
    day = row["opening_date"] or datetime.now(UTC).date()
    return OpeningInvoice(
        invoice_number=row["invoice_number"],
        counterparty_id=row[side.counterparty],
        invoice_date=row["invoice_date"],
        due_date=row["due_date"],
        total=row["amount"],
        occurred_at=datetime.combine(day, time.min, UTC),
    )


async def import_open_items(
    side: Side, ctx: ImportContext, rows: Sequence[ImportRow]
) -> ImportOutcome:
    uow = FinanceUnitOfWork(ctx.conn, ctx.store, ctx.command, cached=False)
    account_ids = [side.account_stream(r[side.counterparty]) for r in rows]
    accounts = await uow.get_many(side.account, account_ids)
    ids = [side.invoice_id(r[side.counterparty], r["invoice_number"]) for r in rows]
    streams = [side.invoice_stream(i) for i in ids]
    invoices = await uow.get_many(side.invoice, streams, for_update=True)
    periods = await uow.periods()
    errors: list[CellError] = []
    created = 0
    for row, invoice_id, stream, account in zip(rows, ids, streams, account_ids, strict=True):
        if not getattr(accounts[account], "registered", False):
            reason = f"{row[side.counterparty]} is not known to finance yet (from {side.owner})"
            errors.append(row.error(side.counterparty, reason))
            continue
        opening, invoice = opening_of(side, row), invoices[stream]
        if invoice.exists:
            errors += filter(None, [_same_or_error(row, invoice, opening)])
            continue
        try:
            periods.require_open(opening.occurred_at.date())
            invoice.record_opening(invoice_id, opening)
        except FinanceError as error:
            column = _COLUMNS.get(str(error.details.get("field", "")), "opening_date")
            errors.append(row.error(column, error.message))
        created += 1
    if errors:
        raise FileRejected(errors)
    await uow.save()
    return ImportOutcome(created=created, unchanged=len(rows) - created)


def _same_or_error(row: ImportRow, invoice: Invoice, opening: OpeningInvoice) -> CellError | None:
    field = differing_field(invoice.opening, opening)
    if field is None:
        return None
    shown = _COLUMNS.get(field, field)
    return row.error(shown, f"already recorded with a different {shown}")


async def import_opening_receivables(
    ctx: ImportContext, rows: Sequence[ImportRow]
) -> ImportOutcome:
    return await import_open_items(RECEIVABLES, ctx, rows)


async def import_opening_payables(ctx: ImportContext, rows: Sequence[ImportRow]) -> ImportOutcome:
    return await import_open_items(PAYABLES, ctx, rows)
