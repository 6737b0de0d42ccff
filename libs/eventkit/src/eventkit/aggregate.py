"""The event-sourced aggregate base every service's domain builds on.

Pure standard library, no IO: the one piece of eventkit a `domain/` package may import.
Commands check invariants and call `_record`; `_apply` is the only place state changes, so
replaying events and running commands are the same code.
"""

from collections.abc import Iterable
from typing import Any, ClassVar, Generic, Self, TypeVar

E = TypeVar("E")


class Aggregate(Generic[E]):
    """`version` counts the events loaded from the store (the expected version for an append);
    `collect_events()` hands over what commands recorded since and advances the version."""

    #: The domain's "invalid state" refusal, raised for an event an aggregate cannot apply.
    state_error: ClassVar[type[Exception]] = ValueError

    def __init__(self) -> None:
        self._pending: list[E] = []
        self._version = 0

    @classmethod
    def from_events(cls, events: Iterable[E]) -> Self:
        aggregate = cls()
        aggregate.catch_up(events)
        return aggregate

    def catch_up(self, events: Iterable[E]) -> None:
        """Apply events recorded after this instance was built (as `from_events` would)."""
        if self._pending:
            raise self.state_error("cannot catch up while commands have unsaved events")
        for event in events:
            self._apply(event)
            self._version += 1

    @property
    def version(self) -> int:
        return self._version

    @property
    def pending_events(self) -> tuple[E, ...]:
        return tuple(self._pending)

    def collect_events(self) -> list[E]:
        collected, self._pending = self._pending, []
        self._version += len(collected)
        return collected

    def _record(self, event: E) -> None:
        self._apply(event)
        self._pending.append(event)

    def _apply(self, event: E) -> None:
        raise NotImplementedError

    def _cannot_apply(self, event: Any) -> Exception:
        name = getattr(event, "event_type", type(event).__name__)
        return self.state_error(f"{type(self).__name__} cannot apply {name}")
