"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import Field, model_validator

from erp_contracts.types import PositiveQty, Sku, TaxRate, WarehouseId
from eventkit.http.schemas import Body, Code, Days, Name, require_unique_skus

#: A purchase price: > 0 (a free line is not a purchase), 6 decimal places at most.
PositivePrice = Annotated[Decimal, Field(gt=0, max_digits=24, decimal_places=6)]


class PriceIn(Body):
    sku: Sku
    unit_price: PositivePrice


class SupplierIn(Body):
    supplier_id: Code | None = None
    name: Name
    payment_terms_days: Days
    lead_time_days: Days
    tax_rate: TaxRate | None = None
    prices: list[PriceIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def one_price_per_sku(self) -> Self:
        require_unique_skus(list(self.prices))
        return self


class PriceListIn(Body):
    prices: Annotated[list[PriceIn], Field(min_length=1)]

    @model_validator(mode="after")
    def one_price_per_sku(self) -> Self:
        require_unique_skus(list(self.prices))
        return self


class OrderLineIn(Body):
    sku: Sku
    qty: PositiveQty
    unit_price: PositivePrice
    tax_rate: TaxRate | None = None


class PurchaseOrderIn(Body):
    supplier_id: Code
    warehouse_id: WarehouseId
    lines: Annotated[list[OrderLineIn], Field(min_length=1)]
    expected_date: date | None = None
    po_id: UUID | None = None

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        require_unique_skus(list(self.lines))
        return self


class CancelIn(Body):
    reason: Annotated[str, Field(max_length=500)] | None = None


class RequisitionIn(Body):
    sku: Sku
    warehouse_id: WarehouseId
    qty: PositiveQty
    requisition_id: UUID | None = None


class RequisitionOrderIn(Body):
    supplier_id: Code | None = None
    unit_price: PositivePrice | None = None


class ReturnLineIn(Body):
    sku: Sku
    qty: PositiveQty


class PurchaseReturnIn(Body):
    po_id: UUID
    lines: Annotated[list[ReturnLineIn], Field(min_length=1)]
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    return_id: UUID | None = None

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        require_unique_skus(list(self.lines))
        return self
