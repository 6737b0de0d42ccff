"""Domain events of the purchasing service and their base class.

Every stored payload of a public event (`PurchaseOrderPlaced`, `PurchaseOrderCancelled`,
`PurchaseOrderClosed`, `PurchaseReturnRequested`, `SupplierRegistered`,
`PurchaseRequisitionRaised`) is a valid instance of its contract in
`erp_contracts.events.purchasing`; the others are internal and subscribers should not rely on
them.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from purchasing.domain.money import ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    event_type: ClassVar[str] = "DomainEvent"
    occurred_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderLine:
    sku: str
    qty: Decimal
    unit_price: Decimal
    tax_rate: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class QuantityLine:
    sku: str
    qty: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiptLine:
    sku: str
    qty_accepted: Decimal
    qty_rejected: Decimal = ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class ClosedLine:
    sku: str
    qty: Decimal
    received_qty: Decimal
    rejected_qty: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnLine:
    sku: str
    qty: Decimal
    unit_price: Decimal


# --- suppliers -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierRegistered(DomainEvent):
    event_type: ClassVar[str] = "SupplierRegistered"
    supplier_id: str
    name: str
    payment_terms_days: int
    lead_time_days: int
    tax_rate: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierPriceSet(DomainEvent):
    """One price-list entry: the supplier offers `sku` at `unit_price` (net of VAT)."""

    event_type: ClassVar[str] = "SupplierPriceSet"
    supplier_id: str
    sku: str
    unit_price: Decimal


# --- requisitions ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseRequisitionRaised(DomainEvent):
    event_type: ClassVar[str] = "PurchaseRequisitionRaised"
    requisition_id: UUID
    requisition_number: str
    sku: str
    warehouse_id: str
    qty: Decimal
    #: `manual`, `reorder_point` or `backorder`.
    origin: str
    #: What raised it (`inventory:stock-X@WH-1#7`, a sales order, a clerk): the replay key.
    source: str
    suggested_supplier_id: str | None = None
    suggested_unit_price: Decimal | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequisitionOrdered(DomainEvent):
    """The requisition became (part of) a purchase order."""

    event_type: ClassVar[str] = "RequisitionOrdered"
    requisition_id: UUID
    po_id: UUID
    po_number: str


# --- purchase orders -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseOrderDrafted(DomainEvent):
    event_type: ClassVar[str] = "PurchaseOrderDrafted"
    po_id: UUID
    po_number: str
    supplier_id: str
    warehouse_id: str
    lines: tuple[OrderLine, ...]
    expected_date: date
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    approval_required: bool
    requisition_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseOrderPlaced(DomainEvent):
    """Approved and sent: the public contract's fields, repeated from the draft."""

    event_type: ClassVar[str] = "PurchaseOrderPlaced"
    po_id: UUID
    po_number: str
    supplier_id: str
    warehouse_id: str
    lines: tuple[OrderLine, ...]
    expected_date: date
    total: Decimal
    approved_by: str
    requisition_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseOrderCancelled(DomainEvent):
    event_type: ClassVar[str] = "PurchaseOrderCancelled"
    po_id: UUID
    reason: str | None
    #: The open quantity cut per sku.
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoodsReceiptRecorded(DomainEvent):
    """Inventory received goods against this PO (its `GoodsReceived`), with the delivery's
    supplier measures: on time (receipt date ≤ expected date) and lead time in days."""

    event_type: ClassVar[str] = "GoodsReceiptRecorded"
    po_id: UUID
    receipt_id: UUID
    receipt_number: str
    supplier_id: str
    lines: tuple[ReceiptLine, ...]
    on_time: bool
    lead_time_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseOrderClosed(DomainEvent):
    event_type: ClassVar[str] = "PurchaseOrderClosed"
    po_id: UUID
    po_number: str
    supplier_id: str
    warehouse_id: str
    lines: tuple[ClosedLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseReturnRequested(DomainEvent):
    event_type: ClassVar[str] = "PurchaseReturnRequested"
    return_id: UUID
    return_number: str
    po_id: UUID
    supplier_id: str
    warehouse_id: str
    lines: tuple[ReturnLine, ...]
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierReturnRecorded(DomainEvent):
    """Inventory took goods of this PO back out to the supplier (its `GoodsReturnedToSupplier`)."""

    event_type: ClassVar[str] = "SupplierReturnRecorded"
    po_id: UUID
    return_id: UUID
    lines: tuple[QuantityLine, ...]
