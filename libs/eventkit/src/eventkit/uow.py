"""Running a command: one transaction, retried a bounded number of times on a lost race.

A command handler is get → decide → save inside `work(conn)`. When another writer moved one of
its streams first, `ConcurrencyError` rolls everything back and the whole handler runs again
on fresh state (with jittered backoff), up to `retries` times.

`after_commit(callback)` lets code inside a unit of work act only once it has committed (the
aggregate cache keeps an aggregate only if the state it holds was really written).
"""

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventkit.notify import commits
from eventkit.store.errors import ConcurrencyError
from eventkit.store.locks import conflicting_streams, lock_streams

T = TypeVar("T")

_after_commit: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "erp_after_commit", default=None
)


def after_commit(callback: Callable[[], None]) -> bool:
    """Run `callback` after the current unit of work commits; False (and dropped) outside one."""
    callbacks = _after_commit.get()
    if callbacks is None:
        return False
    callbacks.append(callback)
    return True


@asynccontextmanager
async def unit_of_work(
    engine: AsyncEngine, lock_first: Sequence[str] = ()
) -> AsyncIterator[AsyncConnection]:
    """One transaction; after-commit callbacks run only when it committed.

    `lock_first`: streams whose writer locks are taken before anything else — before the
    transaction has an id. A retry after a lost race passes the streams it lost on, so it can
    no longer lose to writers that queued behind it or took their id later (no starvation).
    """
    callbacks: list[Callable[[], None]] = []
    token = _after_commit.set(callbacks)
    try:
        async with engine.begin() as conn:
            await lock_streams(conn, lock_first)
            yield conn
    finally:
        _after_commit.reset(token)
    for callback in callbacks:
        callback()
    commits.committed()


async def in_transaction(
    engine: AsyncEngine, work: Callable[[AsyncConnection], Awaitable[T]], retries: int = 5
) -> T:
    attempt = 0
    contended: list[str] = []
    while True:
        try:
            async with unit_of_work(engine, contended) as conn:
                result = await work(conn)
        except ConcurrencyError as error:
            if attempt >= retries:
                raise
            attempt += 1
            contended = sorted({*contended, *conflicting_streams(error)})
            await asyncio.sleep(random.uniform(0, 0.005 * 2**attempt))  # noqa: S311 - jitter
            continue
        return result
