"""Read your own writes: a request sees every event committed before it began.

A service's read models are store-fed projections that follow the log a moment behind the
commands. Without care, `POST /orders` answers 201 and an immediate `GET /orders/{id}` answers
404. So before a request runs, `Freshness.wait` checks whether any of the service's projections
has events to apply that were already committed when the request began, and if so brings them
up to date *itself* (the same `catch_up_once` the runner does — the checkpoint row lock keeps
replicas and the runner from applying a batch twice) until none is behind, or `deadline`
seconds pass: then the request is refused with 503 `read_model_lagging` and Retry-After rather
than answered from a stale model. One mechanism for every service and every replica (they share
the store): a client — and the console — can always read what it has just written, through any
replica.

"Committed before it began" is the newest event the request's first statement sees (in the
log's reading order); the wait is for every projection's checkpoint to reach it, so writes that
commit during the wait never prolong it. On a quiet or caught-up service that costs one
statement per request.
"""

import asyncio
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit.projections.runner import ProjectionRunner

#: The newest committed event (in reading order) and the projections whose checkpoint is
#: before it: a backward walk of the `(tx_id, global_position)` index and one row per reader.
_BEHIND_HEAD = text(
    """
    WITH head AS (SELECT tx_id, global_position FROM events
                   ORDER BY tx_id DESC, global_position DESC LIMIT 1)
    SELECT c.reader, h.tx_id::text::bigint, h.global_position
      FROM tailing_checkpoints c, head h
     WHERE c.reader = ANY(CAST(:readers AS text[]))
       AND (c.tx_id, c.global_position) < (h.tx_id, h.global_position)
    """
)
_BEHIND_TARGET = text(
    """
    SELECT reader FROM tailing_checkpoints
     WHERE reader = ANY(CAST(:readers AS text[]))
       AND (tx_id, global_position) < (CAST(CAST(:tx AS text) AS xid8), :pos)
    """
)


class ReadModelLagging(Exception):
    """A read model could not catch up with what was committed before the request."""

    def __init__(self, readers: Sequence[str]) -> None:
        super().__init__(f"read models still catching up: {', '.join(readers)}")
        self.readers = list(readers)


class Freshness:
    def __init__(
        self, engine: AsyncEngine, runners: Sequence[ProjectionRunner], deadline: float = 5.0
    ) -> None:
        self.engine = engine
        self.runners = {runner.projection.reader: runner for runner in runners}
        self.deadline = deadline
        #: One request at a time drives a projection's catch-up in this process; the others
        #: look again instead of queueing a connection each on its checkpoint row lock.
        self._driving = {reader: asyncio.Lock() for reader in self.runners}

    async def wait(self) -> None:
        """Return once every projection has applied every event committed before this call."""
        if not self.runners:
            return
        async with self.engine.connect() as conn:
            rows = (await conn.execute(_BEHIND_HEAD, {"readers": list(self.runners)})).all()
        if not rows:
            return
        target = {"tx": str(rows[0][1]), "pos": rows[0][2]}
        lagging = [row[0] for row in rows]
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.deadline
        while lagging:
            if loop.time() > give_up:
                raise ReadModelLagging(lagging)
            # All lagging projections at once, each on its own connection. An event of a
            # transaction that is still running (it holds back the gap-safe horizon) cannot be
            # applied yet; the runner may also have applied the batch first: look again, and
            # only pause when a look found nothing new either.
            applied = sum(await asyncio.gather(*(self._drive(reader) for reader in lagging)))
            still = await self._behind_target(lagging, target)
            if still and not applied and still == lagging:
                await asyncio.sleep(0.002)
            lagging = still

    async def _drive(self, reader: str) -> int:
        lock = self._driving[reader]
        if lock.locked():
            return 0  # another request of this process is applying it right now
        async with lock:
            return await self.runners[reader].catch_up_once()

    async def _behind_target(self, readers: list[str], target: dict[str, object]) -> list[str]:
        async with self.engine.connect() as conn:
            result = await conn.execute(_BEHIND_TARGET, {"readers": readers, **target})
            return [row[0] for row in result]
