"""The inbox under faults: a database outage dead-letters nothing, and a consumer writing a hot
stream is not starved by HTTP-style writers queued on the same stream."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from erp_contracts.envelope import EventEnvelope
from erp_contracts.topics import dlq_topic, events_topic
from eventkit import EventStore, NewEvent
from eventkit.db import create_engine
from eventkit.messaging.host import ConsumerHost
from eventkit.messaging.inbox import Outcome
from eventkit.store.locks import lock_streams
from eventkit.testing.faults import TcpProxy, proxied_url, tcp_proxy
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import read_to_end
from eventkit.testing.tally import totals
from eventkit.uow import in_transaction

from .test_consumers import envelope, publish, running_consumer

pytestmark = pytest.mark.integration


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    server = make_url(database_url)
    async with tcp_proxy(server.host or "127.0.0.1", server.port or 5432) as running:
        yield running


async def counted(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.coalesce(func.sum(totals.c.events), 0))) or 0)


async def wait_for(engine: AsyncEngine, expected: int, timeout: float = 60.0) -> int:
    deadline = asyncio.get_running_loop().time() + timeout
    seen = 0
    while asyncio.get_running_loop().time() < deadline:
        seen = await counted(engine)
        if seen >= expected:
            break
        await asyncio.sleep(0.1)
    return seen


async def test_a_database_outage_dead_letters_nothing_and_every_message_counts_once_after(
    engine: AsyncEngine,
    database_url: str,
    proxy: TcpProxy,
    infra: Infrastructure,
    service_name: str,
) -> None:
    topic = events_topic(service_name)
    through_proxy = create_engine(proxied_url(database_url, proxy), pool_size=5)
    try:
        async with running_consumer(through_proxy, infra, service_name) as host:
            await publish(infra, topic, *[envelope(f"s{i % 3}", 1, i + 1) for i in range(5)])
            assert await wait_for(engine, 5) == 5
            # The database goes away for three seconds while ten more messages arrive.
            await proxy.cut()
            await publish(infra, topic, *[envelope(f"s{i % 3}", 1, i + 6) for i in range(10)])
            await asyncio.sleep(3.0)
            await proxy.restore()
            assert await wait_for(engine, 15) == 15
            await asyncio.sleep(0.5)  # room for a second effect, were there one
            (consumer,) = host.consumers
            assert consumer.outcomes[Outcome.DEAD_LETTERED] == 0
            assert consumer.retries["infrastructure"] > 0
    finally:
        await through_proxy.dispose()
    assert await counted(engine) == 15
    # What a fresh subscriber of the DLQ receives: nothing.
    assert await read_to_end(infra.kafka_bootstrap_servers, dlq_topic(service_name)) == []


HOT = "hot-stream"


async def write_hot_stream(engine: AsyncEngine, conn_work_done: asyncio.Event) -> int:
    """An HTTP command's shape: take the stream's writer lock, then append (the transaction
    takes its id only at the append, after the lock)."""
    store, written = EventStore(), 0

    async def one(conn: AsyncConnection) -> None:
        await lock_streams(conn, [HOT])
        await store.append(conn, [NewEvent(HOT, "Written", {})], {})

    while not conn_work_done.is_set():
        await in_transaction(engine, one, retries=50)
        written += 1
    return written


async def append_to_hot_stream(conn: AsyncConnection, event: EventEnvelope) -> None:
    await lock_streams(conn, [HOT])
    await EventStore().append(conn, [NewEvent(HOT, "Consumed", {"of": str(event.event_id)})], {})


async def test_a_consumer_writing_a_hot_stream_is_not_starved_by_queued_writers(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    done = asyncio.Event()
    writers = [asyncio.create_task(write_hot_stream(engine, done)) for _ in range(8)]
    host: ConsumerHost | None = None
    try:
        async with running_consumer(engine, infra, service_name) as host:
            (consumer,) = host.consumers
            consumer.handlers["Hot"] = append_to_hot_stream
            await asyncio.sleep(0.5)  # the writers are queueing on the stream
            await publish(infra, events_topic(service_name), envelope("e", 1, 1, "Hot"))
            deadline = asyncio.get_running_loop().time() + 20
            while asyncio.get_running_loop().time() < deadline:
                if consumer.outcomes[Outcome.PROCESSED]:
                    break
                await asyncio.sleep(0.05)
            # Consumed while the writers were still writing, after at most one lost race.
            assert consumer.outcomes[Outcome.PROCESSED] == 1
            assert consumer.retries["concurrency"] <= 1
    finally:
        done.set()
        written = sum(await asyncio.gather(*writers))
    assert written > 0
    async with engine.connect() as conn:
        consumed = await conn.scalar(
            text("SELECT count(*) FROM events WHERE stream_id = :s AND event_type = 'Consumed'"),
            {"s": HOT},
        )
    assert consumed == 1
