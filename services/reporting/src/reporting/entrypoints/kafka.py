"""What reporting consumes: every public event of purchasing, inventory, sales and finance.

One inbox subscription over the four topics, from the beginning. Each handler validates the
payload against its contract (a payload that does not fit goes to the DLQ, not into the read
models) and keeps a copy in reporting's event store, in the inbox's transaction; the
projections then read the copies. Events reporting has no read model for yet are kept too, so
a new read model can be built from history without re-reading Kafka.
"""

from sqlalchemy.ext.asyncio import AsyncConnection

from erp_contracts.envelope import EventEnvelope
from erp_contracts.events import load_all
from erp_contracts.registry import event_types, resolve_event
from eventkit import EventStore
from eventkit.messaging.inbox import BatchHandler, EventHandler
from eventkit.messaging.subscriptions import Subscription
from reporting.adapters.source_events import keep_source_event, keep_source_events

SOURCES = ("purchasing", "inventory", "sales", "finance")
#: Messages taken at a time (fewer when fewer are waiting).
BATCH_SIZE = 1000
#: Inbox transactions a batch is split into (by stream), running at once: while one lane's
#: append is in PostgreSQL, the next lane's copies are validated and built.
LANES = 2


class UnknownContractVersion(ValueError):
    """A public event type at a schema version this build does not know."""


def validated(envelope: EventEnvelope) -> EventEnvelope:
    """The payload must fit its contract: one that does not goes to the DLQ, not the models."""
    contract = resolve_event(envelope.event_type, envelope.schema_version)
    if contract is None:
        raise UnknownContractVersion(f"{envelope.event_type} v{envelope.schema_version}")
    contract.model_validate(envelope.payload)
    return envelope


def handler(store: EventStore) -> EventHandler:
    async def handle(conn: AsyncConnection, envelope: EventEnvelope) -> None:
        await keep_source_event(conn, store, validated(envelope))

    return handle


def batch_handler(store: EventStore) -> BatchHandler:
    async def handle_all(conn: AsyncConnection, envelopes: list[EventEnvelope]) -> None:
        # One invalid payload fails the batch; the inbox then goes one at a time, and only
        # that message is dead-lettered.
        await keep_source_events(conn, store, [validated(e) for e in envelopes])

    return handle_all


def public_event_types() -> set[str]:
    """Every public event type the four sources publish (all versions share a handler)."""
    load_all()
    return {name for (name, _), c in event_types().items() if c.producer in SOURCES}


def subscriptions(store: EventStore) -> list[Subscription]:
    handle = handler(store)
    handlers = dict.fromkeys(sorted(public_event_types()), handle)
    # Copying is all a handler does: take the messages in batches, one transaction each, so
    # reporting keeps up with four producers (docs/benchmarks.md, "reporting").
    return [
        Subscription(
            name="reporting",
            sources=SOURCES,
            handlers=handlers,
            batch_size=BATCH_SIZE,
            batch_handler=batch_handler(store),
            lanes=LANES,
        )
    ]
