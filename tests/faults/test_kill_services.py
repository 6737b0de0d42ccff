"""Fault 1: kill -9 of each service in turn under load, each restarted as `erp up` would.

A killed service loses whatever it had in flight: requests (the clients retry them with the
same Idempotency-Key), a relay batch sent but not checkpointed (re-sent after the restart:
at-least-once), consumed messages whose offsets were not committed (redelivered: the inbox makes
them no-ops). Nothing may be lost or doubled; `recovered_in` is the slowest service's time from
its restart until both flows (order to invoice, PO to received) work end to end again.
"""

import asyncio

import pytest

from .load import FLOW_SERVICES, Load, LoadStats, probe_flows
from .scenario import WARM_UP, Emit, conclude, recoveries_text, slowest
from .stack import FaultStack

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(420)]


async def test_kill_9_of_each_service_in_turn_loses_and_doubles_nothing(
    stack: FaultStack, world: LoadStats, emit: Emit
) -> None:
    load = Load(stack, seed=1)
    recoveries: dict[str, float | None] = {}
    async with load.running():
        await asyncio.sleep(WARM_UP)
        for service in stack.services:
            stack.kill_service(service)
            await asyncio.sleep(1.0)  # the clients meet a dead port meanwhile
            stack.restart_service(service)
            if service in FLOW_SERVICES:
                recoveries[service] = await probe_flows(stack, load.stats)
            else:  # no flow goes through it: back when healthy
                recoveries[service] = await stack.wait_healthy_async(service)
        await asyncio.sleep(2.0)
    await conclude(
        stack,
        load,
        emit,
        name="kill-9",
        recovered_in=slowest(recoveries),
        extra_figures=[recoveries_text(recoveries)],
    )
