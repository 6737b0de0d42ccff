"""Reads of the ledger read model: trial balance (试算平衡表), account movements (for the
P&L and balance sheet), journal (日记账) and the inventory reconciliation (1405 vs finance's
own valuation)."""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.http.paging import Page
from finance.adapters.projections import books
from finance.adapters.projections.ledger import journal_entries, journal_lines, stock_valuation
from finance.domain import accounts
from finance.domain.money import ZERO


async def trial_balance(conn: AsyncConnection, as_of: datetime | None = None) -> dict[str, Any]:
    """Each account's balance on the side it falls (debit − credit > 0 ⇒ debit column), over
    entries whose business time is at or before `as_of`. A sub-account the business added is
    rolled up into its built-in parent's row and listed under it (`sub_accounts`)."""
    query = (
        select(
            journal_lines.c.account,
            func.sum(journal_lines.c.debit - journal_lines.c.credit).label("balance"),
        )
        .group_by(journal_lines.c.account)
        .order_by(journal_lines.c.account)
    )
    if as_of is not None:  # only then is the entry's business time needed
        query = query.join(
            journal_entries, journal_entries.c.entry_id == journal_lines.c.entry_id
        ).where(journal_entries.c.occurred_at <= as_of)
    balances = {row.account: Decimal(row.balance) for row in await conn.execute(query)}
    names = await account_names(conn)
    subs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for code, balance in balances.items():
        if code not in accounts.CHART:
            subs[accounts.statement_account(code)].append(_row(code, names, balance))
    rows = []
    for code, balance in sorted(accounts.rolled_up(balances).items()):
        row = _row(code, names, balance)
        if subs.get(code):
            row["sub_accounts"] = subs[code]
        rows.append(row)
    total_debit = sum((row["debit"] for row in rows), ZERO)
    total_credit = sum((row["credit"] for row in rows), ZERO)
    return {"accounts": rows, "total_debit": total_debit, "total_credit": total_credit}


def _row(code: str, names: dict[str, str], balance: Decimal) -> dict[str, Any]:
    name = names.get(code, code)
    return {"code": code, "name": name, "debit": max(balance, ZERO), "credit": max(-balance, ZERO)}


async def account_names(conn: AsyncConnection) -> dict[str, str]:
    """Every account's name: the built-in chart and the sub-accounts the business added."""
    added = await conn.execute(select(books.accounts.c.code, books.accounts.c.name))
    return {**accounts.CHART, **{str(row.code): str(row.name) for row in added}}


async def balance_under(conn: AsyncConnection, code: str) -> Decimal:
    """The balance (debit − credit) of `code` with all its sub-accounts."""
    account = journal_lines.c.account
    total = await conn.scalar(
        select(func.coalesce(func.sum(journal_lines.c.debit - journal_lines.c.credit), 0)).where(
            (account == code) | account.startswith(f"{code}.", autoescape=True)
        )
    )
    return Decimal(total or 0)


async def account_movements(
    conn: AsyncConnection,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    as_of: datetime | None = None,
) -> dict[str, Decimal]:
    """Each account's debit − credit over entries with business time in [start, end) and at
    or before `as_of`."""
    query = select(
        journal_lines.c.account, func.sum(journal_lines.c.debit - journal_lines.c.credit)
    ).group_by(journal_lines.c.account)
    if (start, end, as_of) != (None, None, None):  # only then is the business time needed
        query = query.join(journal_entries, journal_entries.c.entry_id == journal_lines.c.entry_id)
    if start is not None:
        query = query.where(journal_entries.c.occurred_at >= start)
    if end is not None:
        query = query.where(journal_entries.c.occurred_at < end)
    if as_of is not None:
        query = query.where(journal_entries.c.occurred_at <= as_of)
    return {account: Decimal(amount) for account, amount in await conn.execute(query)}


async def journal(
    conn: AsyncConnection,
    account: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    page: Page | None = None,
) -> list[dict[str, Any]]:
    """Journal lines in business-time order, with their entry's source and document; the
    first 1000 unless `page` asks for a page (search: account, document, source type)."""
    e, li = journal_entries.c, journal_lines.c
    query = (
        select(e.entry_id, e.source_event_id, e.source_type, e.document, e.occurred_at)
        .add_columns(e.recorded_at, li.line_no, li.account, li.debit, li.credit)
        .join(journal_lines, li.entry_id == e.entry_id)
        .order_by(e.occurred_at, e.recorded_at, e.entry_id, li.line_no)
    )
    paged = page if page is not None and page.limit is not None else Page(1000, *_rest(page))
    query = paged.apply(query, li.account, e.document, e.source_type)
    if account is not None:
        query = query.where(li.account == account)
    if start is not None:
        query = query.where(e.occurred_at >= start)
    if end is not None:
        query = query.where(e.occurred_at < end)
    names = await account_names(conn)
    return [
        {**row._asdict(), "account_name": names.get(row.account, row.account)}
        for row in await conn.execute(query)
    ]


def _rest(page: Page | None) -> tuple[int, str | None]:
    return (page.offset, page.q) if page is not None else (0, None)


async def account_balance(conn: AsyncConnection, account: str) -> Decimal:
    total = await conn.scalar(
        select(func.coalesce(func.sum(journal_lines.c.debit - journal_lines.c.credit), 0)).where(
            journal_lines.c.account == account
        )
    )
    return Decimal(total or 0)


async def inventory_reconciliation(conn: AsyncConnection) -> dict[str, Any]:
    """GL 1405 against finance's own valuation (Σ stock value changes of inventory's events).
    Finance cannot read inventory's database: `erp verify` compares `valuation` with
    inventory's `GET /valuation` (here `inventory_valuation` is null)."""
    gl = await account_balance(conn, accounts.INVENTORY)
    rows = (
        await conn.execute(
            select(stock_valuation).order_by(stock_valuation.c.sku, stock_valuation.c.warehouse_id)
        )
    ).all()
    valuation = sum((Decimal(row.value) for row in rows), ZERO)
    return {
        "gl_1405": gl,
        "valuation": valuation,
        "difference": gl - valuation,
        "reconciled": gl == valuation,
        "inventory_valuation": None,
        "stock": [
            {"sku": r.sku, "warehouse_id": r.warehouse_id, "qty": r.qty, "value": r.value}
            for r in rows
        ],
    }
