"""POST /periods/{yyyy-mm}/close (结账)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from eventkit import CommandContext
from eventkit.http import command_context
from eventkit.http.schemas import Month
from finance.application.commands import ClosePeriod
from finance.application.periods import close_period
from finance.entrypoints.http.commands import execute

router = APIRouter(tags=["periods"])
Clerk = Annotated[CommandContext, Depends(command_context("finance"))]


@router.post("/periods/{period}/close", status_code=200)
async def post_period_close(period: Month, request: Request, ctx: Clerk) -> JSONResponse:
    """Close a month: documents dated in it are refused from now on (409 `period_closed`);
    other services' events dated in it are posted at the start of the next open month."""
    command = ClosePeriod(period=period)
    return await execute(request, ctx, close_period, command, {"period": period}, status_code=200)
