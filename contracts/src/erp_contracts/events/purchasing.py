"""Public events of the purchasing service (采购) that other services rely on today.

Inventory consumes `PurchaseOrderPlaced` / `PurchaseOrderCancelled` to know open PO quantities
(receiving against a PO, over-receipt checks, receipt unit cost = PO unit price net of tax).
"""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from erp_contracts.registry import PublicEvent, public_event
from erp_contracts.types import PositiveQty, Sku, TaxRate, UnitAmount, WarehouseId


class PurchaseOrderLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: Sku
    qty: PositiveQty
    unit_price: UnitAmount
    #: VAT rate of the line; None = the supplier's default (13% unless set).
    tax_rate: TaxRate | None = None


@public_event("PurchaseOrderPlaced", producer="purchasing", version=1)
class PurchaseOrderPlaced(PublicEvent):
    po_id: UUID
    po_number: str
    supplier_id: str
    warehouse_id: WarehouseId
    lines: tuple[PurchaseOrderLine, ...]
    expected_date: date | None = None


@public_event("PurchaseOrderCancelled", producer="purchasing", version=1)
class PurchaseOrderCancelled(PublicEvent):
    """Cancels the PO's open quantity; what was already received stays received."""

    po_id: UUID
    reason: str | None = None
