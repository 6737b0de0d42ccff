"""Store-fed projections: checkpointed batches, rebuild-then-swap while reads go on, and a
verify that compares with the live side without moving it."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit import EventStore, NewEvent
from eventkit.projections import (
    Projection,
    ProjectionRunner,
    rebuild,
    rebuild_projection,
    verify_projection,
)
from eventkit.projections import verify as verify_module
from eventkit.projections.runner import lock_checkpoint
from eventkit.tailing import Checkpoint, load_checkpoint, reset_checkpoint
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

            async def append(conn: AsyncConnection, event: NewEvent = event) -> list[int]:
                return await store.append(conn, [event], {})

            await in_transaction(engine, append)
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


async def live_state(conn: AsyncConnection, projection: TallyProjection) -> list[str]:
    """Every byte of the live projection: its relations, its rows and its checkpoint row, each
    with the transaction that last wrote it (`xmin`), so even a write of equal values shows."""
    relations = await conn.execute(
        text(
            "SELECT c.oid::text || ' ' || c.relname || ' ' || c.relfilenode::text FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s ORDER BY c.oid"
        ),
        {"s": projection.schema},
    )
    rows = await conn.execute(
        text("SELECT t.xmin::text || ' ' || t::text FROM rm_tally.totals t ORDER BY t::text")
    )
    checkpoint = await conn.execute(
        text("SELECT c.xmin::text || ' ' || c::text FROM tailing_checkpoints c WHERE reader = :r"),
        {"r": projection.reader},
    )
    return [*relations.scalars(), *rows.scalars(), *checkpoint.scalars()]


async def test_verify_finds_a_live_projection_equal_to_its_replay_and_leaves_it_untouched(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    projection = TallyProjection()
    runner = ProjectionRunner(engine, projection)
    await runner.ensure_schema()
    await append_counts(engine, streams=4, per_stream=6)  # 30 events, 24 counted
    await runner.catch_up()
    await append_counts(engine, streams=4, per_stream=1)  # the live side is now 5 events behind
    async with engine.connect() as conn:
        before = await live_state(conn, projection)
        live_checkpoint = await load_checkpoint(conn, projection.reader)

    async def never(*_: object) -> int:
        raise AssertionError("verify must not drive the live runner")

    with monkeypatch.context() as patched:
        for method in ("ensure_schema", "catch_up", "catch_up_once", "run"):
            patched.setattr(ProjectionRunner, method, never)
        report = await verify_projection(engine, projection, batch_size=7)

    async with engine.connect() as conn:
        after = await live_state(conn, projection)
        scratch = await conn.scalar(text("SELECT to_regnamespace('rm_tally__verify')"))
    assert after == before  # no row, table or checkpoint written, not even with equal values
    # Compared at the live checkpoint: the 30 events the live side had applied, not the 35.
    assert report.equal, report.differences
    assert report.checkpoint == live_checkpoint
    assert report.events_read == 30
    assert scratch is None
    assert await runner.catch_up() == 5  # the pending events are still the live runner's


async def test_verify_compares_at_the_checkpoint_the_live_runner_reached_while_it_replayed(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    projection = TallyProjection()
    runner = ProjectionRunner(engine, projection)
    await runner.ensure_schema()
    await append_counts(engine, streams=4, per_stream=6)  # 30 events
    await runner.catch_up()
    await append_counts(engine, streams=4, per_stream=1)  # 5 pending when verify starts
    moved_on: list[int] = []
    live_after_it: list[str] = []

    async def replay_while_the_live_side_moves_on(*args: Any, **kwargs: Any) -> Any:
        replayed = await rebuild.replay_into(*args, **kwargs)
        # Meanwhile events arrive, the live runner applies them, and more arrive that it
        # leaves pending. (Not inside the replay's write transactions: a transaction that holds
        # an id holds every reader back, the live runner's too.)
        await append_counts(engine, streams=4, per_stream=2)  # 10 events
        moved_on.append(await runner.catch_up())
        await append_counts(engine, streams=4, per_stream=3)  # 15 left pending
        async with engine.connect() as conn:
            live_after_it.extend(await live_state(conn, projection))
        return replayed

    monkeypatch.setattr(verify_module, "replay_into", replay_while_the_live_side_moves_on)
    report = await verify_projection(engine, projection, batch_size=7)

    async with engine.connect() as conn:
        live = await live_state(conn, projection)
        live_checkpoint = await load_checkpoint(conn, projection.reader)
    # The 5 pending events were left to the live runner, which applied them with the next 10.
    assert moved_on == [15]
    assert live == live_after_it  # verify wrote nothing live
    # The scratch side followed the live one to its new checkpoint, and no further.
    assert report.equal, report.differences
    assert report.checkpoint == live_checkpoint
    assert report.events_read == 45
    assert await runner.catch_up() == 15


async def test_verify_follows_a_live_checkpoint_moved_back_by_hand_while_it_replayed(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    projection = TallyProjection()
    runner = ProjectionRunner(engine, projection)
    await runner.ensure_schema()
    await append_counts(engine, streams=2, per_stream=3)
    await runner.catch_up()

    async def replay_then_reset(*args: Any, **kwargs: Any) -> Any:
        replayed = await rebuild.replay_into(*args, **kwargs)
        if kwargs.get("until") != Checkpoint():
            async with engine.begin() as conn:  # an operator resets the checkpoint meanwhile
                await reset_checkpoint(conn, projection.reader)
        return replayed

    async with engine.connect() as conn:
        before = await all_totals(conn)
    monkeypatch.setattr(verify_module, "replay_into", replay_then_reset)
    report = await verify_projection(engine, projection)

    async with engine.connect() as conn:
        assert await all_totals(conn) == before  # not re-applied from the reset checkpoint
    # Replayed again, to where the live checkpoint is now: no events, while the live rows stay.
    assert (report.checkpoint, report.events_read) == (Checkpoint(), 0)
    assert report.differences[0].startswith("totals: live 2 rows, rebuilt 0")


async def test_verify_pauses_the_live_runner_while_it_compares(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    projection = TallyProjection()
    runner = ProjectionRunner(engine, projection)
    await runner.ensure_schema()
    await append_counts(engine, streams=3, per_stream=4)
    await runner.catch_up()
    await append_counts(engine, streams=3, per_stream=1)  # pending
    async with engine.connect() as conn:
        live_checkpoint = await load_checkpoint(conn, projection.reader)
    compare = verify_module._compare
    probes: list[tuple[Checkpoint, str]] = []

    async def probing(conn: AsyncConnection, projection: Projection, scratch: str) -> list[str]:
        async with engine.connect() as other:
            readable = await load_checkpoint(other, projection.reader)  # queries go on
            await other.execute(text("SET LOCAL lock_timeout = '200ms'"))
            with pytest.raises(DBAPIError) as runner_waits:
                await lock_checkpoint(other, projection.reader)  # what the live runner does
            await other.rollback()
        probes.append((readable, str(getattr(runner_waits.value.orig, "sqlstate", None))))
        return await compare(conn, projection, scratch)

    monkeypatch.setattr(verify_module, "_compare", probing)
    report = await verify_projection(engine, projection)

    # While comparing, the live checkpoint (still where the runner left it) could be read but
    # not locked as the runner locks it: 55P03 lock_not_available after the lock_timeout.
    assert probes == [(live_checkpoint, "55P03")]
    assert report.equal, report.differences
    assert report.checkpoint == live_checkpoint
    assert await runner.catch_up() == 4  # released, and nothing applied by verify


async def test_verify_of_a_projection_that_never_ran_reports_it_and_creates_nothing(
    engine: AsyncEngine,
) -> None:
    projection = TallyProjection()
    await append_counts(engine, streams=2, per_stream=2)

    report = await verify_projection(engine, projection)

    async with engine.connect() as conn:
        schemas = await conn.scalar(
            text("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rm_tally%'")
        )
        checkpoints = await conn.scalar(
            text("SELECT count(*) FROM tailing_checkpoints WHERE reader = :r"),
            {"r": projection.reader},
        )
    assert not report.equal
    assert report.differences == ["totals: no live table rm_tally.totals"]
    assert (report.checkpoint, report.events_read) == (Checkpoint(), 0)
    assert (schemas, checkpoints) == (0, 0)


async def test_verify_reports_a_live_row_that_the_events_do_not_support(
    engine: AsyncEngine,
) -> None:
    from sqlalchemy import update

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
