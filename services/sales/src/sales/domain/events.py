"""Domain events of the sales service and their base class.

Every stored payload of a public event (`CustomerRegistered`, `SalesOrderPlaced`,
`SalesOrderConfirmed`, `SalesOrderBackordered`, `SalesOrderCancelled`, `SalesReturnRequested`)
is a valid instance of its contract in `erp_contracts.events.sales`; the others are internal
and subscribers should not rely on them.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID


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
class Shortage:
    sku: str
    requested: Decimal
    available: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceEntry:
    sku: str
    unit_price: Decimal


# --- customers -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerRegistered(DomainEvent):
    event_type: ClassVar[str] = "CustomerRegistered"
    customer_id: str
    name: str
    credit_limit: Decimal
    payment_terms_days: int
    #: Taken off price-list prices (0.05 = 5%); explicit line prices are taken as given.
    discount_rate: Decimal = Decimal(0)
    prices: tuple[PriceEntry, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerCreditCommitted(DomainEvent):
    """An order's total incl. VAT now counts against the customer's credit (exposure)."""

    event_type: ClassVar[str] = "CustomerCreditCommitted"
    customer_id: str
    order_id: UUID
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerCreditReleased(DomainEvent):
    """A cancelled order no longer counts against the customer's credit."""

    event_type: ClassVar[str] = "CustomerCreditReleased"
    customer_id: str
    order_id: UUID
    amount: Decimal


# --- sales orders ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class SalesOrderPlaced(DomainEvent):
    event_type: ClassVar[str] = "SalesOrderPlaced"
    order_id: UUID
    order_number: str
    customer_id: str
    warehouse_id: str
    lines: tuple[OrderLine, ...]
    net_total: Decimal
    tax_total: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class SalesOrderConfirmed(DomainEvent):
    """Inventory reserved every line (its `StockReserved`)."""

    event_type: ClassVar[str] = "SalesOrderConfirmed"
    order_id: UUID
    order_number: str
    customer_id: str
    warehouse_id: str
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SalesOrderBackordered(DomainEvent):
    """Inventory could not reserve the order (its `StockReservationRejected`): it waits."""

    event_type: ClassVar[str] = "SalesOrderBackordered"
    order_id: UUID
    order_number: str
    warehouse_id: str
    shortages: tuple[Shortage, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SalesOrderCancelled(DomainEvent):
    event_type: ClassVar[str] = "SalesOrderCancelled"
    order_id: UUID
    reason: str | None = None
    order_number: str | None = None
    customer_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderStockReleased(DomainEvent):
    """Inventory released what it held for the cancelled order (its `StockReleased`)."""

    event_type: ClassVar[str] = "OrderStockReleased"
    order_id: UUID
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderShipmentRecorded(DomainEvent):
    """Inventory dispatched (part of) the order (its `ShipmentDispatched`); `status` is the
    order's status after it: `partially_shipped` or `shipped`."""

    event_type: ClassVar[str] = "OrderShipmentRecorded"
    order_id: UUID
    shipment_id: UUID
    shipment_number: str
    lines: tuple[QuantityLine, ...]
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SalesReturnRequested(DomainEvent):
    event_type: ClassVar[str] = "SalesReturnRequested"
    return_id: UUID
    return_number: str
    order_id: UUID
    order_number: str
    customer_id: str
    warehouse_id: str
    lines: tuple[OrderLine, ...]
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerReturnRecorded(DomainEvent):
    """Inventory took goods of this order back into stock (its `CustomerReturnReceived`)."""

    event_type: ClassVar[str] = "CustomerReturnRecorded"
    order_id: UUID
    return_id: UUID
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderInvoiced(DomainEvent):
    """Finance invoiced (part of) the order; `status` is the order's status after it."""

    event_type: ClassVar[str] = "OrderInvoiced"
    order_id: UUID
    invoice_id: UUID
    invoice_number: str
    total: Decimal
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderFullyInvoiced(DomainEvent):
    """The last shipment of an order whose invoices had all arrived first (finance's events
    travel on another topic than inventory's): the order is now `invoiced`."""

    event_type: ClassVar[str] = "OrderFullyInvoiced"
    order_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderInvoiceSettled(DomainEvent):
    event_type: ClassVar[str] = "OrderInvoiceSettled"
    order_id: UUID
    invoice_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class SalesOrderCompleted(DomainEvent):
    """Shipped in full, invoiced in full, every invoice settled (public)."""

    event_type: ClassVar[str] = "SalesOrderCompleted"
    order_id: UUID
    order_number: str
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerInvoiced(DomainEvent):
    """An invoice moves credit from the order's commitment to open receivables."""

    event_type: ClassVar[str] = "CustomerInvoiced"
    customer_id: str
    order_id: UUID
    invoice_id: UUID
    amount: Decimal
    commitment_released: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoicePayment:
    invoice_id: UUID
    amount: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerPaid(DomainEvent):
    """A receipt reduced open receivables (only allocations to invoices we know)."""

    event_type: ClassVar[str] = "CustomerPaid"
    customer_id: str
    receipt_id: UUID
    payments: tuple[InvoicePayment, ...]
