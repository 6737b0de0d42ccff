"""Run a coroutine to completion from synchronous code, even inside a running event loop.

The stack components are synchronous context managers (test fixtures use them from both sync and
async tests), while asyncpg and aiokafka are async-only.
"""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coroutine)`, on a helper thread if this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="erpctl-sync") as pool:
        return pool.submit(asyncio.run, coroutine).result()
