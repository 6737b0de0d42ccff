"""POST /imports/{opening_receivables|opening_payables}: open invoices at migration (期初应收/
期初应付, docs/import.md). Cells are checked with the edge types of finance's JSON commands."""

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator

from eventkit.http.schemas import BusinessDate, Code, PositiveAmount
from eventkit.imports import (
    Column,
    ImportKind,
    ImportSpec,
    date_column,
    decimal_column,
    import_router,
    text_column,
)
from finance.application.opening_balances import (
    import_opening_payables,
    import_opening_receivables,
)


def _not_future(day: date) -> date:
    if day > datetime.now(UTC).date():
        raise ValueError("an opening date cannot be in the future")
    return day


OpeningDate = Annotated[BusinessDate, AfterValidator(_not_future)]


def _invoice_columns(amount_zh: str) -> tuple[Column, ...]:
    return (
        text_column("invoice_number", "发票号", Code, required=True, example="INV-2025-0815"),
        date_column("invoice_date", "发票日期", required=True, example="2025-12-15"),
        date_column("due_date", "到期日", required=True, example="2026-01-14"),
        decimal_column("amount", amount_zh, PositiveAmount, required=True, example="12800.00"),
        date_column(
            "opening_date",
            "期初日期",
            OpeningDate,
            example="2026-01-01",
            description="posted at the start of this day (UTC); empty: today",
        ),
    )


OPENING_RECEIVABLES = ImportSpec(
    kind="opening_receivables",
    title="Opening receivables 期初应收",
    key=("customer_id", "invoice_number"),
    columns=(
        text_column("customer_id", "客户编码", Code, required=True, example="CUS-001"),
        *_invoice_columns("未收金额"),
    ),
)

OPENING_PAYABLES = ImportSpec(
    kind="opening_payables",
    title="Opening payables 期初应付",
    key=("supplier_id", "invoice_number"),
    columns=(
        text_column("supplier_id", "供应商编码", Code, required=True, example="SUP-HZ"),
        *_invoice_columns("未付金额"),
    ),
)

router = import_router(
    (
        ImportKind(OPENING_RECEIVABLES, import_opening_receivables),
        ImportKind(OPENING_PAYABLES, import_opening_payables),
    ),
    role="finance",
)
