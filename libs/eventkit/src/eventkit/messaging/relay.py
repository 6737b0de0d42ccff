"""The outbox relay: publishes the service's events to `erp.<service>.events` in commit order.

The events table is the outbox (log tailing, see `eventkit.tailing`): every append is already
in the table in the same transaction as the state change. The relay reads committed events in
batches, sends them keyed by stream id (per-stream order = per-partition order), waits for the
broker's acks, and only then moves its checkpoint. A crash between ack and checkpoint re-sends
the batch: delivery is at-least-once and consumers are idempotent. While the broker is down the
relay backs off and retries the same batch; appends are unaffected.
Only one relay per service database works at a time: it holds a session advisory lock on a
connection of its own, checks that connection before every batch and steps down the moment it
is lost (a standby replica keeps trying to take the lock). Its checkpoint only moves by
compare-and-set from the position the batch was read at, so a relay that lost its lock while
publishing can never move the checkpoint backwards over the new leader's.

A broker that lost its log (the local Tansu broker keeps topics in memory; a topic deleted by
mistake in production) is re-seeded: the relay keeps a mark — partition, offset and event id of
the FIRST record the broker acked since the log was (re)seeded — and when it connects, and every
`log_check_seconds` while it runs (idle or not), it fetches that record again. If the broker no
longer has it there (with infinite retention, only a lost log does that), the relay republishes
from the first event. Consumers are idempotent, so the replay has no second effect anywhere. (A
topic's size is no witness: some brokers — the local one among them — report end offsets per
batch, not per record.)
"""

import asyncio
import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from erp_contracts.topics import NAMESPACE, events_topic
from eventkit.logging import get_logger
from eventkit.messaging.envelopes import encode, headers, to_envelope
from eventkit.messaging.topics import ensure_topics, log_holds_record, recreate_if_misshapen
from eventkit.metrics import ServiceMetrics
from eventkit.notify import commits
from eventkit.store.records import RecordedEvent
from eventkit.tailing import (
    Checkpoint,
    advance_checkpoint,
    ensure_checkpoint,
    load_checkpoint,
    load_log_mark,
    read_committed,
    read_heads,
    read_positions,
    reset_checkpoint,
)

log = get_logger(__name__)

ProducerFactory = Callable[[], AIOKafkaProducer]
#: Which of the store's events go out on the service's topic. It decides on the event's head
#: (stream, type, positions): the payload it is given is empty, and only the events it lets
#: through are read whole.
PublishFilter = Callable[[RecordedEvent], bool]


def publish_everything(event: RecordedEvent) -> bool:  # noqa: ARG001 - the default filter
    return True


@dataclass(frozen=True)
class LogMark:
    """The first record the broker acked (kept until a re-seed): if it is no longer at its
    place, the log was lost. Not the last one: a relay that keeps publishing into a log that
    was lost and re-created would move a last-record mark into the new log and never notice."""

    partition: int
    offset: int
    event_id: str

    @classmethod
    def of(cls, stored: dict[str, Any] | None) -> "LogMark | None":
        if not stored:
            return None
        return cls(int(stored["partition"]), int(stored["offset"]), str(stored["event_id"]))

    def as_dict(self) -> dict[str, object]:
        return {"partition": self.partition, "offset": self.offset, "event_id": self.event_id}


class BrokerLog(Protocol):
    """What the relay asks of the broker besides publishing."""

    async def ensure_topic(self) -> None: ...
    async def holds(self, mark: LogMark) -> bool: ...
    async def repair_lost(self) -> bool: ...


@dataclass(frozen=True)
class KafkaTopicLog:
    bootstrap_servers: str
    service: str
    namespace: str = NAMESPACE

    async def ensure_topic(self) -> None:
        await ensure_topics(self.bootstrap_servers, [self.service], namespace=self.namespace)

    async def repair_lost(self) -> bool:
        """After a lost log: the topic must have our partition count again (see topics.py)."""
        return await recreate_if_misshapen(
            self.bootstrap_servers, events_topic(self.service, self.namespace)
        )

    async def holds(self, mark: LogMark) -> bool:
        topic = events_topic(self.service, self.namespace)
        return await log_holds_record(
            self.bootstrap_servers, topic, mark.partition, mark.offset, mark.event_id
        )


def relay_lock_key(service: str) -> int:
    digest = hashlib.sha256(f"erp-relay:{service}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        service: str,
        producer_factory: ProducerFactory,
        batch_size: int = 500,
        idle_poll_seconds: float = 0.2,
        broker_log: BrokerLog | None = None,
        namespace: str = NAMESPACE,
        log_check_seconds: float = 5.0,
        metrics: ServiceMetrics | None = None,
        publishes: PublishFilter = publish_everything,
    ) -> None:
        self.metrics = metrics
        self.publishes = publishes
        self.engine = engine
        self.service = service
        self.topic = events_topic(service, namespace)
        self.reader = f"relay:{self.topic}"
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self.batch_size = batch_size
        self.idle_poll_seconds = idle_poll_seconds
        self.log_check_seconds = log_check_seconds
        self.published = 0
        self.broker_log = broker_log
        self.reseeds = 0
        self.is_leader = False
        self._log_checked_at = -1e9

    async def run(self, stop: asyncio.Event) -> None:
        """Lead (or stand by) and publish until `stop` is set; a lost lock means stand by and
        try again, a database that is down means wait and try again."""
        pause = 0.2
        while not stop.is_set():
            try:
                await self._lead_once(stop)
                pause = 0.2
            except Exception as error:  # noqa: BLE001 - DB blip while taking the lock: retry
                log.warning("relay_leadership_retrying", topic=self.topic, error=repr(error))
                await _sleep_or_stop(stop, pause)
                pause = min(pause * 2, 5.0)

    async def _lead_once(self, stop: asyncio.Event) -> None:
        async with self.engine.connect() as lock_conn:
            if not await self._become_leader(lock_conn, stop):
                return
            try:
                await self._publish_while_leader(lock_conn, stop)
            finally:
                self.is_leader = False
                await self._close_producer()
                await _release(lock_conn, relay_lock_key(self.service))

    async def _become_leader(self, conn: AsyncConnection, stop: asyncio.Event) -> bool:
        key = relay_lock_key(self.service)
        while not stop.is_set():
            got = await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
            await conn.commit()
            if got:
                log.info("relay_leader", topic=self.topic)
                self.is_leader = True
                return True
            await _sleep_or_stop(stop, 2.0)
        return False

    async def _publish_while_leader(self, lock_conn: AsyncConnection, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            if not await _still_holds_lock(lock_conn):
                log.warning("relay_lost_leadership", topic=self.topic)
                return
            try:
                sent = await self.publish_batch()
                backoff = 0.2
            except Exception as error:  # noqa: BLE001 - broker/DB failure: back off, retry
                log.warning("relay_retrying", topic=self.topic, error=repr(error), delay=backoff)
                await self._close_producer()
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if sent < self.batch_size:
                await commits.wait(self.idle_poll_seconds)

    async def publish_batch(self) -> int:
        """Publish the next batch of committed events; return how many the checkpoint passed
        (sent, or passed over as not published)."""
        await self._check_log_now_and_then()
        producer = await self._ensure_producer()
        async with self.engine.connect() as conn:
            start = await load_checkpoint(conn, self.reader)
            batch, outgoing = await self._read_outgoing(conn, start)
            await conn.commit()
        if not batch:
            return 0
        mark = await self._send(producer, outgoing) if outgoing else None
        await self._acked(start, batch, mark)
        self.published += len(outgoing)
        if self.metrics is not None and outgoing:
            self.metrics.record_relay_published(len(outgoing))
        return len(batch)

    async def _read_outgoing(
        self, conn: AsyncConnection, start: Checkpoint
    ) -> tuple[list[RecordedEvent], list[RecordedEvent]]:
        """The next batch, and the events of it to send. Events the service keeps to itself
        (reporting's copies of what it consumed) are passed over — the checkpoint still moves
        past them — and decided on their heads: their payloads are never read."""
        if self.publishes is publish_everything:
            batch = await read_committed(conn, start, self.batch_size)
            return batch, batch
        heads = await read_heads(conn, start, self.batch_size)
        wanted = [head.global_position for head in heads if self.publishes(head)]
        return heads, await read_positions(conn, wanted) if wanted else []

    async def _send(self, producer: AIOKafkaProducer, events: list[RecordedEvent]) -> LogMark:
        """Send and wait for every ack; the first record acked marks the log (`LogMark`)."""
        futures = []
        for event in events:
            envelope = to_envelope(event, self.service)
            futures.append(
                await producer.send(
                    self.topic,
                    encode(envelope),
                    key=event.stream_id.encode(),
                    headers=headers(envelope),
                )
            )
        acks = await asyncio.gather(*futures)
        first = acks[0]
        return LogMark(first.partition, first.offset, str(events[0].event_id))

    async def _acked(
        self, start: Checkpoint, batch: list[RecordedEvent], mark: LogMark | None = None
    ) -> None:
        """The broker has the batch: move the checkpoint past it (a crash before this line
        means the batch is sent again — at-least-once). Compare-and-set: if the checkpoint moved
        meanwhile (a reset to re-seed the broker, a new leader) ours is stale and dropped."""
        async with self.engine.begin() as conn:
            await ensure_checkpoint(conn, self.reader)
            moved = await advance_checkpoint(
                conn,
                self.reader,
                start,
                Checkpoint.after(batch[-1]),
                len(batch),
                mark.as_dict() if mark else None,
            )
        if not moved:
            log.warning("relay_checkpoint_moved_meanwhile", topic=self.topic)

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._producer_factory()
            await producer.start()
            self._producer = producer
        return self._producer

    async def _check_log_now_and_then(self) -> None:
        """An idle relay must notice a lost log too, and a producer can reconnect to a
        restarted broker without ever failing: check on a clock, not only on errors."""
        now = asyncio.get_running_loop().time()
        if now - self._log_checked_at >= self.log_check_seconds:
            await self._reseed_if_log_lost()

    async def _reseed_if_log_lost(self) -> None:
        self._log_checked_at = asyncio.get_running_loop().time()
        if self.broker_log is None:
            return
        await self.broker_log.ensure_topic()
        async with self.engine.connect() as conn:
            mark = LogMark.of(await load_log_mark(conn, self.reader))
            await conn.commit()
        if mark is None or await self.broker_log.holds(mark):
            return  # nothing acked yet, or the last acked record is still where it was put
        log.warning("broker_lost_log_republishing", topic=self.topic, missing=mark.as_dict())
        if await self.broker_log.repair_lost():
            log.warning("broker_topic_recreated", topic=self.topic)
        # A fresh producer: the old one may hold the lost topic's partition layout.
        await self._close_producer()
        async with self.engine.begin() as conn:
            await reset_checkpoint(conn, self.reader)
        self.reseeds += 1
        if self.metrics is not None:
            self.metrics.record_relay_reseed()

    async def _close_producer(self) -> None:
        """Drop the producer; the next batch checks the broker's log before it reconnects."""
        self._log_checked_at = -1e9
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                await producer.stop()
            except Exception as error:  # noqa: BLE001 - closing a broken producer
                log.debug("producer_close_failed", error=repr(error))


async def _still_holds_lock(conn: AsyncConnection) -> bool:
    """The lock lives as long as its connection's session: if the connection answers, we hold
    it (pg_terminate_backend, an idle timeout or a network cut all kill the session)."""
    try:
        await conn.execute(text("SELECT 1"))
        await conn.commit()
    except Exception:  # noqa: BLE001 - any failure means the session, and the lock, are gone
        return False
    return True


async def _release(conn: AsyncConnection, key: int) -> None:
    """Give the lock back before the connection returns to the pool (a pooled connection would
    otherwise keep holding it, and no relay could lead again); a dead one is thrown away."""
    try:
        await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
        await conn.commit()
    except Exception:  # noqa: BLE001 - the session is gone, and its lock with it
        await conn.invalidate()


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def kafka_producer_factory(
    bootstrap_servers: str, enable_idempotence: bool, **extra: Any
) -> ProducerFactory:
    def make() -> AIOKafkaProducer:
        return AIOKafkaProducer(
            bootstrap_servers=bootstrap_servers,
            enable_idempotence=enable_idempotence,
            acks="all",
            linger_ms=2,
            request_timeout_ms=10_000,
            **extra,
        )

    return make
