"""A toy read model for kernel tests and benchmarks: per-stream totals of `Counted {n}` events."""

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import Column, Integer, MetaData, Table, Text, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.projections import Projection
from eventkit.store.records import RecordedEvent

metadata = MetaData()
totals = Table(
    "totals",
    metadata,
    Column("stream_id", Text, primary_key=True),
    Column("total", Integer, nullable=False),
    Column("events", Integer, nullable=False),
    schema="rm_tally",
)


_insert = insert(totals)
_UPSERT = _insert.on_conflict_do_update(
    index_elements=[totals.c.stream_id],
    set_={
        "total": totals.c.total + _insert.excluded.total,
        "events": totals.c.events + _insert.excluded.events,
    },
)


async def add_to_totals(conn: AsyncConnection, increments: dict[str, tuple[int, int]]) -> None:
    """Upsert many streams' (sum, count) increments: one cached statement, executemany."""
    rows = [{"stream_id": s, "total": t, "events": c} for s, (t, c) in increments.items()]
    await conn.execute(_UPSERT, rows)


async def add_to_total(conn: AsyncConnection, stream_id: str, n: int) -> None:
    await add_to_totals(conn, {stream_id: (n, 1)})


class TallyProjection(Projection):
    name: ClassVar[str] = "tally"
    schema: ClassVar[str] = "rm_tally"
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset({"Counted"})

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await add_to_total(conn, event.stream_id, int(event.payload["n"]))

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        increments: dict[str, tuple[int, int]] = {}
        for event in events:
            total, count = increments.get(event.stream_id, (0, 0))
            increments[event.stream_id] = (total + int(event.payload["n"]), count + 1)
        await add_to_totals(conn, increments)


async def all_totals(conn: AsyncConnection) -> list[tuple[Any, ...]]:
    rows = await conn.execute(select(totals).order_by(totals.c.stream_id))
    return [tuple(r) for r in rows]
