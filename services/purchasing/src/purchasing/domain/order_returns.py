"""采购退货 on a purchase order: asking the supplier to take back received goods.

A return may take at most what was received and is neither returned nor already asked back
(``LineState.returnable``); a draft or an order with nothing received has nothing to return.
Inventory executes the request and answers `GoodsReturnedToSupplier`, recorded as
`SupplierReturnRecorded`.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from purchasing.domain.errors import InvalidQuantity, InvalidState, ReturnExceedsReceived
from purchasing.domain.events import (
    DomainEvent,
    PurchaseReturnRequested,
    QuantityLine,
    ReturnLine,
)
from purchasing.domain.money import positive_qty, utc
from purchasing.domain.order_lines import LineState


class ReturnsMixin:
    """The return-request half of ``PurchaseOrder`` (state lives on the order)."""

    lines: dict[str, LineState]
    supplier_id: str
    warehouse_id: str
    number: str

    def request_return(
        self,
        return_id: UUID,
        number: str,
        lines: Sequence[QuantityLine],
        reason: str,
        *,
        occurred_at: datetime,
    ) -> PurchaseReturnRequested:
        asked: dict[str, QuantityLine] = {}
        for line in lines:
            if line.sku in asked:
                raise InvalidQuantity("each sku may appear on one line only", sku=line.sku)
            asked[line.sku] = line
            self._check_returnable(line)
        event = PurchaseReturnRequested(
            occurred_at=utc(occurred_at),
            return_id=return_id,
            return_number=number,
            po_id=self._id,
            supplier_id=self.supplier_id,
            warehouse_id=self.warehouse_id,
            lines=tuple(
                ReturnLine(sku=li.sku, qty=li.qty, unit_price=self.lines[li.sku].unit_price)
                for li in lines
            ),
            reason=reason,
        )
        self._record(event)
        return event

    def _check_returnable(self, line: QuantityLine) -> None:
        qty = positive_qty(line.qty, line.sku)
        state = self.lines.get(line.sku)
        returnable = state.returnable if state is not None else 0
        if qty > returnable:
            raise ReturnExceedsReceived(
                f"cannot return {qty} of {line.sku} on {self.number}: "
                f"only {returnable} received and not yet returned",
                sku=line.sku,
                requested=str(qty),
                returnable=str(returnable),
            )

    def _apply_return_request(self, event: DomainEvent) -> None:
        match event:
            case PurchaseReturnRequested():
                for line in event.lines:
                    self.lines[line.sku].return_requested += line.qty
            case _:
                raise self._cannot_apply(event)

    if TYPE_CHECKING:  # provided by Aggregate / PurchaseOrder

        @property
        def _id(self) -> UUID: ...
        def _record(self, event: DomainEvent) -> None: ...
        def _cannot_apply(self, event: DomainEvent) -> InvalidState: ...
