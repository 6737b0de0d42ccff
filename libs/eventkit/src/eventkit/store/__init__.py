"""The event store: atomic multi-stream append with optimistic concurrency, reads, upcasting."""

from eventkit.store.errors import ConcurrencyError, DuplicateEventError
from eventkit.store.event_store import ANY_VERSION, NO_STREAM, EventStore
from eventkit.store.records import EventMetadata, NewEvent, RecordedEvent
from eventkit.store.upcasting import Upcasters

__all__ = [
    "ANY_VERSION",
    "NO_STREAM",
    "ConcurrencyError",
    "DuplicateEventError",
    "EventMetadata",
    "EventStore",
    "NewEvent",
    "RecordedEvent",
    "Upcasters",
]
