"""Master data: items (stream ``item-{sku}``) and warehouses (``warehouse-{warehouse_id}``)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from inventory.domain.aggregate import Aggregate
from inventory.domain.document_events import (
    ItemCostingMethodChanged,
    ItemFixedLocationAssigned,
    ItemRegistered,
    LocationAdded,
    WarehouseRegistered,
)
from inventory.domain.errors import AlreadyExists, InvalidQuantity, InvalidState, UnknownLocation
from inventory.domain.events import DomainEvent
from inventory.domain.lot_policy import LotPolicy
from inventory.domain.quantities import non_negative, positive, utc
from inventory.domain.vocabulary import CostingMethod, NegativeStockPolicy


def item_stream_id(sku: str) -> str:
    return f"item-{sku}"


def warehouse_stream_id(warehouse_id: str) -> str:
    return f"warehouse-{warehouse_id}"


@dataclass(frozen=True, slots=True)
class StockPolicy:
    """What a stock item copies from its item when first opened in a warehouse."""

    negative_stock: NegativeStockPolicy = NegativeStockPolicy.FORBID
    reorder_point: Decimal | None = None
    reorder_qty: Decimal | None = None
    max_stock: Decimal | None = None

    def validated(self) -> "StockPolicy":
        if self.reorder_point is not None:
            non_negative(self.reorder_point, "reorder_point")
        if self.reorder_qty is not None:
            positive(self.reorder_qty, "reorder_qty")
        if self.max_stock is not None:
            positive(self.max_stock, "max_stock")
            if self.reorder_point is not None and self.max_stock < self.reorder_point:
                raise InvalidQuantity("max_stock must not be below reorder_point")
        return self


class Item(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.sku = ""
        self.name = ""
        self.uom = ""
        self.category: str | None = None
        self.policy = StockPolicy()
        self.lots = LotPolicy()
        #: warehouse_id → the item's fixed location (固定库位) there.
        self.fixed_locations: dict[str, str] = {}
        self.costing_method = CostingMethod.MOVING_AVERAGE
        self.registered = False

    def register(
        self,
        sku: str,
        name: str,
        uom: str,
        *,
        occurred_at: datetime,
        category: str | None = None,
        policy: StockPolicy | None = None,
        lots: LotPolicy | None = None,
        costing_method: CostingMethod = CostingMethod.MOVING_AVERAGE,
    ) -> ItemRegistered:
        if self.registered:
            raise AlreadyExists(f"item {self.sku} is already registered", sku=self.sku)
        if not sku.strip() or not name.strip() or not uom.strip():
            raise InvalidState("sku, name and uom must not be blank")
        checked = (policy or StockPolicy()).validated()
        lot_policy = (lots or LotPolicy()).validated()
        event = ItemRegistered(
            occurred_at=utc(occurred_at),
            sku=sku,
            name=name,
            uom=uom,
            category=category,
            reorder_point=checked.reorder_point,
            reorder_qty=checked.reorder_qty,
            max_stock=checked.max_stock,
            negative_stock=checked.negative_stock,
            lot_tracked=lot_policy.lot_tracked,
            shelf_life_days=lot_policy.shelf_life_days,
            expiry_alert_days=lot_policy.expiry_alert_days,
            costing_method=costing_method,
        )
        self._record(event)
        return event

    def assign_fixed_location(
        self, warehouse: "Warehouse", location: str | None, *, occurred_at: datetime
    ) -> ItemFixedLocationAssigned | None:
        """Set (or with None clear) the item's fixed location in a warehouse; the same
        location again records nothing."""
        if not self.registered:
            raise InvalidState("register the item first")
        warehouse.require_location(location)
        if location is not None and not warehouse.locations:
            raise UnknownLocation(f"{warehouse.warehouse_id} has no locations", location=location)
        if self.fixed_locations.get(warehouse.warehouse_id) == location:
            return None
        event = ItemFixedLocationAssigned(
            occurred_at=utc(occurred_at),
            sku=self.sku,
            warehouse_id=warehouse.warehouse_id,
            location=location,
        )
        self._record(event)
        return event

    def change_costing_method(
        self, method: CostingMethod, *, occurred_at: datetime
    ) -> ItemCostingMethodChanged | None:
        """The caller has checked that no warehouse holds the item (``item_has_stock``);
        the same method again records nothing."""
        if not self.registered:
            raise InvalidState("the item is not registered")
        if method is self.costing_method:
            return None
        event = ItemCostingMethodChanged(
            occurred_at=utc(occurred_at), sku=self.sku, costing_method=method
        )
        self._record(event)
        return event

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case ItemRegistered():
                self.sku, self.name, self.uom = event.sku, event.name, event.uom
                self.category = event.category
                self.policy = StockPolicy(
                    event.negative_stock, event.reorder_point, event.reorder_qty, event.max_stock
                )
                self.lots = LotPolicy(
                    event.lot_tracked, event.shelf_life_days, event.expiry_alert_days
                )
                self.costing_method = event.costing_method
                self.registered = True
            case ItemFixedLocationAssigned(location=None):
                self.fixed_locations.pop(event.warehouse_id, None)
            case ItemFixedLocationAssigned(location=str() as location):
                self.fixed_locations[event.warehouse_id] = location
            case ItemCostingMethodChanged():
                self.costing_method = event.costing_method
            case _:
                raise self._cannot_apply(event)


class Warehouse(Aggregate):
    def __init__(self) -> None:
        super().__init__()
        self.warehouse_id = ""
        self.name = ""
        self.locations: frozenset[str] = frozenset()
        #: code → capacity (None: unbounded), in the order the locations were added.
        self.capacities: dict[str, Decimal | None] = {}
        #: code → name (a location listed at registration is named by its code).
        self.location_names: dict[str, str] = {}
        self.registered = False

    def register(
        self,
        warehouse_id: str,
        name: str,
        *,
        occurred_at: datetime,
        locations: tuple[str, ...] = (),
    ) -> WarehouseRegistered:
        if self.registered:
            raise AlreadyExists(f"warehouse {self.warehouse_id} is already registered")
        if not warehouse_id.strip() or not name.strip():
            raise InvalidState("warehouse_id and name must not be blank")
        unique_locations = tuple(dict.fromkeys(locations))
        event = WarehouseRegistered(
            occurred_at=utc(occurred_at),
            warehouse_id=warehouse_id,
            name=name,
            locations=unique_locations,
        )
        self._record(event)
        return event

    def add_location(
        self, code: str, name: str, *, capacity: Decimal | None = None, occurred_at: datetime
    ) -> LocationAdded:
        if not self.registered:
            raise InvalidState("register the warehouse first")
        if code in self.locations:
            raise AlreadyExists(
                f"{code} is already a location of {self.warehouse_id}", location=code
            )
        if not code.strip():
            raise InvalidState("a location code must not be blank")
        event = LocationAdded(
            occurred_at=utc(occurred_at),
            warehouse_id=self.warehouse_id,
            code=code,
            name=name.strip() or code,
            capacity=None if capacity is None else positive(capacity, "capacity"),
        )
        self._record(event)
        return event

    def require_location(self, location: str | None) -> None:
        """A warehouse without declared locations accepts any (or none)."""
        if location is not None and self.locations and location not in self.locations:
            raise UnknownLocation(
                f"{location} is not a location of {self.warehouse_id}", location=location
            )

    def _apply(self, event: DomainEvent) -> None:
        match event:
            case WarehouseRegistered():
                self.warehouse_id, self.name = event.warehouse_id, event.name
                self.locations = frozenset(event.locations)
                self.capacities = dict.fromkeys(event.locations)
                self.location_names = {code: code for code in event.locations}
                self.registered = True
            case LocationAdded():
                self.locations = self.locations | {event.code}
                self.capacities[event.code] = event.capacity
                self.location_names[event.code] = event.name
            case _:
                raise self._cannot_apply(event)
