"""Running a sales command from HTTP: eventkit's command runner with the sales unit of work
and refusals (unknown ids → 404, bad input below the edge → 422, rules → 409). Requests sharing
an Idempotency-Key queue and replay the first answer (eventkit.http.idempotency)."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from eventkit import CommandContext
from eventkit.http.commands import execute_command, refusals_of, runtime_of
from sales.application.unit_of_work import SalesUnitOfWork
from sales.domain.errors import InvalidPrice, InvalidQuantity, NotFound, SalesError

__all__ = ["REFUSALS", "execute", "runtime_of"]

C = TypeVar("C")
Handler = Callable[[SalesUnitOfWork, C], Awaitable[dict[str, Any]]]

REFUSALS = refusals_of(SalesError, NotFound, (InvalidQuantity, InvalidPrice))


async def execute(
    request: Request,
    context: CommandContext,
    handler: Handler[C],
    command: C,
    body: BaseModel | dict[str, Any],
    *,
    status_code: int = 201,
) -> JSONResponse:
    return await execute_command(
        request,
        context,
        SalesUnitOfWork,
        REFUSALS,
        handler,
        command,
        body,
        status_code=status_code,
    )
