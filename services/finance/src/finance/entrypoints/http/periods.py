"""POST /periods/{yyyy-mm}/close (结账), POST /periods/{yyyy-mm}/reopen (反结账)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext
from eventkit.http import command_context
from eventkit.http.schemas import Month
from finance.application.commands import ClosePeriod, ReopenPeriod
from finance.application.periods import close_period, reopen_period
from finance.entrypoints.http.commands import execute
from finance.entrypoints.http.schemas import ReasonIn

router = APIRouter(tags=["periods"])
Clerk = Annotated[CommandContext, Depends(command_context("finance"))]
#: 反结账 is a finance admin's (role `finance_admin`, or `admin`), not every finance clerk's.
FinanceAdmin = Annotated[CommandContext, Depends(command_context("finance_admin"))]


@router.post("/periods/{period}/close", status_code=200)
async def post_period_close(period: Month, request: Request, ctx: Clerk) -> JSONResponse:
    """Close a month: documents dated in it are refused from now on (409 `period_closed`);
    other services' events dated in it are posted at the start of the next open month."""
    command = ClosePeriod(period=period)
    return await execute(request, ctx, close_period, command, {"period": period}, status_code=200)


@router.post("/periods/{period}/reopen", status_code=200)
async def post_period_reopen(
    period: Month, body: ReasonIn, request: Request, ctx: FinanceAdmin
) -> JSONResponse:
    """Reopen the latest closed month (finance admin, with a reason): it takes backdated
    documents again until it is closed anew. `{period, status: open, reason}`; 409
    `invalid_state` for a month that is open or not the latest closed one."""
    command = ReopenPeriod(period=period, reason=body.reason)
    request_body = {"period": period, "reason": body.reason}
    return await execute(request, ctx, reopen_period, command, request_body, status_code=200)
