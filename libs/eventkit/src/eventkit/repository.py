"""Loading and saving event-sourced aggregates in one transaction (the unit of work).

Services keep their aggregates pure; this adapter needs only that an aggregate can be rebuilt
from events (`from_events`), knows how many it was built from (`version`) and hands over what
its commands recorded (`collect_events`), plus a codec between domain events and stored payloads.
`save()` appends every tracked aggregate's new events in ONE atomic multi-stream append, each
stream checked against the version it was loaded at.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, Self, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.context import CommandContext
from eventkit.store.event_store import EventStore
from eventkit.store.records import NewEvent


class DomainEventLike(Protocol):
    @property
    def occurred_at(self) -> datetime: ...


class EventSourced(Protocol):
    @classmethod
    def from_events(cls, events: Iterable[Any]) -> Self: ...
    @property
    def version(self) -> int: ...
    def collect_events(self) -> list[Any]: ...


class EventCodec(Protocol):
    def event_type(self, event: Any) -> str: ...
    def encode(self, event: Any) -> dict[str, Any]: ...
    def decode(self, event_type: str, payload: Mapping[str, Any]) -> Any: ...


A = TypeVar("A", bound=EventSourced)


class AggregateRepository:
    def __init__(
        self,
        conn: AsyncConnection,
        store: EventStore,
        codec: EventCodec,
        context: CommandContext,
        producer: str,
    ) -> None:
        self.conn = conn
        self.store = store
        self.codec = codec
        self.context = context
        self.producer = producer
        self._tracked: dict[str, EventSourced] = {}

    async def get(self, cls: type[A], stream_id: str) -> A:
        """The aggregate (version 0 and empty if the stream does not exist yet), tracked."""
        return (await self.get_many(cls, [stream_id]))[stream_id]

    async def get_many(self, cls: type[A], stream_ids: Sequence[str]) -> dict[str, A]:
        wanted = [sid for sid in dict.fromkeys(stream_ids) if sid not in self._tracked]
        if wanted:
            streams = await self.store.read_streams(self.conn, wanted)
            for stream_id, records in streams.items():
                events = [self.codec.decode(r.event_type, r.payload) for r in records]
                self._tracked[stream_id] = cls.from_events(events)
        found: dict[str, A] = {}
        for stream_id in stream_ids:
            aggregate = self._tracked[stream_id]
            if not isinstance(aggregate, cls):
                raise TypeError(f"stream {stream_id} holds a {type(aggregate).__name__}")
            found[stream_id] = aggregate
        return found

    def track(self, stream_id: str, aggregate: EventSourced) -> None:
        """Take a newly created aggregate (e.g. from a factory classmethod) into the save."""
        self._tracked[stream_id] = aggregate

    async def save(self) -> list[Any]:
        """Append every tracked aggregate's new events atomically; return them in order."""
        new_events: list[NewEvent] = []
        domain_events: list[Any] = []
        expected: dict[str, int] = {}
        for stream_id, aggregate in self._tracked.items():
            version = aggregate.version
            recorded = aggregate.collect_events()
            if not recorded:
                continue
            expected[stream_id] = version
            for event in recorded:
                domain_events.append(event)
                new_events.append(
                    NewEvent(
                        stream_id=stream_id,
                        event_type=self.codec.event_type(event),
                        payload=self.codec.encode(event),
                        occurred_at=event.occurred_at,
                    )
                )
        if new_events:
            await self.store.append(
                self.conn, new_events, expected, self.context.metadata(self.producer)
            )
        return domain_events
