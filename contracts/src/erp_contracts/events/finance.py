"""Public events of the finance service (财务).

Customer invoices are issued on inventory's `ShipmentDispatched`, priced from the sales order.
Supplier invoices are three-way matched (PO price × received qty, within a price tolerance):
`status` is `matched` (posted to the ledger) or `on_hold` with machine-readable reasons.
Payments settle invoices (`InvoiceSettled` once an invoice is fully paid).
"""

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from erp_contracts.registry import PublicEvent, public_event
from erp_contracts.types import Money, PositiveQty, Sku, TaxRate, UnitAmount


class _Line(BaseModel):
    model_config = ConfigDict(frozen=True)


class InvoiceLine(_Line):
    sku: Sku
    qty: PositiveQty
    unit_price: UnitAmount
    tax_rate: TaxRate


class HoldReason(_Line):
    """Why an invoice line is on hold: `over_invoiced` (qty beyond received − already
    invoiced) or `price_variance` (unit price outside the tolerance of the PO price)."""

    sku: Sku
    code: Literal["over_invoiced", "price_variance", "not_on_order"]
    message: str


class Allocation(_Line):
    invoice_id: UUID
    amount: Money


@public_event("SupplierInvoiceRecorded", producer="finance", version=1)
class SupplierInvoiceRecorded(PublicEvent):
    invoice_id: UUID
    invoice_number: str
    document_number: str
    supplier_id: str
    po_id: UUID
    invoice_date: date
    lines: tuple[InvoiceLine, ...]
    #: Net and VAT each rounded half-up to the cent once; total = net + VAT.
    net_total: Money
    tax_total: Money
    total: Money
    status: Literal["matched", "on_hold"]
    hold_reasons: tuple[HoldReason, ...] = ()
    #: A matched invoice priced within the tolerance but not at the PO price: net total − PO
    #: price × invoiced qty, posted to 6401.01 采购价格差异 so GRNI clears at the PO price.
    #: None on invoices on hold (and on those recorded before it existed).
    price_variance: Money | None = None


@public_event("PaymentMade", producer="finance", version=1)
class PaymentMade(PublicEvent):
    """付款单: money paid to a supplier, allocated to its invoices (unallocated = on account)."""

    payment_id: UUID
    payment_number: str
    supplier_id: str
    amount: Money
    allocations: tuple[Allocation, ...] = ()


@public_event("CustomerInvoiceIssued", producer="finance", version=1)
class CustomerInvoiceIssued(PublicEvent):
    """销售发票 for one shipment, at the sales order's prices."""

    invoice_id: UUID
    invoice_number: str
    customer_id: str
    order_id: UUID
    shipment_id: UUID
    invoice_date: date
    due_date: date
    lines: tuple[InvoiceLine, ...]
    net_total: Money
    tax_total: Money
    total: Money


@public_event("PaymentReceived", producer="finance", version=1)
class PaymentReceived(PublicEvent):
    """收款单: money received from a customer, allocated to its invoices (oldest first unless
    the clerk said otherwise; unallocated = on account)."""

    receipt_id: UUID
    receipt_number: str
    customer_id: str
    amount: Money
    allocations: tuple[Allocation, ...] = ()


@public_event("InvoiceSettled", producer="finance", version=1)
class InvoiceSettled(PublicEvent):
    """An invoice is fully paid. `order_id`: the sales order (receivable) or PO (payable)."""

    invoice_id: UUID
    kind: Literal["payable", "receivable"]
    counterparty_id: str
    total: Money
    order_id: UUID | None = None


@public_event("PeriodClosed", producer="finance", version=1)
class PeriodClosed(PublicEvent):
    """结账: no document may be dated in `period` (yyyy-mm) any more."""

    period: str


@public_event("PeriodReopened", producer="finance", version=1)
class PeriodReopened(PublicEvent):
    """反结账: a finance admin reopened `period` (yyyy-mm), the latest closed month, for
    `reason`: documents may be dated in it again until a later `PeriodClosed` closes it anew."""

    period: str
    reason: str


@public_event("CreditNoteIssued", producer="finance", version=1)
class CreditNoteIssued(PublicEvent):
    """红字发票 / 贷项通知单 for a customer return (inventory's `CustomerReturnReceived`), at
    the sales order's prices and VAT. It is applied to the order's open invoices oldest first
    (`allocations`, like a receipt's); what is left (`unapplied`) is owed to the customer."""

    credit_note_id: UUID
    credit_note_number: str
    customer_id: str
    order_id: UUID
    return_id: UUID
    note_date: date
    lines: tuple[InvoiceLine, ...]
    net_total: Money
    tax_total: Money
    total: Money
    allocations: tuple[Allocation, ...] = ()
    unapplied: Money


@public_event("DebitNoteIssued", producer="finance", version=1)
class DebitNoteIssued(PublicEvent):
    """借项通知单 for goods returned to the supplier (inventory's `GoodsReturnedToSupplier`)
    that had already been invoiced: at the PO's prices and VAT, applied to the PO's open
    supplier invoices (`allocations`); what is left (`unapplied`) the supplier owes back.
    Returned goods not yet invoiced need no note: they are simply not invoiceable any more."""

    debit_note_id: UUID
    debit_note_number: str
    supplier_id: str
    po_id: UUID
    return_id: UUID
    note_date: date
    lines: tuple[InvoiceLine, ...]
    net_total: Money
    tax_total: Money
    total: Money
    allocations: tuple[Allocation, ...] = ()
    unapplied: Money
