"""PostgreSQL event store (table `events`, kernel migration 0001).

`append` writes events of one or more streams in the caller's transaction. Optimistic
concurrency is enforced twice: versions are checked before the insert, and the unique
`(stream_id, stream_version)` constraint catches a writer that raced past the check. Either way
the caller gets `ConcurrencyError` and its whole transaction rolls back: nothing half-written.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Final

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from eventkit.jsonutil import dumps
from eventkit.store.driver import driver
from eventkit.store.errors import ConcurrencyError, DuplicateEventError
from eventkit.store.records import EventMetadata, NewEvent, RecordedEvent
from eventkit.store.upcasting import Upcasters

#: Expected version meaning "the stream must not exist yet".
NO_STREAM: Final = 0
#: Expected version meaning "append wherever the stream is" (no concurrency check).
ANY_VERSION: Final = -1

COLUMNS = (
    "global_position, stream_id, stream_version, event_id, event_type, schema_version,"
    " payload, metadata::text AS metadata, occurred_at, recorded_at, tx_id::text::bigint AS tx_id"
)

_APPEND = (
    "SELECT eventkit_append($1::text[], $2::int[], $3::text[], $4::uuid[], $5::text[],"
    " $6::int[], $7::jsonb[], $8::jsonb[], $9::timestamptz[])"
)
_CONFLICT = "EK409"


class EventStore:
    def __init__(self, upcasters: Upcasters | None = None) -> None:
        self.upcasters = upcasters or Upcasters()

    async def append(
        self,
        conn: AsyncConnection,
        events: Sequence[NewEvent],
        expected_versions: Mapping[str, int],
        metadata: EventMetadata | Sequence[EventMetadata] | None = None,
    ) -> list[int]:
        """Append `events` (any number of streams) and return their global positions.

        `metadata` is the command's, for every event; or one per event (a consumer copying a
        batch of other services' events keeps each one's provenance).

        `expected_versions[stream]` is the version the decision was made on: `NO_STREAM` for
        a new stream, `ANY_VERSION` to skip the check. Streams without an entry are `ANY`.
        One round trip (`eventkit_append`, kernel migration 0002).
        """
        if not events:
            return []
        streams = list(dict.fromkeys(e.stream_id for e in events))
        pg = await driver(conn)
        try:
            rows = await pg.fetch(
                _APPEND,
                streams,
                [expected_versions.get(s, ANY_VERSION) for s in streams],
                [e.stream_id for e in events],
                [e.event_id for e in events],
                [e.event_type for e in events],
                [e.schema_version for e in events],
                [dumps(e.payload) for e in events],
                _metadata_of(events, metadata),
                [e.occurred_at for e in events],
            )
        except asyncpg.PostgresError as error:
            raise _translate(error, streams, expected_versions) from error
        return [r[0] for r in rows]

    async def read_stream(
        self, conn: AsyncConnection, stream_id: str, after_version: int = 0
    ) -> list[RecordedEvent]:
        rows = await (await driver(conn)).fetch(
            f"SELECT {COLUMNS} FROM events WHERE stream_id = $1 AND stream_version > $2"
            " ORDER BY stream_version",
            stream_id,
            after_version,
        )
        return [self.upcasters.upcast(to_record(row)) for row in rows]

    async def read_streams(
        self, conn: AsyncConnection, stream_ids: Sequence[str]
    ) -> dict[str, list[RecordedEvent]]:
        """Several streams in one round trip (documents touching many stock items)."""
        rows = await (await driver(conn)).fetch(
            f"SELECT {COLUMNS} FROM events WHERE stream_id = ANY($1::text[])"
            " ORDER BY stream_id, stream_version",
            list(stream_ids),
        )
        streams: dict[str, list[RecordedEvent]] = {sid: [] for sid in stream_ids}
        for row in rows:
            streams[row["stream_id"]].append(self.upcasters.upcast(to_record(row)))
        return streams

    async def read_all(
        self, conn: AsyncConnection, after_position: int = 0, limit: int = 1000
    ) -> list[RecordedEvent]:
        """Events by global position (ops tools; tailing readers use `eventkit.tailing`)."""
        rows = await (await driver(conn)).fetch(
            f"SELECT {COLUMNS} FROM events WHERE global_position > $1"
            " ORDER BY global_position LIMIT $2",
            after_position,
            limit,
        )
        return [self.upcasters.upcast(to_record(row)) for row in rows]

    async def stream_version(self, conn: AsyncConnection, stream_id: str) -> int:
        version = await (await driver(conn)).fetchval(
            "SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1", stream_id
        )
        return int(version)


def _translate(
    error: asyncpg.PostgresError, streams: list[str], expected: Mapping[str, int]
) -> Exception:
    if getattr(error, "sqlstate", None) == _CONFLICT:
        stream_id, actual, wanted = [*str(getattr(error, "detail", "")).split("\t"), "", ""][:3]
        return ConcurrencyError(
            stream_id, int(wanted) if wanted else None, int(actual) if actual else None
        )
    if isinstance(error, asyncpg.UniqueViolationError):
        if error.constraint_name == "events_event_id_key":
            return DuplicateEventError(str(error))
        # A concurrent writer inserted the same version after our check.
        return ConcurrencyError(",".join(streams), expected.get(streams[0]), None)
    translated: Exception = error
    return translated


def to_record(row: Any) -> RecordedEvent:
    """From an asyncpg record of `COLUMNS` (positional: this runs once per replayed event)."""
    return RecordedEvent(*row)


def _metadata_of(
    events: Sequence[NewEvent], metadata: EventMetadata | Sequence[EventMetadata] | None
) -> list[str]:
    if metadata is None or isinstance(metadata, EventMetadata):
        return [dumps((metadata or EventMetadata()).as_dict())] * len(events)
    if len(metadata) != len(events):
        raise ValueError(f"{len(metadata)} metadata for {len(events)} events")
    return [dumps(m.as_dict()) for m in metadata]
