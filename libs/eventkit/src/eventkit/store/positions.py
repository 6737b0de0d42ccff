"""Stored positions vs. the cluster's transaction ids: the start-up check and the re-base.

Every event row stores the id of its writing transaction (`tx_id`, xid8) and tailing readers
keep checkpoints `(tx_id, global_position)` (see `eventkit.tailing`). Those ids belong to the
PostgreSQL *cluster* that wrote them. A logical dump (`pg_dump`) restored into another cluster
keeps the numbers, and a younger cluster hands out smaller ids: new events then sort before every
reader's checkpoint (the relay and projections never see them), stored events above the
cluster's next transaction id stay invisible to readers, and `eventkit_append` refuses every
append to an old stream (its last writer looks newer than any transaction to come).

`check_positions` (run by `eventkit.db.migrate` before and after the migrations) refuses to
start on such a database with a one-line `PositionsAheadOfCluster` naming the fix, and records
which cluster the positions belong to (`pg_control_system().system_identifier`, readable
without superuser; table `eventkit_cluster`, kernel migration 0004).

`rebase_positions` is the fix (`erp store rebase SERVICE`): in ONE transaction it maps every
stored transaction id to a small id of this cluster, below the oldest running transaction,
keeping the order `(tx_id, global_position)`:

- restored events keep their relative order exactly (a dense rank of their old ids: events of
  one transaction still share an id, as the per-stream rule in `eventkit_append` expects);
- events already written by *this* cluster after the restore (possible only if something wrote
  before the check ran — e.g. an older version of the service) committed after every restored
  one, so they are placed after them, in their own order. They are recognised by the row's
  `xmin` being the transaction recorded in `tx_id` (a restored row's `xmin` is the restore's);
- each checkpoint moves to the new id of the greatest restored event at or before it (a zero
  checkpoint stays zero), so each reader continues exactly after what it has read. Events
  written here since the restore come after every checkpoint: readers pass them on then.

If this cluster has handed out fewer transaction ids than there are ids to map, the re-base
first consumes transaction ids (a loop of tiny committed transactions, ~10⁵/s) and reports its
progress. It refuses (changes nothing) when the positions do not need it, so running it twice
is harmless.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit.logging import get_logger
from eventkit.store.driver import driver

log = get_logger(__name__)

#: The smallest id a re-based transaction gets (0-2 are PostgreSQL's special transaction ids).
FIRST_NORMAL_XID: Final = 3
#: Transaction ids consumed per statement while advancing the cluster (one progress report each).
XID_CHUNK: Final = 100_000
#: Extra transaction ids consumed beyond the strict need.
_XID_MARGIN: Final = 100
_ATTEMPTS: Final = 3

FIX: Final = (
    "stop the service and run `erp store rebase <service>` "
    "(docs/operations.md: Restoring a database from a logical dump)"
)

Progress = Callable[[int, int], None]


class PositionsAheadOfCluster(RuntimeError):
    """The stored positions come from another cluster's transaction ids (a restored dump)."""

    def __init__(self, status: "PositionsStatus") -> None:
        super().__init__(status.problem())
        self.status = status


class RebaseError(RuntimeError):
    """The re-base could not run; nothing was changed. One line."""


@dataclass(frozen=True, slots=True)
class PositionsStatus:
    """Where the stored positions stand against this cluster's transaction ids."""

    database: str
    #: The cluster's next transaction id (`pg_snapshot_xmax`): no stored id may reach it.
    next_xid: int
    max_event_tx: int | None
    max_checkpoint_tx: int | None
    checkpoints_ahead: int
    #: This cluster's system identifier, None when `pg_control_system()` is not readable.
    cluster: str | None
    #: The cluster recorded with the positions (table `eventkit_cluster`), None if none yet.
    recorded_cluster: str | None
    can_record: bool = False

    @property
    def events_ahead(self) -> bool:
        return self.max_event_tx is not None and self.max_event_tx >= self.next_xid

    @property
    def needs_rebase(self) -> bool:
        return self.events_ahead or self.checkpoints_ahead > 0

    def problem(self) -> str:
        """One line: what is wrong and the fix (only meaningful when `needs_rebase`)."""
        ahead = []
        if self.events_ahead:
            ahead.append(f"events up to transaction {self.max_event_tx}")
        if self.checkpoints_ahead:
            ahead.append(f"{self.checkpoints_ahead} reader checkpoint(s)")
        origin = ""
        if self.cluster and self.recorded_cluster and self.cluster != self.recorded_cluster:
            origin = f", written by cluster {self.recorded_cluster}, this is {self.cluster}"
        return (
            f"database {self.database}: stored event positions ({', '.join(ahead)}) are ahead of"
            f" this PostgreSQL cluster's next transaction id {self.next_xid}{origin}, as after"
            " restoring a dump into another cluster: readers would stall and appends to old"
            f" streams fail; {FIX}"
        )

    def summary(self) -> str:
        if self.needs_rebase:
            return self.problem()
        return (
            f"database {self.database}: stored event positions are within this cluster's"
            f" transaction ids (last event transaction {self.max_event_tx or 0},"
            f" next transaction id {self.next_xid}); nothing to rebase"
        )


@dataclass(frozen=True, slots=True)
class RebaseReport:
    status: PositionsStatus
    rebased: bool
    events: int = 0
    transactions: int = 0
    #: Events written by this cluster after the restore, placed after the restored ones.
    written_here: int = 0
    checkpoints: int = 0
    xids_consumed: int = 0
    first_tx: int = 0
    last_tx: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for the operator."""
        if not self.rebased:
            return self.status.summary()
        here = (
            f" ({self.written_here:,} written here since the restore placed after the restored"
            " ones)"
            if self.written_here
            else ""
        )
        consumed = (
            f"; advanced the cluster by {self.xids_consumed:,} transaction ids first"
            if self.xids_consumed
            else ""
        )
        return (
            f"database {self.status.database}: rebased {self.events:,} events of"
            f" {self.transactions:,} transactions{here} from transaction ids up to"
            f" {self.status.max_event_tx or self.status.max_checkpoint_tx} onto"
            f" {self.first_tx}..{self.last_tx}, order kept, and {self.checkpoints} reader"
            f" checkpoint(s){consumed} in {self.seconds:.1f}s"
        )


# --- reading the status ---------------------------------------------------------------------

_PRESENT = """
SELECT to_regclass('events') IS NOT NULL AND to_regclass('tailing_checkpoints') IS NOT NULL,
       to_regclass('eventkit_cluster') IS NOT NULL,
       has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')
"""

# The greatest event id is one backward step of the (tx_id, global_position) index.
_STATUS = """
SELECT current_database(),
       pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
       (SELECT tx_id::text::bigint FROM events ORDER BY tx_id DESC, global_position DESC LIMIT 1),
       (SELECT tx_id::text::bigint FROM tailing_checkpoints ORDER BY tx_id DESC LIMIT 1),
       (SELECT count(*) FROM tailing_checkpoints
         WHERE tx_id >= pg_snapshot_xmax(pg_current_snapshot()))
"""


async def _status(pg: Any) -> PositionsStatus | None:
    store, identity_table, control = await pg.fetchrow(_PRESENT)
    if not store:
        return None
    database, next_xid, max_event, max_checkpoint, ahead = await pg.fetchrow(_STATUS)
    cluster = (
        await pg.fetchval("SELECT system_identifier::text FROM pg_control_system()")
        if control
        else None
    )
    recorded = (
        await pg.fetchval("SELECT system_identifier FROM eventkit_cluster")
        if identity_table
        else None
    )
    return PositionsStatus(
        database=database,
        next_xid=next_xid,
        max_event_tx=max_event,
        max_checkpoint_tx=max_checkpoint,
        checkpoints_ahead=ahead,
        cluster=cluster,
        recorded_cluster=recorded,
        can_record=identity_table and cluster is not None,
    )


async def _record_cluster(pg: Any, status: PositionsStatus, *, announce: bool = True) -> None:
    """Note that the positions now belong to this cluster (when it can be known)."""
    if not status.can_record or status.cluster == status.recorded_cluster:
        return
    await pg.execute(
        "INSERT INTO eventkit_cluster (system_identifier) VALUES ($1)"
        " ON CONFLICT (singleton) DO UPDATE"
        " SET system_identifier = excluded.system_identifier, recorded_at = now()",
        status.cluster,
    )
    if announce and status.recorded_cluster is not None:
        log.info(
            "database_cluster_changed",
            database=status.database,
            cluster=status.cluster,
            previous_cluster=status.recorded_cluster,
        )


async def positions_status(conn: AsyncConnection) -> PositionsStatus | None:
    """The status (None if the database has no event store yet). Changes nothing."""
    return await _status(await driver(conn))


async def check_positions(target: AsyncEngine | AsyncConnection) -> PositionsStatus | None:
    """Raise `PositionsAheadOfCluster` if stored positions are ahead of this cluster's
    transaction ids; otherwise record the cluster they belong to. None without an event store.

    Cheap (a few index lookups); `eventkit.db.migrate` runs it at every start-up.
    """
    if isinstance(target, AsyncEngine):
        async with target.begin() as conn:
            return await check_positions(conn)
    pg = await driver(target)
    status = await _status(pg)
    if status is None:
        return None
    if status.needs_rebase:
        raise PositionsAheadOfCluster(status)
    await _record_cluster(pg, status)
    return status


# --- advancing the cluster's transaction ids ------------------------------------------------


async def consume_transaction_ids(pg: Any, count: int, progress: Progress | None = None) -> int:
    """Advance the cluster's transaction-id counter by `count` (tiny committed transactions).

    `pg` is an asyncpg connection outside any transaction (the loop commits as it goes).
    """
    if pg.is_in_transaction():
        raise RebaseError("transaction ids can only be consumed outside a transaction")
    done = 0
    await pg.execute("SET synchronous_commit = off")  # nothing is written that must survive
    try:
        while done < count:
            step = min(XID_CHUNK, count - done)
            await pg.execute(
                "DO $$ BEGIN FOR i IN 1.."
                f"{int(step)} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$"
            )
            done += step
            if progress is not None:
                progress(done, count)
    finally:
        await pg.execute("RESET synchronous_commit")
    return done


# --- the re-base ----------------------------------------------------------------------------

# A row written by this cluster: an id this cluster has handed out, and the row was inserted by
# that very transaction (its xmin is the id's low 32 bits). A restored row's xmin is the restore.
_HERE = "(e.tx_id < $1::text::xid8 AND e.xmin::text::bigint = e.tx_id::text::bigint % 4294967296)"

_LOCK = "LOCK TABLE events, tailing_checkpoints IN EXCLUSIVE MODE"
_HORIZON = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
_DISTINCT = f"SELECT DISTINCT {_HERE} AS here, e.tx_id FROM events e"
_COUNT = f"SELECT count(*) FROM ({_DISTINCT}) d"
_WRITTEN_HERE = f"SELECT count(*) FROM events e WHERE {_HERE}"
_MAP_TABLE = (
    "CREATE TEMP TABLE eventkit_rebase (here boolean NOT NULL, old_tx xid8 NOT NULL,"
    " new_tx xid8 NOT NULL, PRIMARY KEY (here, old_tx)) ON COMMIT DROP"
)
# Restored transactions first (here = false), each group in its old order.
_MAP = (
    "INSERT INTO eventkit_rebase (here, old_tx, new_tx)"
    " SELECT here, tx_id,"
    " ($2::bigint - 1 + row_number() OVER (ORDER BY here, tx_id))::text::xid8"
    f" FROM ({_DISTINCT}) d"
)
_MOVE_CHECKPOINTS = f"""
WITH moved AS (
    SELECT c.reader, g.new_tx, g.global_position
      FROM tailing_checkpoints c
      LEFT JOIN LATERAL (
          SELECT m.new_tx, e.global_position
            FROM events e
            JOIN eventkit_rebase m ON m.old_tx = e.tx_id AND NOT m.here
           WHERE (e.tx_id, e.global_position) <= (c.tx_id, c.global_position)
             AND NOT {_HERE}
           ORDER BY e.tx_id DESC, e.global_position DESC
           LIMIT 1
      ) g ON true
     WHERE c.tx_id <> '0' OR c.global_position <> 0
)
UPDATE tailing_checkpoints c
   SET tx_id = coalesce(moved.new_tx, '0'), global_position = coalesce(moved.global_position, 0),
       updated_at = now()
  FROM moved
 WHERE moved.reader = c.reader
"""
_MOVE_EVENTS = (
    "UPDATE events e SET tx_id = m.new_tx FROM eventkit_rebase m"
    f" WHERE m.old_tx = e.tx_id AND m.here = {_HERE}"
)


def _count(status: str) -> int:
    """Rows of an asyncpg command status such as `UPDATE 12`."""
    return int(status.rsplit(" ", 1)[-1])


async def rebase_positions(
    engine: AsyncEngine,
    *,
    progress: Progress | None = None,
    lowest: int = FIRST_NORMAL_XID,
) -> RebaseReport:
    """Re-base stored positions into this cluster's transaction ids (see the module doc).

    `progress(done, total)` reports transaction ids consumed, when the cluster must be advanced
    first. `lowest` is the first id handed out (tests raise it to exercise the advance).
    Returns a report whose `rebased` is False, having changed nothing, when no re-base is needed.
    """
    if lowest < FIRST_NORMAL_XID:
        raise ValueError(f"lowest must be at least {FIRST_NORMAL_XID}")
    started = time.perf_counter()
    consumed = 0
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        pg = raw.driver_connection
        if pg is None:
            raise RebaseError("no database connection")
        for _ in range(_ATTEMPTS):
            async with pg.transaction():
                await pg.execute(_LOCK)  # writers wait; readers go on
                status = await _status(pg)
                if status is None:
                    raise RebaseError("this database has no event store (table events)")
                if not status.needs_rebase:
                    return RebaseReport(status, rebased=False)
                transactions = await pg.fetchval(_COUNT, str(status.next_xid))
                horizon = await pg.fetchval(_HORIZON)
                shortfall = lowest + transactions - horizon
                if shortfall <= 0:
                    report = await _rebase(pg, status, transactions, lowest)
                    return _finish(report, consumed, started)
            # Not enough transaction ids below the oldest running transaction: hand out more.
            consumed += await consume_transaction_ids(pg, shortfall + _XID_MARGIN, progress)
            horizon = await pg.fetchval(_HORIZON)
            if horizon < lowest + transactions:
                raise RebaseError(
                    f"database {status.database}: a transaction that began before the re-base"
                    f" (transaction id {horizon}, see pg_stat_activity.backend_xid) holds back"
                    " the cluster's oldest running transaction id; end it and run again"
                )
        raise RebaseError("events kept being written during the re-base; stop the service first")


async def _rebase(pg: Any, status: PositionsStatus, transactions: int, lowest: int) -> RebaseReport:
    next_xid = str(status.next_xid)
    written_here = await pg.fetchval(_WRITTEN_HERE, next_xid)
    await pg.execute(_MAP_TABLE)
    await pg.execute(_MAP, next_xid, lowest)
    checkpoints = _count(await pg.execute(_MOVE_CHECKPOINTS, next_xid))
    events = _count(await pg.execute(_MOVE_EVENTS, next_xid))
    await _record_cluster(pg, status, announce=False)  # the caller reports the re-base
    return RebaseReport(
        status,
        rebased=True,
        events=events,
        transactions=transactions,
        written_here=written_here,
        checkpoints=checkpoints,
        first_tx=lowest,
        last_tx=lowest + transactions - 1,
    )


def _finish(report: RebaseReport, consumed: int, started: float) -> RebaseReport:
    return replace(report, xids_consumed=consumed, seconds=time.perf_counter() - started)
