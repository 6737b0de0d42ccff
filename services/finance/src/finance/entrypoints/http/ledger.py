"""GET /ledger/trial-balance, GET /ledger/journal, GET /ledger/profit-and-loss,
GET /ledger/balance-sheet, GET /reconciliation/inventory."""

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from eventkit.errors import InvalidCommand
from eventkit.http import Page, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import Moment, Month, QueryText, require_ordered
from eventkit.runtime import ServiceRuntime
from finance.adapters.projections import queries
from finance.domain.periods import month_bounds
from finance.domain.statements import StatementLine, balance_sheet, profit_and_loss

router = APIRouter(tags=["ledger"])
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


def _runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


@router.get("/ledger/trial-balance")
async def get_trial_balance(
    request: Request, _: Viewer, as_of: Moment | None = None
) -> dict[str, Any]:
    """`{accounts:[{code, name, debit, credit}], total_debit, total_credit}`: each account's
    balance on its side, over entries with business time ≤ `as_of`."""
    async with _runtime(request).engine.connect() as conn:
        body: dict[str, Any] = jsonable(await queries.trial_balance(conn, as_of))
    return body


@router.get("/ledger/journal")
async def get_journal(
    request: Request,
    _: Viewer,
    paging: Annotated[Page, Depends(page)],
    account: QueryText | None = None,
    start: Annotated[Moment | None, Query(alias="from")] = None,
    end: Annotated[Moment | None, Query(alias="to")] = None,
) -> list[Any]:
    """Journal lines in business-time order (`from` inclusive, `to` exclusive); the first
    1000, or a page (`limit`, `offset`, `q`: account, document, source type)."""
    require_ordered(start, end)
    async with _runtime(request).engine.connect() as conn:
        rows: list[Any] = jsonable(await queries.journal(conn, account, start, end, paging))
    return rows


def _lines(lines: list[StatementLine]) -> list[dict[str, Any]]:
    return [asdict(line) for line in lines]


@router.get("/ledger/profit-and-loss")
async def get_profit_and_loss(
    request: Request,
    _: Viewer,
    period: Month | None = None,
    start: Annotated[Moment | None, Query(alias="from")] = None,
    end: Annotated[Moment | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    """利润表 over business time [`from`, `to`) — or the month `period` (yyyy-mm, UTC):
    `{from, to, income:[{code, name, amount}], expenses, total_income, total_expenses,
    net_profit}`."""
    if period is not None:
        if start is not None or end is not None:
            raise InvalidCommand("give either period or from/to, not both", ("query", "period"))
        start, end = month_bounds(period)
    require_ordered(start, end)
    async with _runtime(request).engine.connect() as conn:
        report = profit_and_loss(await queries.account_movements(conn, start, end))
    body: dict[str, Any] = jsonable(
        {
            "from": start,
            "to": end,
            "income": _lines(report.income),
            "expenses": _lines(report.expenses),
            "total_income": report.total_income,
            "total_expenses": report.total_expenses,
            "net_profit": report.net_profit,
        }
    )
    return body


@router.get("/ledger/balance-sheet")
async def get_balance_sheet(
    request: Request, _: Viewer, as_of: Moment | None = None
) -> dict[str, Any]:
    """资产负债表 at business time `as_of` (now when omitted): `{as_of, assets, liabilities,
    equity, total_assets, total_liabilities, total_equity, balanced}`; profit not yet closed
    is the equity line 4103 本年利润."""
    moment = as_of or datetime.now(UTC)
    async with _runtime(request).engine.connect() as conn:
        report = balance_sheet(await queries.account_movements(conn, as_of=moment))
    body: dict[str, Any] = jsonable(
        {
            "as_of": moment,
            "assets": _lines(report.assets),
            "liabilities": _lines(report.liabilities),
            "equity": _lines(report.equity),
            "total_assets": report.total_assets,
            "total_liabilities": report.total_liabilities,
            "total_equity": report.total_equity,
            "balanced": report.balanced,
        }
    )
    return body


@router.get("/reconciliation/inventory")
async def get_inventory_reconciliation(request: Request, _: Viewer) -> dict[str, Any]:
    """`{gl_1405, valuation, difference, reconciled, inventory_valuation: null, stock}`."""
    async with _runtime(request).engine.connect() as conn:
        body: dict[str, Any] = jsonable(await queries.inventory_reconciliation(conn))
    return body
