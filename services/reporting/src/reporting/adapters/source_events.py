"""Reporting's durable copy of what it consumed: every public event of the four services is
appended, unchanged, to reporting's own event store as stream `source-<producer>-<stream id>`.

The copy keeps the event's id, type, schema version, payload and business time
(`occurred_at`); its metadata carries the source's correlation id and actor, with the event
itself as the cause. The read models are store-fed projections over these copies, so they are
rebuilt (`erp replay reporting`) and verified (`erp verify reporting`) from the store, in the
one order live applied them — a rebuild equals live without re-reading Kafka.
"""

from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.envelope import EventEnvelope
from eventkit import ANY_VERSION, EventMetadata, EventStore, NewEvent

SOURCE_PREFIX = "source-"


def source_stream(envelope: EventEnvelope) -> str:
    return f"{SOURCE_PREFIX}{envelope.producer}-{envelope.stream_id}"


async def keep_source_event(
    conn: AsyncConnection, store: EventStore, envelope: EventEnvelope
) -> None:
    await keep_source_events(conn, store, [envelope])


async def keep_source_events(
    conn: AsyncConnection, store: EventStore, envelopes: list[EventEnvelope]
) -> None:
    """Copy the events in one append, each with its own provenance."""
    copies = [
        NewEvent(
            stream_id=source_stream(envelope),
            event_type=envelope.event_type,
            payload=envelope.payload,
            schema_version=envelope.schema_version,
            occurred_at=envelope.occurred_at,
            event_id=envelope.event_id,
        )
        for envelope in envelopes
    ]
    provenance = [
        EventMetadata(
            correlation_id=envelope.correlation_id or str(envelope.event_id),
            causation_id=str(envelope.event_id),
            actor=envelope.actor,
        )
        for envelope in envelopes
    ]
    # A source stream's order is its Kafka partition's order; no version check is needed.
    await store.append(
        conn, copies, dict.fromkeys((c.stream_id for c in copies), ANY_VERSION), provenance
    )
