"""eventkit — the one event-sourcing kernel every 进销存 service uses.

Event store, outbox relay, idempotent consumer (inbox), projections with rebuild, upcasters,
settings, logging, correlation ids and HTTP glue. No domain types live here.
"""

from eventkit.context import CommandContext, acting_as, current_context
from eventkit.errors import (
    BusinessRuleViolation,
    DependencyUnavailable,
    InvalidCommand,
    NotFound,
)
from eventkit.store import (
    ANY_VERSION,
    NO_STREAM,
    ConcurrencyError,
    DuplicateEventError,
    EventMetadata,
    EventStore,
    NewEvent,
    RecordedEvent,
    Upcasters,
)
from eventkit.uow import in_transaction

__all__ = [
    "ANY_VERSION",
    "NO_STREAM",
    "BusinessRuleViolation",
    "CommandContext",
    "ConcurrencyError",
    "DependencyUnavailable",
    "DuplicateEventError",
    "EventMetadata",
    "EventStore",
    "InvalidCommand",
    "NewEvent",
    "NotFound",
    "RecordedEvent",
    "Upcasters",
    "acting_as",
    "current_context",
    "in_transaction",
]
