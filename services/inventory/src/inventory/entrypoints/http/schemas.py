"""HTTP request bodies (the edge: shape, types and signs are checked here → 422 with paths)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import AfterValidator, Field, field_validator, model_validator

from eventkit.http.schemas import (
    AwareMoment,
    BusinessDate,
    Code,
    Entries,
    Lines,
    Name,
    NonNegativeQty,
    PositiveQty,
    SignedQty,
    Sku,
    Text,
    UnitAmount,
    WarehouseId,
)
from eventkit.http.schemas import Body as KernelBody
from inventory.domain.vocabulary import AdjustmentReason

#: Clocks differ a little between a clerk's device and the server.
_CLOCK_SKEW = timedelta(minutes=5)


def _not_in_future(value: datetime) -> datetime:
    if value > datetime.now(UTC) + _CLOCK_SKEW:
        raise ValueError("a movement cannot be dated in the future")
    return value


#: Business time of a document: may be backdated (not before 1900), never in the future;
#: defaults to now.
BusinessTime = Annotated[AwareMoment, AfterValidator(_not_in_future)]
#: A lot or a location named on a document line; '' is the unnamed bucket.
Label = Annotated[Text, Field(max_length=64)]
#: Skus one stocktake counts, and count lines one batch may carry (docs/eventkit.md,
#: "Hostile input"; docs/benchmarks.md counts 10,000 skus in batches of 1,000).
MAX_STOCKTAKE_SKUS = 200_000
MAX_COUNT_BATCH = 10_000


class Body(KernelBody):
    def when(self) -> datetime:
        occurred: datetime | None = getattr(self, "occurred_at", None)
        return (occurred or datetime.now(UTC)).astimezone(UTC)


CostingMethodName = Literal["moving_average", "fifo", "periodic_average"]


class ItemIn(Body):
    sku: Sku
    name: Name
    uom: Annotated[Code, Field(max_length=20)]
    category: Annotated[Text, Field(max_length=200)] | None = None
    reorder_point: NonNegativeQty | None = None
    reorder_qty: PositiveQty | None = None
    max_stock: PositiveQty | None = None
    negative_stock: Literal["forbid", "allow"] = "forbid"
    lot_tracked: bool = False
    shelf_life_days: Annotated[int, Field(ge=0, le=36_500)] | None = None
    expiry_alert_days: Annotated[int, Field(ge=0, le=36_500)] | None = None
    #: 移动加权平均 (default), 先进先出, 月末一次加权平均.
    costing_method: CostingMethodName = "moving_average"


class CostingMethodIn(Body):
    costing_method: CostingMethodName


class StockPolicyIn(Body):
    """Only the fields sent change; an explicit null clears one (no reorder point, no cap)."""

    reorder_point: NonNegativeQty | None = None
    reorder_qty: PositiveQty | None = None
    max_stock: PositiveQty | None = None
    reason: Annotated[Text, Field(min_length=1)]

    def changes(self) -> dict[str, Decimal | None]:
        fields = ("reorder_point", "reorder_qty", "max_stock")
        return {name: getattr(self, name) for name in fields if name in self.model_fields_set}


class WarehouseIn(Body):
    warehouse_id: WarehouseId
    name: Name
    locations: Entries[Code] = Field(default_factory=list)


class QtyLineIn(Body):
    sku: Sku
    qty: PositiveQty


class ReceiptLineIn(Body):
    sku: Sku
    qty_accepted: NonNegativeQty
    qty_rejected: NonNegativeQty = Decimal(0)
    lot: Label | None = None
    expiry: BusinessDate | None = None
    location: Label | None = None

    @model_validator(mode="after")
    def receives_something(self) -> Self:
        if self.qty_accepted + self.qty_rejected <= 0:
            raise ValueError("a receipt line must accept or reject a positive quantity")
        return self


class ReceiptIn(Body):
    po_id: UUID
    warehouse_id: WarehouseId
    lines: Lines[ReceiptLineIn]
    occurred_at: BusinessTime | None = None
    receipt_id: UUID | None = None


class SupplierReturnIn(Body):
    po_id: UUID
    warehouse_id: WarehouseId
    lines: Lines[QtyLineIn]
    occurred_at: BusinessTime | None = None
    return_id: UUID | None = None


class ReservationIn(Body):
    order_id: UUID
    warehouse_id: WarehouseId
    lines: Lines[QtyLineIn]


class OutboundLineIn(QtyLineIn):
    """Naming a lot and/or location takes the goods from there; otherwise FEFO picks."""

    lot: Label | None = None
    location: Label | None = None


class ShipmentIn(Body):
    order_id: UUID
    lines: Lines[OutboundLineIn] | None = None
    occurred_at: BusinessTime | None = None
    shipment_id: UUID | None = None


class CustomerReturnIn(Body):
    order_id: UUID
    lines: Lines[QtyLineIn]
    occurred_at: BusinessTime | None = None
    #: This receipt's id (client-chosen for retries); each delivery against an RMA is one.
    return_id: UUID | None = None
    #: The RMA: sales' return id. Optional here so that a missing one is the business refusal
    #: `rma_not_found` (409), not a bare validation error.
    rma_id: UUID | None = None


class TransferIn(Body):
    source_warehouse_id: WarehouseId
    destination_warehouse_id: WarehouseId
    lines: Lines[OutboundLineIn]
    occurred_at: BusinessTime | None = None
    transfer_id: UUID | None = None


class TransferReceiptIn(Body):
    occurred_at: BusinessTime | None = None


class StocktakeIn(Body):
    warehouse_id: WarehouseId
    skus: Annotated[list[Sku], Field(min_length=1, max_length=MAX_STOCKTAKE_SKUS)]
    occurred_at: BusinessTime | None = None
    stocktake_id: UUID | None = None


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank: leave it out (null) for the default location/no lot")
    return value


#: A location or lot a count line names (库位/批次): 1–64 characters, not blank.
CountLabel = Annotated[Label, AfterValidator(_not_blank)]


class CountLineIn(Body):
    sku: Sku
    counted_qty: NonNegativeQty
    #: Naming either counts this sku per bin (盘点到库位/批次): every line of the sku in this
    #: stocktake must then name its bin (None = the default location / no lot).
    location: CountLabel | None = None
    lot: CountLabel | None = None


class CountsIn(Body):
    counts: Annotated[list[CountLineIn], Field(min_length=1, max_length=MAX_COUNT_BATCH)]
    occurred_at: BusinessTime | None = None


class StocktakeCompletionIn(Body):
    occurred_at: BusinessTime | None = None


class AdjustmentIn(Body):
    sku: Sku
    warehouse_id: WarehouseId
    qty: SignedQty
    reason: AdjustmentReason
    unit_cost: UnitAmount | None = None
    location: Label | None = None
    lot: Label | None = None
    #: A gain into a lot: the lot's expiry date (e.g. an opening balance of a dated lot).
    expiry: BusinessDate | None = None
    occurred_at: BusinessTime | None = None
    adjustment_id: UUID | None = None

    @field_validator("qty")
    @classmethod
    def moves_something(cls, qty: Decimal) -> Decimal:
        if qty == 0:
            raise ValueError("qty must not be zero: positive for stock in, negative for out")
        return qty
