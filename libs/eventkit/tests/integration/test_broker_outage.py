"""Broker outages: commands keep succeeding, and every event arrives afterwards, once in effect."""

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit import EventStore, NewEvent
from eventkit.messaging.relay import KafkaTopicLog, OutboxRelay, kafka_producer_factory
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import create_service_topics
from eventkit.testing.tally import all_totals
from eventkit.uow import in_transaction

from .test_consumers import running_consumer, tally_consumer_outcomes

pytestmark = pytest.mark.integration


async def append_counted(engine: AsyncEngine, stream: str, n: int) -> None:
    store = EventStore()
    await in_transaction(
        engine, lambda conn: store.append(conn, [NewEvent(stream, "Counted", {"n": n})], {})
    )


async def wait_until(predicate: object, timeout: float = 60.0) -> bool:
    assert callable(predicate)
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.2)
    return False


async def test_appends_succeed_while_the_broker_is_down_and_every_event_arrives_once_after(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    broker = infra.broker
    if broker is None or not getattr(broker, "stoppable", True):
        pytest.skip("needs a broker this test can stop and restart on the same address")
    bootstrap = infra.kafka_bootstrap_servers
    relay = OutboxRelay(
        engine,
        service_name,
        kafka_producer_factory(bootstrap, enable_idempotence=False),
        idle_poll_seconds=0.05,
        broker_log=KafkaTopicLog(bootstrap, service_name),
    )
    stop = asyncio.Event()
    relay_task = asyncio.create_task(relay.run(stop))
    try:
        async with running_consumer(engine, infra, service_name) as host:
            for i in range(10):
                await append_counted(engine, f"acct-{i % 2}", 1)
            assert await wait_until(lambda: tally_consumer_outcomes(host, 10))

            broker.stop()
            # Commands keep succeeding while the broker is unreachable.
            for i in range(20):
                await append_counted(engine, f"acct-{i % 2}", 1)
            await asyncio.sleep(2.0)
            broker.start()
            # The local broker keeps topics in memory: it comes back empty, as after a crash.
            await create_service_topics(bootstrap, service_name)

            async def all_thirty_counted() -> bool:
                async with engine.connect() as conn:
                    return sum(row[1] for row in await all_totals(conn)) == 30

            assert await wait_until(all_thirty_counted, timeout=90)
            await asyncio.sleep(1.0)  # room for a second effect, were there one
    finally:
        stop.set()
        await relay_task
    async with engine.connect() as conn:
        assert await all_totals(conn) == [("acct-0", 15, 15), ("acct-1", 15, 15)]
        processed = await conn.scalar(text("SELECT count(*) FROM inbox"))
    assert processed == 30
    # The broker lost its log, so the relay re-seeded it from the first event.
    assert relay.reseeds >= 1
