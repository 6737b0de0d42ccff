"""The relay under faults: a broker that comes back empty is re-seeded even when the relay is
idle, and leadership follows the lock's connection — lost means step down, stopped means
released — with a checkpoint that never moves backwards."""

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from erp_contracts.topics import events_topic
from eventkit import EventStore, NewEvent
from eventkit.messaging.relay import (
    KafkaTopicLog,
    OutboxRelay,
    kafka_producer_factory,
    relay_lock_key,
)
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import create_service_topics, read_to_end
from eventkit.testing.service import eventually
from eventkit.uow import in_transaction

pytestmark = pytest.mark.integration


async def append(engine: AsyncEngine, n: int, prefix: str = "acct") -> None:
    store = EventStore()
    for i in range(n):
        await in_transaction(
            engine,
            lambda conn, i=i: store.append(
                conn, [NewEvent(f"{prefix}-{i % 4}", "Counted", {})], {}
            ),
        )


def new_relay(
    engine: AsyncEngine, infra: Infrastructure, service: str, log_check_seconds: float = 0.5
) -> OutboxRelay:
    bootstrap = infra.kafka_bootstrap_servers
    return OutboxRelay(
        engine,
        service,
        kafka_producer_factory(bootstrap, enable_idempotence=False),
        idle_poll_seconds=0.05,
        broker_log=KafkaTopicLog(bootstrap, service),
        log_check_seconds=log_check_seconds,
    )


@contextlib.asynccontextmanager
async def running(relay: OutboxRelay) -> AsyncIterator[asyncio.Event]:
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        yield stop
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def event_ids_on_topic(infra: Infrastructure, service: str) -> set[bytes]:
    records = await read_to_end(infra.kafka_bootstrap_servers, events_topic(service))
    return {dict(r.headers)["event_id"] for r in records}


async def stored_event_ids(engine: AsyncEngine, streams_like: str = "%") -> set[bytes]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT event_id::text FROM events WHERE stream_id LIKE :s"), {"s": streams_like}
        )
        return {row[0].encode() for row in rows}


async def test_a_broker_that_restarts_empty_is_reseeded_and_a_fresh_subscriber_reads_every_event(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    broker = infra.broker
    if broker is None or not getattr(broker, "stoppable", True):
        pytest.skip("needs a broker this test can stop and restart on the same address")
    relay = new_relay(engine, infra, service_name)
    async with running(relay):
        await append(engine, 30)
        assert await eventually(lambda: _published(relay, 30), timeout=30)
        broker.stop()
        broker.start()  # memory storage: the broker comes back with no topics at all
        # The relay is idle — nothing new is appended — and must still notice and re-seed.
        stored = await stored_event_ids(engine)

        async def all_back() -> bool:
            try:
                return await event_ids_on_topic(infra, service_name) == stored
            except TimeoutError:
                return False

        assert await eventually(all_back, timeout=60)
        # One more event after the re-seed: a fresh subscriber sees all 31.
        await append(engine, 1, prefix="late")
        stored = await stored_event_ids(engine)
        assert await eventually(all_back, timeout=30)
    assert len(stored) == 31
    assert relay.reseeds >= 1


async def test_a_relay_that_keeps_publishing_into_a_log_recreated_empty_still_reseeds_it(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    broker = infra.broker
    if broker is None or not getattr(broker, "stoppable", True):
        pytest.skip("needs a broker this test can stop and restart on the same address")
    relay = new_relay(engine, infra, service_name, log_check_seconds=3.0)
    async with running(relay):
        await append(engine, 30)
        assert await eventually(lambda: _published(relay, 30), timeout=30)
        broker.stop()
        broker.start()
        # As `erp up` does: the topics are re-created at once, so the relay's producer sends on
        # without ever failing, and new events flow into the new, empty log before the relay's
        # next check: its witness must still be a record of the lost log, not one of these.
        await create_service_topics(infra.kafka_bootstrap_servers, service_name)
        await append(engine, 8, prefix="after-restart")
        assert await eventually(lambda: _published(relay, 38), timeout=30)
        stored = await stored_event_ids(engine)

        async def all_back() -> bool:
            try:
                return await event_ids_on_topic(infra, service_name) == stored
            except TimeoutError:
                return False

        assert await eventually(all_back, timeout=60)
    assert relay.reseeds >= 1


async def _published(relay: OutboxRelay, at_least: int) -> bool:
    return relay.published >= at_least


async def lock_holder_pid(engine: AsyncEngine, service: str) -> int | None:
    key = relay_lock_key(service)
    async with engine.connect() as conn:
        pid = await conn.scalar(
            text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = CAST((CAST(:k AS bigint) >> 32) & 4294967295 AS oid)"
                " AND objid = CAST(CAST(:k AS bigint) & 4294967295 AS oid) AND objsubid = 1"
            ),
            {"k": key},
        )
    return int(pid) if pid is not None else None


async def relay_checkpoint(engine: AsyncEngine, reader: str) -> tuple[int, int]:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text(
                    "SELECT tx_id::text::bigint, global_position FROM tailing_checkpoints"
                    " WHERE reader = :r"
                ),
                {"r": reader},
            )
        ).first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


async def test_a_relay_that_loses_its_lock_connection_steps_down_and_its_checkpoint_never_goes_back(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    first, second = new_relay(engine, infra, service_name), new_relay(engine, infra, service_name)
    samples: list[tuple[int, int]] = []
    sampling = asyncio.Event()

    async def sample() -> None:
        while not sampling.is_set():
            samples.append(await relay_checkpoint(engine, first.reader))
            await asyncio.sleep(0.01)

    sampler = asyncio.create_task(sample())
    async with running(first):
        assert await eventually(lambda: _leading(first), timeout=10)
        async with running(second):
            await append(engine, 20)
            assert await eventually(lambda: _published(first, 20), timeout=30)
            assert second.published == 0  # a standby publishes nothing
            killed = await lock_holder_pid(engine, service_name)
            assert killed is not None
            async with engine.connect() as conn:
                await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": killed})

            async def new_holder() -> bool:
                return await lock_holder_pid(engine, service_name) not in (None, killed)

            # Whichever relay takes the lock next leads; the one whose session died noticed.
            assert await eventually(new_holder, timeout=15)
            await asyncio.sleep(0.5)
            assert [first.is_leader, second.is_leader].count(True) == 1
            before = (first.published, second.published)
            await append(engine, 40, prefix="after")
            assert await eventually(lambda: _published_together(first, second, sum(before) + 40))
            grew = [
                after - was
                for after, was in zip((first.published, second.published), before, strict=True)
            ]
            # Only the one leader published what was written after the takeover.
            assert sorted(grew) == [0, 40]
    sampling.set()
    await sampler
    backwards = [(a, b) for a, b in itertools.pairwise(samples) if b < a]
    assert backwards == []  # the checkpoint never moved backwards
    assert await event_ids_on_topic(infra, service_name) == await stored_event_ids(engine)


async def test_a_stopped_relay_releases_its_lock_so_a_standby_leads_at_once(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    first, second = new_relay(engine, infra, service_name), new_relay(engine, infra, service_name)
    async with running(first):
        assert await eventually(lambda: _leading(first), timeout=10)
    # The first relay's connection went back to the pool: it must not still hold the lock.
    assert await lock_holder_pid(engine, service_name) is None
    async with running(second):
        assert await eventually(lambda: _leading(second), timeout=10)
        await append(engine, 5)
        assert await eventually(lambda: _published(second, 5), timeout=30)


async def _published_together(a: OutboxRelay, b: OutboxRelay, at_least: int) -> bool:
    return a.published + b.published >= at_least


async def _leading(relay: OutboxRelay) -> bool:
    return relay.is_leader
