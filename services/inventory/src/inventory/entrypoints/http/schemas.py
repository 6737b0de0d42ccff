"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Field,
    field_validator,
    model_validator,
)

from erp_contracts.types import NonNegativeQty, PositiveQty, Sku, UnitAmount, WarehouseId
from eventkit.http.schemas import Body as KernelBody
from eventkit.http.schemas import Name
from inventory.domain.vocabulary import AdjustmentReason

#: Clocks differ a little between a clerk's device and the server.
_CLOCK_SKEW = timedelta(minutes=5)


def _not_in_future(value: datetime) -> datetime:
    if value > datetime.now(UTC) + _CLOCK_SKEW:
        raise ValueError("a movement cannot be dated in the future")
    return value


#: Business time of a document: may be backdated, never in the future; defaults to now.
BusinessTime = Annotated[AwareDatetime, AfterValidator(_not_in_future)]


class Body(KernelBody):
    def when(self) -> datetime:
        occurred: datetime | None = getattr(self, "occurred_at", None)
        return (occurred or datetime.now(UTC)).astimezone(UTC)


class ItemIn(Body):
    sku: Sku
    name: Name
    uom: Annotated[str, Field(min_length=1, max_length=20)]
    category: str | None = None
    reorder_point: NonNegativeQty | None = None
    reorder_qty: PositiveQty | None = None
    max_stock: PositiveQty | None = None
    negative_stock: Literal["forbid", "allow"] = "forbid"


class WarehouseIn(Body):
    warehouse_id: WarehouseId
    name: Name
    locations: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default_factory=list
    )


class QtyLineIn(Body):
    sku: Sku
    qty: PositiveQty


class ReceiptLineIn(Body):
    sku: Sku
    qty_accepted: NonNegativeQty
    qty_rejected: NonNegativeQty = Decimal(0)
    lot: str | None = None
    expiry: date | None = None
    location: str | None = None

    @model_validator(mode="after")
    def receives_something(self) -> Self:
        if self.qty_accepted + self.qty_rejected <= 0:
            raise ValueError("a receipt line must accept or reject a positive quantity")
        return self


class ReceiptIn(Body):
    po_id: UUID
    warehouse_id: WarehouseId
    lines: list[ReceiptLineIn] = Field(min_length=1)
    occurred_at: BusinessTime | None = None
    receipt_id: UUID | None = None


class SupplierReturnIn(Body):
    po_id: UUID
    warehouse_id: WarehouseId
    lines: list[QtyLineIn] = Field(min_length=1)
    occurred_at: BusinessTime | None = None
    return_id: UUID | None = None


class ReservationIn(Body):
    order_id: UUID
    warehouse_id: WarehouseId
    lines: list[QtyLineIn] = Field(min_length=1)


class ShipmentIn(Body):
    order_id: UUID
    lines: list[QtyLineIn] | None = Field(default=None, min_length=1)
    occurred_at: BusinessTime | None = None
    shipment_id: UUID | None = None


class CustomerReturnIn(Body):
    order_id: UUID
    lines: list[QtyLineIn] = Field(min_length=1)
    occurred_at: BusinessTime | None = None
    return_id: UUID | None = None


class TransferIn(Body):
    source_warehouse_id: WarehouseId
    destination_warehouse_id: WarehouseId
    lines: list[QtyLineIn] = Field(min_length=1)
    occurred_at: BusinessTime | None = None
    transfer_id: UUID | None = None


class TransferReceiptIn(Body):
    occurred_at: BusinessTime | None = None


class StocktakeIn(Body):
    warehouse_id: WarehouseId
    skus: list[Sku] = Field(min_length=1, max_length=200_000)
    occurred_at: BusinessTime | None = None
    stocktake_id: UUID | None = None


class CountLineIn(Body):
    sku: Sku
    counted_qty: NonNegativeQty


class CountsIn(Body):
    counts: list[CountLineIn] = Field(min_length=1, max_length=50_000)
    occurred_at: BusinessTime | None = None


class StocktakeCompletionIn(Body):
    occurred_at: BusinessTime | None = None


class AdjustmentIn(Body):
    sku: Sku
    warehouse_id: WarehouseId
    qty: Annotated[Decimal, Field(max_digits=24, decimal_places=6)]
    reason: AdjustmentReason
    unit_cost: UnitAmount | None = None
    location: str | None = None
    lot: str | None = None
    occurred_at: BusinessTime | None = None
    adjustment_id: UUID | None = None

    @field_validator("qty")
    @classmethod
    def moves_something(cls, qty: Decimal) -> Decimal:
        if qty == 0:
            raise ValueError("qty must not be zero: positive for stock in, negative for out")
        return qty
