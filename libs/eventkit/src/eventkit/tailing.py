"""Gap-safe reading of the event log in commit order.

The trap (hit by Marten, prooph and commanded): a reader that follows `global_position` skips
a row whose transaction took an earlier position but committed after a later one was read.
We record the writing transaction id (`tx_id`, xid8) with every event and read only rows whose
transaction is older than the oldest transaction still running
(`pg_snapshot_xmin(pg_current_snapshot())`): that set can no longer grow, so a checkpoint
`(tx_id, global_position)` never passes over a row that may still appear. The event store keeps
each stream's tx ids non-decreasing, so commit order is also per-stream order.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.jsonutil import dumps
from eventkit.store.driver import driver
from eventkit.store.event_store import COLUMNS, to_record
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
_READ_OF = "SELECT * FROM eventkit_read_committed($1::text::xid8, $2, $3, $4::text[])"
_READ_AT = (
    f"SELECT {COLUMNS} FROM events WHERE global_position = ANY($1::bigint[])"
    " ORDER BY tx_id, global_position"
)
#: Column indexes in a row of `eventkit_read_committed` (the order of `RecordedEvent`).
_POSITION, _TYPE, _TX = 0, 4, 10


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


@dataclass(frozen=True, slots=True)
class Window:
    """What one read of the log passed: `events` are the ones asked for, `end` is after the
    last event read (of any type) — where the reader's checkpoint moves."""

    read: int = 0
    end: Checkpoint | None = None
    events: list[RecordedEvent] = field(default_factory=list)


async def read_committed_of(
    conn: AsyncConnection,
    after: Checkpoint,
    limit: int,
    types: Collection[str],
    upcasters: Upcasters | None = None,
) -> Window:
    """The same `limit` events as `read_committed`, but only those of `types` are returned
    (with their payloads): the server sends no payload of the others and nothing decodes one —
    a projection often reads a few of the many types its store holds."""
    pg = await driver(conn)
    rows = await pg.fetch(_READ_OF, str(after.tx_id), after.global_position, limit, list(types))
    if not rows:
        return Window()
    records = [to_record(row) for row in rows if row[_TYPE] in types]
    last = rows[-1]
    end = Checkpoint(last[_TX], last[_POSITION])
    return Window(len(rows), end, [upcasters.upcast(r) for r in records] if upcasters else records)


async def read_heads(conn: AsyncConnection, after: Checkpoint, limit: int) -> list[RecordedEvent]:
    """The same events as `read_committed`, as heads only: positions, stream, type and times,
    with an empty payload and metadata (what a relay's publish filter decides on)."""
    rows = await (await driver(conn)).fetch(
        _READ_OF, str(after.tx_id), after.global_position, limit, []
    )
    return [to_record((*row[:6], {}, "{}", *row[8:])) for row in rows]


async def read_positions(
    conn: AsyncConnection, positions: list[int], upcasters: Upcasters | None = None
) -> list[RecordedEvent]:
    """Whole events at `positions` (already read as heads), in the log's reading order."""
    rows = await (await driver(conn)).fetch(_READ_AT, positions)
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


async def advance_checkpoint(
    conn: AsyncConnection,
    reader: str,
    start: Checkpoint,
    end: Checkpoint,
    delivered: int,
    log_mark: dict[str, object] | None = None,
) -> bool:
    """Move `reader` from `start` to `end` only if it is still at `start` (compare-and-set).

    A writer that read its batch before someone else moved the checkpoint — a relay that lost
    its leadership, or whose checkpoint was reset to re-seed a broker — must not write its
    batch's end over theirs: checkpoints never move backwards and a reset is never undone.
    """
    moved = await conn.scalar(
        text(
            """
            UPDATE tailing_checkpoints
               SET tx_id = CAST(CAST(:tx AS text) AS xid8), global_position = :pos,
                   delivered = delivered + :n, updated_at = now(),
                   log_mark = coalesce(log_mark, CAST(:mark AS jsonb))
             WHERE reader = :r AND tx_id = CAST(CAST(:start_tx AS text) AS xid8)
               AND global_position = :start_pos
            RETURNING 1
            """
        ),
        {
            "r": reader,
            "tx": str(end.tx_id),
            "pos": end.global_position,
            "n": delivered,
            "start_tx": str(start.tx_id),
            "start_pos": start.global_position,
            "mark": dumps(log_mark) if log_mark is not None else None,
        },
    )
    return moved is not None


async def ensure_checkpoint(conn: AsyncConnection, reader: str) -> None:
    await conn.execute(
        text(
            "INSERT INTO tailing_checkpoints (reader) VALUES (:r) ON CONFLICT (reader) DO NOTHING"
        ),
        {"r": reader},
    )


async def reset_checkpoint(conn: AsyncConnection, reader: str) -> None:
    """Start `reader` again from the beginning of the log."""
    await conn.execute(
        text(
            "UPDATE tailing_checkpoints SET tx_id = '0', global_position = 0, delivered = 0,"
            " log_mark = NULL, updated_at = now() WHERE reader = :r"
        ),
        {"r": reader},
    )


async def load_log_mark(conn: AsyncConnection, reader: str) -> dict[str, Any] | None:
    """The relay's witness record in the broker's log (see sql/0005), if it has one."""
    value = await conn.scalar(
        text("SELECT log_mark FROM tailing_checkpoints WHERE reader = :r"), {"r": reader}
    )
    return dict(value) if isinstance(value, dict) else None
