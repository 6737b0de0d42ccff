"""Running a command: one transaction, retried a bounded number of times on a lost race.

A command handler is get → decide → save inside `work(conn)`. When another writer moved one of
its streams first, `ConcurrencyError` rolls everything back and the whole handler runs again
on fresh state (with jittered backoff), up to `retries` times.
"""

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit.notify import commits
from eventkit.store.errors import ConcurrencyError

T = TypeVar("T")


async def in_transaction(
    engine: AsyncEngine, work: Callable[[AsyncConnection], Awaitable[T]], retries: int = 5
) -> T:
    attempt = 0
    while True:
        try:
            async with engine.begin() as conn:
                result = await work(conn)
        except ConcurrencyError:
            if attempt >= retries:
                raise
            attempt += 1
            await asyncio.sleep(random.uniform(0, 0.005 * 2**attempt))  # noqa: S311 - jitter
            continue
        commits.committed()
        return result
