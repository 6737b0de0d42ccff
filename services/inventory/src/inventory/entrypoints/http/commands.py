"""Running an inventory command from HTTP: unit of work, domain errors translated,
Idempotency-Key honoured, a command dated in a closed period refused, and stock arrivals
trigger backorder retries after the commit."""

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from fastapi import BackgroundTasks, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from eventkit import CommandContext
from eventkit.http.commands import execute_command, refusals_of, runtime_of
from inventory.application.backorders import retry_backorders
from inventory.application.periods import require_open_period
from inventory.application.unit_of_work import InventoryUnitOfWork
from inventory.domain.errors import (
    InvalidCost,
    InvalidQuantity,
    InvalidTimestamp,
    InventoryError,
    LotRequired,
    NotFound,
)

__all__ = ["REFUSALS", "execute", "runtime_of"]

C = TypeVar("C")
Handler = Callable[[InventoryUnitOfWork, C], Awaitable[dict[str, Any]]]

#: inventory refusals: unknown ids → 404, bad input found below the edge → 422, rules → 409.
REFUSALS = refusals_of(
    InventoryError, NotFound, (InvalidQuantity, InvalidCost, InvalidTimestamp, LotRequired)
)


async def execute(
    request: Request,
    context: CommandContext,
    handler: Handler[C],
    command: C,
    body: BaseModel | dict[str, Any],
    *,
    status_code: int = 201,
) -> JSONResponse:
    async def in_open_period(uow: InventoryUnitOfWork, cmd: C) -> dict[str, Any]:
        await require_open_period(uow, cmd)
        return await handler(uow, cmd)

    return await execute_command(
        request,
        context,
        InventoryUnitOfWork,
        REFUSALS,
        in_open_period,
        command,
        body,
        status_code=status_code,
    )


def retry_backorders_after(
    tasks: BackgroundTasks, request: Request, warehouse_id: str, skus: Iterable[str]
) -> None:
    """Stock arrived: once the response is sent, retry the orders waiting for these skus."""
    runtime = runtime_of(request)
    tasks.add_task(retry_backorders, runtime.engine, runtime.store, warehouse_id, list(skus))
