"""The idempotent consumer (inbox).

For each message: decode the envelope, then in ONE database transaction record
`(consumer, event_id)` in `inbox` and run the handler's effects. A redelivered event finds its
inbox row and has no second effect. The caller acks (commits the Kafka offset) only after this
returns, i.e. after the database commit. A message that is not a valid envelope, or whose
handler keeps failing on a healthy database, is dead-lettered with its error and the consumer
moves on. An infrastructure failure (database unreachable, pool timeout, lost race) is never
the message's fault: the consumer waits and tries again, and after a while hands the message
back to the broker (nack) — it never reaches the DLQ.
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
from eventkit.failures import is_infrastructure_failure
from eventkit.logging import get_logger
from eventkit.messaging.dlq import FailedMessage
from eventkit.messaging.envelopes import decode
from eventkit.metrics import ServiceMetrics
from eventkit.store.errors import ConcurrencyError
from eventkit.store.locks import conflicting_streams
from eventkit.uow import unit_of_work

log = get_logger(__name__)

EventHandler = Callable[[AsyncConnection, EventEnvelope], Awaitable[None]]
#: The effects of several events at once, in their order (e.g. one append of all their copies).
BatchHandler = Callable[[AsyncConnection, list[EventEnvelope]], Awaitable[None]]
DeadLetter = Callable[[FailedMessage, BaseException, int], Awaitable[None]]
#: A message of a batch with its decoded envelope and handler.
_Item = tuple[FailedMessage, EventEnvelope, EventHandler]

_SEEN = text("SELECT 1 FROM inbox WHERE consumer = :c AND event_id = :e")
_RECORD = text(
    "INSERT INTO inbox (consumer, event_id) VALUES (:c, :e) ON CONFLICT DO NOTHING RETURNING 1"
)
_SEEN_ANY = text(
    "SELECT event_id FROM inbox WHERE consumer = :c AND event_id = ANY(CAST(:ids AS uuid[]))"
)
_RECORD_ALL = text(
    "INSERT INTO inbox (consumer, event_id) SELECT :c, unnest(CAST(:ids AS uuid[]))"
    " ON CONFLICT DO NOTHING RETURNING event_id"
)
_PING = text("SELECT 1")

#: Back-off while the database is unreachable or a race keeps being lost: never an attempt.
_FIRST_PAUSE, _LONGEST_PAUSE = 0.05, 2.0
#: After this long of infrastructure failures on one message, give it back to the broker
#: (nack: it is fetched again) instead of holding the partition inside one handler call.
_PATIENCE_SECONDS = 30.0


class InfrastructureUnavailable(Exception):
    """The database stayed unreachable while handling a message: redeliver it later."""


class _ProcessedConcurrently(Exception):
    """Another replica recorded this event while we handled it: roll our effects back."""


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
        metrics: ServiceMetrics | None = None,
        batch_handler: BatchHandler | None = None,
        lanes: int = 1,
    ) -> None:
        self.metrics = metrics
        self.engine = engine
        self.name = name
        self.handlers = dict(handlers)
        #: Used instead of the per-event handlers when a batch is handled together.
        self.batch_handler = batch_handler
        self._dead_letter = dead_letter
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.outcomes: Counter[Outcome] = Counter()
        #: Retries by reason: "infrastructure", "concurrency" (neither ever dead-letters) and
        #: "handler_error" (counts towards `max_attempts`).
        self.retries: Counter[str] = Counter()
        #: Transactions a batch is split into, by stream (`process_batch`).
        self.lanes = lanes
        #: Lanes of batches handled in one transaction (`process_batch`).
        self.batch_transactions = 0

    async def process(self, message: FailedMessage) -> Outcome:
        return self._count(await self._process(message))

    async def process_batch(self, messages: list[FailedMessage]) -> list[Outcome]:
        """Several messages in ONE inbox transaction per lane (one commit each, and the caller
        acks once). With `lanes` > 1 the batch is split by stream into that many transactions
        that run at once: one lane's statements run while the next lane's effects are prepared,
        and each stream's events stay in one lane, in their order.

        Anything that goes wrong in a lane — a handler error, a lost race, another replica that
        recorded one of the events meanwhile, the database — rolls that lane back, and its
        messages are then processed one at a time with every guarantee of `process`: so a
        poison message is dead-lettered alone and the others still count exactly once."""
        outcomes: list[Outcome] = []
        together: list[_Item] = []
        for message in messages:
            try:
                envelope = decode(message.value)
            except ValidationError:
                outcomes.append(await self.process(message))  # dead-lettered
                continue
            handler = self.handlers.get(envelope.event_type)
            if handler is None:
                outcomes.append(self._count(Outcome.IGNORED))
                continue
            together.append((message, envelope, handler))
        if len(together) < 2:
            return outcomes + [await self.process(message) for message, _, _ in together]
        lanes = _split_by_stream(together, self.lanes)
        for lane, handled in zip(lanes, await asyncio.gather(*map(self._lane, lanes)), strict=True):
            if handled is not None:
                outcomes += self._count_all(handled)
                continue
            outcomes += [await self.process(message) for message, _, _ in lane]
        return outcomes

    async def _lane(self, lane: list[_Item]) -> list[Outcome] | None:
        """One transaction for `lane`; None if it was rolled back."""
        try:
            handled = await self._handle_together([(e, h) for _, e, h in lane])
        except Exception as error:  # noqa: BLE001 - rolled back: one at a time instead
            log.info("batch_one_at_a_time", consumer=self.name, error=repr(error))
            return None
        self.batch_transactions += 1
        return handled

    def _count_all(self, outcomes: list[Outcome]) -> list[Outcome]:
        """`_count` for a batch: one metrics update per outcome, not per message."""
        tally = Counter(outcomes)
        self.outcomes.update(tally)
        if self.metrics is not None:
            for outcome, count in tally.items():
                self.metrics.record_inbox_outcome(self.name, outcome, count)
        return outcomes

    def _count(self, outcome: Outcome) -> Outcome:
        self.outcomes[outcome] += 1
        if self.metrics is not None:
            self.metrics.record_inbox_outcome(self.name, outcome)
        return outcome

    async def _handle_together(
        self, work: list[tuple[EventEnvelope, EventHandler]]
    ) -> list[Outcome]:
        ids = [envelope.event_id for envelope, _ in work]
        async with unit_of_work(self.engine) as conn:
            seen = set(await conn.scalars(_SEEN_ANY, {"c": self.name, "ids": ids}))
            outcomes, fresh = [], []
            for envelope, handler in work:
                if envelope.event_id in seen:  # handled before, or earlier in this batch
                    outcomes.append(Outcome.DUPLICATE)
                    continue
                seen.add(envelope.event_id)
                if self.batch_handler is None:
                    with acting_as(self._context(envelope)):
                        await handler(conn, envelope)
                fresh.append(envelope)
                outcomes.append(Outcome.PROCESSED)
            if self.batch_handler is not None and fresh:
                await self.batch_handler(conn, fresh)
            ids = [envelope.event_id for envelope in fresh]
            recorded = list(await conn.scalars(_RECORD_ALL, {"c": self.name, "ids": ids}))
            if len(recorded) != len(fresh):
                raise _ProcessedConcurrently
        return outcomes

    def _context(self, envelope: EventEnvelope) -> CommandContext:
        return CommandContext(
            actor=f"system:{self.name}",
            correlation_id=envelope.correlation_id or str(envelope.event_id),
            causation_id=str(envelope.event_id),
        )

    def _retrying(self, reason: str) -> None:
        self.retries[reason] += 1
        if self.metrics is not None:
            self.metrics.record_inbox_retry(self.name, reason)

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
        failures, pause = 0, _FIRST_PAUSE
        contended: list[str] = []
        started = asyncio.get_running_loop().time()
        while True:
            try:
                return await self._handle_once(envelope, handler, contended)
            except ConcurrencyError as error:
                # Lost a race on a stream: not the message's fault. Next time lock that stream
                # before anything else, so the retry cannot lose again to later writers.
                contended = sorted({*contended, *conflicting_streams(error)})
                self._retrying("concurrency")
            except Exception as error:
                if await self._is_infrastructure(error):
                    self._retrying("infrastructure")
                    log.warning(
                        "consumer_waiting_for_infrastructure",
                        consumer=self.name,
                        error=repr(error),
                        delay=pause,
                    )
                else:
                    failures += 1
                    self._retrying("handler_error")
                    if failures >= self.max_attempts:
                        await self._dead_letter(message, error, failures)
                        log.warning(
                            "dead_lettered",
                            consumer=self.name,
                            event_id=str(envelope.event_id),
                            event_type=envelope.event_type,
                            error=repr(error),
                        )
                        return Outcome.DEAD_LETTERED
                    await asyncio.sleep(self.retry_delay * failures)
                    continue
                if asyncio.get_running_loop().time() - started > _PATIENCE_SECONDS:
                    raise InfrastructureUnavailable(repr(error)) from error
            await asyncio.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)

    async def _is_infrastructure(self, error: BaseException) -> bool:
        """Infrastructure, or a failure that a healthy database would not have given: only
        the same error on a database that answers counts against the message."""
        if is_infrastructure_failure(error):
            return True
        try:
            async with self.engine.connect() as conn:
                await conn.execute(_PING)
        except Exception:  # noqa: BLE001 - any failure to answer means the database is down
            return True
        return False

    async def _handle_once(
        self, envelope: EventEnvelope, handler: EventHandler, lock_first: list[str]
    ) -> Outcome:
        key = {"c": self.name, "e": envelope.event_id}
        with acting_as(self._context(envelope)):
            try:
                async with unit_of_work(self.engine, lock_first) as conn:
                    # Look first, record last: the inbox row is written after the effects, so
                    # this transaction takes no transaction id before the handler has taken
                    # its stream locks (an early id loses every race against writers that
                    # queued on the same stream — a consumer starving behind HTTP writers).
                    if await conn.scalar(_SEEN, key) is not None:
                        return Outcome.DUPLICATE
                    await handler(conn, envelope)
                    await _record(conn, key)
            except _ProcessedConcurrently:
                return Outcome.DUPLICATE
        return Outcome.PROCESSED


def _split_by_stream(items: list[_Item], lanes: int) -> list[list[_Item]]:
    """`lanes` non-empty groups, each stream's events in one group and in their order."""
    split: list[list[_Item]] = [[] for _ in range(lanes)]
    for item in items:
        split[hash((item[1].producer, item[1].stream_id)) % lanes].append(item)
    return [lane for lane in split if lane]


async def _record(conn: AsyncConnection, key: dict[str, object]) -> None:
    if await conn.scalar(_RECORD, key) is None:
        raise _ProcessedConcurrently
