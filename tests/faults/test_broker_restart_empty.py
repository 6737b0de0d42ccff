"""Fault 3: the broker killed under load and started again EMPTY (memory storage), topics
re-created as `erp up` does.

Commands keep succeeding while the broker is away (the events wait in the stores). When it is
back, every topic is empty: each relay must notice its log is gone and republish its store from
the first event — afterwards a fresh consumer group sees every event of every store (the
checker's relay invariant), and the consumers, whose committed offsets went with the broker,
read everything again without applying anything twice.
"""

import asyncio

import pytest

from erp_contracts.topics import EVENTS_TOPIC_PARTITIONS

from .load import Load, LoadStats, probe_flows
from .scenario import WARM_UP, Emit, conclude
from .stack import FaultStack

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(420)]

DOWN_SECONDS = 4.0


async def test_a_broker_restarted_empty_is_reseeded_and_nothing_is_lost(
    stack: FaultStack, world: LoadStats, emit: Emit
) -> None:
    load = Load(stack, seed=3)
    async with load.running():
        await asyncio.sleep(WARM_UP)
        stack.kill_broker()
        accepted_before = len(load.stats.accepted)
        await asyncio.sleep(DOWN_SECONDS)
        accepted_while_down = len(load.stats.accepted) - accepted_before
        stack.start_broker_empty()
        recovered = await probe_flows(stack, load.stats)
        await asyncio.sleep(2.0)
    partitions = await stack.partition_counts()
    problems = []
    if accepted_while_down == 0:
        problems.append("no command was accepted while the broker was down")
    if wrong := {t: n for t, n in partitions.items() if n != EVENTS_TOPIC_PARTITIONS}:
        problems.append(
            f"topics not as erp up creates them ({EVENTS_TOPIC_PARTITIONS} partitions) after "
            f"the restart: {wrong} (auto-created by a client before they were re-created?)"
        )
    await conclude(
        stack,
        load,
        emit,
        name="broker-restart-empty",
        recovered_in=recovered,
        extra_problems=problems,
        extra_figures=[
            f"broker down {DOWN_SECONDS:.0f}s; commands accepted meanwhile: "
            f"{accepted_while_down}; partitions after the restart: "
            f"{sorted(set(partitions.values()))}"
        ],
    )
