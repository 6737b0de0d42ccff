"""Gap safety: a transaction that took an earlier position but commits later is never skipped."""

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit import NO_STREAM, EventStore, NewEvent
from eventkit.messaging.envelopes import decode
from eventkit.messaging.relay import OutboxRelay, kafka_producer_factory
from eventkit.tailing import Checkpoint, read_committed
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import drain

pytestmark = pytest.mark.integration


async def test_a_late_committing_earlier_position_is_not_skipped_by_the_reader(
    engine: AsyncEngine,
) -> None:
    store = EventStore()
    slow = await engine.connect()
    slow_tx = await slow.begin()
    # The slow transaction takes the earlier position first...
    (early,) = await store.append(slow, [NewEvent("slow", "Counted", {"n": 1})], {"slow": 0})
    # ...a fast one takes a later position and commits.
    async with engine.begin() as fast:
        (late,) = await store.append(fast, [NewEvent("fast", "Counted", {"n": 2})], {"fast": 0})
    assert early < late
    async with engine.connect() as reader:
        # While the slow one is open, the reader holds back rather than pass over it.
        visible = await read_committed(reader, Checkpoint(), 100)
        assert [e.stream_id for e in visible] == []
    await slow_tx.commit()
    await slow.close()
    async with engine.connect() as reader:
        visible = await read_committed(reader, Checkpoint(), 100)
    assert sorted(e.stream_id for e in visible) == ["fast", "slow"]


async def test_the_relay_publishes_an_event_whose_transaction_committed_after_a_later_one(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    store = EventStore()
    relay = OutboxRelay(
        engine,
        service_name,
        kafka_producer_factory(infra.kafka_bootstrap_servers, enable_idempotence=False),
    )
    slow = await engine.connect()
    slow_tx = await slow.begin()
    await store.append(slow, [NewEvent("slow", "Counted", {"n": 1})], {"slow": NO_STREAM})
    async with engine.begin() as fast:
        await store.append(fast, [NewEvent("fast", "Counted", {"n": 2})], {"fast": NO_STREAM})
    published_while_open = await relay.publish_batch()
    await slow_tx.commit()
    await slow.close()
    published_after = 0
    for _ in range(10):
        published_after += await relay.publish_batch()
        if published_after >= 2:
            break
        await asyncio.sleep(0.05)
    await relay._close_producer()
    assert published_while_open == 0
    assert published_after == 2
    records = await drain(infra.kafka_bootstrap_servers, relay.topic, expect=2)
    assert sorted(decode(r.value).stream_id for r in records) == ["fast", "slow"]


async def test_a_stream_written_after_our_transaction_id_was_taken_forces_a_retry(
    engine: AsyncEngine,
) -> None:
    """Per-stream order in commit order: a writer whose transaction id predates the stream's
    last writer must retry, so tailing readers never see version n+1 before version n."""
    from sqlalchemy import text

    from eventkit import ConcurrencyError

    store = EventStore()
    early = await engine.connect()
    early_tx = await early.begin()
    await early.execute(text("SELECT pg_current_xact_id()"))  # takes its id now
    async with engine.begin() as other:
        await store.append(other, [NewEvent("s", "Counted", {"n": 1})], {"s": NO_STREAM})
    with pytest.raises(ConcurrencyError):
        await store.append(early, [NewEvent("s", "Counted", {"n": 2})], {"s": 1})
    await early_tx.rollback()
    await early.close()
