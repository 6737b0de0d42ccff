"""Reads of the accountant's books: the chart of accounts (built in + added, enabled or not,
optionally with balances) and the journal vouchers."""

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http.paging import Page
from finance.adapters.projections.books import accounts, voucher_lines, vouchers
from finance.adapters.projections.ledger import journal_lines
from finance.domain import accounts as chart


async def chart_of_accounts(
    conn: AsyncConnection,
    page: Page,
    *,
    enabled: bool | None = None,
    parent: str | None = None,
    with_balance: bool = False,
) -> list[dict[str, Any]]:
    """Every account in code order: `{code, name, parent, builtin, enabled}` (+ `balance`,
    its own and its sub-accounts' debit − credit); `q` searches code and name."""
    rows: dict[str, dict[str, Any]] = {
        code: {"code": code, "name": name, "parent": chart.parent_of(code), "builtin": True}
        | {"enabled": True}
        for code, name in chart.CHART.items()
    }
    for added in await conn.execute(select(accounts)):
        rows[added.code] = {**rows.get(added.code, {"builtin": False}), **added._asdict()}
    listed: list[dict[str, Any]] = [
        row
        for _, row in sorted(rows.items())
        if (enabled is None or row["enabled"] == enabled)
        and (parent is None or row["parent"] == parent)
        and (not page.q or page.q.lower() in f"{row['code']} {row['name']}".lower())
    ]
    listed = page.slice(listed)
    if with_balance:
        balances = await _balances(conn)
        for row in listed:
            row["balance"] = sum(
                (b for code, b in balances.items() if chart.is_under(code, row["code"])),
                Decimal(0),
            )
    return listed


async def _balances(conn: AsyncConnection) -> dict[str, Decimal]:
    query = select(
        journal_lines.c.account, func.sum(journal_lines.c.debit - journal_lines.c.credit)
    ).group_by(journal_lines.c.account)
    return {code: Decimal(amount) for code, amount in await conn.execute(query)}


async def voucher_list(
    conn: AsyncConnection, page: Page, *, period: str | None = None, account: str | None = None
) -> list[dict[str, Any]]:
    """Vouchers by date and number; `q` searches number, memo and reason; `account` keeps the
    vouchers with a line on it or one of its sub-accounts."""
    v = vouchers.c
    query = select(vouchers).order_by(v.voucher_date, v.voucher_number)
    if period is not None:
        query = query.where(v.period == period)
    if account is not None:
        line = voucher_lines.c
        on_account = or_(
            line.account == account, line.account.startswith(f"{account}.", autoescape=True)
        )
        query = query.where(exists().where(line.voucher_id == v.voucher_id, on_account))
    query = page.apply(query, v.voucher_number, v.memo, v.reason)
    return [row._asdict() for row in await conn.execute(query)]


async def voucher_detail(conn: AsyncConnection, voucher_id: UUID) -> dict[str, Any] | None:
    row = (await conn.execute(select(vouchers).where(vouchers.c.voucher_id == voucher_id))).first()
    if row is None:
        return None
    lines = await conn.execute(
        select(voucher_lines)
        .where(voucher_lines.c.voucher_id == voucher_id)
        .order_by(voucher_lines.c.line_no)
    )
    return {**row._asdict(), "lines": [li._asdict() for li in lines]}
