"""Requisitions (请购), stream ``requisition-{requisition_id}``.

A requisition is one need: `qty` of a sku for a warehouse, with the supplier the scorecard
suggests and why. It is `open` until it becomes a purchase order (`ordered`). One raised by an
event (a reorder-point alert, a backordered sales order) has an id derived from that event's
source (``requisition_id_for``), so a replay of the same source finds the stream already
written and raises nothing twice.
"""

from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid5

from purchasing.domain.aggregate import Aggregate
from purchasing.domain.errors import AlreadyExists, InvalidState
from purchasing.domain.events import DomainEvent, PurchaseRequisitionRaised, RequisitionOrdered
from purchasing.domain.money import positive_qty, utc
from purchasing.domain.sourcing import SupplierChoice

#: Namespace of requisition ids derived from their source (uuid5).
REQUISITION_NAMESPACE = UUID("6f1c8a2e-3b7d-5e49-9a10-c4d2b8e7f301")
OPEN, ORDERED = "open", "ordered"


def requisition_stream_id(requisition_id: UUID) -> str:
    return f"requisition-{requisition_id}"


def requisition_id_for(source: str) -> UUID:
    """The same source always names the same requisition (the replay key)."""
    return uuid5(REQUISITION_NAMESPACE, source)


class Requisition(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.requisition_id: UUID | None = None
        self.number = ""
        self.sku = ""
        self.warehouse_id = ""
        self.qty = Decimal(0)
        self.origin = ""
        self.suggested_supplier_id: str | None = None
        self.suggested_unit_price: Decimal | None = None
        self.status = ""
        self.po_id: UUID | None = None

    @property
    def raised(self) -> bool:
        return self.requisition_id is not None

    def raise_requisition(
        self,
        requisition_id: UUID,
        number: str,
        *,
        sku: str,
        warehouse_id: str,
        qty: Decimal,
        origin: str,
        source: str,
        choice: SupplierChoice,
        occurred_at: datetime,
    ) -> None:
        if self.raised:
            raise AlreadyExists(f"requisition {requisition_id} was already raised")
        self._record(
            PurchaseRequisitionRaised(
                occurred_at=utc(occurred_at),
                requisition_id=requisition_id,
                requisition_number=number,
                sku=sku,
                warehouse_id=warehouse_id,
                qty=positive_qty(qty, sku),
                origin=origin,
                source=source,
                suggested_supplier_id=choice.supplier_id,
                suggested_unit_price=choice.unit_price,
                reason=choice.reason,
            )
        )

    def mark_ordered(self, po_id: UUID, po_number: str, *, occurred_at: datetime) -> None:
        if self.status != OPEN or self.requisition_id is None:
            raise InvalidState(f"requisition {self.number} is not open", status=self.status)
        self._record(
            RequisitionOrdered(
                occurred_at=utc(occurred_at),
                requisition_id=self.requisition_id,
                po_id=po_id,
                po_number=po_number,
            )
        )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case PurchaseRequisitionRaised():
                self.requisition_id, self.number = event.requisition_id, event.requisition_number
                self.sku, self.warehouse_id, self.qty = event.sku, event.warehouse_id, event.qty
                self.origin = event.origin
                self.suggested_supplier_id = event.suggested_supplier_id
                self.suggested_unit_price = event.suggested_unit_price
                self.status = OPEN
            case RequisitionOrdered():
                self.po_id, self.status = event.po_id, ORDERED
            case _:
                raise self._cannot_apply(event)
