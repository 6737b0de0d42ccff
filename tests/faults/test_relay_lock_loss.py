"""Fault 4: the connection holding a relay's advisory lock is terminated (pg_terminate_backend)
while a second replica of that service runs, under load.

The standby replica takes the lock within its retry interval; the old leader must notice it lost
the lock (its session is gone) and stop publishing. Two leaders publishing at once would show
as the relay checkpoint (`tailing_checkpoints`, reader `relay:erp.<service>.events`) moving
backwards — sampled every 50 ms throughout — and nothing may be lost either way.
"""

import asyncio
import contextlib
import time

import asyncpg  # type: ignore[import-untyped,unused-ignore]
import pytest

from erp_contracts.topics import events_topic

from .load import Load, LoadStats, probe_flows
from .scenario import WARM_UP, Emit, conclude
from .stack import FaultStack

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(420)]

SERVICE = "inventory"
#: Load kept running after the lock was cut, while two relays could both be publishing.
AFTER_SECONDS = 12.0


class CheckpointSampler:
    """Reads the relay checkpoint every `interval` s; remembers every backward move."""

    def __init__(self, dsn: str, reader: str, interval: float = 0.05) -> None:
        self.dsn = dsn
        self.reader = reader
        self.interval = interval
        self.samples = 0
        self.regressions: list[str] = []
        self._stop = asyncio.Event()

    async def run(self) -> None:
        conn = await asyncpg.connect(self.dsn)
        previous: tuple[int, int] | None = None
        started = time.monotonic()
        try:
            while not self._stop.is_set():
                row = await conn.fetchrow(
                    "SELECT tx_id::text::bigint AS tx, global_position AS pos"
                    " FROM tailing_checkpoints WHERE reader = $1",
                    self.reader,
                )
                if row is not None:
                    current = (int(row["tx"]), int(row["pos"]))
                    self.samples += 1
                    if previous is not None and current < previous:
                        self.regressions.append(
                            f"+{time.monotonic() - started:.2f}s {previous} → {current}"
                        )
                    previous = current
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self.interval)
        finally:
            await conn.close()

    def stop(self) -> None:
        self._stop.set()


async def test_a_relay_that_loses_its_lock_steps_down_and_one_leader_publishes(
    stack: FaultStack, world: LoadStats, emit: Emit
) -> None:
    stack.add_replica(SERVICE)
    await stack.wait_healthy_async(SERVICE)
    sampler = CheckpointSampler(stack.database_dsn(SERVICE), f"relay:{events_topic(SERVICE)}")
    sampling = asyncio.create_task(sampler.run())
    load = Load(stack, seed=4)
    async with load.running():
        await asyncio.sleep(WARM_UP)
        before = await stack.relay_lock_holder(SERVICE)
        terminated = await stack.terminate_relay_lock(SERVICE)
        recovered = await probe_flows(stack, load.stats)
        await asyncio.sleep(AFTER_SECONDS)
        after = await stack.relay_lock_holder(SERVICE)
    sampler.stop()
    await sampling
    problems = []
    if terminated is None:
        problems.append(f"nobody held {SERVICE}'s relay lock before the fault")
    if after is None:
        problems.append(f"nobody holds {SERVICE}'s relay lock after the fault")
    if sampler.regressions:
        problems.append(
            f"the relay checkpoint moved backwards {len(sampler.regressions)} time(s) "
            f"(two leaders publishing): {sampler.regressions[:3]}"
        )
    await conclude(
        stack,
        load,
        emit,
        name="relay-lock-terminated",
        recovered_in=recovered,
        extra_problems=problems,
        extra_figures=[
            f"{SERVICE} lock holder before: backend {before and before['pid']}, after: "
            f"backend {after and after['pid']}; checkpoint samples {sampler.samples}, "
            f"backward moves {len(sampler.regressions)}"
        ],
    )
