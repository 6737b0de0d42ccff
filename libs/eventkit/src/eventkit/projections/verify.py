"""Verify a projection without touching it: replay every event into a scratch schema and compare
it with the live tables, row for row, at the same checkpoint (`erp verify`).

The live runner is paused (its checkpoint row is locked) only for the final catch-up and the
comparison; whichever side is behind is brought to the other's checkpoint first, the live side
exactly as its runner would have done it.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit.projections.projection import Projection
from eventkit.projections.rebuild import Progress, apply_to, create_fresh_schema, replay_into
from eventkit.projections.runner import ProjectionRunner, lock_checkpoint
from eventkit.store.upcasting import Upcasters
from eventkit.tailing import Checkpoint, read_committed, save_checkpoint


@dataclass
class VerifyReport:
    projection: str
    events_read: int
    tables: int
    differences: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.differences


async def verify_projection(
    engine: AsyncEngine,
    projection: Projection,
    upcasters: Upcasters | None = None,
    batch_size: int = 10_000,
    progress: Progress | None = None,
) -> VerifyReport:
    scratch = f"{projection.schema}__verify"
    runner = ProjectionRunner(engine, projection, upcasters)
    await runner.ensure_schema()
    await runner.catch_up()
    await create_fresh_schema(engine, projection, scratch)
    try:
        ours, done = await replay_into(engine, projection, scratch, upcasters, batch_size, progress)
        async with engine.begin() as conn:
            live = await lock_checkpoint(conn, projection.reader)
            done += await _align(conn, projection, scratch, ours, live, upcasters, batch_size)
            differences = await _compare(conn, projection, scratch)
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{scratch}" CASCADE'))
    tables = len(projection.metadata.tables)
    return VerifyReport(projection.name, done, tables, differences)


async def _align(
    conn: AsyncConnection,
    projection: Projection,
    scratch: str,
    ours: Checkpoint,
    live: Checkpoint,
    upcasters: Upcasters | None,
    batch_size: int,
) -> int:
    """Bring the side that is behind to the other's checkpoint; return events applied."""
    if ours < live:
        return await _advance(conn, projection, scratch, ours, live, upcasters, batch_size)
    if live < ours:
        await _advance(conn, projection, projection.schema, live, ours, upcasters, batch_size)
        await save_checkpoint(conn, projection.reader, ours)
    return 0


async def _advance(
    conn: AsyncConnection,
    projection: Projection,
    schema: str,
    start: Checkpoint,
    stop: Checkpoint,
    upcasters: Upcasters | None,
    batch_size: int,
) -> int:
    applied, position = 0, start
    while position < stop:
        batch = [
            e
            for e in await read_committed(conn, position, batch_size, upcasters)
            if Checkpoint.after(e) <= stop
        ]
        if not batch:
            break
        await apply_to(conn, projection, schema, batch)
        position, applied = Checkpoint.after(batch[-1]), applied + len(batch)
    return applied


async def _compare(conn: AsyncConnection, projection: Projection, scratch: str) -> list[str]:
    differences: list[str] = []
    for table in projection.metadata.sorted_tables:
        live_rows = await _rows(conn, table, projection.schema, projection.schema)
        fresh_rows = await _rows(conn, table, projection.schema, scratch)
        if live_rows != fresh_rows:
            # Examples for the operator (rows may hold JSON, so no sets; a bounded scan).
            missing = [r for r in fresh_rows[:2000] if r not in live_rows][:3]
            extra = [r for r in live_rows[:2000] if r not in fresh_rows][:3]
            differences.append(
                f"{table.name}: live {len(live_rows)} rows, rebuilt {len(fresh_rows)};"
                f" only rebuilt: {missing}; only live: {extra}"
            )
    return differences


async def _rows(conn: AsyncConnection, table: Table, logical: str, actual: str) -> list[Any]:
    target = await conn.execution_options(schema_translate_map={logical: actual})
    ordered = select(table).order_by(*table.columns)
    return [tuple(row) for row in await target.execute(ordered)]
