"""Events of the ``StockItem`` stream (one per sku and warehouse) and the event base class.

Movement events share ``StockMovement``'s fields. Their ``qty`` and ``value`` are magnitudes
(≥ 0) and ``direction`` says in or out. ``qty_before/after`` and ``value_before/after`` are the
running balances in *business-time* order at the movement's ``occurred_at`` (ties: stream
order), so a backdated movement shows the balance at the moment it happened.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from inventory.domain.quantities import ZERO
from inventory.domain.vocabulary import (
    AdjustmentReason,
    CostBasis,
    CostingMethod,
    DocumentType,
    MovementDirection,
    NegativeStockPolicy,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    event_type: ClassVar[str] = "DomainEvent"
    occurred_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StockItemOpened(DomainEvent):
    """Policy fields are copied from the item when its stock in a warehouse is first touched."""

    event_type: ClassVar[str] = "StockItemOpened"
    sku: str
    warehouse_id: str
    negative_stock: NegativeStockPolicy
    reorder_point: Decimal | None = None
    reorder_qty: Decimal | None = None
    max_stock: Decimal | None = None
    costing_method: CostingMethod = CostingMethod.MOVING_AVERAGE


@dataclass(frozen=True, slots=True, kw_only=True)
class StockCostingMethodChanged(DomainEvent):
    """The item's costing method changed while this stock item held nothing."""

    event_type: ClassVar[str] = "StockCostingMethodChanged"
    sku: str
    warehouse_id: str
    costing_method: CostingMethod


@dataclass(frozen=True, slots=True, kw_only=True)
class StockPolicyChanged(DomainEvent):
    """库存策略调整: the reorder point, reorder quantity or maximum of one sku in one warehouse
    changed after its stock item was opened — by a planner, or applied from reporting's
    forecast. The negative-stock policy is the item's and does not change here."""

    event_type: ClassVar[str] = "StockPolicyChanged"
    sku: str
    warehouse_id: str
    reorder_point: Decimal | None
    reorder_qty: Decimal | None
    max_stock: Decimal | None
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BinPick:
    """Part of a movement taken from (or put into) one location and lot (库位/批次).
    None = the warehouse's unnamed default location / no lot."""

    location: str | None
    lot: str | None
    qty: Decimal
    #: The lot's expiry, carried with goods in transit so the destination knows it.
    expiry: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StockMovement(DomainEvent):
    event_type: ClassVar[str] = "StockMovement"
    sku: str
    warehouse_id: str
    movement_id: UUID
    document: str
    document_type: DocumentType
    direction: MovementDirection
    qty: Decimal
    cost_basis: CostBasis
    unit_cost: Decimal
    value: Decimal
    # Inbound onto on-hand ≤ 0 resets the value to qty_after × unit_cost; the difference from
    # value_before + value is this variance (cost of goods issued while negative, to COGS).
    cost_variance: Decimal = ZERO
    qty_before: Decimal
    qty_after: Decimal
    value_before: Decimal
    value_after: Decimal
    average_cost_after: Decimal
    lot: str | None = None
    location: str | None = None
    #: The lot's expiry date (保质期), on a movement that brings a lot in.
    expiry: date | None = None
    #: An outbound split over several bins/lots (FEFO): the picks, and lot/location are None.
    picks: tuple[BinPick, ...] = ()
    #: FIFO: the inbound documents whose cost layers this outbound took first (a return to
    #: the supplier names its PO's receipts); empty for every other movement.
    cost_layers_from: tuple[str, ...] = ()

    @property
    def signed_qty(self) -> Decimal:
        return self.qty if self.direction is MovementDirection.IN else -self.qty

    @property
    def stock_value_change(self) -> Decimal:
        """What this movement adds to the stock's value (negative for outbound)."""
        if self.direction is MovementDirection.IN:
            return self.value + self.cost_variance
        return -self.value


@dataclass(frozen=True, slots=True, kw_only=True)
class StockReceived(StockMovement):
    event_type: ClassVar[str] = "StockReceived"


@dataclass(frozen=True, slots=True, kw_only=True)
class StockIssued(StockMovement):
    event_type: ClassVar[str] = "StockIssued"
    order_id: UUID | None = None
    reservation_consumed: Decimal = ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class StockAdjusted(StockMovement):
    event_type: ClassVar[str] = "StockAdjusted"
    reason: AdjustmentReason


@dataclass(frozen=True, slots=True, kw_only=True)
class StockTransferredOut(StockMovement):
    event_type: ClassVar[str] = "StockTransferredOut"
    transfer_id: UUID
    destination_warehouse_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StockTransferredIn(StockMovement):
    event_type: ClassVar[str] = "StockTransferredIn"
    transfer_id: UUID
    source_warehouse_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StockTransferDelivered(DomainEvent):
    """On the source stream: goods it sent in transit arrived at the destination."""

    event_type: ClassVar[str] = "StockTransferDelivered"
    sku: str
    warehouse_id: str
    transfer_id: UUID
    qty: Decimal
    value: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class StockMovedBetweenBins(DomainEvent):
    """移库: ``qty`` of one lot moved from one location to another inside the warehouse. Only
    the bins change: on-hand and value of the stock item stay as they are."""

    event_type: ClassVar[str] = "StockMovedBetweenBins"
    sku: str
    warehouse_id: str
    move_id: UUID
    document: str
    from_location: str | None
    to_location: str | None
    lot: str | None
    qty: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class LotNearExpiry(DomainEvent):
    """临期预警: a lot still in stock comes within ``alert_days`` of its expiry date (once per
    lot and stock item)."""

    event_type: ClassVar[str] = "LotNearExpiry"
    sku: str
    warehouse_id: str
    lot: str
    expiry: date
    qty: Decimal
    days_left: int
    alert_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StockReservationHeld(DomainEvent):
    event_type: ClassVar[str] = "StockReservationHeld"
    sku: str
    warehouse_id: str
    order_id: UUID
    qty: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class StockReservationReleased(DomainEvent):
    event_type: ClassVar[str] = "StockReservationReleased"
    sku: str
    warehouse_id: str
    order_id: UUID
    qty: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ReorderPointBreached(DomainEvent):
    event_type: ClassVar[str] = "ReorderPointBreached"
    sku: str
    warehouse_id: str
    available: Decimal
    reorder_point: Decimal
    suggested_qty: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class OverstockDetected(DomainEvent):
    event_type: ClassVar[str] = "OverstockDetected"
    sku: str
    warehouse_id: str
    on_hand: Decimal
    max_stock: Decimal
    excess_qty: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class RevaluedMovement:
    """A later movement whose cost changed because an earlier one was inserted before it."""

    movement_id: UUID
    movement_type: str
    document: str
    direction: MovementDirection
    unit_cost: Decimal
    old_value: Decimal
    new_value: Decimal
    old_cost_variance: Decimal = ZERO
    new_cost_variance: Decimal = ZERO

    @property
    def stock_value_change(self) -> Decimal:
        """Change of the stock's value: outbound cheaper ⇒ more value left in stock."""
        variance_change = self.new_cost_variance - self.old_cost_variance
        value_change = self.new_value - self.old_value
        if self.direction is MovementDirection.IN:
            return value_change + variance_change
        return -value_change


@dataclass(frozen=True, slots=True, kw_only=True)
class StockRevalued(DomainEvent):
    """Recorded right after a backdated movement: the movements after it in business time,
    re-costed. ``value_delta`` is the change of the stock's value (1405); for outbound
    movements the counter-account (COGS for issues) changes by −value_delta."""

    event_type: ClassVar[str] = "StockRevalued"
    sku: str
    warehouse_id: str
    trigger_movement_id: UUID
    adjustments: tuple[RevaluedMovement, ...]
    value_delta: Decimal
    value_after: Decimal
    average_cost_after: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class StockCostAdjusted(DomainEvent):
    """月末一次加权平均: the month ``period`` closed and its issues were restated at the
    month's average ``period_average_cost``. ``adjustments`` lists every restated issue;
    ``value_delta`` is the change of the stock's value (1405, the opposite to 6401)."""

    event_type: ClassVar[str] = "StockCostAdjusted"
    sku: str
    warehouse_id: str
    period: str
    period_average_cost: Decimal
    adjustments: tuple[RevaluedMovement, ...]
    value_delta: Decimal
    value_after: Decimal
    average_cost_after: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ClosedPeriodLearned(DomainEvent):
    """Finance closed the month `period` (yyyy-mm): stock movements may no longer be dated in
    it (stream ``accounting-periods``)."""

    event_type: ClassVar[str] = "ClosedPeriodLearned"
    period: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReopenedPeriodLearned(DomainEvent):
    """Finance reopened the month `period` (反结账, its `PeriodReopened`): stock movements may
    be dated in it again until finance closes it anew."""

    event_type: ClassVar[str] = "ReopenedPeriodLearned"
    period: str
    reason: str
