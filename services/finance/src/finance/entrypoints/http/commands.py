"""Running a finance command from HTTP: unit of work, domain errors translated,
Idempotency-Key honoured; a refused command rolls back and writes nothing."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from eventkit import CommandContext
from eventkit.http.commands import execute_command, refusals_of, runtime_of
from finance.application.unit_of_work import FinanceUnitOfWork
from finance.domain.errors import (
    FinanceError,
    InvalidAmount,
    InvalidInput,
    InvalidPeriod,
    NotFound,
)

__all__ = ["REFUSALS", "execute", "runtime_of"]

C = TypeVar("C")
Handler = Callable[[FinanceUnitOfWork, C], Awaitable[dict[str, Any]]]

#: finance refusals: unknown ids → 404, bad amounts found below the edge → 422, rules → 409.
REFUSALS = refusals_of(FinanceError, NotFound, (InvalidAmount, InvalidPeriod, InvalidInput))


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
        FinanceUnitOfWork,
        REFUSALS,
        handler,
        command,
        body,
        status_code=status_code,
    )
