"""Store-fed projections: checkpointed batches, and rebuild-then-swap while reads go on."""

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from eventkit import EventStore, NewEvent
from eventkit.projections import ProjectionRunner, rebuild_projection
from eventkit.testing.tally import TallyProjection, all_totals, totals
from eventkit.uow import in_transaction

pytestmark = pytest.mark.integration


async def append_counts(engine: AsyncEngine, streams: int, per_stream: int) -> None:
    store = EventStore()
    for i in range(per_stream):
        events = [NewEvent(f"acct-{s}", "Counted", {"n": s + i}) for s in range(streams)]
        events.append(NewEvent("noise", "Ignored", {}))
        async with engine.begin() as conn:
            await store.append(conn, events, {})


async def test_the_runner_applies_each_event_once_and_checkpoints_with_its_writes(
    engine: AsyncEngine,
) -> None:
    runner = ProjectionRunner(engine, TallyProjection(), batch_size=7)
    await runner.ensure_schema()
    await append_counts(engine, streams=3, per_stream=10)
    assert await runner.catch_up() == 40
    assert await runner.catch_up() == 0  # nothing is applied twice
    async with engine.connect() as conn:
        rows = await all_totals(conn)
    assert rows == [(f"acct-{s}", sum(s + i for i in range(10)), 10) for s in range(3)]


async def test_a_rebuilt_projection_equals_the_live_one_and_reads_go_on_during_the_rebuild(
    engine: AsyncEngine,
) -> None:
    projection = TallyProjection()
    runner = ProjectionRunner(engine, projection, batch_size=200)
    await runner.ensure_schema()
    await append_counts(engine, streams=50, per_stream=60)  # 3,050 events
    await runner.catch_up()
    async with engine.connect() as conn:
        live = await all_totals(conn)

    reads, failures, progress = 0, [], []
    stop_reading = asyncio.Event()

    async def keep_reading() -> None:
        nonlocal reads
        while not stop_reading.is_set():
            try:
                async with engine.connect() as conn:
                    total = await conn.scalar(select(func.count()).select_from(totals))
                assert total == 50
                reads += 1
            except Exception as error:  # noqa: BLE001 - recorded and asserted below
                failures.append(error)
            await asyncio.sleep(0)

    async def keep_writing() -> None:
        # Live writes during the rebuild must end up in the swapped-in tables too.
        store = EventStore()
        for i in range(20):
            event = NewEvent("acct-0", "Counted", {"n": 1000 + i})
            await in_transaction(engine, lambda c, e=event: store.append(c, [e], {}))
            await runner.catch_up()

    reader = asyncio.create_task(keep_reading())
    report, _ = await asyncio.gather(
        rebuild_projection(
            engine,
            projection,
            batch_size=250,
            progress=lambda done, total: progress.append((done, total)),
        ),
        keep_writing(),
    )
    await runner.catch_up()
    stop_reading.set()
    await reader
    async with engine.connect() as conn:
        rebuilt = await all_totals(conn)

    assert failures == []
    assert reads > 0
    assert report.events_read >= 3050
    assert progress[-1][0] == report.events_read
    expected = [
        (
            sid,
            total + (sum(1000 + i for i in range(20)) if sid == "acct-0" else 0),
            count + (20 if sid == "acct-0" else 0),
        )
        for sid, total, count in live
    ]
    assert rebuilt == expected


async def test_a_rebuild_from_scratch_matches_row_for_row(engine: AsyncEngine) -> None:
    projection = TallyProjection()
    runner = ProjectionRunner(engine, projection)
    await runner.ensure_schema()
    await append_counts(engine, streams=5, per_stream=5)
    await runner.catch_up()
    async with engine.connect() as conn:
        live = await all_totals(conn)
    await rebuild_projection(engine, projection)
    async with engine.connect() as conn:
        assert await all_totals(conn) == live
    assert await runner.catch_up() == 0  # the checkpoint moved with the swap


async def test_verify_finds_a_live_projection_equal_to_its_replay_and_leaves_it_untouched(
    engine: AsyncEngine,
) -> None:
    from eventkit.projections import verify_projection

    projection = TallyProjection()
    runner = ProjectionRunner(engine, projection)
    await runner.ensure_schema()
    await append_counts(engine, streams=4, per_stream=6)
    await runner.catch_up()
    async with engine.connect() as conn:
        before = await all_totals(conn)
    await append_counts(engine, streams=4, per_stream=1)  # the live side is behind: verify aligns
    report = await verify_projection(engine, projection)
    assert report.equal, report.differences
    assert report.events_read >= 28
    async with engine.connect() as conn:
        after = await all_totals(conn)
    assert len(after) == len(before)
    assert sum(row[2] for row in after) == sum(row[2] for row in before) + 4


async def test_verify_reports_a_live_row_that_the_events_do_not_support(
    engine: AsyncEngine,
) -> None:
    from sqlalchemy import update

    from eventkit.projections import verify_projection

    projection = TallyProjection()
    runner = ProjectionRunner(engine, projection)
    await runner.ensure_schema()
    await append_counts(engine, streams=3, per_stream=2)
    await runner.catch_up()
    async with engine.begin() as conn:  # someone edits a read model by hand
        await conn.execute(update(totals).where(totals.c.stream_id == "acct-1").values(total=999))
    report = await verify_projection(engine, projection)
    assert not report.equal
    assert "totals" in report.differences[0]
    assert "999" in report.differences[0]
