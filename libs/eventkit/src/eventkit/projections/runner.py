"""Keeps a store-fed projection up to date, batch by batch, in commit order.

Each batch runs in one transaction: lock the checkpoint row (so replicas never apply a batch
twice), read the next committed events (gap-safe, `eventkit.tailing`), apply them, move the
checkpoint. A crash anywhere rolls the whole batch back.
"""

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit.logging import get_logger
from eventkit.notify import commits
from eventkit.projections.projection import Projection
from eventkit.store.upcasting import Upcasters
from eventkit.tailing import Checkpoint, read_committed_of, save_checkpoint

log = get_logger(__name__)


class ProjectionRunner:
    def __init__(
        self,
        engine: AsyncEngine,
        projection: Projection,
        upcasters: Upcasters | None = None,
        batch_size: int = 500,
        idle_poll_seconds: float = 0.2,
        coalesce_seconds: float = 0.05,
    ) -> None:
        self.engine = engine
        #: After a wake-up, wait this long for more commits before reading: a consumer that
        #: commits one event at a time would otherwise make every runner of the service run a
        #: transaction per event (reporting's eight projections halved its consumption rate).
        #: Readers do not wait for it — a request brings the projections up to date itself
        #: (`eventkit.projections.freshness`).
        self.coalesce_seconds = coalesce_seconds
        self.projection = projection
        self.upcasters = upcasters or Upcasters()
        self.batch_size = batch_size
        self.idle_poll_seconds = idle_poll_seconds

    async def ensure_schema(self) -> None:
        p = self.projection
        async with self.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{p.schema}"'))
            await conn.run_sync(p.metadata.create_all)
            await conn.execute(
                text(
                    "INSERT INTO tailing_checkpoints (reader) VALUES (:r)"
                    " ON CONFLICT (reader) DO NOTHING"
                ),
                {"r": p.reader},
            )

    async def catch_up_once(self) -> int:
        """Apply the next batch; return how many events it held."""
        async with self.engine.begin() as conn:
            checkpoint = await lock_checkpoint(conn, self.projection.reader)
            # Only the handled types come with their payloads; the checkpoint still moves past
            # every event of the window.
            window = await read_committed_of(
                conn, checkpoint, self.batch_size, self.projection.handles, self.upcasters
            )
            if window.events:
                await self.projection.apply_batch(conn, window.events)
            if window.end is not None:
                await save_checkpoint(conn, self.projection.reader, window.end)
        return window.read

    async def catch_up(self) -> int:
        total = 0
        while (applied := await self.catch_up_once()) > 0:
            total += applied
        return total

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                applied = await self.catch_up_once()
            except Exception:
                # Keep the read model alive: log, wait, and retry the same batch.
                log.exception("projection_failed", projection=self.projection.name)
                await asyncio.sleep(1.0)
                continue
            if applied < self.batch_size:
                await commits.wait(self.idle_poll_seconds)
                await asyncio.sleep(self.coalesce_seconds)


async def lock_checkpoint(conn: AsyncConnection, reader: str) -> Checkpoint:
    row = (
        await conn.execute(
            text(
                "SELECT tx_id::text::bigint, global_position FROM tailing_checkpoints"
                " WHERE reader = :r FOR UPDATE"
            ),
            {"r": reader},
        )
    ).first()
    return Checkpoint(int(row[0]), int(row[1])) if row else Checkpoint()
