"""A logical dump restored into a younger PostgreSQL cluster: stored transaction ids are ahead of
the cluster's. The start-up check refuses such a database; `rebase_positions` re-bases the
positions into the cluster's transaction ids, keeping the order readers tail the log in.

The restore is simulated by moving every stored id 10 million transactions into the future,
which is what the ids of an older cluster look like to a young one."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit import ANY_VERSION, ConcurrencyError, EventStore, NewEvent
from eventkit.db import kernel_migrations, migrate
from eventkit.store.positions import (
    PositionsAheadOfCluster,
    RebaseError,
    check_positions,
    rebase_positions,
)
from eventkit.tailing import Checkpoint, read_committed, save_checkpoint
from eventkit.uow import in_transaction

pytestmark = pytest.mark.integration

SHIFT = 10_000_000
STORE = EventStore()


async def append(engine: AsyncEngine, stream: str, count: int, expected: int = ANY_VERSION) -> None:
    async def work(conn: AsyncConnection) -> None:
        events = [NewEvent(stream, "Counted", {"n": i}) for i in range(count)]
        await STORE.append(conn, events, {stream: expected})

    await in_transaction(engine, work, retries=0)


async def interleaved(engine: AsyncEngine) -> None:
    """A transaction that took its id first but inserts last: its rows have the smaller tx_id
    and the larger positions, so commit order differs from position order."""
    early = await engine.connect()
    early_tx = await early.begin()
    await early.execute(text("SELECT pg_current_xact_id()"))
    await append(engine, "order-late", 2)
    await STORE.append(early, [NewEvent("order-early", "Counted", {"n": 1})], {})
    await early_tx.commit()
    await early.close()


async def log_order(engine: AsyncEngine) -> list[tuple[str, int, int]]:
    """(event_id, tx_id, global_position) in the order readers tail the log."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT event_id::text, tx_id::text::bigint, global_position FROM events"
                " ORDER BY tx_id, global_position"
            )
        )
        return [(r[0], r[1], r[2]) for r in rows]


async def checkpoints(engine: AsyncEngine) -> dict[str, tuple[int, int, int]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT reader, tx_id::text::bigint, global_position, delivered"
                " FROM tailing_checkpoints"
            )
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows}


async def simulate_restore_into_younger_cluster(engine: AsyncEngine) -> None:
    shifted = f"(tx_id::text::bigint + {SHIFT})::text::xid8"
    async with engine.begin() as conn:
        await conn.execute(text(f"UPDATE events SET tx_id = {shifted}"))
        await conn.execute(
            text(f"UPDATE tailing_checkpoints SET tx_id = {shifted} WHERE tx_id <> '0'")
        )


async def read_on(engine: AsyncEngine, after: Checkpoint) -> list[str]:
    """Every event id a reader continuing from `after` gets, in order."""
    seen: list[str] = []
    async with engine.connect() as conn:
        while batch := await read_committed(conn, after, 3):
            seen.extend(str(e.event_id) for e in batch)
            after = Checkpoint.after(batch[-1])
            await conn.rollback()
    return seen


async def save(engine: AsyncEngine, reader: str, checkpoint: Checkpoint, delivered: int) -> None:
    async with engine.begin() as conn:
        await save_checkpoint(conn, reader, checkpoint, delivered)


async def a_history(engine: AsyncEngine) -> list[tuple[str, int, int]]:
    await append(engine, "stock-a", 3, expected=0)
    await append(engine, "stock-b", 2, expected=0)
    await interleaved(engine)
    await append(engine, "stock-a", 1, expected=3)
    await append(engine, "stock-c", 4, expected=0)
    return await log_order(engine)


async def test_a_restore_into_a_younger_cluster_is_detected_and_rebased_in_order(
    engine: AsyncEngine,
) -> None:
    history = await a_history(engine)
    async with engine.connect() as conn:
        first = await read_committed(conn, Checkpoint(), 6)
    assert [str(e.event_id) for e in first] == [h[0] for h in history[:6]]
    await save(engine, "relay", Checkpoint.after(first[-1]), delivered=6)
    await save(engine, "projection", Checkpoint(), delivered=0)
    # A checkpoint between two events: after the 8th, before the 9th.
    eighth, ninth = history[7], history[8]
    assert ninth[1] > eighth[1]
    await save(engine, "between", Checkpoint(eighth[1], eighth[2] + 1_000), delivered=8)
    assert await check_positions(engine) is not None

    await simulate_restore_into_younger_cluster(engine)
    async with engine.begin() as conn:  # as if dumped from another cluster
        await conn.execute(text("UPDATE eventkit_cluster SET system_identifier = '42'"))
    restored = await log_order(engine)
    assert [r[0] for r in restored] == [h[0] for h in history]

    # --- broken: the check refuses, readers stall, old streams cannot be appended to
    with pytest.raises(PositionsAheadOfCluster) as refused:
        await check_positions(engine)
    message = str(refused.value)
    assert "\n" not in message
    assert "erp store rebase" in message
    assert "written by cluster 42" in message
    with pytest.raises(PositionsAheadOfCluster):
        await migrate(engine, kernel_migrations())  # the service start-up refuses too
    await append(engine, "fresh", 1, expected=0)  # a new stream still takes writes...
    relay = Checkpoint(*(await checkpoints(engine))["relay"][:2])
    assert await read_on(engine, relay) == []  # ...that no reader ever sees
    with pytest.raises(ConcurrencyError):
        await append(engine, "stock-a", 1, expected=4)
    (fresh,) = [e for e in await log_order(engine) if e[0] not in {h[0] for h in history}]
    assert (await log_order(engine))[0] == fresh  # it sorts before everything restored

    # --- the re-base
    report = await rebase_positions(engine)
    assert report.rebased
    assert report.events == len(history) + 1
    assert report.written_here == 1
    assert report.checkpoints == 2  # relay and between; the zero checkpoint stays zero
    assert report.xids_consumed == 0
    assert "\n" not in report.summary()
    assert f"rebased {len(history) + 1} events" in report.summary()

    status = await check_positions(engine)
    assert status is not None
    assert not status.needs_rebase
    assert status.recorded_cluster is not None
    assert status.recorded_cluster == status.cluster
    await migrate(engine, kernel_migrations())

    after = await log_order(engine)
    # Restored events keep their order; what this cluster wrote since comes after them.
    assert [a[0] for a in after] == [h[0] for h in history] + [fresh[0]]
    # Events of one transaction still share an id, events of different ones do not.
    old_by_event = {h[0]: h[1] for h in history}
    pairs = {(old_by_event[a[0]], a[1]) for a in after if a[0] in old_by_event}
    assert len({old for old, _ in pairs}) == len(pairs) == len({new for _, new in pairs})
    assert [a[2] for a in after] == [h[2] for h in history] + [fresh[2]]  # positions untouched
    async with engine.connect() as conn:
        horizon = await conn.scalar(
            text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        )
    assert max(a[1] for a in after) < horizon

    moved = await checkpoints(engine)
    assert moved["projection"] == (0, 0, 0)
    assert moved["relay"] == (after[5][1], after[5][2], 6)  # still right after the 6th event
    assert moved["between"] == (after[7][1], after[7][2], 8)  # the greatest event before it

    # A reader goes on exactly after its checkpoint, including the event written meanwhile.
    relay = Checkpoint(*moved["relay"][:2])
    assert await read_on(engine, relay) == [h[0] for h in history[6:]] + [fresh[0]]
    between = Checkpoint(*moved["between"][:2])
    assert await read_on(engine, between) == [h[0] for h in history[8:]] + [fresh[0]]

    # Old streams take appends again, and readers see them next.
    await append(engine, "stock-a", 1, expected=4)
    newest = (await log_order(engine))[-1]
    assert await read_on(engine, relay) == [h[0] for h in history[6:]] + [fresh[0], newest[0]]

    # Idempotent: a second run refuses and changes nothing.
    before_again = (await log_order(engine), await checkpoints(engine))
    again = await rebase_positions(engine)
    assert not again.rebased
    assert "nothing to rebase" in again.summary()
    assert (await log_order(engine), await checkpoints(engine)) == before_again


async def test_a_database_whose_positions_are_fine_is_not_rebased(engine: AsyncEngine) -> None:
    await a_history(engine)
    before = await log_order(engine)
    report = await rebase_positions(engine)
    assert not report.rebased
    assert await log_order(engine) == before


async def test_too_few_transaction_ids_yet_advances_the_cluster_first(
    engine: AsyncEngine,
) -> None:
    history = await a_history(engine)
    await simulate_restore_into_younger_cluster(engine)
    async with engine.connect() as conn:
        next_xid = await conn.scalar(
            text("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
        )
    lowest = next_xid + 2_500  # as if the cluster had handed out 2,500 ids too few
    steps: list[tuple[int, int]] = []
    report = await rebase_positions(
        engine, lowest=lowest, progress=lambda d, t: steps.append((d, t))
    )
    assert report.rebased
    assert report.xids_consumed >= 2_500
    assert steps[-1] == (report.xids_consumed, report.xids_consumed)
    after = await log_order(engine)
    assert [a[0] for a in after] == [h[0] for h in history]
    assert after[0][1] == lowest
    assert await check_positions(engine) is not None


async def test_a_transaction_holding_back_the_horizon_stops_the_rebase_unchanged(
    engine: AsyncEngine,
) -> None:
    await a_history(engine)
    await simulate_restore_into_younger_cluster(engine)
    restored = await log_order(engine)
    holder = await engine.connect()
    held: Any = await holder.begin()
    try:
        await holder.execute(text("SELECT pg_current_xact_id()"))
        async with engine.connect() as conn:
            next_xid = await conn.scalar(
                text("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
            )
        with pytest.raises(RebaseError, match="holds back"):
            await asyncio.wait_for(rebase_positions(engine, lowest=next_xid + 500), 60)
    finally:
        await held.rollback()
        await holder.close()
    assert await log_order(engine) == restored
