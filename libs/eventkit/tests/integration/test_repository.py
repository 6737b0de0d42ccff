"""The aggregate repository: cache that never serves stale or uncommitted state, and writers of
one hot stream that queue instead of failing."""

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Self

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit import CommandContext, EventStore
from eventkit.aggregate_cache import AggregateCache
from eventkit.repository import AggregateRepository
from eventkit.uow import in_transaction

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Added:
    n: int
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class Counter:
    """A toy aggregate: `add(n)` records `{"n": n}`; `total` sums them."""

    def __init__(self) -> None:
        self.total = 0
        self.version = 0
        self._pending: list[Added] = []

    @classmethod
    def from_events(cls, events: Iterable[Added]) -> Self:
        counter = cls()
        counter.catch_up(events)
        return counter

    def catch_up(self, events: Iterable[Added]) -> None:
        for event in events:
            self.total += event.n
            self.version += 1

    def add(self, n: int) -> None:
        self.total += n
        self._pending.append(Added(n))

    def collect_events(self) -> list[Added]:
        pending, self._pending = self._pending, []
        self.version += len(pending)
        return pending


class CounterCodec:
    def event_type(self, event: Any) -> str:
        return "Added"

    def encode(self, event: Any) -> dict[str, Any]:
        return {"n": event.n}

    def decode(self, event_type: str, payload: Mapping[str, Any]) -> Any:
        return Added(payload["n"])


def repository(conn: AsyncConnection, cache: AggregateCache | None) -> AggregateRepository:
    return AggregateRepository(
        conn, EventStore(), CounterCodec(), CommandContext(actor="t"), "toy", cache=cache
    )


async def add(engine: AsyncEngine, cache: AggregateCache | None, n: int, lock: bool = True) -> int:
    async def work(conn: AsyncConnection) -> int:
        repo = repository(conn, cache)
        counter = (await repo.get_many(Counter, ["counter-1"], for_update=lock))["counter-1"]
        counter.add(n)
        await repo.save()
        return counter.total

    return await in_transaction(engine, work, retries=100)


async def test_a_cached_aggregate_catches_up_with_events_written_elsewhere(
    engine: AsyncEngine,
) -> None:
    cache = AggregateCache()
    await add(engine, cache, 1)
    await add(engine, cache, 2)
    assert len(cache) == 1
    # Another process (no shared cache) writes in between.
    await add(engine, None, 40)
    assert await add(engine, cache, 100) == 143
    assert cache.hits >= 2


async def test_a_failed_unit_of_work_never_puts_its_state_into_the_cache(
    engine: AsyncEngine,
) -> None:
    cache = AggregateCache()
    await add(engine, cache, 5)

    async def doomed(conn: AsyncConnection) -> None:
        repo = repository(conn, cache)
        counter = await repo.get(Counter, "counter-1")
        counter.add(1000)
        await repo.save()
        raise RuntimeError("the command fails after saving")

    with pytest.raises(RuntimeError):
        await in_transaction(engine, doomed)
    assert await add(engine, cache, 1) == 6


async def test_writers_of_one_hot_stream_queue_and_lose_nothing(engine: AsyncEngine) -> None:
    cache = AggregateCache()
    totals = await asyncio.gather(*(add(engine, cache, 1) for _ in range(40)))
    assert sorted(totals) == list(range(1, 41))  # each saw every earlier increment
    async with engine.connect() as conn:
        assert await EventStore().stream_version(conn, "counter-1") == 40


async def test_the_same_database_name_is_not_shared_between_caches_of_other_servers(
    engine: AsyncEngine,
) -> None:
    cache = AggregateCache()
    await add(engine, cache, 7)
    (key,) = list(cache._entries)
    assert key.endswith("#counter-1")
    assert engine.url.database is not None
    assert engine.url.database in key
