"""Rebuild a projection from position 0 into fresh tables, then swap them in atomically.

Queries keep answering from the live tables during the rebuild. The swap transaction holds the
live checkpoint row (pausing the live runner), applies the last events into the new tables,
renames the schemas and moves the checkpoint, all at once. The old tables are dropped after.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit.projections.projection import Projection
from eventkit.projections.runner import lock_checkpoint
from eventkit.store.upcasting import Upcasters
from eventkit.tailing import Checkpoint, read_committed, save_checkpoint

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RebuildReport:
    projection: str
    events_read: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events_read / self.seconds if self.seconds else 0.0


async def rebuild_projection(
    engine: AsyncEngine,
    projection: Projection,
    upcasters: Upcasters | None = None,
    batch_size: int = 2000,
    progress: Progress | None = None,
) -> RebuildReport:
    started = time.perf_counter()
    fresh = f"{projection.schema}__rebuild"
    await _create_fresh_schema(engine, projection, fresh)
    total = await _count_events(engine)
    checkpoint, done = Checkpoint(), 0
    while True:
        async with engine.begin() as conn:
            moved = await _apply_batch(conn, projection, fresh, checkpoint, batch_size, upcasters)
        if moved is None:
            break
        checkpoint, count = moved
        done += count
        if progress:
            progress(done, max(total, done))
    done += await _swap(engine, projection, fresh, checkpoint, batch_size, upcasters)
    if progress:
        progress(done, max(total, done))
    return RebuildReport(projection.name, done, time.perf_counter() - started)


async def _create_fresh_schema(engine: AsyncEngine, projection: Projection, fresh: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{fresh}" CASCADE'))
        await conn.execute(text(f'CREATE SCHEMA "{fresh}"'))
        translated = await conn.execution_options(schema_translate_map={projection.schema: fresh})
        await translated.run_sync(projection.metadata.create_all)


async def _count_events(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT count(*) FROM events")) or 0)


async def _apply_batch(
    conn: AsyncConnection,
    projection: Projection,
    target_schema: str,
    after: Checkpoint,
    batch_size: int,
    upcasters: Upcasters | None,
) -> tuple[Checkpoint, int] | None:
    batch = await read_committed(conn, after, batch_size, upcasters)
    if not batch:
        return None
    target = await conn.execution_options(schema_translate_map={projection.schema: target_schema})
    for event in batch:
        if event.event_type in projection.handles:
            await projection.apply(target, event)
    return Checkpoint.after(batch[-1]), len(batch)


async def _swap(
    engine: AsyncEngine,
    projection: Projection,
    fresh: str,
    checkpoint: Checkpoint,
    batch_size: int,
    upcasters: Upcasters | None,
) -> int:
    live, retired = projection.schema, f"{projection.schema}__retired"
    caught_up = 0
    async with engine.begin() as conn:
        await lock_checkpoint(conn, projection.reader)  # the live runner waits from here
        while moved := await _apply_batch(
            conn, projection, fresh, checkpoint, batch_size, upcasters
        ):
            checkpoint, count = moved
            caught_up += count
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{retired}" CASCADE'))
        await conn.execute(text(f'ALTER SCHEMA "{live}" RENAME TO "{retired}"'))
        await conn.execute(text(f'ALTER SCHEMA "{fresh}" RENAME TO "{live}"'))
        await save_checkpoint(conn, projection.reader, checkpoint)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{retired}" CASCADE'))
    return caught_up
