"""What finance knows of a purchase order (stream ``purchase-order-<po_id>``): its prices from
purchasing, what inventory received and returned, and what matched invoices already billed.

三单匹配 (three-way match), per invoice line:
- the sku must be on the PO (`not_on_order`);
- qty ≤ received − returned − already invoiced (`over_invoiced`);
- |invoice price − PO price| ≤ PO price × tolerance (`price_variance`).
Receipts may arrive before the PO itself (no order across producers): they are kept anyway.

采购退货: returned goods no longer count as received. Where that leaves fewer received than
matched invoices billed, the difference was invoiced but sent back: it is debit-noted
(`lines_to_debit`) and no longer counts as invoiced either.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from finance.domain.aggregate import Aggregate
from finance.domain.events import (
    DomainEvent,
    GoodsReceiptRecorded,
    HoldReason,
    InvoiceLine,
    InvoiceMatchedToOrder,
    OrderLine,
    PurchaseOrderRecorded,
    QuantityLine,
    ReturnDebited,
    SupplierReturnRecorded,
)
from finance.domain.money import total_of, utc


def purchase_order_stream_id(po_id: UUID) -> str:
    return f"purchase-order-{po_id}"


class PurchaseOrderMatch(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.po_id: UUID | None = None
        self.supplier_id = ""
        self.lines: dict[str, OrderLine] = {}
        self.received: dict[str, Decimal] = defaultdict(Decimal)
        self.invoiced: dict[str, Decimal] = defaultdict(Decimal)
        self.documents: set[UUID] = set()
        #: Matched invoices, oldest first (a debit note is applied to them in this order).
        self.invoice_ids: list[UUID] = []

    @property
    def exists(self) -> bool:
        return self.po_id is not None

    def record_order(
        self,
        po_id: UUID,
        po_number: str,
        supplier_id: str,
        lines: Sequence[OrderLine],
        *,
        occurred_at: datetime,
    ) -> None:
        if self.exists:
            return
        self._record(
            PurchaseOrderRecorded(
                occurred_at=utc(occurred_at),
                po_id=po_id,
                po_number=po_number,
                supplier_id=supplier_id,
                lines=tuple(lines),
            )
        )

    def record_receipt(
        self, po_id: UUID, receipt_id: UUID, lines: Sequence[QuantityLine], *, occurred_at: datetime
    ) -> None:
        if receipt_id not in self.documents:
            self._record(
                GoodsReceiptRecorded(
                    occurred_at=utc(occurred_at),
                    po_id=po_id,
                    receipt_id=receipt_id,
                    lines=tuple(lines),
                )
            )

    def record_return(
        self, po_id: UUID, return_id: UUID, lines: Sequence[QuantityLine], *, occurred_at: datetime
    ) -> bool:
        """Record the return; False when it was already recorded."""
        if return_id in self.documents:
            return False
        self._record(
            SupplierReturnRecorded(
                occurred_at=utc(occurred_at),
                po_id=po_id,
                return_id=return_id,
                lines=tuple(lines),
            )
        )
        return True

    def lines_to_debit(self, returned: Sequence[QuantityLine]) -> tuple[InvoiceLine, ...]:
        """Of a recorded return, the quantities already invoiced (more invoiced than is still
        received), priced at the PO's lines."""
        lines = []
        for line in returned:
            ordered = self.lines.get(line.sku)
            over = min(line.qty, self.invoiced[line.sku] - self.received[line.sku])
            if ordered is not None and over > 0:
                lines.append(
                    InvoiceLine(
                        sku=line.sku,
                        qty=over,
                        unit_price=ordered.unit_price,
                        tax_rate=ordered.tax_rate,
                    )
                )
        return tuple(lines)

    def record_debit(
        self,
        return_id: UUID,
        debit_note_id: UUID,
        lines: Sequence[InvoiceLine],
        *,
        occurred_at: datetime,
    ) -> None:
        if self.po_id is None:
            raise self.state_error("purchase order is not known")
        self._record(
            ReturnDebited(
                occurred_at=utc(occurred_at),
                po_id=self.po_id,
                return_id=return_id,
                debit_note_id=debit_note_id,
                lines=tuple(QuantityLine(sku=li.sku, qty=li.qty) for li in lines),
            )
        )

    def invoiceable(self, sku: str) -> Decimal:
        return self.received[sku] - self.invoiced[sku]

    def hold_reasons(
        self, lines: Sequence[InvoiceLine], tolerance: Decimal
    ) -> tuple[HoldReason, ...]:
        reasons: list[HoldReason] = []
        for line in lines:
            ordered = self.lines.get(line.sku)
            if ordered is None:
                reasons.append(
                    HoldReason(
                        sku=line.sku,
                        code="not_on_order",
                        message=f"{line.sku} is not on the purchase order",
                    )
                )
                continue
            open_qty = self.invoiceable(line.sku)
            if line.qty > open_qty:
                reasons.append(
                    HoldReason(
                        sku=line.sku,
                        code="over_invoiced",
                        message=f"invoiced {line.qty} > received and not yet invoiced {open_qty}",
                    )
                )
            if abs(line.unit_price - ordered.unit_price) > ordered.unit_price * tolerance:
                reasons.append(
                    HoldReason(
                        sku=line.sku,
                        code="price_variance",
                        message=f"unit price {line.unit_price} vs PO {ordered.unit_price}"
                        f" (tolerance {tolerance:%})",
                    )
                )
        return tuple(reasons)

    def price_variance(self, lines: Sequence[InvoiceLine], net_total: Decimal) -> Decimal:
        """Net total − the PO price of the invoiced qty: what GRNI was not accrued at (GRNI
        holds receipts at the PO price). A line not on the order has no PO price: none."""
        at_po_price = total_of(line.qty * self._po_price(line) for line in lines)
        return net_total - at_po_price

    def _po_price(self, line: InvoiceLine) -> Decimal:
        ordered = self.lines.get(line.sku)
        return line.unit_price if ordered is None else ordered.unit_price

    def record_invoice_match(
        self, invoice_id: UUID, lines: Sequence[InvoiceLine], *, occurred_at: datetime
    ) -> None:
        if self.po_id is None:
            raise self.state_error("purchase order is not known")
        self._record(
            InvoiceMatchedToOrder(
                occurred_at=utc(occurred_at),
                po_id=self.po_id,
                invoice_id=invoice_id,
                lines=tuple(QuantityLine(sku=li.sku, qty=li.qty) for li in lines),
            )
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case PurchaseOrderRecorded():
                self.po_id, self.supplier_id = event.po_id, event.supplier_id
                self.lines = {line.sku: line for line in event.lines}
            case GoodsReceiptRecorded():
                self.documents.add(event.receipt_id)
                for line in event.lines:
                    self.received[line.sku] += line.qty
            case SupplierReturnRecorded():
                self.documents.add(event.return_id)
                for line in event.lines:
                    self.received[line.sku] -= line.qty
            case InvoiceMatchedToOrder():
                self.invoice_ids.append(event.invoice_id)
                for line in event.lines:
                    self.invoiced[line.sku] += line.qty
            case ReturnDebited():
                for line in event.lines:
                    self.invoiced[line.sku] -= line.qty
            case _:
                raise self._cannot_apply(event)
