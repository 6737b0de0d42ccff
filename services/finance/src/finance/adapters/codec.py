"""Finance domain events ⇄ stored payloads: eventkit's dataclass codec over the domain's
event catalogue."""

from collections.abc import Mapping
from typing import Any, cast

from eventkit.codec import DataclassEventCodec
from finance.domain.catalogue import EVENT_CLASSES
from finance.domain.events import DomainEvent

CODEC = DataclassEventCodec(EVENT_CLASSES, "finance")


def from_payload(event_type: str, payload: Mapping[str, Any]) -> DomainEvent:
    return cast(DomainEvent, CODEC.decode(event_type, payload))
