"""Shared set-up for benchmarks: real PostgreSQL + broker (env, containers, or embedded)."""

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

from rich.console import Console
from rich.table import Table

console = Console()


async def run_for(
    ops: int, concurrency: int, op: Callable[[int], Awaitable[None]], offset: int = 0
) -> float:
    """Run `ops` operations (numbered from `offset`) over `concurrency` workers; ops/second."""
    counter = iter(range(offset, offset + ops))

    async def worker() -> None:
        for i in counter:
            await op(i)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return ops / (time.perf_counter() - started)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(title: str, rows: list[tuple[str, str, str, str]]) -> None:
    table = Table(title=title)
    for name in ("measure", "ours", "baseline", "ratio (goal)"):
        table.add_column(name)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def median(values: list[float]) -> float:
    return statistics.median(values)
