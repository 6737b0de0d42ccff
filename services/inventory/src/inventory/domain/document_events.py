"""Events of master data and of documents (PO ledger, order allocation, transfer, stocktake).

Line values are dataclasses too, so payloads stay flat JSON objects.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from inventory.domain.events import BinPick, DomainEvent
from inventory.domain.quantities import ZERO
from inventory.domain.vocabulary import CostingMethod, NegativeStockPolicy


@dataclass(frozen=True, slots=True, kw_only=True)
class QuantityLine:
    sku: str
    qty: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ValuedLine:
    """A line that moved stock at ``unit_cost`` (6 dp) for ``value`` (2 dp)."""

    sku: str
    qty: Decimal
    unit_cost: Decimal
    value: Decimal
    #: Inbound onto negative stock: the re-costing of what was issued while negative.
    cost_variance: Decimal = ZERO
    #: Where the goods came from (库位/批次), when any location or lot was involved.
    picks: tuple[BinPick, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderedLine:
    sku: str
    qty: Decimal
    unit_price: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivedLine:
    sku: str
    qty_accepted: Decimal
    qty_rejected: Decimal
    unit_cost: Decimal
    value: Decimal
    lot: str | None = None
    location: str | None = None
    movement_id: UUID | None = None
    expiry: date | None = None
    #: Received onto negative stock: the re-costing of what was issued while negative.
    cost_variance: Decimal = ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class SupplierReturnLine:
    """Out at moving-average cost (``unit_cost``/``value``); ``unit_price`` is the PO's price,
    so finance can reverse GRNI at price and post the difference."""

    sku: str
    qty: Decimal
    unit_cost: Decimal
    value: Decimal
    unit_price: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class ReservationShortage:
    sku: str
    requested: Decimal
    available: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class BookLine:
    sku: str
    book_qty: Decimal
    #: On hand per (location, lot) at the start; () = all of it in the unnamed default bin.
    bins: tuple[BinPick, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CountLine:
    """A count of a sku (no location, no lot) or of one bin of it (盘点到库位/批次): a bin
    line names its location, its lot or both (None = the default location / no lot)."""

    sku: str
    counted_qty: Decimal
    location: str | None = None
    lot: str | None = None

    @property
    def per_bin(self) -> bool:
        return self.location is not None or self.lot is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class StocktakeLine:
    sku: str
    book_qty: Decimal
    counted_qty: Decimal
    movements_during_count: Decimal
    variance: Decimal
    variance_value: Decimal
    #: Set on a per-bin line (盘点到库位/批次); both None on a per-sku line.
    location: str | None = None
    lot: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UncountedBin:
    """A bin of a sku counted per bin that held stock but was not counted (left alone)."""

    sku: str
    location: str | None
    lot: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemRegistered(DomainEvent):
    event_type: ClassVar[str] = "ItemRegistered"
    sku: str
    name: str
    uom: str
    category: str | None = None
    reorder_point: Decimal | None = None
    reorder_qty: Decimal | None = None
    max_stock: Decimal | None = None
    negative_stock: NegativeStockPolicy = NegativeStockPolicy.FORBID
    #: 批次管理: every receipt names a lot; outbounds pick lots FEFO.
    lot_tracked: bool = False
    #: 保质期 in days: a receipt's lot expires this long after receipt unless it names a date.
    shelf_life_days: int | None = None
    #: 临期预警 lead time in days (the service default when None).
    expiry_alert_days: int | None = None
    costing_method: CostingMethod = CostingMethod.MOVING_AVERAGE


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemFixedLocationAssigned(DomainEvent):
    """固定库位: where the item is put away in one warehouse (None: no fixed location)."""

    event_type: ClassVar[str] = "ItemFixedLocationAssigned"
    sku: str
    warehouse_id: str
    location: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemCostingMethodChanged(DomainEvent):
    """The item's costing method changed (allowed only while no warehouse holds it)."""

    event_type: ClassVar[str] = "ItemCostingMethodChanged"
    sku: str
    costing_method: CostingMethod


@dataclass(frozen=True, slots=True, kw_only=True)
class WarehouseRegistered(DomainEvent):
    event_type: ClassVar[str] = "WarehouseRegistered"
    warehouse_id: str
    name: str
    locations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LocationAdded(DomainEvent):
    """库位 added to a warehouse; ``capacity`` (in the items' units) bounds putaway."""

    event_type: ClassVar[str] = "LocationAdded"
    warehouse_id: str
    code: str
    name: str
    capacity: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseOrderRecorded(DomainEvent):
    """Purchasing placed a PO: its lines become receivable here (same sku lines merged)."""

    event_type: ClassVar[str] = "PurchaseOrderRecorded"
    po_id: UUID
    warehouse_id: str
    lines: tuple[OrderedLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PurchaseOrderCancellationRecorded(DomainEvent):
    """The open quantity per sku that a cancellation took off the PO."""

    event_type: ClassVar[str] = "PurchaseOrderCancellationRecorded"
    po_id: UUID
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoodsReceived(DomainEvent):
    event_type: ClassVar[str] = "GoodsReceived"
    receipt_id: UUID
    receipt_number: str
    po_id: UUID
    warehouse_id: str
    lines: tuple[ReceivedLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoodsReturnedToSupplier(DomainEvent):
    event_type: ClassVar[str] = "GoodsReturnedToSupplier"
    return_id: UUID
    return_number: str
    po_id: UUID
    warehouse_id: str
    lines: tuple[SupplierReturnLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StockReserved(DomainEvent):
    event_type: ClassVar[str] = "StockReserved"
    order_id: UUID
    warehouse_id: str
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StockReservationRejected(DomainEvent):
    event_type: ClassVar[str] = "StockReservationRejected"
    order_id: UUID
    warehouse_id: str
    shortages: tuple[ReservationShortage, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StockReleased(DomainEvent):
    event_type: ClassVar[str] = "StockReleased"
    order_id: UUID
    warehouse_id: str
    lines: tuple[QuantityLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ShipmentDispatched(DomainEvent):
    event_type: ClassVar[str] = "ShipmentDispatched"
    shipment_id: UUID
    shipment_number: str
    order_id: UUID
    warehouse_id: str
    lines: tuple[ValuedLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerReturnReceived(DomainEvent):
    event_type: ClassVar[str] = "CustomerReturnReceived"
    return_id: UUID
    return_number: str
    order_id: UUID
    warehouse_id: str
    lines: tuple[ValuedLine, ...]
    #: The RMA (sales' return id) it came back against; None on returns from before RMAs.
    rma_id: UUID | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StockTransferDispatched(DomainEvent):
    event_type: ClassVar[str] = "StockTransferDispatched"
    transfer_id: UUID
    transfer_number: str
    source_warehouse_id: str
    destination_warehouse_id: str
    lines: tuple[ValuedLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StockTransferred(DomainEvent):
    event_type: ClassVar[str] = "StockTransferred"
    transfer_id: UUID
    transfer_number: str
    source_warehouse_id: str
    destination_warehouse_id: str
    lines: tuple[ValuedLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StocktakeStarted(DomainEvent):
    event_type: ClassVar[str] = "StocktakeStarted"
    stocktake_id: UUID
    stocktake_number: str
    warehouse_id: str
    lines: tuple[BookLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StocktakeCountsRecorded(DomainEvent):
    event_type: ClassVar[str] = "StocktakeCountsRecorded"
    stocktake_id: UUID
    counts: tuple[CountLine, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StocktakeCompleted(DomainEvent):
    event_type: ClassVar[str] = "StocktakeCompleted"
    stocktake_id: UUID
    stocktake_number: str
    warehouse_id: str
    lines: tuple[StocktakeLine, ...]
    uncounted_skus: tuple[str, ...] = ()
    uncounted_bins: tuple[UncountedBin, ...] = ()
