"""Background tasks that do not die silently.

Every long-running piece of a service (the outbox relay, each projection runner, the Kafka
consumers, the service's own workers) runs under `supervise`: if it raises — or returns while the
service is not stopping — it is logged, marked down, and started again with back-off
(0.5 s → 30 s). `TaskBoard` records which tasks are up, so `/health` answers 503 naming the
ones that are not, and `/metrics` exports `erp_background_task_up{task}`.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from eventkit.logging import get_logger

log = get_logger(__name__)

_FIRST_DELAY, _LONGEST_DELAY = 0.5, 30.0


@dataclass
class TaskState:
    up: bool = False
    restarts: int = 0
    last_error: str | None = None


@dataclass
class TaskBoard:
    states: dict[str, TaskState] = field(default_factory=dict)

    def up(self, name: str) -> None:
        self.states.setdefault(name, TaskState()).up = True

    def down(self, name: str, error: str) -> None:
        state = self.states.setdefault(name, TaskState())
        state.up, state.last_error = False, error
        state.restarts += 1

    def dead(self) -> dict[str, str]:
        """Tasks that are not running now, with the error that stopped them."""
        return {n: s.last_error or "not started" for n, s in self.states.items() if not s.up}

    def running(self) -> dict[str, bool]:
        return {name: state.up for name, state in self.states.items()}


async def supervise(
    board: TaskBoard, name: str, run: Callable[[], Awaitable[None]], stop: asyncio.Event
) -> None:
    """Run `run()` until `stop` is set, restarting it with back-off whenever it fails."""
    delay = _FIRST_DELAY
    while not stop.is_set():
        board.up(name)
        try:
            await run()
        except Exception as error:  # noqa: BLE001 - any escape is a dead task: restart it
            reason = repr(error)
        else:
            if stop.is_set():
                return
            reason = "returned while the service was running"
        board.down(name, reason)
        log.error("background_task_died", task=name, error=reason, restart_in=delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        delay = min(delay * 2, _LONGEST_DELAY)
