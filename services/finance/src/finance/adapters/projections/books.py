"""``BooksProjection`` keeps ``rm_books``, the accountant's own books as read models:

- ``accounts``: the sub-accounts the business added (``code``, ``name``, ``parent``) and every
  disabled account (built-in ones too, ``enabled`` false) — the built-in chart is in code;
- ``vouchers``: one row per journal voucher 记账凭证 (number, date, period, memo, total, the
  voucher it reverses / is reversed by, the reason, who posted it);
- ``voucher_lines``: its lines.
"""

from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    update,
)
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent
from finance.adapters.codec import from_payload
from finance.domain import accounts as chart
from finance.domain.ledger_events import (
    AccountAdded,
    AccountDisabled,
    JournalVoucherPosted,
    JournalVoucherReversed,
)

SCHEMA = "rm_books"
MONEY = Numeric(24, 2)
metadata = MetaData()
accounts = Table(
    "accounts",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("parent", Text),
    Column("enabled", Boolean, nullable=False),
    schema=SCHEMA,
)
vouchers = Table(
    "vouchers",
    metadata,
    Column("voucher_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("voucher_number", Text, nullable=False, unique=True),
    Column("voucher_date", Date, nullable=False, index=True),
    Column("period", Text, nullable=False, index=True),
    Column("memo", Text, nullable=False),
    Column("total", MONEY, nullable=False),
    Column("reverses", PG_UUID(as_uuid=True)),
    Column("reversed_by", PG_UUID(as_uuid=True)),
    Column("reason", Text),
    Column("posted_by", Text),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    schema=SCHEMA,
)
voucher_lines = Table(
    "voucher_lines",
    metadata,
    Column("voucher_id", PG_UUID(as_uuid=True), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("account", Text, nullable=False, index=True),
    Column("debit", MONEY, nullable=False),
    Column("credit", MONEY, nullable=False),
    Column("memo", Text, nullable=False),
    schema=SCHEMA,
)


class BooksProjection(Projection):
    name: ClassVar[str] = "finance.books"
    schema: ClassVar[str] = SCHEMA
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset(
        cls.event_type
        for cls in (AccountAdded, AccountDisabled, JournalVoucherPosted, JournalVoucherReversed)
    )

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        match from_payload(event.event_type, event.payload):
            case AccountAdded() as added:
                row = {"code": added.code, "name": added.name, "parent": added.parent}
                await conn.execute(
                    insert(accounts).on_conflict_do_nothing(), row | {"enabled": True}
                )
            case AccountDisabled(code=code):
                await _disable(conn, code)
            case JournalVoucherPosted() as posted:
                await _insert_voucher(conn, posted, event)
            case JournalVoucherReversed() as reversed_:
                await conn.execute(
                    update(vouchers)
                    .where(vouchers.c.voucher_id == reversed_.voucher_id)
                    .values(reversed_by=reversed_.reversed_by)
                )
            case _:
                pass


async def _disable(conn: AsyncConnection, code: str) -> None:
    # A built-in account has no row until it is disabled.
    row = {"code": code, "name": chart.CHART.get(code, code), "parent": chart.parent_of(code)}
    statement = insert(accounts).values(row | {"enabled": False})
    await conn.execute(
        statement.on_conflict_do_update(index_elements=["code"], set_={"enabled": False})
    )


async def _insert_voucher(
    conn: AsyncConnection, posted: JournalVoucherPosted, recorded: RecordedEvent
) -> None:
    row: dict[str, Any] = {
        "voucher_id": posted.voucher_id,
        "voucher_number": posted.voucher_number,
        "voucher_date": posted.voucher_date,
        "period": f"{posted.voucher_date:%Y-%m}",
        "memo": posted.memo,
        "total": sum((line.debit for line in posted.lines), Decimal(0)),
        "reverses": posted.reverses,
        "reason": posted.reason,
        "posted_by": recorded.metadata.actor,
        "recorded_at": recorded.recorded_at,
    }
    await conn.execute(insert(vouchers).on_conflict_do_nothing(), row)
    lines = [
        {"voucher_id": posted.voucher_id, "line_no": n, **_line(line)}
        for n, line in enumerate(posted.lines, start=1)
    ]
    await conn.execute(insert(voucher_lines).on_conflict_do_nothing(), lines)


def _line(line: Any) -> dict[str, Any]:
    return {"account": line.account, "debit": line.debit, "credit": line.credit, "memo": line.memo}
