"""Public events of the purchasing service (采购) that other services rely on.

Inventory consumes `PurchaseOrderPlaced` / `PurchaseOrderCancelled` to know open PO quantities
(receiving against a PO, over-receipt checks, receipt unit cost = PO unit price net of tax), and
`PurchaseReturnRequested` to execute a 采购退货 (answering with `GoodsReturnedToSupplier`).
Finance matches supplier invoices against placed POs; reporting reads them all.
"""

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from erp_contracts.registry import PublicEvent, public_event
from erp_contracts.types import (
    Money,
    NonNegativeQty,
    PositiveQty,
    Sku,
    TaxRate,
    UnitAmount,
    WarehouseId,
)


class PurchaseOrderLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: Sku
    qty: PositiveQty
    unit_price: UnitAmount
    #: VAT rate of the line; None = the supplier's default (13% unless set).
    tax_rate: TaxRate | None = None


class PurchaseQuantityLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: Sku
    qty: NonNegativeQty


class ClosedOrderLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: Sku
    qty: PositiveQty
    received_qty: NonNegativeQty
    rejected_qty: NonNegativeQty = Decimal(0)


class PurchaseReturnLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: Sku
    qty: PositiveQty
    #: The PO's unit price (net of tax), for the debit note.
    unit_price: UnitAmount | None = None


@public_event("SupplierRegistered", producer="purchasing", version=1)
class SupplierRegistered(PublicEvent):
    supplier_id: str
    name: str
    payment_terms_days: int
    lead_time_days: int
    #: Default VAT rate of the supplier's lines (0.13 unless set).
    tax_rate: TaxRate


@public_event("PurchaseRequisitionRaised", producer="purchasing", version=1)
class PurchaseRequisitionRaised(PublicEvent):
    """请购: a need for `qty` of a sku in a warehouse, with the supplier the scorecard suggests
    (None when no supplier offers the sku) and why."""

    requisition_id: UUID
    requisition_number: str
    sku: Sku
    warehouse_id: WarehouseId
    qty: PositiveQty
    origin: str
    suggested_supplier_id: str | None = None
    reason: str = ""


@public_event("PurchaseOrderPlaced", producer="purchasing", version=1)
class PurchaseOrderPlaced(PublicEvent):
    po_id: UUID
    po_number: str
    supplier_id: str
    warehouse_id: WarehouseId
    lines: tuple[PurchaseOrderLine, ...]
    expected_date: date | None = None
    #: Document total incl. VAT, half-up to the cent.
    total: Money | None = None
    requisition_id: UUID | None = None
    #: Who approved it (`auto` below the approval threshold).
    approved_by: str | None = None


@public_event("PurchaseOrderCancelled", producer="purchasing", version=1)
class PurchaseOrderCancelled(PublicEvent):
    """Cancels the PO's open quantity; what was already received stays received."""

    po_id: UUID
    reason: str | None = None
    #: The open quantity cut per sku (empty from producers that did not say).
    lines: tuple[PurchaseQuantityLine, ...] = ()


@public_event("PurchaseOrderClosed", producer="purchasing", version=1)
class PurchaseOrderClosed(PublicEvent):
    """Every line fully received (status `received`): nothing more is expected on the PO."""

    po_id: UUID
    po_number: str
    supplier_id: str
    warehouse_id: WarehouseId
    lines: tuple[ClosedOrderLine, ...]


@public_event("PurchaseReturnRequested", producer="purchasing", version=1)
class PurchaseReturnRequested(PublicEvent):
    """采购退货 requested: inventory takes the goods out and answers `GoodsReturnedToSupplier`."""

    return_id: UUID
    return_number: str
    po_id: UUID
    supplier_id: str
    warehouse_id: WarehouseId
    lines: tuple[PurchaseReturnLine, ...]
    reason: str
