"""Sales domain events ⇄ stored payloads: eventkit's dataclass codec over the
domain's event catalogue."""

from collections.abc import Mapping
from typing import Any, cast

from eventkit.codec import DataclassEventCodec
from sales.domain.catalogue import EVENT_CLASSES
from sales.domain.events import DomainEvent

CODEC = DataclassEventCodec(EVENT_CLASSES, "sales")

#: The public events sales records, by the stream categories that record them: the relay
#: publishes these and nothing else (eventkit.messaging.public_events).
PUBLIC_EVENTS: Mapping[str, tuple[str, ...]] = {
    "CustomerRegistered": ("customer",),
    "SalesOrderPlaced": ("sales-order",),
    "SalesOrderConfirmed": ("sales-order",),
    "SalesOrderBackordered": ("sales-order",),
    "SalesOrderCancelled": ("sales-order",),
    "SalesOrderCompleted": ("sales-order",),
    "SalesReturnRequested": ("sales-order",),
}
EVENT_TYPES: Mapping[str, type[Any]] = CODEC.event_types


def to_payload(event: DomainEvent) -> dict[str, Any]:
    return CODEC.encode(event)


def from_payload(event_type: str, payload: Mapping[str, Any]) -> DomainEvent:
    return cast(DomainEvent, CODEC.decode(event_type, payload))
