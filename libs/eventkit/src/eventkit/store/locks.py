"""Per-stream writer locks (transaction advisory locks keyed by stream id).

Writers of one stream queue instead of racing. The locks are taken in one sorted order so that
units of work needing several streams cannot deadlock each other within one call. Taking them
assigns no transaction id, which matters: a transaction that takes its id only after it holds
a stream's lock can never be older than that stream's last writer (see `eventkit_append`).
"""

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.store.errors import ConcurrencyError

_LOCK_STREAMS = text(
    "SELECT count(pg_advisory_xact_lock(k)) FROM"
    " (SELECT hashtextextended(s, 7240) AS k FROM unnest(CAST(:ids AS text[])) s ORDER BY k) t"
)


async def lock_streams(conn: AsyncConnection, stream_ids: Sequence[str]) -> None:
    """Wait for the writer locks of `stream_ids` (held until the transaction ends)."""
    if not stream_ids:
        return
    try:
        await conn.execute(_LOCK_STREAMS, {"ids": list(stream_ids)})
    except DBAPIError as error:
        if "deadlock" in str(error.orig).lower():
            raise ConcurrencyError(",".join(stream_ids), None, None) from error
        raise


def conflicting_streams(error: ConcurrencyError) -> list[str]:
    """The streams a lost race was about (a multi-stream conflict names them comma-joined)."""
    return [s for s in error.stream_id.split(",") if s]
