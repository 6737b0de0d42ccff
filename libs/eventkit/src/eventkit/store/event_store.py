"""PostgreSQL event store (table `events`, kernel migration 0001).

`append` writes events of one or more streams in the caller's transaction. Optimistic
concurrency is enforced twice: versions are checked before the insert, and the unique
`(stream_id, stream_version)` constraint catches a writer that raced past the check. Either way
the caller gets `ConcurrencyError` and its whole transaction rolls back: nothing half-written.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.jsonutil import dumps
from eventkit.store.errors import ConcurrencyError, DuplicateEventError
from eventkit.store.records import EventMetadata, NewEvent, RecordedEvent
from eventkit.store.upcasting import Upcasters

#: Expected version meaning "the stream must not exist yet".
NO_STREAM: Final = 0
#: Expected version meaning "append wherever the stream is" (no concurrency check).
ANY_VERSION: Final = -1

_COLUMNS = (
    "global_position, stream_id, stream_version, event_id, event_type, schema_version,"
    " payload, metadata, occurred_at, recorded_at, tx_id::text::bigint AS tx_id"
)

# The stream heads, and whether a head was written by a transaction that got its id after ours.
# Readers tail the log in (tx_id, position) order, so a stream's events must never go
# backwards in tx_id: a transaction that took its id before reading the stream must retry.
_HEADS = text(
    """
    SELECT s.stream_id, h.stream_version, coalesce(h.tx_id > pg_current_xact_id(), false)
    FROM unnest(CAST(:ids AS text[])) AS s(stream_id)
    LEFT JOIN LATERAL (
        SELECT stream_version, tx_id FROM events e
        WHERE e.stream_id = s.stream_id ORDER BY stream_version DESC LIMIT 1
    ) h ON true
    """
)

_INSERT = text(
    """
    INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version,
                        payload, metadata, occurred_at)
    SELECT sid, ver, eid, etype, sver, body, meta, coalesce(occ, now())
    FROM unnest(CAST(:sids AS text[]), CAST(:vers AS int[]), CAST(:eids AS uuid[]),
                CAST(:etypes AS text[]), CAST(:svers AS int[]), CAST(:bodies AS jsonb[]),
                CAST(:metas AS jsonb[]), CAST(:occs AS timestamptz[]))
         AS t(sid, ver, eid, etype, sver, body, meta, occ)
    RETURNING global_position
    """
)


class EventStore:
    def __init__(self, upcasters: Upcasters | None = None) -> None:
        self.upcasters = upcasters or Upcasters()

    async def append(
        self,
        conn: AsyncConnection,
        events: Sequence[NewEvent],
        expected_versions: Mapping[str, int],
        metadata: EventMetadata | None = None,
    ) -> list[int]:
        """Append `events` (any number of streams) and return their global positions.

        `expected_versions[stream]` is the version the decision was made on: `NO_STREAM` for
        a new stream, `ANY_VERSION` to skip the check. Streams without an entry are `ANY`.
        """
        if not events:
            return []
        stream_ids = list(dict.fromkeys(e.stream_id for e in events))
        heads = await self._heads(conn, stream_ids)
        next_version = self._check_expected(heads, expected_versions)
        rows = _rows(events, next_version, (metadata or EventMetadata()).as_dict())
        try:
            result = await conn.execute(_INSERT, rows)
        except IntegrityError as error:
            raise _translate(error, stream_ids, expected_versions) from error
        return [r[0] for r in result]

    async def _heads(self, conn: AsyncConnection, ids: list[str]) -> dict[str, int]:
        result = await conn.execute(_HEADS, {"ids": ids})
        heads: dict[str, int] = {}
        for stream_id, version, written_later in result:
            if written_later:
                raise ConcurrencyError(stream_id, None, version)
            heads[stream_id] = version or 0
        return heads

    @staticmethod
    def _check_expected(heads: dict[str, int], expected: Mapping[str, int]) -> dict[str, int]:
        for stream_id, actual in heads.items():
            wanted = expected.get(stream_id, ANY_VERSION)
            if wanted not in (ANY_VERSION, actual):
                raise ConcurrencyError(stream_id, wanted, actual)
        return {stream_id: actual + 1 for stream_id, actual in heads.items()}

    async def read_stream(
        self, conn: AsyncConnection, stream_id: str, after_version: int = 0
    ) -> list[RecordedEvent]:
        result = await conn.execute(
            text(
                f"SELECT {_COLUMNS} FROM events WHERE stream_id = :sid"
                " AND stream_version > :after ORDER BY stream_version"
            ),
            {"sid": stream_id, "after": after_version},
        )
        return [self.upcasters.upcast(to_record(row)) for row in result]

    async def read_streams(
        self, conn: AsyncConnection, stream_ids: Sequence[str]
    ) -> dict[str, list[RecordedEvent]]:
        """Several streams in one round trip (documents touching many stock items)."""
        result = await conn.execute(
            text(
                f"SELECT {_COLUMNS} FROM events WHERE stream_id = ANY(CAST(:ids AS text[]))"
                " ORDER BY stream_id, stream_version"
            ),
            {"ids": list(stream_ids)},
        )
        streams: dict[str, list[RecordedEvent]] = {sid: [] for sid in stream_ids}
        for row in result:
            streams[row.stream_id].append(self.upcasters.upcast(to_record(row)))
        return streams

    async def read_all(
        self, conn: AsyncConnection, after_position: int = 0, limit: int = 1000
    ) -> list[RecordedEvent]:
        """Events by global position (ops tools; tailing readers use `eventkit.tailing`)."""
        result = await conn.execute(
            text(
                f"SELECT {_COLUMNS} FROM events WHERE global_position > :after"
                " ORDER BY global_position LIMIT :limit"
            ),
            {"after": after_position, "limit": limit},
        )
        return [self.upcasters.upcast(to_record(row)) for row in result]

    async def stream_version(self, conn: AsyncConnection, stream_id: str) -> int:
        result = await conn.execute(
            text("SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = :sid"),
            {"sid": stream_id},
        )
        return int(result.scalar_one())


def _rows(
    events: Sequence[NewEvent], next_version: dict[str, int], metadata: dict[str, str]
) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {
        k: [] for k in ("sids", "vers", "eids", "etypes", "svers", "bodies", "metas", "occs")
    }
    meta_json = dumps(metadata)
    for event in events:
        version = next_version[event.stream_id]
        next_version[event.stream_id] = version + 1
        rows["sids"].append(event.stream_id)
        rows["vers"].append(version)
        rows["eids"].append(event.event_id)
        rows["etypes"].append(event.event_type)
        rows["svers"].append(event.schema_version)
        rows["bodies"].append(dumps(event.payload))
        rows["metas"].append(meta_json)
        rows["occs"].append(event.occurred_at)
    return rows


def _translate(
    error: IntegrityError, stream_ids: list[str], expected: Mapping[str, int]
) -> Exception:
    constraint = getattr(error.orig, "constraint_name", None) or getattr(
        getattr(error.orig, "__cause__", None), "constraint_name", ""
    )
    if constraint == "events_event_id_key":
        return DuplicateEventError(str(error.orig))
    # A concurrent writer took the same version between our check and our insert.
    stream_id = stream_ids[0] if len(stream_ids) == 1 else ",".join(stream_ids)
    return ConcurrencyError(stream_id, expected.get(stream_ids[0]), None)


def to_record(row: Any) -> RecordedEvent:
    occurred: datetime = row.occurred_at
    return RecordedEvent(
        global_position=row.global_position,
        stream_id=row.stream_id,
        stream_version=row.stream_version,
        event_id=row.event_id,
        event_type=row.event_type,
        schema_version=row.schema_version,
        payload=row.payload,
        metadata=EventMetadata.from_dict(row.metadata or {}),
        occurred_at=occurred,
        recorded_at=row.recorded_at,
        tx_id=row.tx_id,
    )
