"""Inventory domain events ⇄ stored payloads: eventkit's dataclass codec over the
domain's event catalogue."""

from collections.abc import Mapping
from typing import Any, cast

from eventkit.codec import DataclassEventCodec
from inventory.domain.catalogue import EVENT_CLASSES
from inventory.domain.events import DomainEvent

CODEC = DataclassEventCodec(EVENT_CLASSES, "inventory")

#: The public events inventory records, by the stream categories that record them: the relay
#: publishes these and nothing else (eventkit.messaging.public_events). The `stock-…` streams
#: also hold the stock item's internal bookkeeping (StockItemOpened, StockReceived,
#: StockIssued, StockTransferredOut/In, StockReservationHeld, …): those stay in the store.
PUBLIC_EVENTS: Mapping[str, tuple[str, ...]] = {
    "ItemRegistered": ("item",),
    "GoodsReceived": ("purchase-order",),
    "GoodsReturnedToSupplier": ("purchase-order",),
    "StockReserved": ("order-allocation",),
    "StockReservationRejected": ("order-allocation",),
    "StockReleased": ("order-allocation",),
    "ShipmentDispatched": ("order-allocation",),
    "CustomerReturnReceived": ("order-allocation",),
    "StockTransferred": ("transfer",),
    "StocktakeCompleted": ("stocktake",),
    "StockAdjusted": ("stock",),
    "ReorderPointBreached": ("stock",),
    "StockRevalued": ("stock",),
    "LotNearExpiry": ("stock",),
    "StockCostAdjusted": ("stock",),
}
EVENT_TYPES: Mapping[str, type[Any]] = CODEC.event_types


def to_payload(event: DomainEvent) -> dict[str, Any]:
    return CODEC.encode(event)


def from_payload(event_type: str, payload: Mapping[str, Any]) -> DomainEvent:
    return cast(DomainEvent, CODEC.decode(event_type, payload))
