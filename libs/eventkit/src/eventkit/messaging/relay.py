"""The outbox relay: publishes the service's events to `erp.<service>.events` in commit order.

The events table is the outbox (log tailing, see `eventkit.tailing`): every append is already
in the table in the same transaction as the state change. The relay reads committed events in
batches, sends them keyed by stream id (per-stream order = per-partition order), waits for the
broker's acks, and only then moves its checkpoint. A crash between ack and checkpoint re-sends
the batch: delivery is at-least-once and consumers are idempotent. While the broker is down the
relay backs off and retries the same batch; appends are unaffected.
Only one relay per service database works at a time: it holds a session advisory lock, and a
standby replica keeps trying to take it.

A broker that lost its log (the local Tansu broker keeps topics in memory; a topic deleted by
mistake in production) is re-seeded: whenever the relay (re)connects it compares the topic's
size with the number of events it ever had acked, and if the broker holds fewer — impossible
with infinite retention unless the log was lost — it republishes from the first event.
Consumers are idempotent, so the replay has no second effect anywhere.
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
from eventkit.messaging.topics import ensure_topics, topic_log_size
from eventkit.notify import commits
from eventkit.store.records import RecordedEvent
from eventkit.tailing import (
    Checkpoint,
    delivered_count,
    load_checkpoint,
    read_committed,
    reset_checkpoint,
    save_checkpoint,
)

log = get_logger(__name__)

ProducerFactory = Callable[[], AIOKafkaProducer]


class BrokerLog(Protocol):
    """What the relay asks of the broker besides publishing."""

    async def ensure_topic(self) -> None: ...
    async def size(self) -> int: ...


@dataclass(frozen=True)
class KafkaTopicLog:
    bootstrap_servers: str
    service: str
    namespace: str = NAMESPACE

    async def ensure_topic(self) -> None:
        await ensure_topics(self.bootstrap_servers, [self.service], namespace=self.namespace)

    async def size(self) -> int:
        topic = events_topic(self.service, self.namespace)
        return await topic_log_size(self.bootstrap_servers, topic)


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
    ) -> None:
        self.engine = engine
        self.service = service
        self.topic = events_topic(service, namespace)
        self.reader = f"relay:{self.topic}"
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self.batch_size = batch_size
        self.idle_poll_seconds = idle_poll_seconds
        self.published = 0
        self.broker_log = broker_log
        self.reseeds = 0

    async def run(self, stop: asyncio.Event) -> None:
        """Take the leader lock, then publish until `stop` is set."""
        async with self.engine.connect() as lock_conn:
            await self._become_leader(lock_conn, stop)
            try:
                await self._publish_until(stop)
            finally:
                await self._close_producer()

    async def _become_leader(self, conn: AsyncConnection, stop: asyncio.Event) -> None:
        key = relay_lock_key(self.service)
        while not stop.is_set():
            got = await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})
            await conn.commit()
            if got:
                log.info("relay_leader", topic=self.topic)
                return
            await _sleep_or_stop(stop, 2.0)

    async def _publish_until(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
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
        """Publish the next batch of committed events; return how many were sent."""
        async with self.engine.connect() as conn:
            checkpoint = await load_checkpoint(conn, self.reader)
            batch = await read_committed(conn, checkpoint, self.batch_size)
            await conn.commit()
        if not batch:
            return 0
        producer = await self._ensure_producer()
        futures = []
        for event in batch:
            envelope = to_envelope(event, self.service)
            futures.append(
                await producer.send(
                    self.topic,
                    encode(envelope),
                    key=event.stream_id.encode(),
                    headers=headers(envelope),
                )
            )
        await asyncio.gather(*futures)
        await self._acked(batch)
        self.published += len(batch)
        return len(batch)

    async def _acked(self, batch: list[RecordedEvent]) -> None:
        """The broker has the batch: move the checkpoint past it (a crash before this line
        means the batch is sent again — at-least-once)."""
        async with self.engine.begin() as conn:
            await save_checkpoint(conn, self.reader, Checkpoint.after(batch[-1]), len(batch))

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            await self._reseed_if_log_lost()
            producer = self._producer_factory()
            await producer.start()
            self._producer = producer
        return self._producer

    async def _reseed_if_log_lost(self) -> None:
        if self.broker_log is None:
            return
        await self.broker_log.ensure_topic()
        size = await self.broker_log.size()
        async with self.engine.begin() as conn:
            delivered = await delivered_count(conn, self.reader)
            if size < delivered:
                log.warning(
                    "broker_lost_log_republishing", topic=self.topic, held=size, delivered=delivered
                )
                await reset_checkpoint(conn, self.reader)
                self.reseeds += 1

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                await producer.stop()
            except Exception as error:  # noqa: BLE001 - closing a broken producer
                log.debug("producer_close_failed", error=repr(error))


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
