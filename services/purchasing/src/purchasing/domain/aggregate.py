"""The event-sourced aggregate base: commands record events, ``_apply`` changes state."""

from collections.abc import Iterable
from typing import Self

from purchasing.domain.errors import InvalidState
from purchasing.domain.events import DomainEvent


class Aggregate:
    """Commands check invariants and call ``_record``; ``_apply`` is the only state change.

    ``version`` counts the events loaded from the store (the expected version for an append);
    ``collect_events()`` hands over what commands recorded since and advances the version.
    """

    def __init__(self) -> None:
        self._pending: list[DomainEvent] = []
        self._version = 0

    @classmethod
    def from_events(cls, events: Iterable[DomainEvent]) -> Self:
        aggregate = cls()
        for event in events:
            aggregate._apply(event)
            aggregate._version += 1
        return aggregate

    def catch_up(self, events: Iterable[DomainEvent]) -> None:
        """Apply events recorded after this instance was built (as `from_events` would)."""
        if self._pending:
            raise InvalidState("cannot catch up while commands have unsaved events")
        for event in events:
            self._apply(event)
            self._version += 1

    @property
    def version(self) -> int:
        return self._version

    @property
    def pending_events(self) -> tuple[DomainEvent, ...]:
        return tuple(self._pending)

    def collect_events(self) -> list[DomainEvent]:
        collected, self._pending = self._pending, []
        self._version += len(collected)
        return collected

    def _record(self, event: DomainEvent) -> None:
        self._apply(event)
        self._pending.append(event)

    def _apply(self, event: DomainEvent) -> None:
        raise NotImplementedError

    def _cannot_apply(self, event: DomainEvent) -> InvalidState:
        return InvalidState(f"{type(self).__name__} cannot apply {event.event_type}")
