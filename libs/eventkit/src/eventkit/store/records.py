"""Value objects of the store: what a writer appends and what a reader gets back."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4


@dataclass(frozen=True, slots=True)
class EventMetadata:
    """Provenance written with every event (architecture §3)."""

    correlation_id: str | None = None
    causation_id: str | None = None
    actor: str | None = None
    producer: str | None = None
    idempotency_key: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self._items() if v is not None}

    def _items(self) -> list[tuple[str, str | None]]:
        return [
            ("correlation_id", self.correlation_id),
            ("causation_id", self.causation_id),
            ("actor", self.actor),
            ("producer", self.producer),
            ("idempotency_key", self.idempotency_key),
        ]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "EventMetadata":
        get = data.get
        return cls(
            get("correlation_id"),
            get("causation_id"),
            get("actor"),
            get("producer"),
            get("idempotency_key"),
        )


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append. `occurred_at` defaults to the record time when not backdated."""

    stream_id: str
    event_type: str
    payload: dict[str, Any]
    schema_version: int = 1
    occurred_at: datetime | None = None
    event_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as stored, upcast to the newest schema version the reader knows.

    Metadata stays as its JSON text until asked for: replays read millions of events and most
    projections never look at it.
    """

    global_position: int
    stream_id: str
    stream_version: int
    event_id: UUID
    event_type: str
    schema_version: int
    payload: dict[str, Any]
    metadata_json: str
    occurred_at: datetime
    recorded_at: datetime
    tx_id: int = 0

    @property
    def metadata(self) -> EventMetadata:
        return EventMetadata.from_dict(json.loads(self.metadata_json or "{}"))
