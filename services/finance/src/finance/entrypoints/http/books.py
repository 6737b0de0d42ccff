"""The accountant's books: chart of accounts (会计科目) and journal vouchers (记账凭证).

POST /accounts, POST /accounts/{code}/disable, GET /accounts; POST /vouchers,
POST /vouchers/{id}/reverse, GET /vouchers, GET /vouchers/{id}.
"""

from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext, NotFound
from eventkit.http import Page, command_context, page, require_role
from eventkit.http.auth import Principal
from eventkit.http.errors import jsonable
from eventkit.http.schemas import Month, QueryText
from finance.adapters.projections import books_queries
from finance.application.chart import add_account, disable_account
from finance.application.commands import AddAccount, DisableAccount, PostVoucher, ReverseVoucher
from finance.application.vouchers import post_voucher, reverse_voucher
from finance.domain.ledger_events import VoucherLine
from finance.entrypoints.http.commands import execute, runtime_of
from finance.entrypoints.http.schemas import AccountIn, ReverseVoucherIn, VoucherIn

router = APIRouter(tags=["books"])
Clerk = Annotated[CommandContext, Depends(command_context("finance"))]
Viewer = Annotated[Principal, Depends(require_role("viewer"))]
Paging = Annotated[Page, Depends(page)]
#: An account code in a path or filter: storable text (a NUL is a 422, not a 500).
AccountCode = QueryText


@router.post("/accounts", status_code=201)
async def post_account(body: AccountIn, request: Request, ctx: Clerk) -> JSONResponse:
    """Add a sub-account `<parent>.<nn>` under an existing account: `{code, name, parent,
    enabled}`; 409 `account_exists`, `account_disabled` (parent), `account_in_use` (a
    controlled parent); 422 for a malformed code or an unknown parent."""
    command = AddAccount(code=body.code, name=body.name)
    return await execute(request, ctx, add_account, command, body)


@router.post("/accounts/{code}/disable", status_code=200)
async def post_account_disable(code: AccountCode, request: Request, ctx: Clerk) -> JSONResponse:
    """Disable an unused account: 409 `account_in_use` if a posting rule uses it, it has a
    balance or an enabled sub-account; 404 for an unknown code."""
    command = DisableAccount(code=code)
    return await execute(request, ctx, disable_account, command, {"code": code}, status_code=200)


@router.get("/accounts")
async def get_accounts(
    request: Request,
    _: Viewer,
    paging: Paging,
    enabled: bool | None = None,
    parent: AccountCode | None = None,
    balance: bool = False,
) -> list[Any]:
    """科目表 in code order: `[{code, name, parent, builtin, enabled, balance?}]`; filters
    `enabled`, `parent`, `q` (code or name); `balance=true` adds each account's balance
    (debit − credit, its sub-accounts included)."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await books_queries.chart_of_accounts(
            conn, paging, enabled=enabled, parent=parent, with_balance=balance
        )
    listed: list[Any] = jsonable(rows)
    return listed


@router.post("/vouchers", status_code=201)
async def post_journal_voucher(body: VoucherIn, request: Request, ctx: Clerk) -> JSONResponse:
    """Post a journal voucher into an open month: `{voucher_id, voucher_number, date, memo,
    reverses, lines}`. 422 unless ≥ 2 one-sided lines balance on enabled posting accounts;
    409 `period_closed`."""
    command = PostVoucher(
        voucher_date=body.date,
        memo=body.memo,
        lines=tuple(
            VoucherLine(account=li.account, debit=li.debit, credit=li.credit, memo=li.memo)
            for li in body.lines
        ),
        voucher_id=body.voucher_id or uuid4(),
    )
    return await execute(request, ctx, post_voucher, command, body)


@router.post("/vouchers/{voucher_id}/reverse", status_code=201)
async def post_voucher_reversal(
    voucher_id: UUID, body: ReverseVoucherIn, request: Request, ctx: Clerk
) -> JSONResponse:
    """Reverse a voucher by a new voucher with its lines swapped, linked both ways: the new
    voucher as `POST /vouchers` answers. 409 `already_reversed`, `invalid_state` (a reversing
    voucher), `period_closed`; 404 unknown voucher."""
    command = ReverseVoucher(
        voucher_id=voucher_id,
        reason=body.reason,
        reversal_date=body.date,
        reversal_id=body.reversal_id or uuid4(),
    )
    return await execute(request, ctx, reverse_voucher, command, body)


@router.get("/vouchers")
async def get_vouchers(
    request: Request,
    _: Viewer,
    paging: Paging,
    period: Month | None = None,
    account: AccountCode | None = None,
) -> list[Any]:
    """Vouchers by date and number: `[{voucher_id, voucher_number, voucher_date, period, memo,
    total, reverses, reversed_by, reason, posted_by, recorded_at}]`; filters `period`,
    `account` (a line on it or a sub-account), `q` (number, memo, reason)."""
    async with runtime_of(request).engine.connect() as conn:
        rows = await books_queries.voucher_list(conn, paging, period=period, account=account)
    listed: list[Any] = jsonable(rows)
    return listed


@router.get("/vouchers/{voucher_id}")
async def get_voucher(voucher_id: UUID, request: Request, _: Viewer) -> dict[str, Any]:
    """One voucher with its `lines:[{line_no, account, debit, credit, memo}]`."""
    async with runtime_of(request).engine.connect() as conn:
        found = await books_queries.voucher_detail(conn, voucher_id)
    if found is None:
        raise NotFound("journal voucher", voucher_id)
    body: dict[str, Any] = jsonable(found)
    return body
