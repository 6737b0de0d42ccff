"""The idempotent consumer (inbox).

For each message: decode the envelope, then in ONE database transaction record
`(consumer, event_id)` in `inbox` and run the handler's effects. A redelivered event finds its
inbox row and has no second effect. The caller acks (commits the Kafka offset) only after this
returns, i.e. after the database commit. A message that is not a valid envelope, or whose
handler keeps failing, is dead-lettered with its error and the consumer moves on.
"""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from enum import StrEnum

from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from erp_contracts.envelope import EventEnvelope
from eventkit.context import CommandContext, acting_as
from eventkit.logging import get_logger
from eventkit.messaging.dlq import FailedMessage
from eventkit.messaging.envelopes import decode
from eventkit.store.errors import ConcurrencyError
from eventkit.uow import unit_of_work

log = get_logger(__name__)

EventHandler = Callable[[AsyncConnection, EventEnvelope], Awaitable[None]]
DeadLetter = Callable[[FailedMessage, BaseException, int], Awaitable[None]]

_RECORD = text(
    "INSERT INTO inbox (consumer, event_id) VALUES (:c, :e) ON CONFLICT DO NOTHING RETURNING 1"
)


class Outcome(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    DEAD_LETTERED = "dead_lettered"


class InboxConsumer:
    def __init__(
        self,
        engine: AsyncEngine,
        name: str,
        handlers: Mapping[str, EventHandler],
        dead_letter: DeadLetter,
        max_attempts: int = 3,
        retry_delay: float = 0.2,
    ) -> None:
        self.engine = engine
        self.name = name
        self.handlers = dict(handlers)
        self._dead_letter = dead_letter
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.outcomes: Counter[Outcome] = Counter()

    async def process(self, message: FailedMessage) -> Outcome:
        outcome = await self._process(message)
        self.outcomes[outcome] += 1
        return outcome

    async def _process(self, message: FailedMessage) -> Outcome:
        try:
            envelope = decode(message.value)
        except ValidationError as error:
            await self._dead_letter(message, error, 1)
            log.warning("dead_lettered", consumer=self.name, reason="invalid_envelope")
            return Outcome.DEAD_LETTERED
        handler = self.handlers.get(envelope.event_type)
        if handler is None:
            return Outcome.IGNORED
        return await self._with_retries(message, envelope, handler)

    async def _with_retries(
        self, message: FailedMessage, envelope: EventEnvelope, handler: EventHandler
    ) -> Outcome:
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._handle_once(envelope, handler)
            except ConcurrencyError:
                # Lost an optimistic-concurrency race: not the message's fault, try again.
                attempt -= 1
                await asyncio.sleep(0.01)
            except Exception as error:  # noqa: BLE001 - any handler failure is an attempt
                if attempt >= self.max_attempts:
                    await self._dead_letter(message, error, attempt)
                    log.warning(
                        "dead_lettered",
                        consumer=self.name,
                        event_id=str(envelope.event_id),
                        event_type=envelope.event_type,
                        error=repr(error),
                    )
                    return Outcome.DEAD_LETTERED
                await asyncio.sleep(self.retry_delay * attempt)

    async def _handle_once(self, envelope: EventEnvelope, handler: EventHandler) -> Outcome:
        context = CommandContext(
            actor=f"system:{self.name}",
            correlation_id=envelope.correlation_id or str(envelope.event_id),
            causation_id=str(envelope.event_id),
        )
        with acting_as(context):
            async with unit_of_work(self.engine) as conn:
                first_time = await conn.scalar(_RECORD, {"c": self.name, "e": envelope.event_id})
                if first_time is None:
                    return Outcome.DUPLICATE
                await handler(conn, envelope)
        return Outcome.PROCESSED
