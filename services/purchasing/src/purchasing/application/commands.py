"""Commands of the purchasing service: what a clerk (or a policy) asks for, already validated
for shape at the edge (HTTP models); the domain checks the business rules."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterSupplier:
    supplier_id: str
    name: str
    payment_terms_days: int
    lead_time_days: int
    tax_rate: Decimal | None = None
    prices: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SetSupplierPrices:
    supplier_id: str
    prices: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderLineRequest:
    sku: str
    qty: Decimal
    unit_price: Decimal
    #: None = the supplier's default rate.
    tax_rate: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacePurchaseOrder:
    supplier_id: str
    warehouse_id: str
    lines: tuple[OrderLineRequest, ...]
    expected_date: date | None = None
    po_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovePurchaseOrder:
    po_id: UUID
    approver: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelPurchaseOrder:
    po_id: UUID
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RaiseRequisition:
    sku: str
    warehouse_id: str
    qty: Decimal
    requisition_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderRequisition:
    """Turn an open requisition into a PO: its suggested supplier, or one the clerk names;
    the requisition's qty, or one the clerk adjusts (e.g. to a full carton)."""

    requisition_id: UUID
    supplier_id: str | None = None
    unit_price: Decimal | None = None
    qty: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestPurchaseReturn:
    po_id: UUID
    lines: tuple[tuple[str, Decimal], ...]
    reason: str
    return_id: UUID = field(default_factory=uuid4)
