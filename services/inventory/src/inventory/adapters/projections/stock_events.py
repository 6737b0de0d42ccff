"""The StockItem-stream events as the read models see them: decoded, typed, keyed by stock.

Also the column types the read models share, so quantities, unit costs and money keep the same
precision in every table (architecture §9: quantities and unit costs 6 places, money 2).
"""

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Numeric

from eventkit.store.records import RecordedEvent
from inventory.adapters.codec import from_payload
from inventory.domain.events import (
    LotNearExpiry,
    OverstockDetected,
    ReorderPointBreached,
    StockAdjusted,
    StockCostAdjusted,
    StockIssued,
    StockItemOpened,
    StockMovedBetweenBins,
    StockMovement,
    StockPolicyChanged,
    StockReceived,
    StockReservationHeld,
    StockReservationReleased,
    StockRevalued,
    StockTransferDelivered,
    StockTransferredIn,
    StockTransferredOut,
)

QTY = Numeric(24, 6)
COST = Numeric(24, 6)
MONEY = Numeric(24, 2)
ZERO = Decimal(0)

StockKey = tuple[str, str]
"""(sku, warehouse_id): one StockItem stream."""

StockEvent = (
    StockItemOpened
    | StockPolicyChanged
    | StockMovement
    | StockRevalued
    | StockCostAdjusted
    | StockReservationHeld
    | StockReservationReleased
    | StockTransferDelivered
    | ReorderPointBreached
    | OverstockDetected
    | StockMovedBetweenBins
    | LotNearExpiry
)
_STOCK_EVENT_CLASSES = (
    StockItemOpened,
    StockPolicyChanged,
    StockMovement,
    StockRevalued,
    StockCostAdjusted,
    StockReservationHeld,
    StockReservationReleased,
    StockTransferDelivered,
    ReorderPointBreached,
    OverstockDetected,
    StockMovedBetweenBins,
    LotNearExpiry,
)

MOVEMENT_TYPES = frozenset(
    cls.event_type
    for cls in (
        StockReceived,
        StockIssued,
        StockAdjusted,
        StockTransferredOut,
        StockTransferredIn,
    )
)
RESERVATION_TYPES = frozenset(
    {StockReservationHeld.event_type, StockReservationReleased.event_type}
)
ALERT_TYPES = frozenset({ReorderPointBreached.event_type, OverstockDetected.event_type})


def stock_event(recorded: RecordedEvent) -> StockEvent:
    """Decode a StockItem-stream event (the payload form of ``inventory.adapters.codec``)."""
    event = from_payload(recorded.event_type, recorded.payload)
    if not isinstance(event, _STOCK_EVENT_CLASSES):
        raise TypeError(f"{recorded.event_type} is not an event of a StockItem stream")
    return event


def stock_key(event: StockEvent) -> StockKey:
    return (event.sku, event.warehouse_id)


def decoded_by_stock(
    events: Sequence[RecordedEvent],
) -> tuple[list[tuple[RecordedEvent, StockEvent]], set[StockKey]]:
    """The batch decoded in commit order, and the stocks it touches."""
    decoded = [(recorded, stock_event(recorded)) for recorded in events]
    return decoded, {stock_key(event) for _, event in decoded}
