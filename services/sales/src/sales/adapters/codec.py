"""Sales domain events ⇄ stored payloads: eventkit's dataclass codec over the
domain's event catalogue."""

from collections.abc import Mapping
from typing import Any, cast

from eventkit.codec import DataclassEventCodec
from sales.domain.catalogue import EVENT_CLASSES
from sales.domain.events import DomainEvent

CODEC = DataclassEventCodec(EVENT_CLASSES, "sales")
EVENT_TYPES: Mapping[str, type[Any]] = CODEC.event_types


def to_payload(event: DomainEvent) -> dict[str, Any]:
    return CODEC.encode(event)


def from_payload(event_type: str, payload: Mapping[str, Any]) -> DomainEvent:
    return cast(DomainEvent, CODEC.decode(event_type, payload))
