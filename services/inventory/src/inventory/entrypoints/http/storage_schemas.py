"""Request bodies of the 库位/批次 routes (shape checked here → 422 with field paths)."""

from typing import Annotated
from uuid import UUID

from pydantic import Field, model_validator

from eventkit.http.schemas import BusinessDate, Code, Name, PositiveQty, Sku, WarehouseId
from inventory.entrypoints.http.schemas import Body, BusinessTime, Label


class LocationIn(Body):
    code: Annotated[Code, Field(max_length=64)]
    name: Name | None = None
    capacity: PositiveQty | None = None


class FixedLocationIn(Body):
    location: Label | None


class BinMoveIn(Body):
    sku: Sku
    warehouse_id: WarehouseId
    from_location: Label | None = None
    to_location: Label | None = None
    qty: PositiveQty
    lot: Label | None = None
    occurred_at: BusinessTime | None = None
    move_id: UUID | None = None

    @model_validator(mode="after")
    def moves_between_two_locations(self) -> "BinMoveIn":
        if (self.from_location or "") == (self.to_location or ""):
            raise ValueError("from_location and to_location must differ")
        return self


class ExpirySweepIn(Body):
    as_of: BusinessDate | None = None
