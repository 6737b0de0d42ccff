"""Verify a projection without touching it: replay the events into a scratch schema and compare
it with the live tables, row for row, at the live checkpoint (`erp verify`).

Read-only for the live side: nothing is written to the live tables or to their checkpoint, and
the live runner is never called — a live projection that is behind stays behind, its pending
events are its runner's. The scratch side is replayed up to the live checkpoint as read at the
start. The live runner may move on meanwhile, so the last step holds the live checkpoint row
`FOR SHARE` (it conflicts with the runner's `FOR UPDATE`: the runner, and a rebuild's swap,
wait; queries go on), brings the scratch side up to exactly that checkpoint and compares.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit.projections.projection import Projection
from eventkit.projections.rebuild import Progress, apply_to, create_fresh_schema, replay_into
from eventkit.store.upcasting import Upcasters
from eventkit.tailing import Checkpoint, load_checkpoint, read_committed


@dataclass
class VerifyReport:
    projection: str
    events_read: int
    tables: int
    differences: list[str] = field(default_factory=list)
    #: The live checkpoint both sides were compared at.
    checkpoint: Checkpoint = field(default_factory=Checkpoint)

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
    async with engine.connect() as conn:
        target = await load_checkpoint(conn, projection.reader)  # unlocked: the runner goes on
    try:
        while True:
            await create_fresh_schema(engine, projection, scratch)
            ours, done = await replay_into(
                engine, projection, scratch, upcasters, batch_size, progress, until=target
            )
            async with engine.begin() as conn:
                live = await _hold_live_checkpoint(conn, projection.reader)
                if live < ours:
                    # Only a checkpoint reset by hand moves backwards: replay again, to it.
                    target = live
                    continue
                done += await _advance(conn, projection, scratch, ours, live, upcasters, batch_size)
                differences = await _compare(conn, projection, scratch)
            break
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{scratch}" CASCADE'))
    if progress:
        progress(done, max(done, 1))
    tables = len(projection.metadata.tables)
    return VerifyReport(projection.name, done, tables, differences, live)


async def _hold_live_checkpoint(conn: AsyncConnection, reader: str) -> Checkpoint:
    """The live checkpoint, held until `conn`'s transaction ends: `FOR SHARE` makes the live
    runner's `FOR UPDATE` wait, so neither the checkpoint nor the live tables move meanwhile.
    (A projection that never ran has no row: it is compared at the start of the log.)"""
    row = (
        await conn.execute(
            text(
                "SELECT tx_id::text::bigint, global_position FROM tailing_checkpoints"
                " WHERE reader = :r FOR SHARE"
            ),
            {"r": reader},
        )
    ).first()
    return Checkpoint(int(row[0]), int(row[1])) if row else Checkpoint()


async def _advance(
    conn: AsyncConnection,
    projection: Projection,
    scratch: str,
    start: Checkpoint,
    stop: Checkpoint,
    upcasters: Upcasters | None,
    batch_size: int,
) -> int:
    """Apply the events after `start` up to and including `stop` to the scratch tables."""
    applied, position = 0, start
    while position < stop:
        batch = [
            e
            for e in await read_committed(conn, position, batch_size, upcasters)
            if Checkpoint.after(e) <= stop
        ]
        if not batch:
            break
        await apply_to(conn, projection, scratch, batch)
        position, applied = Checkpoint.after(batch[-1]), applied + len(batch)
    return applied


async def _compare(conn: AsyncConnection, projection: Projection, scratch: str) -> list[str]:
    differences: list[str] = []
    for table in projection.metadata.sorted_tables:
        if not await _exists(conn, projection.schema, table.name):
            differences.append(f"{table.name}: no live table {projection.schema}.{table.name}")
            continue
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


async def _exists(conn: AsyncConnection, schema: str, table: str) -> bool:
    found = await conn.scalar(
        text("SELECT to_regclass(format('%I.%I', CAST(:s AS text), CAST(:t AS text)))"),
        {"s": schema, "t": table},
    )
    return found is not None


async def _rows(conn: AsyncConnection, table: Table, logical: str, actual: str) -> list[Any]:
    target = await conn.execution_options(schema_translate_map={logical: actual})
    ordered = select(table).order_by(*table.columns)
    return [tuple(row) for row in await target.execute(ordered)]
