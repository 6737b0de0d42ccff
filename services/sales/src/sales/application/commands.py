"""Commands of the sales service: what a clerk asks for, already validated for shape at the
edge (HTTP models); the domain checks the business rules."""

from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID, uuid4


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisterCustomer:
    customer_id: str
    name: str
    credit_limit: Decimal
    payment_terms_days: int
    discount_rate: Decimal = Decimal(0)
    prices: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderLineRequest:
    sku: str
    qty: Decimal
    #: None = the customer's price-list price less its discount.
    unit_price: Decimal | None = None
    #: None = 13%.
    tax_rate: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceSalesOrder:
    customer_id: str
    warehouse_id: str
    lines: tuple[OrderLineRequest, ...]
    order_id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelSalesOrder:
    order_id: UUID
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestSalesReturn:
    order_id: UUID
    lines: tuple[tuple[str, Decimal], ...]
    reason: str
    return_id: UUID = field(default_factory=uuid4)
    shipment_id: UUID | None = None
