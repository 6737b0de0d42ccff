"""A service's relay publishes only the events its blueprint says it publishes (reporting keeps
copies of other services' events in its store; they must not come back out on its topic), and
its checkpoint still moves past the ones it keeps to itself."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit.messaging.relay import OutboxRelay, kafka_producer_factory
from eventkit.store.records import RecordedEvent
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import create_service_topics
from eventkit.testing.service import eventually

from .test_relay_faults import append, event_ids_on_topic, running, stored_event_ids

pytestmark = pytest.mark.integration


def own_events(event: RecordedEvent) -> bool:
    return not event.stream_id.startswith("copy-")


async def test_a_relay_publishes_only_what_its_service_publishes_and_moves_past_the_rest(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    await create_service_topics(infra.kafka_bootstrap_servers, service_name)
    relay = OutboxRelay(
        engine,
        service_name,
        kafka_producer_factory(infra.kafka_bootstrap_servers, enable_idempotence=False),
        batch_size=7,
        idle_poll_seconds=0.05,
        publishes=own_events,
    )
    await append(engine, 40, prefix="copy")  # more than a batch of nothing but copies first
    await append(engine, 12, prefix="own")
    await append(engine, 9, prefix="copy")
    async with running(relay):
        assert await eventually(lambda: _settled(relay, engine), timeout=30)
    everything = await stored_event_ids(engine)
    own = await stored_event_ids(engine, "own-%")
    assert len(everything) == 61
    assert await event_ids_on_topic(infra, service_name) == own
    assert relay.published == 12


async def _settled(relay: OutboxRelay, engine: AsyncEngine) -> bool:
    """The relay's checkpoint is past the last stored event."""
    async with engine.connect() as conn:
        checkpoint = await conn.scalar(
            text("SELECT global_position FROM tailing_checkpoints WHERE reader = :r"),
            {"r": relay.reader},
        )
        last = await conn.scalar(text("SELECT max(global_position) FROM events"))
    return checkpoint is not None and checkpoint >= last
