"""Domain events of the finance service and their base class.

Stored payloads of the public events (`SupplierInvoiceRecorded`, `PaymentMade`,
`InvoiceSettled`, `CustomerInvoiceIssued`, `PaymentReceived`, `CreditNoteIssued`,
`DebitNoteIssued`, `PeriodClosed`, `PeriodReopened`) are valid instances of their contracts in
`erp_contracts.events.finance`; the others are internal and subscribers should not rely on them.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    event_type: ClassVar[str] = "DomainEvent"
    occurred_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PostingLine:
    account: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class StockChange:
    """What a movement did to the stock of one (sku, warehouse): signed qty and value."""

    sku: str
    warehouse_id: str
    qty: Decimal
    value: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class QuantityLine:
    sku: str
    qty: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderLine:
    sku: str
    qty: Decimal
    unit_price: Decimal
    tax_rate: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceLine:
    sku: str
    qty: Decimal
    unit_price: Decimal
    tax_rate: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldReason:
    sku: str
    code: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Allocation:
    invoice_id: UUID
    amount: Decimal


# --- general ledger --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class JournalPosted(DomainEvent):
    """Another service's event, posted: its journal lines (balanced) and what it did to stock
    (finance's own valuation, reconciled with 1405). `source` is the event's place in its
    producer's store (`inventory:<stream>#<version>`)."""

    event_type: ClassVar[str] = "JournalPosted"
    source_event_id: UUID
    source: str
    source_type: str
    document: str
    lines: tuple[PostingLine, ...]
    stock_changes: tuple[StockChange, ...] = ()


# --- periods -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodClosed(DomainEvent):
    event_type: ClassVar[str] = "PeriodClosed"
    period: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodReopened(DomainEvent):
    """反结账 by a finance admin, with the reason (the actor is in the event's metadata)."""

    event_type: ClassVar[str] = "PeriodReopened"
    period: str
    reason: str


# --- receivables ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerRecorded(DomainEvent):
    """Sales registered the customer (its `CustomerRegistered`)."""

    event_type: ClassVar[str] = "CustomerRecorded"
    customer_id: str
    name: str
    payment_terms_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SalesOrderRecorded(DomainEvent):
    """Sales placed the order (its `SalesOrderPlaced`): the prices customer invoices use."""

    event_type: ClassVar[str] = "SalesOrderRecorded"
    order_id: UUID
    order_number: str
    customer_id: str
    lines: tuple[OrderLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ShipmentRecorded(DomainEvent):
    """Inventory dispatched goods of the order (its `ShipmentDispatched`), to be invoiced."""

    event_type: ClassVar[str] = "ShipmentRecorded"
    order_id: UUID
    shipment_id: UUID
    shipped_on: date
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ShipmentInvoiced(DomainEvent):
    event_type: ClassVar[str] = "ShipmentInvoiced"
    order_id: UUID
    shipment_id: UUID
    invoice_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerInvoiceIssued(DomainEvent):
    event_type: ClassVar[str] = "CustomerInvoiceIssued"
    invoice_id: UUID
    invoice_number: str
    customer_id: str
    order_id: UUID
    shipment_id: UUID
    invoice_date: date
    due_date: date
    lines: tuple[InvoiceLine, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentReceived(DomainEvent):
    event_type: ClassVar[str] = "PaymentReceived"
    receipt_id: UUID
    receipt_number: str
    customer_id: str
    amount: Decimal
    allocations: tuple[Allocation, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerReturnRecorded(DomainEvent):
    """Inventory received goods of the order back (its `CustomerReturnReceived`), to be
    credited at the order's prices."""

    event_type: ClassVar[str] = "CustomerReturnRecorded"
    order_id: UUID
    return_id: UUID
    returned_on: date
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnCredited(DomainEvent):
    event_type: ClassVar[str] = "ReturnCredited"
    order_id: UUID
    return_id: UUID
    credit_note_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditNoteIssued(DomainEvent):
    event_type: ClassVar[str] = "CreditNoteIssued"
    credit_note_id: UUID
    credit_note_number: str
    customer_id: str
    order_id: UUID
    return_id: UUID
    note_date: date
    lines: tuple[InvoiceLine, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    allocations: tuple[Allocation, ...] = ()
    unapplied: Decimal


# --- payables --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierRecorded(DomainEvent):
    """Purchasing registered the supplier (its `SupplierRegistered`)."""

    event_type: ClassVar[str] = "SupplierRecorded"
    supplier_id: str
    name: str
    payment_terms_days: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseOrderRecorded(DomainEvent):
    """Purchasing placed the PO (its `PurchaseOrderPlaced`): the prices invoices match against."""

    event_type: ClassVar[str] = "PurchaseOrderRecorded"
    po_id: UUID
    po_number: str
    supplier_id: str
    lines: tuple[OrderLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoodsReceiptRecorded(DomainEvent):
    """Inventory accepted goods against the PO (its `GoodsReceived`)."""

    event_type: ClassVar[str] = "GoodsReceiptRecorded"
    po_id: UUID
    receipt_id: UUID
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierReturnRecorded(DomainEvent):
    """Inventory sent goods of the PO back (its `GoodsReturnedToSupplier`)."""

    event_type: ClassVar[str] = "SupplierReturnRecorded"
    po_id: UUID
    return_id: UUID
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceMatchedToOrder(DomainEvent):
    """A matched supplier invoice consumed these quantities of the PO."""

    event_type: ClassVar[str] = "InvoiceMatchedToOrder"
    po_id: UUID
    invoice_id: UUID
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierInvoiceRecorded(DomainEvent):
    event_type: ClassVar[str] = "SupplierInvoiceRecorded"
    invoice_id: UUID
    invoice_number: str
    document_number: str
    supplier_id: str
    po_id: UUID
    invoice_date: date
    lines: tuple[InvoiceLine, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    status: str
    hold_reasons: tuple[HoldReason, ...] = ()
    #: Matched: net total − PO price × qty (to 6401.01, so GRNI clears at the PO price).
    price_variance: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierInvoiceReleased(DomainEvent):
    """A held invoice made payable by a finance user, for `reason` (the actor is in the
    metadata): `overridden` false — released, the match passes now (its cause was fixed);
    true — overridden, accepted despite `overridden_reasons`. Posted as a matched invoice."""

    event_type: ClassVar[str] = "SupplierInvoiceReleased"
    invoice_id: UUID
    document_number: str
    supplier_id: str
    po_id: UUID
    reason: str
    overridden: bool
    overridden_reasons: tuple[HoldReason, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    price_variance: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentAllocated(DomainEvent):
    event_type: ClassVar[str] = "PaymentAllocated"
    invoice_id: UUID
    payment_id: UUID
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceSettled(DomainEvent):
    event_type: ClassVar[str] = "InvoiceSettled"
    invoice_id: UUID
    kind: str
    counterparty_id: str
    total: Decimal
    order_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentMade(DomainEvent):
    event_type: ClassVar[str] = "PaymentMade"
    payment_id: UUID
    payment_number: str
    supplier_id: str
    amount: Decimal
    allocations: tuple[Allocation, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnDebited(DomainEvent):
    """Returned goods that had already been invoiced were debit-noted: they are no longer
    counted as invoiced, so a replacement delivery can be invoiced again."""

    event_type: ClassVar[str] = "ReturnDebited"
    po_id: UUID
    return_id: UUID
    debit_note_id: UUID
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DebitNoteIssued(DomainEvent):
    event_type: ClassVar[str] = "DebitNoteIssued"
    debit_note_id: UUID
    debit_note_number: str
    supplier_id: str
    po_id: UUID
    return_id: UUID
    note_date: date
    lines: tuple[InvoiceLine, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    allocations: tuple[Allocation, ...] = ()
    unapplied: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningReceivableRecorded(DomainEvent):
    """期初应收: a customer invoice still open when the books moved to this system (data
    migration). Posted Dr 1122 / Cr 4001; settled by receipts like any invoice."""

    event_type: ClassVar[str] = "OpeningReceivableRecorded"
    invoice_id: UUID
    invoice_number: str
    customer_id: str
    invoice_date: date
    due_date: date
    total: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningPayableRecorded(DomainEvent):
    """期初应付: a supplier invoice still open at migration. Posted Dr 4001 / Cr 2202.01;
    paid like any matched invoice."""

    event_type: ClassVar[str] = "OpeningPayableRecorded"
    invoice_id: UUID
    invoice_number: str
    supplier_id: str
    invoice_date: date
    due_date: date
    total: Decimal
