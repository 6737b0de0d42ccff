"""The one way every stack part (database, broker, services, the stack) is a context manager."""

from types import TracebackType
from typing import Self


class Stoppable:
    """`with part:` calls `_on_enter()` (a start, where that makes sense), always `stop()`."""

    def _on_enter(self) -> None:
        """Parts that start on entry override this; the others are started explicitly."""

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._on_enter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
