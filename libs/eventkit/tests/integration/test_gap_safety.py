"""Gap safety: a transaction that took an earlier position but commits later is never skipped."""

import asyncio
from typing import Protocol

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit import NO_STREAM, EventStore, NewEvent
from eventkit.messaging.envelopes import decode
from eventkit.messaging.relay import OutboxRelay, kafka_producer_factory
from eventkit.tailing import Checkpoint, load_checkpoint, read_committed, save_checkpoint
from eventkit.testing.infrastructure import Infrastructure
from eventkit.testing.kafka import drain

pytestmark = pytest.mark.integration


async def test_a_late_committing_earlier_position_is_not_skipped_by_the_reader(
    engine: AsyncEngine,
) -> None:
    store = EventStore()
    slow = await engine.connect()
    slow_tx = await slow.begin()
    # The slow transaction takes the earlier position first...
    (early,) = await store.append(slow, [NewEvent("slow", "Counted", {"n": 1})], {"slow": 0})
    # ...a fast one takes a later position and commits.
    async with engine.begin() as fast:
        (late,) = await store.append(fast, [NewEvent("fast", "Counted", {"n": 2})], {"fast": 0})
    assert early < late
    async with engine.connect() as reader:
        # While the slow one is open, the reader holds back rather than pass over it.
        visible = await read_committed(reader, Checkpoint(), 100)
        assert [e.stream_id for e in visible] == []
    await slow_tx.commit()
    await slow.close()
    async with engine.connect() as reader:
        visible = await read_committed(reader, Checkpoint(), 100)
    assert sorted(e.stream_id for e in visible) == ["fast", "slow"]


class Reader(Protocol):
    async def read(self, engine: AsyncEngine) -> list[str]:
        """Read on from the saved checkpoint, save the new one; return the streams read."""
        ...


class CommitOrderReader:
    """eventkit's reader: `read_committed` from a saved `(tx_id, global_position)` checkpoint."""

    name = "gap-safety-test"

    async def read(self, engine: AsyncEngine) -> list[str]:
        async with engine.begin() as conn:
            checkpoint = await load_checkpoint(conn, self.name)
            batch = await read_committed(conn, checkpoint, 100)
            if batch:
                await save_checkpoint(conn, self.name, Checkpoint.after(batch[-1]))
        return [e.stream_id for e in batch]


class PositionOnlyReader:
    """The trap: the same horizon (only rows below the oldest running transaction), but a
    checkpoint of `global_position` alone. From an empty checkpoint it passes the test above."""

    def __init__(self) -> None:
        self.last = 0

    async def read(self, engine: AsyncEngine) -> list[str]:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT global_position, stream_id FROM events"
                        " WHERE global_position > :last"
                        "   AND tx_id < pg_snapshot_xmin(pg_current_snapshot())"
                        " ORDER BY global_position LIMIT 100"
                    ),
                    {"last": self.last},
                )
            ).all()
        if rows:
            self.last = int(rows[-1][0])
        return [str(row[1]) for row in rows]


async def commit_below_a_position_already_read(
    engine: AsyncEngine, reader: Reader
) -> tuple[list[str], list[str], list[str]]:
    """T1 takes a LOWER global position than T2 but commits after the reader has read T2's row
    (T2 took its transaction id first, so its row is below the horizon while T1 is open).
    Returns what the reader read before, while T1 was open, and after T1 committed."""
    store = EventStore()
    async with engine.begin() as conn:
        await store.append(
            conn,
            [NewEvent("before-1", "Counted", {"n": 1}), NewEvent("before-2", "Counted", {})],
            {},
        )
    passed = await reader.read(engine)  # the checkpoint is not empty any more
    t2, t1 = await engine.connect(), await engine.connect()
    try:
        t2_tx = await t2.begin()
        await t2.execute(text("SELECT pg_current_xact_id()"))  # T2 takes its id first...
        t1_tx = await t1.begin()
        # ...T1 takes the lower position and stays open, T2 the higher one and commits.
        (low,) = await store.append(t1, [NewEvent("t1", "Counted", {"n": 2})], {"t1": NO_STREAM})
        (high,) = await store.append(t2, [NewEvent("t2", "Counted", {"n": 3})], {"t2": NO_STREAM})
        await t2_tx.commit()
        assert low < high
        while_open: list[str] = []
        for _ in range(40):  # a transaction elsewhere in the cluster may hold the horizon back
            while_open += await reader.read(engine)
            if while_open:
                break
            await asyncio.sleep(0.05)
        await t1_tx.commit()
    finally:
        await t1.close()
        await t2.close()
    after: list[str] = []
    for _ in range(40):  # continue from the saved checkpoint until both rows are accounted for
        after += await reader.read(engine)
        if len(while_open) + len(after) >= 2:
            break
        await asyncio.sleep(0.05)
    return passed, while_open, after


def assert_nothing_skipped(passed: list[str], while_open: list[str], after: list[str]) -> None:
    assert passed == ["before-1", "before-2"]
    assert "t1" not in while_open  # T1 is still open: its row cannot be read yet
    assert while_open == ["t2"]  # T2 took the older transaction id: it may be read at once
    assert after == ["t1"]  # ...and T1's row, at a lower position, is not passed over


async def test_a_late_commit_below_a_position_already_read_is_read_from_the_saved_checkpoint(
    engine: AsyncEngine,
) -> None:
    assert_nothing_skipped(*await commit_below_a_position_already_read(engine, CommitOrderReader()))


async def test_a_position_only_checkpoint_skips_that_late_commit(engine: AsyncEngine) -> None:
    """The scenario above tells the two apart: a position-only reader loses T1's row."""
    passed, while_open, after = await commit_below_a_position_already_read(
        engine, PositionOnlyReader()
    )
    assert (passed, while_open, after) == (["before-1", "before-2"], ["t2"], [])  # skipped
    with pytest.raises(AssertionError):
        assert_nothing_skipped(passed, while_open, after)


async def test_the_relay_publishes_an_event_whose_transaction_committed_after_a_later_one(
    engine: AsyncEngine, infra: Infrastructure, service_name: str
) -> None:
    store = EventStore()
    relay = OutboxRelay(
        engine,
        service_name,
        kafka_producer_factory(infra.kafka_bootstrap_servers, enable_idempotence=False),
    )
    slow = await engine.connect()
    slow_tx = await slow.begin()
    await store.append(slow, [NewEvent("slow", "Counted", {"n": 1})], {"slow": NO_STREAM})
    async with engine.begin() as fast:
        await store.append(fast, [NewEvent("fast", "Counted", {"n": 2})], {"fast": NO_STREAM})
    published_while_open = await relay.publish_batch()
    await slow_tx.commit()
    await slow.close()
    published_after = 0
    for _ in range(10):
        published_after += await relay.publish_batch()
        if published_after >= 2:
            break
        await asyncio.sleep(0.05)
    await relay._close_producer()
    assert published_while_open == 0
    assert published_after == 2
    records = await drain(infra.kafka_bootstrap_servers, relay.topic, expect=2)
    assert sorted(decode(r.value).stream_id for r in records) == ["fast", "slow"]


async def test_a_stream_written_after_our_transaction_id_was_taken_forces_a_retry(
    engine: AsyncEngine,
) -> None:
    """Per-stream order in commit order: a writer whose transaction id predates the stream's
    last writer must retry, so tailing readers never see version n+1 before version n."""
    from sqlalchemy import text

    from eventkit import ConcurrencyError

    store = EventStore()
    early = await engine.connect()
    early_tx = await early.begin()
    await early.execute(text("SELECT pg_current_xact_id()"))  # takes its id now
    async with engine.begin() as other:
        await store.append(other, [NewEvent("s", "Counted", {"n": 1})], {"s": NO_STREAM})
    with pytest.raises(ConcurrencyError):
        await store.append(early, [NewEvent("s", "Counted", {"n": 2})], {"s": 1})
    await early_tx.rollback()
    await early.close()
