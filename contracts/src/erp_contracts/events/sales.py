"""Public events of the sales service (销售) that other services rely on today.

Inventory reserves stock on `SalesOrderPlaced` and releases it on `SalesOrderCancelled`;
finance prices customer invoices from the order lines.
"""

from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from erp_contracts.registry import PublicEvent, public_event
from erp_contracts.types import PositiveQty, Sku, TaxRate, UnitAmount, WarehouseId


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


@public_event("SalesOrderCancelled", producer="sales", version=1)
class SalesOrderCancelled(PublicEvent):
    """The order will not be shipped: inventory releases whatever it reserved for it."""

    order_id: UUID
    reason: str | None = None


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
