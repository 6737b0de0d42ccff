"""State of a ``StockItem``, how each of its events changes it (``_apply``), and the
recording steps its commands share (costing, the FORBID history check, alerts).

The commands themselves live in ``stock_item.py``.
"""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from uuid import UUID

from inventory.domain.aggregate import Aggregate
from inventory.domain.costing.fifo_ledger import ledger_for
from inventory.domain.errors import (
    InsufficientStock,
    InvalidState,
    InventoryError,
    NegativeStockForbidden,
)
from inventory.domain.events import (
    DomainEvent,
    LotNearExpiry,
    OverstockDetected,
    ReorderPointBreached,
    StockCostAdjusted,
    StockCostingMethodChanged,
    StockIssued,
    StockItemOpened,
    StockMovedBetweenBins,
    StockMovement,
    StockPolicyChanged,
    StockReservationHeld,
    StockReservationReleased,
    StockRevalued,
    StockTransferDelivered,
    StockTransferredOut,
)
from inventory.domain.item import StockPolicy
from inventory.domain.quantities import ZERO
from inventory.domain.stock_alerts import alerts_due
from inventory.domain.stock_bins import StockBins
from inventory.domain.stock_ledger import (
    MovementFields,
    PricedMovement,
    StockLedger,
    movement_fields,
    movement_of,
    position_after,
)
from inventory.domain.valuation import Movement, ValuedMovement
from inventory.domain.vocabulary import CostingMethod, DocumentType, NegativeStockPolicy

Refusal = Callable[[Decimal, Decimal], InventoryError]


class StockItemState(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.sku = ""
        self.warehouse_id = ""
        self.is_open = False
        self.policy = StockPolicy()
        self.costing_method = CostingMethod.MOVING_AVERAGE
        self.on_hand = ZERO
        self.value = ZERO
        self.unit_cost = ZERO
        self.reserved = ZERO
        self.in_transit_out = ZERO
        self.in_transit_value = ZERO
        self._reservations: dict[UUID, Decimal] = {}
        self._in_transit: dict[UUID, tuple[Decimal, Decimal]] = {}
        self._ledger = StockLedger()
        #: On-hand per (location, lot) and each lot's expiry (stock_bins).
        self.bins = StockBins()
        self._reorder_alert_armed = False
        #: A reorder alert was raised and stock has not been back at the line since.
        self._reorder_alert_open = False
        self._overstock_alert_armed = True

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    @property
    def reservations(self) -> Mapping[UUID, Decimal]:
        return MappingProxyType(self._reservations)

    @property
    def transfers_in_transit(self) -> Mapping[UUID, tuple[Decimal, Decimal]]:
        """transfer_id → (qty, value) sent from here and not yet received."""
        return MappingProxyType(self._in_transit)

    @property
    def allows_negative_stock(self) -> bool:
        return self.policy.negative_stock is NegativeStockPolicy.ALLOW

    @property
    def negative_stock(self) -> NegativeStockPolicy:
        return self.policy.negative_stock

    @property
    def reorder_point(self) -> Decimal | None:
        return self.policy.reorder_point

    @property
    def reorder_qty(self) -> Decimal | None:
        return self.policy.reorder_qty

    @property
    def max_stock(self) -> Decimal | None:
        return self.policy.max_stock

    @property
    def below_reorder_point(self) -> bool:
        point = self.policy.reorder_point
        return point is not None and self.available < point

    @property
    def ledger(self) -> tuple[ValuedMovement, ...]:
        """库存流水 in business-time order, with running balances."""
        return self._ledger.entries

    def reserved_for(self, order_id: UUID | None) -> Decimal:
        return self._reservations.get(order_id, ZERO) if order_id is not None else ZERO

    def reservable(self, as_of: date | None = None) -> Decimal:
        """Available less the stock in lots expired at ``as_of`` (expired goods are never
        reserved)."""
        expired = ZERO if as_of is None else self.bins.expired_qty(as_of)
        return self.available - expired

    def reservation_shortage(self, qty: Decimal, as_of: date | None = None) -> Decimal:
        """How much of ``qty`` cannot be held (always 0 under the ALLOW policy)."""
        if self.allows_negative_stock:
            return ZERO
        return max(ZERO, qty - self.reservable(as_of))

    def ensure_can_take(self, qty: Decimal, order_id: UUID | None = None) -> None:
        """Raise ``InsufficientStock`` unless ``qty`` fits in available (+ own reservation)."""
        takeable = self.available + self.reserved_for(order_id)
        if not self.allows_negative_stock and qty > takeable:
            raise InsufficientStock(self.sku, qty, takeable)

    def _require_open(self) -> None:
        if not self.is_open:
            raise InvalidState("stock item is not open; open it from its item first")

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case StockItemOpened():
                self._apply_opened(event)
            case StockPolicyChanged():
                negative = self.policy.negative_stock
                self.policy = StockPolicy(
                    negative, event.reorder_point, event.reorder_qty, event.max_stock
                )
                # A line drawn on purpose is checked against today's stock at once (unlike a
                # new item's, which waits until stock was once above it) — unless an alert is
                # still open: one alert per shortage, whichever line it was raised at.
                self._reorder_alert_armed = not self._reorder_alert_open
            case StockIssued():
                self._apply_movement(event)
                self._change_reservation(event.order_id, -event.reservation_consumed)
            case StockTransferredOut():
                self._apply_movement(event)
                self._change_in_transit(event.transfer_id, event.qty, event.value)
            case StockMovement():
                self._apply_movement(event)
            case StockRevalued() | StockCostAdjusted() | StockCostingMethodChanged():
                self._apply_costing(event)
            case StockReservationHeld():
                self._change_reservation(event.order_id, event.qty)
            case StockReservationReleased():
                self._change_reservation(event.order_id, -event.qty)
            case StockTransferDelivered():
                self._change_in_transit(event.transfer_id, -event.qty, -event.value)
            case ReorderPointBreached():
                self._reorder_alert_armed = False
                self._reorder_alert_open = True
            case OverstockDetected():
                self._overstock_alert_armed = False
            case _:
                self._apply_bin_event(event)
        self._rearm_alerts()

    def _apply_bin_event(self, event: DomainEvent) -> None:
        if not isinstance(event, StockMovedBetweenBins | LotNearExpiry):
            raise self._cannot_apply(event)
        self.bins.apply_bin_event(event)

    def _apply_opened(self, event: StockItemOpened) -> None:
        self.sku, self.warehouse_id = event.sku, event.warehouse_id
        self.policy = StockPolicy(
            event.negative_stock, event.reorder_point, event.reorder_qty, event.max_stock
        )
        self._use_costing_method(event.costing_method)
        self.is_open = True

    def _apply_costing(
        self, event: StockRevalued | StockCostAdjusted | StockCostingMethodChanged
    ) -> None:
        if isinstance(event, StockCostingMethodChanged):
            self._use_costing_method(event.costing_method)
            return
        if isinstance(event, StockRevalued):
            self._ledger.apply_revaluation(event.trigger_movement_id, event.adjustments)
        else:
            self._ledger.restate_movements(event.adjustments)
        self.value = event.value_after
        self.unit_cost = event.average_cost_after

    def _use_costing_method(self, method: CostingMethod) -> None:
        self.costing_method = method
        self._ledger = ledger_for(method, self._ledger.entries)

    def _apply_movement(self, event: StockMovement) -> None:
        self.on_hand += event.signed_qty
        self.value += event.stock_value_change
        # A backdated movement's average is the one at its business time; the StockRevalued
        # recorded right after it sets the current average.
        self.unit_cost = event.average_cost_after
        self.bins.apply_movement(event)
        self._ledger.insert(movement_of(event), position_after(event))

    def _change_reservation(self, order_id: UUID | None, change: Decimal) -> None:
        if order_id is None or change == 0:
            return
        held = self._reservations.get(order_id, ZERO) + change
        if held > 0:
            self._reservations[order_id] = held
        else:
            self._reservations.pop(order_id, None)
        self.reserved += change

    def _change_in_transit(self, transfer_id: UUID, qty: Decimal, value: Decimal) -> None:
        if qty > 0:
            self._in_transit[transfer_id] = (qty, value)
        else:
            del self._in_transit[transfer_id]
        self.in_transit_out += qty
        self.in_transit_value += value

    def _rearm_alerts(self) -> None:
        # 库存预警 fires once per downward crossing; it re-arms once stock is back at the line.
        point, cap = self.policy.reorder_point, self.policy.max_stock
        if point is not None and self.available >= point:
            self._reorder_alert_armed = True
            self._reorder_alert_open = False
        if cap is not None and self.on_hand <= cap:
            self._overstock_alert_armed = True

    def _price(
        self,
        movement: Movement,
        document_type: DocumentType,
        lot: str | None = None,
        location: str | None = None,
    ) -> tuple[PricedMovement, MovementFields]:
        """Cost the movement at its business time and re-cost the movements after it."""
        priced = self._ledger.price(movement)
        fields = movement_fields(
            self.sku, self.warehouse_id, priced.valued, document_type, lot, location
        )
        return priced, fields

    def _ensure_history_covers(self, movement: Movement, refusal: Refusal) -> None:
        """Under FORBID no running balance from the movement's business time on may go < 0."""
        if self.allows_negative_stock:
            return
        headroom = self._ledger.lowest_qty_from(movement.occurred_at)
        if movement.qty > headroom:
            raise refusal(movement.qty, headroom)

    def _insufficient(self, requested: Decimal, headroom: Decimal) -> InventoryError:
        return InsufficientStock(self.sku, requested, headroom)

    def _negative_stock(self, requested: Decimal, headroom: Decimal) -> InventoryError:
        return NegativeStockForbidden(
            f"removing {requested} of {self.sku} would take stock below zero (has {headroom})",
            sku=self.sku,
            requested=str(requested),
            on_hand=str(headroom),
        )

    def _record_movement(self, event: StockMovement, priced: PricedMovement) -> None:
        self._record(event)
        if priced.later_before:
            # Backdated: re-cost only the movements after it in business time.
            final, adjustments = priced.final_position, priced.revaluations
            revalued = StockRevalued(
                occurred_at=event.occurred_at,
                sku=self.sku,
                warehouse_id=self.warehouse_id,
                trigger_movement_id=event.movement_id,
                adjustments=adjustments,
                value_delta=sum((a.stock_value_change for a in adjustments), ZERO),
                value_after=final.value,
                average_cost_after=final.average_cost,
            )
            self._record(revalued)
        self._record_alerts(event.occurred_at)

    def _record_with_alerts(self, event: DomainEvent) -> None:
        self._record(event)
        self._record_alerts(event.occurred_at)

    def _record_alerts(self, occurred_at: datetime) -> None:
        for alert in alerts_due(
            sku=self.sku,
            warehouse_id=self.warehouse_id,
            policy=self.policy,
            on_hand=self.on_hand,
            available=self.available,
            reorder_armed=self._reorder_alert_armed,
            overstock_armed=self._overstock_alert_armed,
            occurred_at=occurred_at,
        ):
            self._record(alert)
