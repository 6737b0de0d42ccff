"""Stock side of one sales order: reservation (all or nothing), shipments, customer returns.

Stream ``order-allocation-{order_id}``. Keeping an order's shipments and returns in the
order's own stream serialises them, so one reservation cannot be shipped twice and a return
can be checked against what was really shipped, at the cost it was shipped at.

- reserve: every line is checked first; either all lines are held (``StockReserved``) or none
  (``StockReservationRejected`` with each short line). A rejected (backordered) order may try
  again; a reserved one may not.
- dispatch: by default ships every line still reserved; explicit lines may ship more than
  reserved while stock is available, but only skus the order reserved.
- release: frees what is still reserved (order cancelled); nothing reserved → no event.
- customer return: back into this warehouse at the shipment's average unit cost for the
  sku; returning everything still out returns exactly its shipped value (no residue).
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from inventory.domain.aggregate import Aggregate
from inventory.domain.document_events import (
    CustomerReturnReceived,
    QuantityLine,
    ReservationShortage,
    ShipmentDispatched,
    StockReleased,
    StockReservationRejected,
    StockReserved,
    ValuedLine,
)
from inventory.domain.document_lines import OutboundLine, merged_quantities, quantity_lines
from inventory.domain.errors import AlreadyExists, InvalidState, ReturnExceedsDelivered
from inventory.domain.events import DomainEvent
from inventory.domain.quantities import ZERO, money_of, quantize_cost, utc
from inventory.domain.shipment_picks import ship_sku, valued_line
from inventory.domain.stock_item import StockItem
from inventory.domain.stock_items import require_stock_items
from inventory.domain.vocabulary import AdjustmentReason, DocumentType


def order_allocation_stream_id(order_id: UUID) -> str:
    return f"order-allocation-{order_id}"


class AllocationStatus(StrEnum):
    NEW = "new"
    REJECTED = "rejected"
    RESERVED = "reserved"
    RELEASED = "released"


class OrderAllocation(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.order_id: UUID | None = None
        self.warehouse_id = ""
        self.status = AllocationStatus.NEW
        self.reserved: dict[str, Decimal] = {}
        self.shipped: dict[str, tuple[Decimal, Decimal]] = {}
        self.returned: dict[str, tuple[Decimal, Decimal]] = {}
        self.document_ids: set[UUID] = set()

    def reserve(
        self,
        order_id: UUID,
        warehouse_id: str,
        lines: Sequence[QuantityLine],
        stock_items: Mapping[str, StockItem],
        *,
        occurred_at: datetime,
    ) -> StockReserved | StockReservationRejected:
        if self.status not in (AllocationStatus.NEW, AllocationStatus.REJECTED):
            raise InvalidState(f"order {order_id} is already {self.status}")
        totals = merged_quantities(lines)
        when = utc(occurred_at)
        shortages = tuple(
            shortage
            for sku, qty in totals.items()
            if (shortage := _shortage(sku, qty, stock_items.get(sku), warehouse_id, when))
            is not None
        )
        if shortages:
            rejected = StockReservationRejected(
                occurred_at=when, order_id=order_id, warehouse_id=warehouse_id, shortages=shortages
            )
            # A backorder retried while still short changes nothing: it stays rejected, and
            # the rejection subscribers already have is not published again.
            if self.status is AllocationStatus.NEW:
                self._record(rejected)
            return rejected
        for sku, qty in totals.items():
            stock_items[sku].reserve(order_id, qty, occurred_at=when)
        reserved = StockReserved(
            occurred_at=when,
            order_id=order_id,
            warehouse_id=warehouse_id,
            lines=quantity_lines(totals),
        )
        self._record(reserved)
        return reserved

    def release(
        self, stock_items: Mapping[str, StockItem], *, occurred_at: datetime
    ) -> StockReleased | None:
        still_held = {sku: qty for sku, qty in self.reserved.items() if qty > 0}
        if self.order_id is None or not still_held:
            return None
        require_stock_items(stock_items, still_held, self.warehouse_id)
        for sku in still_held:
            stock_items[sku].release(self.order_id, occurred_at=occurred_at)
        released = StockReleased(
            occurred_at=utc(occurred_at),
            order_id=self.order_id,
            warehouse_id=self.warehouse_id,
            lines=quantity_lines(still_held),
        )
        self._record(released)
        return released

    def dispatch(
        self,
        shipment_id: UUID,
        shipment_number: str,
        stock_items: Mapping[str, StockItem],
        *,
        occurred_at: datetime,
        lines: Sequence[QuantityLine | OutboundLine] | None = None,
    ) -> ShipmentDispatched:
        """销售出库 at moving-average cost; all still-reserved lines when ``lines`` is None.
        Each sku is picked from the lots/locations its lines name, else FEFO."""
        order_id = self._reserved_order_id()
        self._require_new_document(shipment_id)
        totals = self._shipment_quantities(lines)
        require_stock_items(stock_items, totals, self.warehouse_id)
        for sku, qty in totals.items():
            stock_items[sku].ensure_can_take(qty, order_id)
        shipped = tuple(
            ship_sku(
                stock_items[sku],
                qty,
                [line for line in lines or () if line.sku == sku],
                document=shipment_number,
                occurred_at=occurred_at,
                order_id=order_id,
            )
            for sku, qty in totals.items()
        )
        event = ShipmentDispatched(
            occurred_at=utc(occurred_at),
            shipment_id=shipment_id,
            shipment_number=shipment_number,
            order_id=order_id,
            warehouse_id=self.warehouse_id,
            lines=shipped,
        )
        self._record(event)
        return event

    def receive_customer_return(
        self,
        return_id: UUID,
        return_number: str,
        lines: Sequence[QuantityLine],
        stock_items: Mapping[str, StockItem],
        *,
        occurred_at: datetime,
        rma_id: UUID | None = None,
    ) -> CustomerReturnReceived:
        """销售退货: back into stock at the cost the goods were shipped at."""
        if self.order_id is None:
            raise InvalidState("nothing was shipped for this order")
        self._require_new_document(return_id)
        totals = merged_quantities(lines)
        costs = {sku: self._return_cost(sku, qty) for sku, qty in totals.items()}
        require_stock_items(stock_items, totals, self.warehouse_id)
        returned = tuple(
            valued_line(
                [
                    stock_items[sku].adjust(
                        qty,
                        AdjustmentReason.CUSTOMER_RETURN,
                        document=return_number,
                        occurred_at=occurred_at,
                        unit_cost=costs[sku][0],
                        value=costs[sku][1],
                        document_type=DocumentType.CUSTOMER_RETURN,
                    )
                ]
            )
            for sku, qty in totals.items()
        )
        event = CustomerReturnReceived(
            occurred_at=utc(occurred_at),
            return_id=return_id,
            return_number=return_number,
            order_id=self.order_id,
            warehouse_id=self.warehouse_id,
            lines=returned,
            rma_id=rma_id,
        )
        self._record(event)
        return event

    def _reserved_order_id(self) -> UUID:
        if self.status is not AllocationStatus.RESERVED or self.order_id is None:
            raise InvalidState(f"order is {self.status}, only a reserved order ships")
        return self.order_id

    def _require_new_document(self, document_id: UUID) -> None:
        if document_id in self.document_ids:
            raise AlreadyExists(f"document {document_id} is already recorded for this order")

    def _shipment_quantities(
        self, lines: Sequence[QuantityLine | OutboundLine] | None
    ) -> dict[str, Decimal]:
        if lines is None:
            remaining = {sku: qty for sku, qty in self.reserved.items() if qty > 0}
            if not remaining:
                raise InvalidState("nothing is left reserved to ship")
            return remaining
        totals = merged_quantities(lines)
        unordered = sorted(set(totals) - set(self.reserved))
        if unordered:
            raise InvalidState(f"the order did not reserve {', '.join(unordered)}")
        return totals

    def _return_cost(self, sku: str, qty: Decimal) -> tuple[Decimal, Decimal]:
        shipped_qty, shipped_value = self.shipped.get(sku, (ZERO, ZERO))
        returned_qty, returned_value = self.returned.get(sku, (ZERO, ZERO))
        outstanding = shipped_qty - returned_qty
        if qty > outstanding:
            raise ReturnExceedsDelivered(
                f"returning {qty} of {sku} exceeds the {outstanding} shipped and not returned",
                sku=sku,
                requested=str(qty),
                returnable=str(outstanding),
            )
        unit_cost = quantize_cost(shipped_value / shipped_qty)
        if qty == outstanding:
            return unit_cost, shipped_value - returned_value
        return unit_cost, money_of(qty, unit_cost)

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case StockReservationRejected():
                self.order_id, self.warehouse_id = event.order_id, event.warehouse_id
                self.status = AllocationStatus.REJECTED
            case StockReserved():
                self.order_id, self.warehouse_id = event.order_id, event.warehouse_id
                self.status = AllocationStatus.RESERVED
                self.reserved = {line.sku: line.qty for line in event.lines}
            case StockReleased():
                self.reserved = dict.fromkeys(self.reserved, ZERO)
                self.status = AllocationStatus.RELEASED
            case ShipmentDispatched():
                self.document_ids.add(event.shipment_id)
                for line in event.lines:
                    left = self.reserved.get(line.sku, ZERO)
                    self.reserved[line.sku] = max(ZERO, left - line.qty)
                    _accumulate(self.shipped, line)
            case CustomerReturnReceived():
                self.document_ids.add(event.return_id)
                for line in event.lines:
                    _accumulate(self.returned, line)
            case _:
                raise self._cannot_apply(event)


def _shortage(
    sku: str, qty: Decimal, stock: StockItem | None, warehouse_id: str, when: datetime
) -> ReservationShortage | None:
    if stock is None or not stock.is_open or stock.warehouse_id != warehouse_id:
        return ReservationShortage(sku=sku, requested=qty, available=ZERO)
    # Stock in expired lots is not available to reserve (保质期).
    as_of = when.date()
    if stock.reservation_shortage(qty, as_of) > 0:
        return ReservationShortage(sku=sku, requested=qty, available=stock.reservable(as_of))
    return None


def _accumulate(totals: dict[str, tuple[Decimal, Decimal]], line: ValuedLine) -> None:
    qty, value = totals.get(line.sku, (ZERO, ZERO))
    totals[line.sku] = (qty + line.qty, value + line.value)
