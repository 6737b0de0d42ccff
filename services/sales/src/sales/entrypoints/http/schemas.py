"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from erp_contracts.types import PositiveQty, Sku, TaxRate, UnitAmount, WarehouseId

#: Money a clerk types: ≥ 0, cents at most.
Amount = Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=2)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str, Field(min_length=1, max_length=64)]
Days = Annotated[int, Field(ge=0, le=3650)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _unique_skus(lines: list[BaseModel]) -> None:
    skus = [getattr(line, "sku", None) for line in lines]
    if len(set(skus)) != len(skus):
        raise ValueError("each sku may appear on one line only")


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
    prices: list[PriceIn] = []

    @model_validator(mode="after")
    def one_price_per_sku(self) -> Self:
        _unique_skus(list(self.prices))
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
        _unique_skus(list(self.lines))
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
        _unique_skus(list(self.lines))
        return self
