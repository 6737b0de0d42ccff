"""Public events of the sales service (销售).

Inventory reserves stock on `SalesOrderPlaced`, releases it on `SalesOrderCancelled` and takes
goods back on `SalesReturnRequested`; purchasing raises requisitions on `SalesOrderBackordered`;
finance prices customer invoices and credit notes from the order and return lines.
"""

from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from erp_contracts.registry import PublicEvent, public_event
from erp_contracts.types import Money, PositiveQty, Sku, TaxRate, UnitAmount, WarehouseId


class SalesOrderLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: Sku
    qty: PositiveQty
    unit_price: UnitAmount
    #: VAT rate of the line; None = 13%.
    tax_rate: TaxRate | None = None


@public_event("SalesOrderPlaced", producer="sales", version=1)
class SalesOrderPlaced(PublicEvent):
    order_id: UUID
    order_number: str
    customer_id: str
    warehouse_id: WarehouseId
    lines: tuple[SalesOrderLine, ...]
    #: Document totals: net and VAT each rounded half-up to 2 places, total = net + VAT.
    net_total: Money | None = None
    tax_total: Money | None = None
    total: Money | None = None


@public_event("SalesOrderCancelled", producer="sales", version=1)
class SalesOrderCancelled(PublicEvent):
    """The order will not be shipped: inventory releases whatever it reserved for it."""

    order_id: UUID
    reason: str | None = None
    order_number: str | None = None
    customer_id: str | None = None


class BackorderShortage(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: Sku
    requested: PositiveQty
    available: Decimal


@public_event("SalesOrderBackordered", producer="sales", version=1)
class SalesOrderBackordered(PublicEvent):
    """Stock could not be reserved for the order: it waits. Purchasing raises a requisition
    for each shortage (requested − available)."""

    order_id: UUID
    warehouse_id: WarehouseId
    shortages: tuple[BackorderShortage, ...]
    order_number: str | None = None


class QuantityLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: Sku
    qty: PositiveQty


class PriceListEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku: Sku
    unit_price: UnitAmount


@public_event("CustomerRegistered", producer="sales", version=1)
class CustomerRegistered(PublicEvent):
    customer_id: str
    name: str
    #: Most the customer may owe: open receivables + unshipped orders, incl. VAT.
    credit_limit: Money
    payment_terms_days: int
    #: Taken off price-list prices (0.05 = 5%).
    discount_rate: TaxRate = Decimal(0)
    prices: tuple[PriceListEntry, ...] = ()


@public_event("SalesOrderConfirmed", producer="sales", version=1)
class SalesOrderConfirmed(PublicEvent):
    """Inventory reserved every line of the order (also after a backorder)."""

    order_id: UUID
    order_number: str
    customer_id: str
    warehouse_id: WarehouseId
    lines: tuple[QuantityLine, ...]


@public_event("SalesOrderCompleted", producer="sales", version=1)
class SalesOrderCompleted(PublicEvent):
    """Shipped, invoiced and the invoice settled: nothing more is expected of the order.
    Emitted once finance publishes `InvoiceSettled`."""

    order_id: UUID
    order_number: str
    customer_id: str


@public_event("SalesReturnRequested", producer="sales", version=1)
class SalesReturnRequested(PublicEvent):
    """销售退货 authorised (an RMA): the customer may send goods of the order back. When they
    arrive the warehouse receives them against this `return_id` (inventory's
    `POST /customer-returns` → `CustomerReturnReceived`); finance credits at the order's prices."""

    return_id: UUID
    return_number: str
    order_id: UUID
    order_number: str
    customer_id: str
    warehouse_id: WarehouseId
    lines: tuple[SalesOrderLine, ...]
    reason: str
