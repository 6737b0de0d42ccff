"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import Field, model_validator

from erp_contracts.types import PositiveQty, Sku, TaxRate, UnitAmount, WarehouseId
from eventkit.http.schemas import Amount, Body, Code, Days, Name, require_unique_skus

#: Money a clerk types: ≥ 0, cents at most.


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
    prices: list[PriceIn] = Field(default_factory=list)

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
    lines: Annotated[list[OrderLineIn], Field(min_length=1)]
    order_id: UUID | None = None

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        require_unique_skus(list(self.lines))
        return self


class CancelIn(Body):
    reason: Annotated[str, Field(max_length=500)] | None = None


class ReturnLineIn(Body):
    sku: Sku
    qty: PositiveQty


class SalesReturnIn(Body):
    lines: Annotated[list[ReturnLineIn], Field(min_length=1)]
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    return_id: UUID | None = None

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        require_unique_skus(list(self.lines))
        return self
