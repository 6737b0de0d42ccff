"""`make soak MINUTES=10 SEED=42`: every fault, on a seeded random schedule, under the steady
load, for MINUTES minutes; then the same invariants as every fault test.

Deselected from the normal run (marker `soak`, see conftest.py). The seed is printed first:
`make soak MINUTES=<m> SEED=<seed>` replays the same schedule. Without SEED one is drawn.
"""

import asyncio
import os
import random
import time

import pytest

from .invariants import consumers_of
from .load import Load, LoadStats, probe_flows
from .nemesis import REPLICATED, schedule, strike
from .scenario import Emit, conclude
from .stack import FaultStack

MINUTES = float(os.environ.get("ERP_SOAK_MINUTES") or 10)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.integration,
    pytest.mark.soak,
    pytest.mark.timeout(int(MINUTES * 60 + 900)),
]


def soak_seed() -> int:
    given = os.environ.get("ERP_SOAK_SEED", "").strip()
    return int(given) if given else random.SystemRandom().randrange(1, 1_000_000)


async def test_soak_under_a_seeded_nemesis(stack: FaultStack, world: LoadStats, emit: Emit) -> None:
    seed = soak_seed()
    duration = MINUTES * 60
    replay = f"make soak MINUTES={MINUTES:g} SEED={seed}"
    emit([f"SOAK seed={seed} minutes={MINUTES:g} (replay: {replay})"])
    consumers = consumers_of(stack.services)
    nemesis = schedule(seed, duration, list(stack.services), consumers)
    emit([f"  step {i + 1}: {step.describe()}" for i, step in enumerate(nemesis.steps)])
    for service in REPLICATED:
        stack.add_replica(service)
    await stack.wait_healthy_async(*REPLICATED)
    load = Load(stack, seed=seed)
    started = time.monotonic()
    async with load.running():
        for step in nemesis.steps:
            await asyncio.sleep(step.gap)
            await strike(stack, nemesis, step, consumers)
        await asyncio.sleep(max(0.0, duration - (time.monotonic() - started)))
        for service in stack.services:  # anything still down is started again
            for index, replica in enumerate(stack.replicas[service]):
                if replica.process.exit_code is not None:
                    stack.restart_service(service, index)
        await stack.wait_healthy_async(*stack.services)
        recovered = await probe_flows(stack, load.stats)
    await conclude(
        stack,
        load,
        emit,
        name=f"soak seed={seed}",
        recovered_in=recovered,
        poison=nemesis.poison,
        extra_figures=[
            f"{len(nemesis.done)} faults in {duration / 60:g} min; dead letters expected "
            f"(poison since the broker last lost its log): "
            f"{sum(len(p.consumers) for p in nemesis.poison)}"
        ],
    )
