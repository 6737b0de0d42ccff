"""A relay that dies after the broker acked but before it saved its checkpoint re-sends the
batch when it comes back; consumers see every event twice and apply it once."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from erp_contracts.topics import events_topic
from eventkit import EventStore, NewEvent
from eventkit.messaging.relay import LogMark, OutboxRelay, kafka_producer_factory
from eventkit.store.records import RecordedEvent
from eventkit.tailing import Checkpoint
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import drain
from eventkit.testing.service import eventually
from eventkit.testing.tally import all_totals

from .test_consumers import running_consumer

pytestmark = pytest.mark.integration


class CrashBeforeCheckpoint(RuntimeError):
    pass


class RelayThatDiesAfterTheAck(OutboxRelay):
    async def _acked(
        self, start: Checkpoint, batch: list[RecordedEvent], mark: LogMark | None = None
    ) -> None:
        raise CrashBeforeCheckpoint


async def test_a_relay_crash_after_the_ack_resends_and_consumers_apply_each_event_once(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    store = EventStore()
    for i in range(12):
        async with engine.begin() as conn:
            await store.append(conn, [NewEvent(f"acct-{i % 3}", "Counted", {"n": 1})], {})
    factory = kafka_producer_factory(infra.kafka_bootstrap_servers, enable_idempotence=False)
    crashing = RelayThatDiesAfterTheAck(engine, service_name, factory)
    with pytest.raises(CrashBeforeCheckpoint):
        await crashing.publish_batch()  # sent and acked, checkpoint never written
    await crashing._close_producer()
    restarted = OutboxRelay(engine, service_name, factory)
    assert await restarted.publish_batch() == 12  # the whole batch again
    await restarted._close_producer()

    records = await drain(infra.kafka_bootstrap_servers, events_topic(service_name), expect=24)
    assert len(records) == 24
    async with running_consumer(engine, infra, service_name):

        async def all_applied() -> bool:
            async with engine.connect() as conn:
                return int(await conn.scalar(text("SELECT count(*) FROM inbox")) or 0) == 12

        assert await eventually(all_applied)
    async with engine.connect() as conn:
        assert [row[1:] for row in await all_totals(conn)] == [(4, 4), (4, 4), (4, 4)]
