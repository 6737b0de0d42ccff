"""Per-request command context: actor from the token, correlation id from the caller or new."""

from collections.abc import AsyncIterator, Callable
from typing import Annotated
from uuid import uuid4

from fastapi import Depends, Header

from eventkit.context import CommandContext, acting_as
from eventkit.http.auth import Principal, require_role


def command_context(role: str) -> Callable[..., AsyncIterator[CommandContext]]:
    """Dependency for command endpoints: checks `role`, yields the context they act in."""

    async def context(
        principal: Annotated[Principal, Depends(require_role(role))],
        x_correlation_id: Annotated[str | None, Header()] = None,
        idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
    ) -> AsyncIterator[CommandContext]:
        ctx = CommandContext(
            actor=principal.actor,
            correlation_id=x_correlation_id or str(uuid4()),
            idempotency_key=idempotency_key,
        )
        with acting_as(ctx):
            yield ctx

    return context
