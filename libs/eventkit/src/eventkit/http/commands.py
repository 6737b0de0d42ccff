"""Running a service's command from HTTP, the same way in every service: one unit of work,
domain refusals translated to the HTTP error shapes, `Idempotency-Key` honoured. A refused
command rolls back and writes nothing."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.context import CommandContext
from eventkit.errors import BusinessRuleViolation, InvalidCommand, NotFound
from eventkit.http.errors import jsonable
from eventkit.http.idempotency import run_idempotent
from eventkit.repository import AggregateRepository
from eventkit.runtime import ServiceRuntime
from eventkit.store.event_store import EventStore

U = TypeVar("U", bound=AggregateRepository)
C = TypeVar("C")
Handler = Callable[[U, C], Awaitable[dict[str, Any]]]
UnitOfWorkFactory = Callable[[AsyncConnection, EventStore, CommandContext], U]
Refusals = Callable[[], AbstractAsyncContextManager[None]]


class DomainRefusal(Protocol):
    code: str
    message: str
    details: dict[str, object]


def refusals_of(
    base: type[Exception], not_found: type[Exception], input_errors: tuple[type[Exception], ...]
) -> Refusals:
    """A service's domain errors as kernel errors: `not_found` → 404, `input_errors` → 422,
    any other `base` → 409 with its stable `code`."""

    @asynccontextmanager
    async def translated() -> AsyncIterator[None]:
        try:
            yield
        except not_found as error:
            raise NotFound("resource", "", _refusal(error).message) from error
        except input_errors as error:
            refusal = _refusal(error)
            # A domain error that names its field (`details["field"]`: a name, or a path such
            # as ("lines", 0, "account")) is reported at it.
            field = getattr(refusal, "details", {}).get("field")
            path = tuple(field) if isinstance(field, tuple | list) else (str(field),)
            loc = ("body", *path) if field else ("body",)
            raise InvalidCommand(refusal.message, loc) from error
        except base as error:
            refusal = _refusal(error)
            raise BusinessRuleViolation(refusal.code, refusal.message, **refusal.details) from error

    return translated


def _refusal(error: Exception) -> DomainRefusal:
    refusal: Any = error
    return refusal  # type: ignore[no-any-return]


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def execute_command(
    request: Request,
    context: CommandContext,
    unit_of_work: UnitOfWorkFactory[U],
    refusals: Refusals,
    handler: Handler[U, C],
    command: C,
    body: BaseModel | dict[str, Any],
    *,
    status_code: int = 201,
) -> JSONResponse:
    runtime = runtime_of(request)

    async def work(conn: AsyncConnection) -> tuple[int, dict[str, Any]]:
        uow = unit_of_work(conn, runtime.store, context)
        async with refusals():
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
