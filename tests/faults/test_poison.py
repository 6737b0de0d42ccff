"""Fault 6: poison on a topic in the middle of the load.

Two records are published onto `erp.sales.events` while orders flow: one that is no envelope at
all, and a valid envelope of a type the consumers handle (`SalesOrderPlaced`) whose payload no
handler can process. Each consumer reading the topic must dead-letter the first once; each
consumer handling the type must dead-letter the second once (after its attempts) — and move on:
everything else is processed, nothing lost or doubled, no other record dead-lettered.
"""

import asyncio

import pytest

from erp_contracts.topics import events_topic

from .invariants import consumers_of, invalid_envelope_poison, unprocessable_poison
from .load import Load, LoadStats, probe_flows
from .scenario import WARM_UP, Emit, conclude
from .stack import FaultStack

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(420)]

PRODUCER = "sales"
EVENT_TYPE = "SalesOrderPlaced"


async def test_poison_is_dead_lettered_once_and_the_rest_is_processed(
    stack: FaultStack, world: LoadStats, emit: Emit
) -> None:
    consumers = consumers_of(stack.services)
    topic = events_topic(PRODUCER)
    load = Load(stack, seed=6)
    async with load.running():
        await asyncio.sleep(WARM_UP)
        garbage = await stack.publish_invalid_envelope(PRODUCER)
        event_id = await stack.publish_unprocessable_event(PRODUCER, EVENT_TYPE)
        recovered = await probe_flows(stack, load.stats)
        await asyncio.sleep(4.0)
    poison = [
        invalid_envelope_poison(topic, garbage, consumers),
        unprocessable_poison(topic, event_id, EVENT_TYPE, consumers),
    ]
    await conclude(
        stack,
        load,
        emit,
        name="poison",
        recovered_in=recovered,
        poison=poison,
        extra_figures=[
            f"expected dead letters: {p.label} by {sorted(p.consumers)}" for p in poison
        ],
    )
