"""The envelope every event travels in, on Kafka and in `erp events show`."""

from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

#: Kafka headers that mirror envelope fields, so routers and tools can filter without decoding.
HEADER_EVENT_TYPE = "event_type"
HEADER_EVENT_ID = "event_id"
HEADER_SCHEMA_VERSION = "schema_version"
HEADER_CORRELATION_ID = "correlation_id"


class EventEnvelope(BaseModel):
    """One recorded event as published: identity, position, the two times, provenance, payload.

    `occurred_at` is business time (a clerk may backdate it within an open period);
    `recorded_at` is when the producing service wrote it. Both are timezone-aware UTC.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: UUID
    event_type: str = Field(min_length=1)
    schema_version: int = Field(ge=1)
    stream_id: str = Field(min_length=1)
    stream_version: int = Field(ge=1)
    global_position: int = Field(ge=1, description="Position in the producer's event store")
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    correlation_id: str | None = None
    causation_id: str | None = None
    actor: str | None = None
    producer: str = Field(min_length=1, description="The service that recorded the event")
    payload: dict[str, Any]
