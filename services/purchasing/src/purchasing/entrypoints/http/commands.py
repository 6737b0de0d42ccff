"""Running a purchasing command from HTTP: unit of work, domain errors translated,
Idempotency-Key honoured; a refused command rolls back and writes nothing."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit import CommandContext
from eventkit.http import run_idempotent
from eventkit.http.errors import jsonable
from eventkit.runtime import ServiceRuntime
from purchasing.application.errors import domain_errors_translated
from purchasing.application.unit_of_work import PurchasingUnitOfWork

C = TypeVar("C")
Handler = Callable[[PurchasingUnitOfWork, C], Awaitable[dict[str, Any]]]


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def execute(
    request: Request,
    context: CommandContext,
    handler: Handler[C],
    command: C,
    body: BaseModel | dict[str, Any],
    *,
    status_code: int = 201,
) -> JSONResponse:
    runtime = runtime_of(request)

    async def work(conn: AsyncConnection) -> tuple[int, dict[str, Any]]:
        uow = PurchasingUnitOfWork(conn, runtime.store, context)
        async with domain_errors_translated():
            result = await handler(uow, command)
        await uow.save()
        return status_code, jsonable(result)

    key = context.idempotency_key
    scoped = f"{context.actor}:{request.method} {request.url.path}:{key}" if key else None
    request_body = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    result = await run_idempotent(
        runtime.engine, scoped, request_body, work, runtime.settings.command_max_retries
    )
    return JSONResponse(result.body, status_code=result.status_code)
