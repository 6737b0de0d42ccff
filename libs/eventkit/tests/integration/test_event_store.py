"""The event store against real PostgreSQL: atomic multi-stream appends and concurrency."""

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit import NO_STREAM, ConcurrencyError, EventMetadata, EventStore, NewEvent, Upcasters
from eventkit.uow import in_transaction

pytestmark = pytest.mark.integration


def event(stream: str, kind: str = "Counted", **payload: object) -> NewEvent:
    return NewEvent(stream_id=stream, event_type=kind, payload=dict(payload))


async def test_appended_events_are_read_back_in_stream_order(engine: AsyncEngine) -> None:
    store = EventStore()
    async with engine.begin() as conn:
        await store.append(
            conn,
            [event("a", n=1), event("a", n=2)],
            {"a": NO_STREAM},
            EventMetadata(actor="clerk-1", correlation_id="c-1"),
        )
    async with engine.connect() as conn:
        stream = await store.read_stream(conn, "a")
    assert [(e.stream_version, e.payload["n"]) for e in stream] == [(1, 1), (2, 2)]
    assert stream[0].metadata.actor == "clerk-1"
    assert stream[0].metadata.correlation_id == "c-1"


async def test_two_concurrent_appends_at_the_same_version_exactly_one_wins(
    engine: AsyncEngine,
) -> None:
    store = EventStore()
    async with engine.begin() as conn:
        await store.append(conn, [event("shared")], {"shared": NO_STREAM})
    ready = asyncio.Barrier(2)

    async def writer(other_stream: str) -> str:
        try:
            async with engine.begin() as conn:
                await store.read_stream(conn, "shared")
                await ready.wait()  # both decided on version 1
                await store.append(
                    conn,
                    [event(other_stream), event("shared")],
                    {other_stream: NO_STREAM, "shared": 1},
                )
                await asyncio.sleep(0.05)  # hold the transaction open so they truly overlap
        except ConcurrencyError:
            return "conflict"
        return "ok"

    results = await asyncio.gather(writer("left"), writer("right"))
    assert sorted(results) == ["conflict", "ok"]
    async with engine.connect() as conn:
        shared = await store.read_stream(conn, "shared")
        left = await store.read_stream(conn, "left")
        right = await store.read_stream(conn, "right")
    assert len(shared) == 2
    # Nothing half-written: the loser's event on its other stream is gone too.
    assert len(left) + len(right) == 1


async def test_a_stale_expected_version_is_refused_before_writing(engine: AsyncEngine) -> None:
    store = EventStore()
    async with engine.begin() as conn:
        await store.append(conn, [event("s"), event("s")], {"s": NO_STREAM})
    with pytest.raises(ConcurrencyError) as refused:
        async with engine.begin() as conn:
            await store.append(conn, [event("s")], {"s": 1})
    assert refused.value.actual == 2
    async with engine.connect() as conn:
        assert await store.stream_version(conn, "s") == 2


async def test_many_racing_writers_lose_no_increment_with_retries(engine: AsyncEngine) -> None:
    store = EventStore()

    async def increment(conn: object) -> None:
        assert hasattr(conn, "execute")
        version = await store.stream_version(conn, "counter")  # type: ignore[arg-type]
        await store.append(conn, [event("counter")], {"counter": version})  # type: ignore[arg-type]

    await asyncio.gather(*(in_transaction(engine, increment, retries=50) for _ in range(20)))
    async with engine.connect() as conn:
        assert await store.stream_version(conn, "counter") == 20


async def test_old_payloads_are_upcast_on_read(engine: AsyncEngine) -> None:
    upcasters = Upcasters()

    @upcasters.register("PriceSet", from_version=1)
    def cents_to_amount(payload: dict[str, object]) -> dict[str, object]:
        cents = payload["cents"]
        assert isinstance(cents, int)
        return {"amount": f"{cents / 100:.2f}"}

    store = EventStore(upcasters)
    async with engine.begin() as conn:
        await store.append(conn, [NewEvent("p", "PriceSet", {"cents": 1250})], {"p": NO_STREAM})
    async with engine.connect() as conn:
        (read,) = await store.read_stream(conn, "p")
    assert read.schema_version == 2
    assert read.payload == {"amount": "12.50"}


async def test_backdated_events_keep_business_time_and_record_time_apart(
    engine: AsyncEngine,
) -> None:
    from datetime import UTC, datetime

    store = EventStore()
    past = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    async with engine.begin() as conn:
        await store.append(conn, [NewEvent("b", "Counted", {}, occurred_at=past)], {"b": 0})
    async with engine.connect() as conn:
        (read,) = await store.read_stream(conn, "b")
        now = await conn.scalar(text("SELECT now()"))
    assert read.occurred_at == past
    assert read.recorded_at > past
    assert read.recorded_at <= now


async def test_one_append_can_carry_each_events_own_metadata(engine: AsyncEngine) -> None:
    store = EventStore()
    copies = [NewEvent(f"copy-{i % 2}", "Copied", {"i": i}) for i in range(4)]
    provenance = [EventMetadata(causation_id=f"source-{i}", actor=f"clerk-{i}") for i in range(4)]
    async with engine.begin() as conn:
        await store.append(conn, copies, {}, provenance)
        with pytest.raises(ValueError, match="3 metadata for 4 events"):
            await store.append(conn, copies, {}, provenance[:3])
    async with engine.connect() as conn:
        read = [e for s in ("copy-0", "copy-1") for e in await store.read_stream(conn, s)]
    assert sorted((e.payload["i"], e.metadata.causation_id, e.metadata.actor) for e in read) == [
        (i, f"source-{i}", f"clerk-{i}") for i in range(4)
    ]
    assert [e.stream_version for e in read] == [1, 2, 1, 2]
