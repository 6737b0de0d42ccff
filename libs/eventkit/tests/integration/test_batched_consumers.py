"""A subscription that takes its messages in batches (`Subscription.batch_size`): one inbox
transaction and one offset commit per batch, with exactly the guarantees of one at a time —
redelivered events have no second effect, a poison message is dead-lettered alone and the good
messages around it count once. Split into lanes (`Subscription.lanes`: one transaction per
group of streams, at once), the same holds."""

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from erp_contracts.topics import dlq_topic, events_topic
from eventkit.messaging.inbox import Outcome
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import drain
from eventkit.testing.tally import all_totals, totals

from .test_consumers import (
    envelope,
    expected_totals,
    publish,
    running_consumer,
    wait_for_inbox,
)

pytestmark = pytest.mark.integration


async def test_a_batched_consumer_applies_each_event_once_across_redelivery(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    events = [envelope(f"acct-{i % 3}", i, i + 1) for i in range(200)]
    topic = events_topic(service_name)
    async with running_consumer(engine, infra, service_name, batch_size=100) as host:
        await publish(infra, topic, *events)
        await publish(infra, topic, *events[:120])  # most of the stream redelivered
        (consumer,) = host.consumers
        for _ in range(300):
            if sum(consumer.outcomes.values()) >= 320:
                break
            await asyncio.sleep(0.1)
    assert consumer.outcomes[Outcome.PROCESSED] == 200
    assert consumer.outcomes[Outcome.DUPLICATE] == 120
    # It did batch: far fewer inbox transactions than messages.
    assert 0 < consumer.batch_transactions < 100
    async with engine.connect() as conn:
        assert await all_totals(conn) == expected_totals(events)


async def test_a_poison_message_in_a_batch_is_dead_lettered_alone(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    topic = events_topic(service_name)
    good = [envelope("s", n, n) for n in range(1, 21)]  # 1 + … + 20 = 210
    handler_fails = envelope("s", "not-a-number", 21)
    async with running_consumer(engine, infra, service_name, batch_size=50):
        await publish(infra, topic, *good[:10], b"{not an envelope", handler_fails, *good[10:])
        assert await wait_for_inbox(engine, 20) == 20
        async with engine.connect() as conn:
            for _ in range(100):
                total = await conn.scalar(select(func.sum(totals.c.total)))
                if total == 210:
                    break
                await asyncio.sleep(0.1)
    assert total == 210
    dead = await drain(infra.kafka_bootstrap_servers, dlq_topic(service_name), expect=2)
    reasons = sorted(dict(r.headers)["dlq_error_type"].decode() for r in dead)
    assert reasons == ["TypeError", "ValidationError"]


async def test_lanes_keep_every_guarantee_and_a_poison_lane_falls_back_alone(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    topic = events_topic(service_name)
    # Eight streams, so both lanes get some; then the whole stream is redelivered.
    events = [envelope(f"acct-{i % 8}", i, i // 8 + 1) for i in range(160)]
    handler_fails = envelope("acct-3", "not-a-number", 21)
    async with running_consumer(engine, infra, service_name, batch_size=100, lanes=2) as host:
        await publish(infra, topic, *events[:80], handler_fails, *events[80:], *events)
        (consumer,) = host.consumers
        for _ in range(300):
            if sum(consumer.outcomes.values()) >= 321:
                break
            await asyncio.sleep(0.1)
    assert consumer.outcomes[Outcome.PROCESSED] == 160
    assert consumer.outcomes[Outcome.DUPLICATE] == 160
    assert consumer.outcomes[Outcome.DEAD_LETTERED] == 1
    assert consumer.batch_transactions > 0
    async with engine.connect() as conn:
        assert await all_totals(conn) == expected_totals(events)
    dead = await drain(infra.kafka_bootstrap_servers, dlq_topic(service_name), expect=1)
    assert [dict(r.headers)["dlq_error_type"].decode() for r in dead] == ["TypeError"]
