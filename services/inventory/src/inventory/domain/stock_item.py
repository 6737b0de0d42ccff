"""The ``StockItem`` aggregate: stock of one sku in one warehouse decides every movement.

Stream id ``stock-{sku}@{warehouse_id}``. Quantities follow stream order (a sum, so order does
not matter); valuation follows business time (``stock_ledger``, ``valuation``).

- on_hand is physical stock here. Goods sent on a transfer leave on_hand at dispatch and are
  held as ``in_transit_out`` (qty and value) on the *source* until the destination receives
  them, so goods on the road never drop out of the inventory valuation.
- available = on_hand − reserved. Under FORBID a reservation or an outbound document may not
  take more than available (an issue may also take its own order's reservation). A physical
  loss (adjustment) may eat into reserved stock, but never takes on_hand below zero.
- Under ALLOW (negative stock) reservations and issues are never refused.
- A backdated outbound under FORBID must also keep every later running balance ≥ 0.
"""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from inventory.domain.costing.stock_costing import StockItemCosting
from inventory.domain.errors import (
    InsufficientStock,
    InvalidCost,
    InvalidQuantity,
    InvalidState,
)
from inventory.domain.events import (
    BinPick,
    StockAdjusted,
    StockIssued,
    StockItemOpened,
    StockPolicyChanged,
    StockReceived,
    StockReservationHeld,
    StockReservationReleased,
    StockTransferDelivered,
    StockTransferredIn,
    StockTransferredOut,
)
from inventory.domain.item import StockPolicy
from inventory.domain.movement_drafts import inbound_movement, outbound_movement
from inventory.domain.quantities import positive, utc, valid_qty, valid_unit_cost
from inventory.domain.stock_bin_commands import StockBinCommands
from inventory.domain.vocabulary import AdjustmentReason, CostingMethod, DocumentType


def stock_stream_id(sku: str, warehouse_id: str) -> str:
    return f"stock-{sku}@{warehouse_id}"


class StockItem(StockBinCommands, StockItemCosting):
    @classmethod
    def open(
        cls,
        sku: str,
        warehouse_id: str,
        policy: StockPolicy,
        *,
        occurred_at: datetime,
        costing_method: CostingMethod = CostingMethod.MOVING_AVERAGE,
    ) -> "StockItem":
        """A new stream for ``sku`` in ``warehouse_id``, with the item's policy and costing
        method copied in."""
        checked = policy.validated()
        stock = cls()
        stock._record(
            StockItemOpened(
                occurred_at=utc(occurred_at),
                sku=sku,
                warehouse_id=warehouse_id,
                negative_stock=checked.negative_stock,
                reorder_point=checked.reorder_point,
                reorder_qty=checked.reorder_qty,
                max_stock=checked.max_stock,
                costing_method=costing_method,
            )
        )
        return stock

    def change_policy(
        self, policy: StockPolicy, reason: str, *, occurred_at: datetime
    ) -> StockPolicyChanged | None:
        """Set the reorder point, reorder quantity and maximum here; None when nothing changes
        (applying the same suggestion twice records nothing). A new reorder point that the
        available stock is already under raises the reorder alert at once, so replenishment
        starts from the new line without waiting for the next movement."""
        self._require_open()
        if not reason.strip():
            raise InvalidState("a policy change needs a reason")
        wanted = StockPolicy(
            self.policy.negative_stock, policy.reorder_point, policy.reorder_qty, policy.max_stock
        ).validated()
        if wanted == self.policy:
            return None
        event = StockPolicyChanged(
            occurred_at=utc(occurred_at),
            sku=self.sku,
            warehouse_id=self.warehouse_id,
            reorder_point=wanted.reorder_point,
            reorder_qty=wanted.reorder_qty,
            max_stock=wanted.max_stock,
            reason=reason,
        )
        self._record_with_alerts(event)
        return event

    def reserve(
        self, order_id: UUID, qty: Decimal, *, occurred_at: datetime
    ) -> StockReservationHeld:
        """Hold ``qty`` for an order. One hold per order and sku: holding again is refused
        (``invalid_state``); the order-level decider merges an order's lines per sku."""
        self._require_open()
        positive(qty)
        if order_id in self.reservations:
            raise InvalidState(f"order {order_id} already holds {self.sku}", order_id=str(order_id))
        as_of = utc(occurred_at).date()
        if self.reservation_shortage(qty, as_of) > 0:
            raise InsufficientStock(self.sku, qty, self.reservable(as_of))
        event = StockReservationHeld(
            occurred_at=utc(occurred_at),
            sku=self.sku,
            warehouse_id=self.warehouse_id,
            order_id=order_id,
            qty=qty,
        )
        self._record_with_alerts(event)
        return event

    def release(self, order_id: UUID, *, occurred_at: datetime) -> StockReservationReleased | None:
        """Release the order's whole hold. An order holding nothing records nothing, so a
        repeated cancel, or a cancel after full dispatch, is harmless."""
        self._require_open()
        held = self.reserved_for(order_id)
        if held == 0:
            return None
        event = StockReservationReleased(
            occurred_at=utc(occurred_at),
            sku=self.sku,
            warehouse_id=self.warehouse_id,
            order_id=order_id,
            qty=held,
        )
        self._record_with_alerts(event)
        return event

    def receive(
        self,
        qty: Decimal,
        unit_cost: Decimal,
        *,
        document: str,
        occurred_at: datetime,
        document_type: DocumentType = DocumentType.GOODS_RECEIPT,
        lot: str | None = None,
        location: str | None = None,
        movement_id: UUID | None = None,
        expiry: date | None = None,
    ) -> StockReceived:
        self._require_open()
        movement = inbound_movement(
            StockReceived.event_type,
            positive(qty),
            document=document,
            occurred_at=occurred_at,
            movement_id=movement_id,
            unit_cost=valid_unit_cost(unit_cost),
        )
        priced, fields = self._price(movement, document_type, lot, location)
        event = StockReceived(**fields, expiry=expiry if lot else None)
        self._record_movement(event, priced)
        return event

    def issue(
        self,
        qty: Decimal,
        *,
        document: str,
        occurred_at: datetime,
        order_id: UUID | None = None,
        document_type: DocumentType = DocumentType.SHIPMENT,
        lot: str | None = None,
        location: str | None = None,
        movement_id: UUID | None = None,
    ) -> StockIssued:
        """Dispatch at the moving-average cost, consuming up to the order's reservation."""
        self._require_open()
        self.ensure_can_take(positive(qty), order_id)
        movement = outbound_movement(
            StockIssued.event_type,
            qty,
            document=document,
            occurred_at=occurred_at,
            movement_id=movement_id,
        )
        self._ensure_history_covers(movement, self._insufficient)
        consumed = min(qty, self.reserved_for(order_id))
        placed = self._place(qty, occurred_at, location, lot)
        priced, fields = self._price(movement, document_type, placed.lot, placed.location)
        event = StockIssued(
            **fields, picks=placed.picks, order_id=order_id, reservation_consumed=consumed
        )
        self._record_movement(event, priced)
        return event

    def adjust(
        self,
        qty_delta: Decimal,
        reason: AdjustmentReason,
        *,
        document: str,
        occurred_at: datetime,
        unit_cost: Decimal | None = None,
        value: Decimal | None = None,
        document_type: DocumentType = DocumentType.ADJUSTMENT,
        lot: str | None = None,
        location: str | None = None,
        movement_id: UUID | None = None,
        expiry: date | None = None,
        cost_layers_from: tuple[str, ...] = (),
    ) -> StockAdjusted:
        """其它入库/出库. A gain (qty_delta > 0) comes at ``unit_cost`` (and ``value``) when
        given, else at the moving average; a loss goes by the costing method (under FIFO from
        the layers of the ``cost_layers_from`` documents first). A gain into a lot may give the
        lot's ``expiry`` (an opening balance of a dated lot)."""
        self._require_open()
        if valid_qty(qty_delta, "qty_delta") == 0:
            raise InvalidQuantity("qty_delta must not be zero", field="qty_delta")
        picks: tuple[BinPick, ...] = ()
        if qty_delta > 0:
            movement = inbound_movement(
                StockAdjusted.event_type,
                qty_delta,
                document=document,
                occurred_at=occurred_at,
                movement_id=movement_id,
                unit_cost=None if unit_cost is None else valid_unit_cost(unit_cost),
                value=value,
            )
        else:
            if unit_cost is not None or value is not None:
                raise InvalidCost("a stock loss is costed by the item's costing method")
            movement = outbound_movement(
                StockAdjusted.event_type,
                -qty_delta,
                document=document,
                occurred_at=occurred_at,
                movement_id=movement_id,
                cost_layers_from=cost_layers_from,
            )
            self._ensure_history_covers(movement, self._negative_stock)
            # A loss may write off expired goods (报损), so expired lots can be taken here.
            placed = self._place(-qty_delta, occurred_at, location, lot, write_off=True)
            lot, location, picks = placed.lot, placed.location, placed.picks
        priced, fields = self._price(movement, document_type, lot, location)
        gained_expiry = expiry if qty_delta > 0 and lot else None
        event = StockAdjusted(**fields, picks=picks, reason=reason, expiry=gained_expiry)
        self._record_movement(event, priced)
        return event

    def transfer_out(
        self,
        qty: Decimal,
        *,
        transfer_id: UUID,
        destination_warehouse_id: str,
        document: str,
        occurred_at: datetime,
        movement_id: UUID | None = None,
        location: str | None = None,
        lot: str | None = None,
    ) -> StockTransferredOut:
        """Goods leave on_hand at the moving average and stay here as in transit."""
        self._require_open()
        if transfer_id in self.transfers_in_transit:
            raise InvalidState(f"transfer {transfer_id} already dispatched {self.sku}")
        self.ensure_can_take(positive(qty))
        movement = outbound_movement(
            StockTransferredOut.event_type,
            qty,
            document=document,
            occurred_at=occurred_at,
            movement_id=movement_id,
        )
        self._ensure_history_covers(movement, self._insufficient)
        placed = self._place(qty, occurred_at, location, lot)
        priced, fields = self._price(movement, DocumentType.TRANSFER, placed.lot, placed.location)
        event = StockTransferredOut(
            **fields,
            picks=placed.picks,
            transfer_id=transfer_id,
            destination_warehouse_id=destination_warehouse_id,
        )
        self._record_movement(event, priced)
        return event

    def transfer_in(
        self,
        qty: Decimal,
        unit_cost: Decimal,
        value: Decimal,
        *,
        transfer_id: UUID,
        source_warehouse_id: str,
        document: str,
        occurred_at: datetime,
        movement_id: UUID | None = None,
        picks: tuple[BinPick, ...] = (),
    ) -> StockTransferredIn:
        """Goods arrive at the unit cost and exact value carried from the source, with their
        lots (``picks``: lot, qty and expiry; location None = the default location)."""
        self._require_open()
        movement = inbound_movement(
            StockTransferredIn.event_type,
            positive(qty),
            document=document,
            occurred_at=occurred_at,
            movement_id=movement_id,
            unit_cost=valid_unit_cost(unit_cost),
            value=value,
        )
        priced, fields = self._price(movement, DocumentType.TRANSFER)
        event = StockTransferredIn(
            **fields,
            picks=picks,
            transfer_id=transfer_id,
            source_warehouse_id=source_warehouse_id,
        )
        self._record_movement(event, priced)
        return event

    def deliver_transfer(
        self, transfer_id: UUID, *, occurred_at: datetime
    ) -> StockTransferDelivered:
        """The destination received the goods: they stop being in transit from here."""
        self._require_open()
        if transfer_id not in self.transfers_in_transit:
            raise InvalidState(f"transfer {transfer_id} has nothing in transit from here")
        qty, value = self.transfers_in_transit[transfer_id]
        event = StockTransferDelivered(
            occurred_at=utc(occurred_at),
            sku=self.sku,
            warehouse_id=self.warehouse_id,
            transfer_id=transfer_id,
            qty=qty,
            value=value,
        )
        self._record(event)
        return event
