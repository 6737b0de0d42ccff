"""Rebuild a projection from position 0 into fresh tables, then swap them in atomically.

Queries keep answering from the live tables during the rebuild. The swap transaction holds the
live checkpoint row (pausing the live runner), applies the last events into the new tables,
renames the schemas and moves the checkpoint, all at once. The old tables are dropped after.
"""

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit.projections.projection import Projection
from eventkit.projections.runner import lock_checkpoint
from eventkit.store.records import RecordedEvent
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
    batch_size: int = 10_000,
    progress: Progress | None = None,
) -> RebuildReport:
    started = time.perf_counter()
    fresh = f"{projection.schema}__rebuild"
    await create_fresh_schema(engine, projection, fresh)
    checkpoint, done = await replay_into(engine, projection, fresh, upcasters, batch_size, progress)
    done += await _swap(engine, projection, fresh, checkpoint, batch_size, upcasters)
    if progress:
        progress(done, max(done, 1))
    return RebuildReport(projection.name, done, time.perf_counter() - started)


async def replay_into(
    engine: AsyncEngine,
    projection: Projection,
    schema: str,
    upcasters: Upcasters | None,
    batch_size: int,
    progress: Progress | None = None,
    until: Checkpoint | None = None,
) -> tuple[Checkpoint, int]:
    """Apply every committed event, from the first (and up to `until`, when given: no event
    after it), to the projection's tables in `schema`."""
    total = await _count_events(engine, until)
    # Reading and applying overlap: one connection reads batch n+1 while another writes batch n.
    batches: asyncio.Queue[list[RecordedEvent] | None] = asyncio.Queue(maxsize=2)
    reader = asyncio.create_task(_read_all(engine, batch_size, upcasters, batches, until))
    checkpoint, done = Checkpoint(), 0
    try:
        while (batch := await batches.get()) is not None:
            async with engine.begin() as conn:
                # Fresh tables nobody reads yet: a crash just restarts the replay, so these
                # commits need not wait for the WAL flush. The swap commits durably.
                await conn.execute(text("SET LOCAL synchronous_commit = off"))
                await apply_to(conn, projection, schema, batch)
            checkpoint, done = Checkpoint.after(batch[-1]), done + len(batch)
            if progress:
                progress(done, max(total, done))
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
    return checkpoint, done


async def _read_all(
    engine: AsyncEngine,
    batch_size: int,
    upcasters: Upcasters | None,
    out: "asyncio.Queue[list[RecordedEvent] | None]",
    until: Checkpoint | None = None,
) -> None:
    checkpoint = Checkpoint()
    async with engine.connect() as conn:
        while batch := await read_committed(conn, checkpoint, batch_size, upcasters):
            await conn.commit()
            if until is not None:
                # Commit order is checkpoint order: the first event past `until` ends the read.
                batch = [e for e in batch if Checkpoint.after(e) <= until]
                if not batch:
                    break
            await out.put(batch)
            checkpoint = Checkpoint.after(batch[-1])
            if until is not None and checkpoint >= until:
                break
    await out.put(None)


async def create_fresh_schema(engine: AsyncEngine, projection: Projection, fresh: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{fresh}" CASCADE'))
        await conn.execute(text(f'CREATE SCHEMA "{fresh}"'))
        translated = await conn.execution_options(schema_translate_map={projection.schema: fresh})
        await translated.run_sync(projection.metadata.create_all)


async def _count_events(engine: AsyncEngine, until: Checkpoint | None = None) -> int:
    async with engine.connect() as conn:
        if until is None:
            return int(await conn.scalar(text("SELECT count(*) FROM events")) or 0)
        counted = await conn.scalar(
            text(
                "SELECT count(*) FROM events WHERE (tx_id, global_position)"
                " <= (CAST(CAST(:tx AS text) AS xid8), :pos)"
            ),
            {"tx": str(until.tx_id), "pos": until.global_position},
        )
        return int(counted or 0)


async def apply_to(
    conn: AsyncConnection, projection: Projection, target_schema: str, batch: list[RecordedEvent]
) -> None:
    handled = [e for e in batch if e.event_type in projection.handles]
    if handled:
        target = await conn.execution_options(
            schema_translate_map={projection.schema: target_schema}
        )
        await projection.apply_batch(target, handled)


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
        await conn.execute(
            text("INSERT INTO tailing_checkpoints (reader) VALUES (:r) ON CONFLICT DO NOTHING"),
            {"r": projection.reader},
        )
        await lock_checkpoint(conn, projection.reader)  # the live runner waits from here
        while batch := await read_committed(conn, checkpoint, batch_size, upcasters):
            await apply_to(conn, projection, fresh, batch)
            checkpoint, caught_up = Checkpoint.after(batch[-1]), caught_up + len(batch)
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{retired}" CASCADE'))
        if await conn.scalar(text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": live}):
            await conn.execute(text(f'ALTER SCHEMA "{live}" RENAME TO "{retired}"'))
        await conn.execute(text(f'ALTER SCHEMA "{fresh}" RENAME TO "{live}"'))
        await save_checkpoint(conn, projection.reader, checkpoint)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{retired}" CASCADE'))
    return caught_up
