"""A process-wide cache of committed aggregates, so a long stream is not replayed from its
first event on every command.

A unit of work *takes* a cached aggregate (nobody else can use that object meanwhile), reads
only the events recorded after the cached version, and *returns* it after its transaction
committed. A transaction that fails never returns it; the next command loads afresh. Events
are immutable, so "cached state + newer events" is exactly "all events".
"""

from collections import OrderedDict
from typing import Any


class AggregateCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def take(self, stream_id: str) -> Any | None:
        aggregate = self._entries.pop(stream_id, None)
        if aggregate is None:
            self.misses += 1
        else:
            self.hits += 1
        return aggregate

    def put(self, stream_id: str, aggregate: Any) -> None:
        self._entries[stream_id] = aggregate
        self._entries.move_to_end(stream_id)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


#: The cache every unit of work in this process shares. Keys include the database URL, so
#: services (or tests) talking to different databases never see each other's aggregates.
shared_cache = AggregateCache()
