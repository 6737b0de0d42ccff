"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import Field, model_validator

from erp_contracts.types import TaxRate
from eventkit.http.schemas import (
    Amount,
    Body,
    Code,
    Days,
    Entries,
    Lines,
    Name,
    PositiveQty,
    Sku,
    Text,
    UnitAmount,
    WarehouseId,
    require_unique_skus,
)


class PriceIn(Body):
    sku: Sku
    unit_price: UnitAmount


class CustomerIn(Body):
    customer_id: Code | None = None
    name: Name
    credit_limit: Amount
    payment_terms_days: Days
    #: Taken off price-list prices (0.05 = 5%).
    discount_rate: TaxRate = Decimal(0)
    prices: Entries[PriceIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def one_price_per_sku(self) -> Self:
        require_unique_skus(list(self.prices))
        return self


class OrderLineIn(Body):
    sku: Sku
    qty: PositiveQty
    #: ≥ 0; omitted = the customer's price-list price less its discount.
    unit_price: UnitAmount | None = None
    tax_rate: TaxRate | None = None


class SalesOrderIn(Body):
    customer_id: Code
    warehouse_id: WarehouseId
    lines: Lines[OrderLineIn]
    order_id: UUID | None = None

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        require_unique_skus(list(self.lines))
        return self


class CancelIn(Body):
    reason: Text | None = None


class ReturnLineIn(Body):
    sku: Sku
    qty: PositiveQty


class SalesReturnIn(Body):
    lines: Lines[ReturnLineIn]
    reason: Annotated[Text, Field(min_length=1)]
    return_id: UUID | None = None
    #: The shipment the goods left with, when the clerk knows it (inventory's `shipment_id`).
    shipment_id: UUID | None = None

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        require_unique_skus(list(self.lines))
        return self
