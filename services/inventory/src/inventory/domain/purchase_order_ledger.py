"""What may still be received against a purchase order, and the receipts and returns on it.

Stream ``purchase-order-{po_id}`` in the inventory store. It is opened from purchasing's
PurchaseOrderPlaced and cut by its PurchaseOrderCancelled; goods receipts (采购入库) and
returns to the supplier (采购退货) are recorded in it, so two receipts against one PO
serialise on its stream version and can never jointly over-receive.

- open qty = ordered − cancelled − received (never below zero).
- Over-receipt tolerance is on the ordered qty: received in total may reach
  (ordered − cancelled) × (1 + tolerance). Rejected goods do not count as received.
- Receipt unit cost = the PO line's unit price, net of tax. Lines of one sku with different
  prices on a PO are merged at their quantity-weighted average price.
- A return does not re-open the PO; purchasing decides whether to order again.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from inventory.domain.aggregate import Aggregate
from inventory.domain.document_events import (
    GoodsReceived,
    GoodsReturnedToSupplier,
    OrderedLine,
    PurchaseOrderCancellationRecorded,
    PurchaseOrderRecorded,
    QuantityLine,
    ReceivedLine,
    SupplierReturnLine,
)
from inventory.domain.document_lines import (
    ReceiptLine,
    merged_ordered_lines,
    merged_quantities,
    quantity_lines,
)
from inventory.domain.errors import (
    AlreadyExists,
    InvalidQuantity,
    NotFound,
    OverReceipt,
    ReturnExceedsDelivered,
    WarehouseMismatch,
)
from inventory.domain.events import DomainEvent
from inventory.domain.quantities import (
    ZERO,
    non_negative,
    utc,
)
from inventory.domain.stock_item import StockItem
from inventory.domain.stock_items import require_stock_items
from inventory.domain.vocabulary import AdjustmentReason, DocumentType


def purchase_order_stream_id(po_id: UUID) -> str:
    return f"purchase-order-{po_id}"


@dataclass(slots=True)
class OrderedSku:
    ordered: Decimal
    unit_price: Decimal
    cancelled: Decimal = ZERO
    received: Decimal = ZERO
    returned: Decimal = ZERO
    #: The receipts (入库单 numbers) that brought this sku in, oldest first.
    receipts: tuple[str, ...] = ()

    @property
    def open_qty(self) -> Decimal:
        return max(ZERO, self.ordered - self.cancelled - self.received)

    def receivable(self, tolerance: Decimal) -> Decimal:
        return (self.ordered - self.cancelled) * (1 + tolerance) - self.received


class PurchaseOrderLedger(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.po_id: UUID | None = None
        self.warehouse_id = ""
        self.skus: dict[str, OrderedSku] = {}
        self.receipt_ids: set[UUID] = set()
        self.return_ids: set[UUID] = set()

    def open_qty(self, sku: str) -> Decimal:
        ordered = self.skus.get(sku)
        return ordered.open_qty if ordered else ZERO

    @property
    def fully_received(self) -> bool:
        return all(ordered.open_qty == 0 for ordered in self.skus.values())

    def record_placed(
        self,
        po_id: UUID,
        warehouse_id: str,
        lines: Sequence[OrderedLine],
        *,
        occurred_at: datetime,
    ) -> PurchaseOrderRecorded:
        if self.po_id is not None:
            raise AlreadyExists(f"purchase order {po_id} is already recorded")
        event = PurchaseOrderRecorded(
            occurred_at=utc(occurred_at),
            po_id=po_id,
            warehouse_id=warehouse_id,
            lines=merged_ordered_lines(lines),
        )
        self._record(event)
        return event

    def record_cancelled(
        self, *, occurred_at: datetime, lines: Sequence[QuantityLine] | None = None
    ) -> PurchaseOrderCancellationRecorded | None:
        """Cut the open qty (all of it, or up to the given qty per sku). Nothing open left to
        cut records nothing, so a repeated cancellation is harmless."""
        self._require_recorded()
        wanted = merged_quantities(lines) if lines is not None else None
        cut = {
            sku: ordered.open_qty if wanted is None else min(ordered.open_qty, wanted[sku])
            for sku, ordered in self.skus.items()
            if wanted is None or sku in wanted
        }
        cut = {sku: qty for sku, qty in cut.items() if qty > 0}
        if not cut:
            return None
        event = PurchaseOrderCancellationRecorded(
            occurred_at=utc(occurred_at), po_id=self._po_id, lines=quantity_lines(cut)
        )
        self._record(event)
        return event

    def receive(
        self,
        receipt_id: UUID,
        receipt_number: str,
        warehouse_id: str,
        lines: Sequence[ReceiptLine],
        stock_items: Mapping[str, StockItem],
        *,
        occurred_at: datetime,
        tolerance: Decimal = ZERO,
    ) -> GoodsReceived:
        """采购入库: every line is checked before any stock moves; then each accepted qty is
        received at the PO price and ``GoodsReceived`` lists accepted and rejected qty."""
        self._check_receipt(receipt_id, warehouse_id, lines, tolerance)
        accepting = {line.sku for line in lines if line.qty_accepted > 0}
        require_stock_items(stock_items, accepting, warehouse_id)
        received = tuple(
            self._received_line(line, receipt_number, stock_items, occurred_at) for line in lines
        )
        event = GoodsReceived(
            occurred_at=utc(occurred_at),
            receipt_id=receipt_id,
            receipt_number=receipt_number,
            po_id=self._po_id,
            warehouse_id=warehouse_id,
            lines=received,
        )
        self._record(event)
        return event

    def return_to_supplier(
        self,
        return_id: UUID,
        return_number: str,
        lines: Sequence[QuantityLine],
        stock_items: Mapping[str, StockItem],
        *,
        occurred_at: datetime,
    ) -> GoodsReturnedToSupplier:
        """采购退货: at most what was received goes out, costed by the item's method — under
        FIFO from this PO's own receipt layers first (those goods are what goes back)."""
        self._require_recorded()
        if return_id in self.return_ids:
            raise AlreadyExists(f"return {return_id} is already recorded")
        totals = merged_quantities(lines)
        require_stock_items(stock_items, totals, self.warehouse_id)
        for sku, qty in totals.items():
            self._check_returnable(sku, qty)
            stock_items[sku].ensure_can_take(qty)
        returned = tuple(
            self._returned_line(sku, qty, return_number, stock_items[sku], occurred_at)
            for sku, qty in totals.items()
        )
        event = GoodsReturnedToSupplier(
            occurred_at=utc(occurred_at),
            return_id=return_id,
            return_number=return_number,
            po_id=self._po_id,
            warehouse_id=self.warehouse_id,
            lines=returned,
        )
        self._record(event)
        return event

    @property
    def _po_id(self) -> UUID:
        if self.po_id is None:
            raise NotFound("purchase order is not known to inventory")
        return self.po_id

    def _require_recorded(self) -> None:
        _ = self._po_id

    def _check_receipt(
        self,
        receipt_id: UUID,
        warehouse_id: str,
        lines: Sequence[ReceiptLine],
        tolerance: Decimal,
    ) -> None:
        self._require_recorded()
        if receipt_id in self.receipt_ids:
            raise AlreadyExists(f"receipt {receipt_id} is already recorded")
        if warehouse_id != self.warehouse_id:
            raise WarehouseMismatch(
                f"purchase order delivers to {self.warehouse_id}, not {warehouse_id}"
            )
        if not lines:
            raise InvalidQuantity("a goods receipt needs at least one line")
        non_negative(tolerance, "tolerance")
        accepted: dict[str, Decimal] = {}
        for line in lines:
            line.validated()
            accepted[line.sku] = accepted.get(line.sku, ZERO) + line.qty_accepted
        for sku, qty in accepted.items():
            self._check_receivable(sku, qty, tolerance)

    def _check_receivable(self, sku: str, qty: Decimal, tolerance: Decimal) -> None:
        ordered = self.skus.get(sku)
        allowed = ordered.receivable(tolerance) if ordered else ZERO
        if qty > allowed:
            raise OverReceipt(
                f"receiving {qty} of {sku} exceeds what PO {self.po_id} allows ({allowed})",
                sku=sku,
                requested=str(qty),
                open_qty=str(self.open_qty(sku)),
                allowed=str(max(ZERO, allowed)),
            )

    def _check_returnable(self, sku: str, qty: Decimal) -> None:
        ordered = self.skus.get(sku)
        returnable = ordered.received - ordered.returned if ordered else ZERO
        if qty > returnable:
            raise ReturnExceedsDelivered(
                f"returning {qty} of {sku} exceeds the {returnable} received on this PO",
                sku=sku,
                requested=str(qty),
                returnable=str(returnable),
            )

    def _received_line(
        self,
        line: ReceiptLine,
        receipt_number: str,
        stock_items: Mapping[str, StockItem],
        occurred_at: datetime,
    ) -> ReceivedLine:
        unit_cost = self.skus[line.sku].unit_price
        received_line = ReceivedLine(
            sku=line.sku,
            qty_accepted=line.qty_accepted,
            qty_rejected=line.qty_rejected,
            unit_cost=unit_cost,
            value=ZERO,
            lot=line.lot,
            location=line.location,
            expiry=line.expiry,
        )
        if line.qty_accepted == 0:
            return received_line
        movement = stock_items[line.sku].receive(
            line.qty_accepted,
            unit_cost,
            document=receipt_number,
            occurred_at=occurred_at,
            lot=line.lot,
            location=line.location,
            expiry=line.expiry,
        )
        return replace(
            received_line,
            value=movement.value,
            movement_id=movement.movement_id,
            cost_variance=movement.cost_variance,
        )

    def _returned_line(
        self, sku: str, qty: Decimal, return_number: str, stock: StockItem, occurred_at: datetime
    ) -> SupplierReturnLine:
        movement = stock.adjust(
            -qty,
            AdjustmentReason.PURCHASE_RETURN,
            document=return_number,
            occurred_at=occurred_at,
            document_type=DocumentType.PURCHASE_RETURN,
            cost_layers_from=self.skus[sku].receipts,
        )
        return SupplierReturnLine(
            sku=sku,
            qty=qty,
            unit_cost=movement.unit_cost,
            value=movement.value,
            unit_price=self.skus[sku].unit_price,
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case PurchaseOrderRecorded():
                self.po_id, self.warehouse_id = event.po_id, event.warehouse_id
                self.skus = {
                    line.sku: OrderedSku(ordered=line.qty, unit_price=line.unit_price)
                    for line in event.lines
                }
            case PurchaseOrderCancellationRecorded():
                for cut in event.lines:
                    self.skus[cut.sku].cancelled += cut.qty
            case GoodsReceived():
                self.receipt_ids.add(event.receipt_id)
                for received in event.lines:
                    ordered = self.skus[received.sku]
                    ordered.received += received.qty_accepted
                    if received.qty_accepted:
                        ordered.receipts += (event.receipt_number,)
            case GoodsReturnedToSupplier():
                self.return_ids.add(event.return_id)
                for returned in event.lines:
                    self.skus[returned.sku].returned += returned.qty
            case _:
                raise self._cannot_apply(event)
