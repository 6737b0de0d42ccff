"""Gap-safe reading of the event log in commit order.

The trap (hit by Marten, prooph and commanded): a reader that follows `global_position` skips
a row whose transaction took an earlier position but committed after a later one was read.
We record the writing transaction id (`tx_id`, xid8) with every event and read only rows whose
transaction is older than the oldest transaction still running
(`pg_snapshot_xmin(pg_current_snapshot())`): that set can no longer grow, so a checkpoint
`(tx_id, global_position)` never passes over a row that may still appear. The event store keeps
each stream's tx ids non-decreasing, so commit order is also per-stream order.
"""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.store.driver import driver
from eventkit.store.event_store import to_record
from eventkit.store.records import RecordedEvent
from eventkit.store.upcasting import Upcasters


@dataclass(frozen=True, slots=True, order=True)
class Checkpoint:
    tx_id: int = 0
    global_position: int = 0

    @classmethod
    def after(cls, event: RecordedEvent) -> "Checkpoint":
        return cls(event.tx_id, event.global_position)


_READ = "SELECT * FROM eventkit_read_committed($1::text::xid8, $2, $3)"


async def read_committed(
    conn: AsyncConnection,
    after: Checkpoint,
    limit: int,
    upcasters: Upcasters | None = None,
) -> list[RecordedEvent]:
    """The next `limit` events after `after` that no running transaction can precede."""
    rows = await (await driver(conn)).fetch(_READ, str(after.tx_id), after.global_position, limit)
    records = [to_record(row) for row in rows]
    return [upcasters.upcast(r) for r in records] if upcasters else records


async def load_checkpoint(conn: AsyncConnection, reader: str) -> Checkpoint:
    result = await conn.execute(
        text(
            "SELECT tx_id::text::bigint, global_position FROM tailing_checkpoints WHERE reader = :r"
        ),
        {"r": reader},
    )
    row = result.first()
    return Checkpoint(int(row[0]), int(row[1])) if row else Checkpoint()


async def save_checkpoint(
    conn: AsyncConnection, reader: str, checkpoint: Checkpoint, delivered: int = 0
) -> None:
    """Move `reader` to `checkpoint`, adding `delivered` to its count of events passed on."""
    await conn.execute(
        text(
            """
            INSERT INTO tailing_checkpoints (reader, tx_id, global_position, delivered, updated_at)
            VALUES (:r, CAST(CAST(:tx AS text) AS xid8), :pos, :n, now())
            ON CONFLICT (reader) DO UPDATE
               SET tx_id = excluded.tx_id, global_position = excluded.global_position,
                   delivered = tailing_checkpoints.delivered + excluded.delivered,
                   updated_at = excluded.updated_at
            """
        ),
        {
            "r": reader,
            "tx": str(checkpoint.tx_id),
            "pos": checkpoint.global_position,
            "n": delivered,
        },
    )


async def reset_checkpoint(conn: AsyncConnection, reader: str) -> None:
    """Start `reader` again from the beginning of the log."""
    await conn.execute(
        text(
            "UPDATE tailing_checkpoints SET tx_id = '0', global_position = 0, delivered = 0,"
            " updated_at = now() WHERE reader = :r"
        ),
        {"r": reader},
    )


async def delivered_count(conn: AsyncConnection, reader: str) -> int:
    value = await conn.scalar(
        text("SELECT delivered FROM tailing_checkpoints WHERE reader = :r FOR UPDATE"),
        {"r": reader},
    )
    return int(value or 0)
