"""In-process wake-up for log tailers: a commit in this process wakes the relay and projection
runners at once; commits from other processes are picked up by their idle poll.

(We avoid LISTEN/NOTIFY: NOTIFY takes a global lock at commit and serialises writers.)
"""

import asyncio


class CommitSignal:
    def __init__(self) -> None:
        self._waiters: set[asyncio.Event] = set()

    def committed(self) -> None:
        for event in self._waiters:
            event.set()

    async def wait(self, timeout: float) -> None:
        event = asyncio.Event()
        self._waiters.add(event)
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(event)


commits = CommitSignal()
