"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from typing import Annotated, Self
from uuid import UUID

from pydantic import Field, model_validator

from erp_contracts.types import TaxRate
from eventkit.http.schemas import (
    Body,
    BusinessDate,
    Code,
    Days,
    Entries,
    Lines,
    Name,
    PositiveQty,
    PositiveUnitAmount,
    Sku,
    Text,
    WarehouseId,
    require_unique_skus,
)

#: A purchase price: > 0 (a free line is not a purchase), 6 decimal places at most.
PositivePrice = PositiveUnitAmount


class PriceIn(Body):
    sku: Sku
    unit_price: PositivePrice


class SupplierIn(Body):
    supplier_id: Code | None = None
    name: Name
    payment_terms_days: Days
    lead_time_days: Days
    tax_rate: TaxRate | None = None
    prices: Entries[PriceIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def one_price_per_sku(self) -> Self:
        require_unique_skus(list(self.prices))
        return self


class PriceListIn(Body):
    prices: Annotated[Entries[PriceIn], Field(min_length=1)]

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
    lines: Lines[OrderLineIn]
    expected_date: BusinessDate | None = None
    po_id: UUID | None = None

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        require_unique_skus(list(self.lines))
        return self


class CancelIn(Body):
    reason: Text | None = None


class RequisitionIn(Body):
    sku: Sku
    warehouse_id: WarehouseId
    qty: PositiveQty
    requisition_id: UUID | None = None


class RequisitionOrderIn(Body):
    supplier_id: Code | None = None
    unit_price: PositivePrice | None = None
    qty: PositiveQty | None = None


class ReturnLineIn(Body):
    sku: Sku
    qty: PositiveQty


class PurchaseReturnIn(Body):
    po_id: UUID
    lines: Lines[ReturnLineIn]
    reason: Annotated[Text, Field(min_length=1)]
    return_id: UUID | None = None

    @model_validator(mode="after")
    def one_line_per_sku(self) -> Self:
        require_unique_skus(list(self.lines))
        return self
