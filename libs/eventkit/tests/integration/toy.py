"""A toy read model for kernel tests: per-stream totals of `Counted {n}` events."""

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


async def add_to_total(conn: AsyncConnection, stream_id: str, n: int) -> None:
    stmt = insert(totals).values(stream_id=stream_id, total=n, events=1)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[totals.c.stream_id],
            set_={"total": totals.c.total + n, "events": totals.c.events + 1},
        )
    )


class TallyProjection(Projection):
    name: ClassVar[str] = "tally"
    schema: ClassVar[str] = "rm_tally"
    metadata: ClassVar[MetaData] = metadata
    handles: ClassVar[frozenset[str]] = frozenset({"Counted"})

    async def apply(self, conn: AsyncConnection, event: RecordedEvent) -> None:
        await add_to_total(conn, event.stream_id, int(event.payload["n"]))


async def all_totals(conn: AsyncConnection) -> list[tuple[Any, ...]]:
    rows = await conn.execute(select(totals).order_by(totals.c.stream_id))
    return [tuple(r) for r in rows]
