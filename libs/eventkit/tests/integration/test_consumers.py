"""The idempotent consumer over the real broker: redelivery, poison messages, the DLQ."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from erp_contracts.envelope import EventEnvelope
from erp_contracts.topics import dlq_topic, events_topic
from eventkit.messaging.envelopes import encode, headers
from eventkit.messaging.host import ConsumerHost
from eventkit.messaging.inbox import Outcome
from eventkit.messaging.relay import kafka_producer_factory
from eventkit.messaging.subscriptions import Subscription
from eventkit.projections.runner import ProjectionRunner
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import drain
from eventkit.testing.tally import TallyProjection, add_to_total, all_totals, totals

pytestmark = pytest.mark.integration


def envelope(stream: str, n: object, version: int, event_type: str = "Counted") -> EventEnvelope:
    now = datetime.now(UTC)
    return EventEnvelope(
        event_id=uuid4(),
        event_type=event_type,
        schema_version=1,
        stream_id=stream,
        stream_version=version,
        global_position=version,
        occurred_at=now,
        recorded_at=now,
        producer="upstream",
        payload={"n": n},
    )


async def count_into_tally(conn: AsyncConnection, event: EventEnvelope) -> None:
    n = event.payload["n"]
    if not isinstance(n, int):
        raise TypeError(f"n must be an integer, got {n!r}")
    await add_to_total(conn, event.stream_id, n)


@contextlib.asynccontextmanager
async def running_consumer(
    engine: AsyncEngine, infra: Infrastructure, service: str, batch_size: int = 1, lanes: int = 1
) -> AsyncIterator[ConsumerHost]:
    await ProjectionRunner(engine, TallyProjection()).ensure_schema()
    factory = kafka_producer_factory(infra.kafka_bootstrap_servers, enable_idempotence=False)
    host = ConsumerHost(
        engine,
        service,
        KafkaBroker(infra.kafka_bootstrap_servers, logger=None),
        factory,
        [
            Subscription(
                f"{service}-tally",
                (service,),
                {"Counted": count_into_tally},
                batch_size=batch_size,
                lanes=lanes,
            )
        ],
        max_attempts=2,
        retry_delay=0.01,
    )
    await host.start()
    try:
        yield host
    finally:
        await host.stop()


async def tally_consumer_outcomes(host: ConsumerHost, at_least: int) -> bool:
    (consumer,) = host.consumers
    return sum(consumer.outcomes.values()) >= at_least


async def publish(infra: Infrastructure, topic: str, *messages: EventEnvelope | bytes) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=infra.kafka_bootstrap_servers, enable_idempotence=False
    )
    await producer.start()
    try:
        for message in messages:
            if isinstance(message, bytes):
                await producer.send_and_wait(topic, message, key=b"poison")
            else:
                await producer.send_and_wait(
                    topic,
                    encode(message),
                    key=message.stream_id.encode(),
                    headers=headers(message),
                )
    finally:
        await producer.stop()


def expected_totals(events: list[EventEnvelope]) -> list[tuple[str, int, int]]:
    """(stream, total, count) per stream, as the tally holds them when each event counted once."""
    totals: dict[str, tuple[int, int]] = {}
    for e in events:
        total, count = totals.get(e.stream_id, (0, 0))
        totals[e.stream_id] = (total + e.payload["n"], count + 1)
    return [(stream, total, count) for stream, (total, count) in sorted(totals.items())]


async def wait_for_inbox(engine: AsyncEngine, expected: int, timeout: float = 30.0) -> int:
    deadline = asyncio.get_running_loop().time() + timeout
    seen = 0
    while asyncio.get_running_loop().time() < deadline:
        async with engine.connect() as conn:
            seen = int(await conn.scalar(text("SELECT count(*) FROM inbox")) or 0)
        if seen >= expected:
            return seen
        await asyncio.sleep(0.1)
    return seen


async def test_every_event_delivered_twice_gives_the_same_projection_as_once(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    events = [envelope(f"acct-{i % 3}", i, i + 1) for i in range(30)]
    topic = events_topic(service_name)
    async with running_consumer(engine, infra, service_name) as host:
        await publish(infra, topic, *events)
        await publish(infra, topic, *events)  # the whole stream redelivered
        (consumer,) = host.consumers
        for _ in range(300):
            if sum(consumer.outcomes.values()) >= 60:
                break
            await asyncio.sleep(0.1)
    assert consumer.outcomes[Outcome.PROCESSED] == 30
    assert consumer.outcomes[Outcome.DUPLICATE] == 30
    async with engine.connect() as conn:
        assert await all_totals(conn) == expected_totals(events)


async def test_a_poison_message_is_dead_lettered_with_its_error_and_later_events_still_count(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    topic = events_topic(service_name)
    before = envelope("s", 1, 1)
    handler_fails = envelope("s", "not-a-number", 2)
    after = envelope("s", 5, 3)
    async with running_consumer(engine, infra, service_name):
        await publish(infra, topic, before, b"{not an envelope", handler_fails, after)
        assert await wait_for_inbox(engine, 2) == 2
        async with engine.connect() as conn:
            for _ in range(100):
                total = await conn.scalar(select(func.sum(totals.c.total)))
                if total == 6:
                    break
                await asyncio.sleep(0.1)
    assert total == 6
    dead = await drain(infra.kafka_bootstrap_servers, dlq_topic(service_name), expect=2)
    reasons = sorted(dict(r.headers)["dlq_error_type"].decode() for r in dead)
    assert reasons == ["TypeError", "ValidationError"]
    failed = next(r for r in dead if dict(r.headers)["dlq_error_type"] == b"TypeError")
    assert b"not-a-number" in dict(failed.headers)["dlq_error"]
    assert dict(failed.headers)["dlq_attempts"] == b"2"
    assert dict(failed.headers)["dlq_source_topic"].decode() == topic
