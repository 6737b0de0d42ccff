"""Who is acting and why: carried through a request or a consumed event into event metadata
and log lines."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from uuid import uuid4

import structlog

from eventkit.store.records import EventMetadata


@dataclass(frozen=True, slots=True)
class CommandContext:
    actor: str = "system"
    correlation_id: str = ""
    causation_id: str | None = None
    idempotency_key: str | None = None

    def metadata(self, producer: str) -> EventMetadata:
        return EventMetadata(
            correlation_id=self.correlation_id or None,
            causation_id=self.causation_id,
            actor=self.actor,
            producer=producer,
            idempotency_key=self.idempotency_key,
        )


_current: ContextVar[CommandContext | None] = ContextVar("erp_command_context", default=None)


def current_context() -> CommandContext:
    """The context of the request or event being handled (a fresh system one otherwise)."""
    return _current.get() or CommandContext(correlation_id=str(uuid4()))


@contextmanager
def acting_as(context: CommandContext) -> Iterator[CommandContext]:
    if not context.correlation_id:
        context = replace(context, correlation_id=str(uuid4()))
    token = _current.set(context)
    with structlog.contextvars.bound_contextvars(
        correlation_id=context.correlation_id,
        causation_id=context.causation_id,
        actor=context.actor,
    ):
        try:
            yield context
        finally:
            _current.reset(token)
