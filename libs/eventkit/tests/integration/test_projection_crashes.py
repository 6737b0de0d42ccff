"""A crash between a projection's effects and its checkpoint, or halfway through its batch,
rolls the whole batch back: when the runner runs again, every event is applied exactly once.

`TallyProjection` adds each event to its stream's total and count, so an event applied twice
shows in the totals. A runner that does not write effects and checkpoint in one transaction
(`SeparateCommitsRunner`, the bug) fails the same checks with doubled totals.
"""

from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit import EventStore, NewEvent
from eventkit.projections import ProjectionRunner
from eventkit.projections import runner as runner_module
from eventkit.store.records import RecordedEvent
from eventkit.tailing import Checkpoint, load_checkpoint, read_committed, save_checkpoint
from eventkit.testing.tally import TallyProjection, all_totals, totals

pytestmark = pytest.mark.integration

STREAMS, PER_STREAM, BATCH = 3, 10, 7
#: What applying each `Counted` event exactly once gives: (stream, sum of n, events).
EXPECTED = [
    (f"acct-{s}", sum(s + i for i in range(PER_STREAM)), PER_STREAM) for s in range(STREAMS)
]
COUNTED = STREAMS * PER_STREAM


class Crash(Exception):
    """The process dies here (the transaction it was in never commits)."""


class SeparateCommitsRunner(ProjectionRunner):
    """The bug these tests are there to catch: every statement commits on its own, so the
    effects are durable before (and without) the checkpoint."""

    async def catch_up_once(self) -> int:
        reader = self.projection.reader
        async with self.engine.connect() as opened:
            conn = await opened.execution_options(isolation_level="AUTOCOMMIT")
            checkpoint = await load_checkpoint(conn, reader)
            batch = await read_committed(conn, checkpoint, self.batch_size, self.upcasters)
            handled = [e for e in batch if e.event_type in self.projection.handles]
            if handled:
                await self.projection.apply_batch(conn, handled)
            if batch:
                # Looked up where the runner looks it up, so the crash below is patched in.
                save = runner_module.save_checkpoint  # type: ignore[attr-defined]
                await save(conn, reader, Checkpoint.after(batch[-1]))
        return len(batch)


class CrashesHalfwayOnce(TallyProjection):
    """Writes the first half of its second batch, then crashes (once)."""

    def __init__(self) -> None:
        self.batches = 0
        self.written_before_the_crash = 0

    async def apply_batch(self, conn: AsyncConnection, events: Sequence[RecordedEvent]) -> None:
        self.batches += 1
        if self.batches != 2:
            await super().apply_batch(conn, events)
            return
        half = list(events)[: len(events) // 2]
        await super().apply_batch(conn, half)
        self.written_before_the_crash = len(half)
        raise Crash("halfway through the batch")


async def append_counts(engine: AsyncEngine) -> None:
    store = EventStore()
    for i in range(PER_STREAM):
        events = [NewEvent(f"acct-{s}", "Counted", {"n": s + i}) for s in range(STREAMS)]
        events.append(NewEvent("noise", "Ignored", {}))
        async with engine.begin() as conn:
            await store.append(conn, events, {})


async def counted_among_the_first(engine: AsyncEngine, n: int) -> int:
    async with engine.connect() as conn:
        first = await read_committed(conn, Checkpoint(), n)
    return sum(e.event_type == "Counted" for e in first)


async def events_in_totals(conn: AsyncConnection) -> int:
    return int(await conn.scalar(select(func.coalesce(func.sum(totals.c.events), 0))) or 0)


def assert_each_event_applied_once(rows: list[tuple[Any, ...]]) -> None:
    assert rows == EXPECTED


async def crash_then_run_again(
    engine: AsyncEngine, runner: ProjectionRunner
) -> tuple[int, Checkpoint, list[tuple[Any, ...]]]:
    """Run until the crash, then again to the end. Returns the events in the committed totals
    and the checkpoint right after the crash, and the totals at the end."""
    await runner.ensure_schema()
    await append_counts(engine)
    with pytest.raises(Crash):
        await runner.catch_up()
    async with engine.connect() as conn:
        committed = await events_in_totals(conn)
        checkpoint = await load_checkpoint(conn, runner.projection.reader)
    await runner.catch_up()
    assert await runner.catch_up() == 0
    async with engine.connect() as conn:
        return committed, checkpoint, await all_totals(conn)


def crash_at_the_second_checkpoint(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the runner's `save_checkpoint` crash once, at the second batch, after that batch's
    effects were written. Returns, when it has crashed, the events the crashing transaction saw
    in the totals."""
    calls: list[Checkpoint] = []
    seen: list[int] = []

    async def save_or_crash(
        conn: AsyncConnection, reader: str, checkpoint: Checkpoint, delivered: int = 0
    ) -> None:
        calls.append(checkpoint)
        if len(calls) == 2:
            seen.append(await events_in_totals(conn))
            raise Crash("between the effects and the checkpoint")
        await save_checkpoint(conn, reader, checkpoint, delivered)

    monkeypatch.setattr(runner_module, "save_checkpoint", save_or_crash)
    return seen


async def after_the_first(engine: AsyncEngine, n: int) -> Checkpoint:
    async with engine.connect() as conn:
        return Checkpoint.after((await read_committed(conn, Checkpoint(), n))[-1])


async def test_a_crash_between_the_effects_and_the_checkpoint_applies_every_event_once(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_at_the_crash = crash_at_the_second_checkpoint(monkeypatch)
    runner = ProjectionRunner(engine, TallyProjection(), batch_size=BATCH)

    committed, checkpoint, rows = await crash_then_run_again(engine, runner)

    # The second batch's rows were written in the crashing transaction, and rolled back with it.
    assert seen_at_the_crash == [await counted_among_the_first(engine, 2 * BATCH)]
    assert committed == await counted_among_the_first(engine, BATCH)
    assert checkpoint == await after_the_first(engine, BATCH)
    assert_each_event_applied_once(rows)


async def test_a_crash_halfway_through_a_batch_applies_every_event_once(
    engine: AsyncEngine,
) -> None:
    projection = CrashesHalfwayOnce()
    runner = ProjectionRunner(engine, projection, batch_size=BATCH)

    committed, checkpoint, rows = await crash_then_run_again(engine, runner)

    assert projection.written_before_the_crash > 0
    assert committed == await counted_among_the_first(engine, BATCH)
    assert checkpoint == await after_the_first(engine, BATCH)
    assert_each_event_applied_once(rows)


async def test_a_runner_that_checkpoints_apart_from_its_effects_applies_them_twice(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both checks above can fail: with effects committed apart from the checkpoint, the batch
    that crashed is applied again on top of what it had written."""
    crash_at_the_second_checkpoint(monkeypatch)
    runner = SeparateCommitsRunner(engine, TallyProjection(), batch_size=BATCH)

    _, _, rows = await crash_then_run_again(engine, runner)

    second_batch = await counted_among_the_first(engine, 2 * BATCH) - await counted_among_the_first(
        engine, BATCH
    )
    assert sum(row[2] for row in rows) == COUNTED + second_batch  # the second batch, twice
    with pytest.raises(AssertionError):
        assert_each_event_applied_once(rows)


async def test_a_runner_that_does_not_roll_back_a_half_written_batch_applies_it_twice(
    engine: AsyncEngine,
) -> None:
    projection = CrashesHalfwayOnce()
    runner = SeparateCommitsRunner(engine, projection, batch_size=BATCH)

    _, _, rows = await crash_then_run_again(engine, runner)

    assert sum(row[2] for row in rows) == COUNTED + projection.written_before_the_crash
    with pytest.raises(AssertionError):
        assert_each_event_applied_once(rows)
