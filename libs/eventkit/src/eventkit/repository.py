"""Loading and saving event-sourced aggregates in one transaction (the unit of work).

Services keep their aggregates pure; this adapter needs only that an aggregate can be rebuilt
from events (`from_events`), knows how many it was built from (`version`) and hands over what
its commands recorded (`collect_events`), plus a codec between domain events and stored payloads.
`save()` appends every tracked aggregate's new events in ONE atomic multi-stream append, each
stream checked against the version it was loaded at.

Hot streams (one best-selling sku) would otherwise turn optimistic concurrency into a retry
storm: `get_many(..., for_update=True)` first takes a transaction advisory lock per stream
(in one sorted order, so documents touching several streams queue instead of deadlocking), so
writers of the same stream wait their turn instead of all failing but one. With an
`AggregateCache`, an aggregate that can `catch_up(events)` is rebuilt from its cached state
plus only the newer events.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, Self, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.aggregate_cache import AggregateCache
from eventkit.context import CommandContext
from eventkit.store.event_store import EventStore
from eventkit.store.locks import lock_streams
from eventkit.store.records import NewEvent
from eventkit.uow import after_commit


class DomainEventLike(Protocol):
    @property
    def occurred_at(self) -> datetime: ...


class EventSourced(Protocol):
    @classmethod
    def from_events(cls, events: Iterable[Any]) -> Self: ...
    @property
    def version(self) -> int: ...
    def collect_events(self) -> list[Any]: ...
    def catch_up(self, events: Iterable[Any]) -> None: ...


class EventCodec(Protocol):
    def event_type(self, event: Any) -> str: ...
    def schema_version(self, event: Any) -> int:
        """The schema version `event`'s payload is written at (upcasters bring older ones up
        to it on read). A codec written before this method existed is taken as version 1."""
        ...

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
        cache: AggregateCache | None = None,
    ) -> None:
        self.cache = cache
        self.conn = conn
        self.store = store
        self.codec = codec
        self.context = context
        self.producer = producer
        self._tracked: dict[str, EventSourced] = {}

    async def get(self, cls: type[A], stream_id: str) -> A:
        """The aggregate (version 0 and empty if the stream does not exist yet), tracked."""
        return (await self.get_many(cls, [stream_id]))[stream_id]

    async def get_many(
        self, cls: type[A], stream_ids: Sequence[str], *, for_update: bool = False
    ) -> dict[str, A]:
        """The aggregates of `stream_ids` (empty ones for streams that do not exist yet).

        `for_update`: this unit of work means to write them — queue behind other writers of
        the same streams (transaction advisory locks) rather than race them.
        """
        wanted = [sid for sid in dict.fromkeys(stream_ids) if sid not in self._tracked]
        if wanted and for_update:
            await self._lock(wanted)
        cold = [sid for sid in wanted if not await self._warm_from_cache(cls, sid)]
        if cold:
            streams = await self.store.read_streams(self.conn, cold)
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

    async def _lock(self, stream_ids: list[str]) -> None:
        await lock_streams(self.conn, stream_ids)

    def _cache_key(self, stream_id: str) -> str:
        return f"{self.conn.engine.url.render_as_string()}#{stream_id}"

    async def _warm_from_cache(self, cls: type[A], stream_id: str) -> bool:
        cached = self.cache.take(self._cache_key(stream_id)) if self.cache is not None else None
        if cached is None or not isinstance(cached, cls):
            return False
        newer = await self.store.read_stream(self.conn, stream_id, after_version=cached.version)
        cached.catch_up(self.codec.decode(r.event_type, r.payload) for r in newer)
        self._tracked[stream_id] = cached
        return True

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
                        # A codec without `schema_version` (older protocol) writes version 1.
                        schema_version=getattr(self.codec, "schema_version", lambda _: 1)(event),
                        occurred_at=event.occurred_at,
                    )
                )
        if new_events:
            await self.store.append(
                self.conn, new_events, expected, self.context.metadata(self.producer)
            )
        if self.cache is not None:
            after_commit(self._remember)
        return domain_events

    def _remember(self) -> None:
        """After the commit: what we hold is now exactly what the store holds."""
        if self.cache is None:
            return
        for stream_id, aggregate in self._tracked.items():
            if aggregate.version > 0:
                self.cache.put(self._cache_key(stream_id), aggregate)
