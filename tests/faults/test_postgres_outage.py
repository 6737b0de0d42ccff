"""Fault 2: PostgreSQL stopped for 12 s under load, then started again (same data, same port).

While the database is away a command cannot be decided: the services must answer 503 with a
Retry-After (never 500), their /health must say so, and their consumers must wait and retry —
a message that failed only because the database was away is not the message's fault and must
never be dead-lettered. Once it is back, everything flows again with nothing lost or doubled.
"""

import asyncio
import time
from collections import Counter

import httpx
import pytest

from .invariants import consumer_lags, consumers_of
from .load import Load, LoadStats, probe_flows
from .scenario import WARM_UP, Emit, conclude
from .stack import FaultStack

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(420)]

OUTAGE_SECONDS = 12.0
BURST = 30


async def health_during_outage(stack: FaultStack, seconds: float) -> Counter[str]:
    """Sample every service's /health while the database is down: `<service>:<status>`."""
    seen: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(timeout=2.0) as client:
        while time.monotonic() < deadline:
            for service in stack.services:
                try:
                    response = await client.get(f"{stack.url(service)}/health")
                    seen[f"{service}:{response.status_code}"] += 1
                except httpx.HTTPError:
                    seen[f"{service}:no answer"] += 1
            await asyncio.sleep(1.0)
    return seen


async def test_a_database_outage_answers_503_and_dead_letters_nothing(
    stack: FaultStack, world: LoadStats, emit: Emit
) -> None:
    load = Load(stack, seed=2)
    async with load.running():
        await asyncio.sleep(WARM_UP)
        # A burst right before the cut, so consumers have messages in hand when it comes.
        await load.burst(BURST)
        await asyncio.sleep(0.3)
        stack.stop_postgres()
        _, lags = await consumer_lags(stack, consumers_of(stack.services))
        health = await health_during_outage(stack, OUTAGE_SECONDS)
        stack.start_postgres()
        recovered = await probe_flows(stack, load.stats)
        await asyncio.sleep(2.0)
    unhealthy = sum(n for key, n in health.items() if not key.endswith(":200"))
    healthy = sorted(key for key in health if key.endswith(":200"))
    problems = []
    if load.stats.http_503 == 0:
        problems.append("no client saw a 503 while the database was down")
    if load.stats.missing_retry_after:
        problems.append(f"{load.stats.missing_retry_after} answers 503 without Retry-After")
    if healthy:
        problems.append(f"/health answered 200 while the database was down: {healthy}")
    await conclude(
        stack,
        load,
        emit,
        name="postgres-outage",
        recovered_in=recovered,
        extra_problems=problems,
        extra_figures=[
            f"outage {OUTAGE_SECONDS:.0f}s; consumer lag when it began {lags}; /health during "
            f"it: {dict(sorted(health.items()))} ({unhealthy} not 200)"
        ],
    )
