"""Purchasing domain events ⇄ stored payloads: eventkit's dataclass codec over the
domain's event catalogue."""

from collections.abc import Mapping
from typing import Any, cast

from eventkit.codec import DataclassEventCodec
from purchasing.domain.catalogue import EVENT_CLASSES
from purchasing.domain.events import DomainEvent

CODEC = DataclassEventCodec(EVENT_CLASSES, "purchasing")

#: The public events purchasing records, by the stream categories that record them: the
#: relay publishes these and nothing else (eventkit.messaging.public_events).
PUBLIC_EVENTS: Mapping[str, tuple[str, ...]] = {
    "SupplierRegistered": ("supplier",),
    "PurchaseRequisitionRaised": ("requisition",),
    "PurchaseOrderPlaced": ("purchase-order",),
    "PurchaseOrderCancelled": ("purchase-order",),
    "PurchaseOrderClosed": ("purchase-order",),
    "PurchaseReturnRequested": ("purchase-order",),
}
EVENT_TYPES: Mapping[str, type[Any]] = CODEC.event_types


def to_payload(event: DomainEvent) -> dict[str, Any]:
    return CODEC.encode(event)


def from_payload(event_type: str, payload: Mapping[str, Any]) -> DomainEvent:
    return cast(DomainEvent, CODEC.decode(event_type, payload))
