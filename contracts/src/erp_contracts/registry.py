"""Registry of public event payload models, keyed by (event_type, schema_version).

A public event is a frozen pydantic model decorated with `@public_event("Name", version=1)`.
Contract changes are additive; a breaking change is a new event type (or a new version with an
upcaster in the producing service).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict


class PublicEvent(BaseModel):
    """Base of every public event payload: frozen and strict about unknown fields on export."""

    model_config = ConfigDict(frozen=True)

    event_type: ClassVar[str]
    schema_version: ClassVar[int]
    producer: ClassVar[str]


_REGISTRY: dict[tuple[str, int], type[PublicEvent]] = {}

EventT = TypeVar("EventT", bound=type[PublicEvent])


def public_event(event_type: str, *, producer: str, version: int = 1) -> Callable[[EventT], EventT]:
    """Register a payload model as the wire form of `event_type` at `version`."""

    def register(cls: EventT) -> EventT:
        key = (event_type, version)
        if key in _REGISTRY and _REGISTRY[key] is not cls:
            raise ValueError(f"{event_type} v{version} is already registered")
        cls.event_type = event_type
        cls.schema_version = version
        cls.producer = producer
        _REGISTRY[key] = cls
        return cls

    return register


def resolve_event(event_type: str, version: int) -> type[PublicEvent] | None:
    return _REGISTRY.get((event_type, version))


def event_types() -> dict[tuple[str, int], type[PublicEvent]]:
    """Every registered public event (import `erp_contracts.events` first to load them all)."""
    return dict(_REGISTRY)


@contextmanager
def isolated_registry() -> Iterator[None]:
    """Let a test register throwaway events: the registry is restored on exit.

    Events registered inside the block disappear afterwards, so they never leak into schema
    exports or other tests; events registered before the block stay untouched.
    """
    saved = dict(_REGISTRY)
    try:
        yield
    finally:
        _REGISTRY.clear()
        _REGISTRY.update(saved)
