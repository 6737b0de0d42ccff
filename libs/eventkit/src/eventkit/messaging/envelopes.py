"""Mapping between stored events and the wire envelope (`erp_contracts.EventEnvelope`)."""

from erp_contracts.envelope import (
    HEADER_CORRELATION_ID,
    HEADER_EVENT_ID,
    HEADER_EVENT_TYPE,
    HEADER_SCHEMA_VERSION,
    EventEnvelope,
)
from eventkit.jsonutil import dumps_bytes
from eventkit.store.records import RecordedEvent


def to_envelope(event: RecordedEvent, producer: str) -> EventEnvelope:
    meta = event.metadata
    return EventEnvelope(
        event_id=event.event_id,
        event_type=event.event_type,
        schema_version=event.schema_version,
        stream_id=event.stream_id,
        stream_version=event.stream_version,
        global_position=event.global_position,
        occurred_at=event.occurred_at,
        recorded_at=event.recorded_at,
        correlation_id=meta.correlation_id,
        causation_id=meta.causation_id,
        actor=meta.actor,
        producer=meta.producer or producer,
        payload=event.payload,
    )


def encode(envelope: EventEnvelope) -> bytes:
    return dumps_bytes(envelope.model_dump(mode="json"))


def headers(envelope: EventEnvelope) -> list[tuple[str, bytes]]:
    return [
        (HEADER_EVENT_TYPE, envelope.event_type.encode()),
        (HEADER_EVENT_ID, str(envelope.event_id).encode()),
        (HEADER_SCHEMA_VERSION, str(envelope.schema_version).encode()),
        (HEADER_CORRELATION_ID, (envelope.correlation_id or "").encode()),
    ]


def decode(body: bytes) -> EventEnvelope:
    """Raises pydantic.ValidationError for anything that is not a valid envelope."""
    return EventEnvelope.model_validate_json(body)
