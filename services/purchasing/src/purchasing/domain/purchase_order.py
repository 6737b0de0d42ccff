"""Purchase orders (采购订单), stream ``purchase-order-{po_id}``.

draft → placed → partially_received → received (closed), or cancelled. A draft is placed at
once when the approval rule lets it through (total ≤ threshold), else when an approver approves
it. Cancelling cuts only the open quantity; a fully received order cannot be cancelled.
Receipts and returns come from inventory's events; the order records them once each (by
receipt / return id) and closes itself when the last open quantity arrives.
"""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from purchasing.domain.aggregate import Aggregate
from purchasing.domain.approval import AUTO_APPROVER, ApprovalRule
from purchasing.domain.errors import AlreadyExists, InvalidQuantity, InvalidState
from purchasing.domain.events import (
    DomainEvent,
    GoodsReceiptRecorded,
    OrderLine,
    PurchaseOrderCancelled,
    PurchaseOrderClosed,
    PurchaseOrderDrafted,
    PurchaseOrderPlaced,
    QuantityLine,
    ReceiptLine,
    SupplierReturnRecorded,
)
from purchasing.domain.money import ZERO, positive_price, positive_qty, utc, valid_tax_rate
from purchasing.domain.order_lines import LineState, totals_of
from purchasing.domain.order_returns import ReturnsMixin

DRAFT, PLACED, PARTIALLY_RECEIVED = "draft", "placed", "partially_received"
RECEIVED, CANCELLED = "received", "cancelled"
OPEN_STATUSES = frozenset({PLACED, PARTIALLY_RECEIVED})


def purchase_order_stream_id(po_id: UUID) -> str:
    return f"purchase-order-{po_id}"


class PurchaseOrder(ReturnsMixin, Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.po_id: UUID | None = None
        self.number = ""
        self.supplier_id = ""
        self.warehouse_id = ""
        self.expected_date: date | None = None
        self.placed_on: date | None = None
        self.total = ZERO
        self.approval_required = False
        self.requisition_id: UUID | None = None
        self.status = ""
        self.lines: dict[str, LineState] = {}
        self.receipts: set[UUID] = set()
        self.returns: set[UUID] = set()

    @property
    def exists(self) -> bool:
        return self.po_id is not None

    def draft(
        self,
        po_id: UUID,
        number: str,
        *,
        supplier_id: str,
        warehouse_id: str,
        lines: Sequence[OrderLine],
        expected_date: date,
        rule: ApprovalRule,
        occurred_at: datetime,
        requisition_id: UUID | None = None,
    ) -> None:
        """Write the order; place it at once unless its total needs an approver."""
        if self.exists:
            raise AlreadyExists(f"purchase order {po_id} already exists")
        checked = _checked_lines(lines)
        totals = totals_of(checked)
        self._record(
            PurchaseOrderDrafted(
                occurred_at=utc(occurred_at),
                po_id=po_id,
                po_number=number,
                supplier_id=supplier_id,
                warehouse_id=warehouse_id,
                lines=checked,
                expected_date=expected_date,
                net_total=totals.net_total,
                tax_total=totals.tax_total,
                total=totals.total,
                approval_required=rule.requires_approval(totals.total),
                requisition_id=requisition_id,
            )
        )
        if not self.approval_required:
            self._place(AUTO_APPROVER, occurred_at)

    def approve(self, approver: str, *, occurred_at: datetime) -> None:
        if self.status != DRAFT:
            raise self._refused("approve")
        self._place(approver, occurred_at)

    def cancel(self, reason: str | None, *, occurred_at: datetime) -> None:
        """Cut every line's open quantity; what was received stays received."""
        if self.status not in {DRAFT, *OPEN_STATUSES}:
            raise self._refused("cancel")
        cut = tuple(
            QuantityLine(sku=line.sku, qty=line.open_qty)
            for line in self.lines.values()
            if line.open_qty > 0
        )
        self._record(
            PurchaseOrderCancelled(
                occurred_at=utc(occurred_at), po_id=self._id, reason=reason, lines=cut
            )
        )

    def record_receipt(
        self, receipt_id: UUID, number: str, lines: Sequence[ReceiptLine], *, occurred_at: datetime
    ) -> bool:
        """Record inventory's receipt once; close the order when nothing is open any more.
        On time = receipt date ≤ expected date; lead time = receipt date − date placed."""
        if receipt_id in self.receipts:
            return False
        received_on = utc(occurred_at).date()
        expected = self.expected_date or received_on
        placed = self.placed_on or received_on
        self._record(
            GoodsReceiptRecorded(
                occurred_at=utc(occurred_at),
                po_id=self._id,
                receipt_id=receipt_id,
                receipt_number=number,
                supplier_id=self.supplier_id,
                lines=tuple(line for line in lines if line.sku in self.lines),
                on_time=received_on <= expected,
                lead_time_days=max((received_on - placed).days, 0),
            )
        )
        if self.status in OPEN_STATUSES and all(li.open_qty == 0 for li in self.lines.values()):
            self._record(self._closed(occurred_at))
        return True

    def record_supplier_return(
        self, return_id: UUID, lines: Sequence[QuantityLine], *, occurred_at: datetime
    ) -> bool:
        if return_id in self.returns:
            return False
        known = tuple(line for line in lines if line.sku in self.lines)
        self._record(
            SupplierReturnRecorded(
                occurred_at=utc(occurred_at), po_id=self._id, return_id=return_id, lines=known
            )
        )
        return True

    @property
    def _id(self) -> UUID:
        if self.po_id is None:
            raise InvalidState("purchase order does not exist")
        return self.po_id

    def _refused(self, action: str) -> InvalidState:
        return InvalidState(
            f"cannot {action} purchase order {self.number} in status {self.status}",
            status=self.status,
        )

    def _place(self, approver: str, occurred_at: datetime) -> None:
        self._record(
            PurchaseOrderPlaced(
                occurred_at=utc(occurred_at),
                po_id=self._id,
                po_number=self.number,
                supplier_id=self.supplier_id,
                warehouse_id=self.warehouse_id,
                lines=tuple(li.as_order_line() for li in self.lines.values()),
                expected_date=self.expected_date or utc(occurred_at).date(),
                total=self.total,
                approved_by=approver,
                requisition_id=self.requisition_id,
            )
        )

    def _closed(self, occurred_at: datetime) -> PurchaseOrderClosed:
        return PurchaseOrderClosed(
            occurred_at=utc(occurred_at),
            po_id=self._id,
            po_number=self.number,
            supplier_id=self.supplier_id,
            warehouse_id=self.warehouse_id,
            lines=tuple(li.as_closed_line() for li in self.lines.values()),
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case PurchaseOrderDrafted():
                self._apply_drafted(event)
            case PurchaseOrderPlaced():
                self.status, self.placed_on = PLACED, event.occurred_at.date()
            case PurchaseOrderCancelled():
                for cut in event.lines:
                    self.lines[cut.sku].cancelled += cut.qty
                self.status = CANCELLED
            case GoodsReceiptRecorded():
                self.receipts.add(event.receipt_id)
                for got in event.lines:
                    self.lines[got.sku].received += got.qty_accepted
                    self.lines[got.sku].rejected += got.qty_rejected
                if self.status == PLACED:
                    self.status = PARTIALLY_RECEIVED
            case PurchaseOrderClosed():
                self.status = RECEIVED
            case SupplierReturnRecorded():
                self.returns.add(event.return_id)
                for back in event.lines:
                    self.lines[back.sku].returned += back.qty
            case _:
                self._apply_return_request(event)

    def _apply_drafted(self, event: PurchaseOrderDrafted) -> None:
        self.po_id, self.number = event.po_id, event.po_number
        self.supplier_id, self.warehouse_id = event.supplier_id, event.warehouse_id
        self.expected_date, self.total = event.expected_date, event.total
        self.approval_required = event.approval_required
        self.requisition_id = event.requisition_id
        self.lines = {
            li.sku: LineState(li.sku, li.qty, li.unit_price, li.tax_rate) for li in event.lines
        }
        self.status = DRAFT


def _checked_lines(lines: Sequence[OrderLine]) -> tuple[OrderLine, ...]:
    if not lines:
        raise InvalidQuantity("a purchase order needs at least one line")
    skus = [line.sku for line in lines]
    if len(set(skus)) != len(skus):
        raise InvalidQuantity("each sku may appear on one line only")
    return tuple(
        OrderLine(
            sku=line.sku,
            qty=positive_qty(line.qty, line.sku),
            unit_price=positive_price(line.unit_price, line.sku),
            tax_rate=valid_tax_rate(line.tax_rate),
        )
        for line in lines
    )
