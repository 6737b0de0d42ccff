"""Public events of the inventory service (库存 · 入库 · 出库).

Money and quantities are decimal strings on the wire. Every outbound movement carries the unit
cost it used (moving weighted average, 移动加权平均), so finance and reporting never recompute it.
The inventory topic also carries the service's internal stock-stream events (`StockReceived`,
`StockIssued`, `StockReservationHeld`, …); they are not part of this contract and may change.
"""

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict

from erp_contracts.registry import PublicEvent, public_event


class _Line(BaseModel):
    model_config = ConfigDict(frozen=True)


class QuantityLine(_Line):
    sku: str
    qty: Decimal


class BinPick(_Line):
    """Part of a line taken from one location and lot (库位/批次); None = the warehouse's
    unnamed default location / no lot."""

    location: str | None = None
    lot: str | None = None
    qty: Decimal
    expiry: date | None = None


class ValuedLine(_Line):
    """`value` = qty × `unit_cost` rounded half-up to 2 places (the whole remaining value when
    the movement empties the stock). `cost_variance`: on a line that brought stock in while it
    was negative (a customer return), the re-costing of the goods issued while negative — the
    stock value moves by value + cost_variance (as `StockAdjusted.cost_variance`)."""

    sku: str
    qty: Decimal
    unit_cost: Decimal
    value: Decimal
    cost_variance: Decimal = Decimal(0)
    #: Where the goods were picked (FEFO, or the lots/locations the clerk named); empty when
    #: the warehouse has no locations and the item no lots.
    picks: tuple[BinPick, ...] = ()


class ReceivedLine(_Line):
    """`cost_variance`: when the receipt landed on negative stock, the re-costing of the goods
    issued while negative (stock value moves by value + cost_variance; finance posts it to
    6401), as `StockAdjusted.cost_variance`."""

    sku: str
    qty_accepted: Decimal
    qty_rejected: Decimal
    unit_cost: Decimal
    value: Decimal
    cost_variance: Decimal = Decimal(0)
    lot: str | None = None
    location: str | None = None
    movement_id: UUID | None = None
    expiry: date | None = None


class SupplierReturnLine(ValuedLine):
    unit_price: Decimal


class Shortage(_Line):
    sku: str
    requested: Decimal
    available: Decimal


class StocktakeLine(_Line):
    sku: str
    book_qty: Decimal
    counted_qty: Decimal
    movements_during_count: Decimal
    variance: Decimal
    variance_value: Decimal
    #: A line of a sku counted per bin (盘点到库位/批次): the bin's location and lot (None =
    #: the default location / no lot). Both None on a line of a sku counted per sku.
    location: str | None = None
    lot: str | None = None


class UncountedBin(_Line):
    """A bin of a sku counted per bin that held stock but was not counted (left alone)."""

    sku: str
    location: str | None = None
    lot: str | None = None


class RevaluedMovement(_Line):
    movement_id: UUID
    movement_type: str
    document: str
    direction: Literal["in", "out"]
    unit_cost: Decimal
    old_value: Decimal
    new_value: Decimal
    old_cost_variance: Decimal = Decimal(0)
    new_cost_variance: Decimal = Decimal(0)


class _InventoryEvent(PublicEvent):
    occurred_at: AwareDatetime


@public_event("ItemRegistered", producer="inventory")
class ItemRegistered(_InventoryEvent):
    sku: str
    name: str
    uom: str
    category: str | None = None
    reorder_point: Decimal | None = None
    reorder_qty: Decimal | None = None
    max_stock: Decimal | None = None
    negative_stock: Literal["forbid", "allow"] = "forbid"
    lot_tracked: bool = False
    shelf_life_days: int | None = None
    expiry_alert_days: int | None = None
    #: How outbound movements are costed: 移动加权平均, 先进先出 or 月末一次加权平均.
    costing_method: Literal["moving_average", "fifo", "periodic_average"] = "moving_average"


@public_event("GoodsReceived", producer="inventory")
class GoodsReceived(_InventoryEvent):
    """采购入库 against a PO: accepted qty entered stock at the PO's net unit price."""

    receipt_id: UUID
    receipt_number: str
    po_id: UUID
    warehouse_id: str
    lines: tuple[ReceivedLine, ...]


@public_event("GoodsReturnedToSupplier", producer="inventory")
class GoodsReturnedToSupplier(_InventoryEvent):
    """采购退货: out at moving-average cost; `unit_price` is the PO price (for the debit note)."""

    return_id: UUID
    return_number: str
    po_id: UUID
    warehouse_id: str
    lines: tuple[SupplierReturnLine, ...]


@public_event("StockReserved", producer="inventory")
class StockReserved(_InventoryEvent):
    """Every line of the sales order is reserved (all or nothing)."""

    order_id: UUID
    warehouse_id: str
    lines: tuple[QuantityLine, ...]


@public_event("StockReservationRejected", producer="inventory")
class StockReservationRejected(_InventoryEvent):
    """Nothing was reserved; the order waits (backorder) and is retried when stock arrives."""

    order_id: UUID
    warehouse_id: str
    shortages: tuple[Shortage, ...]


@public_event("StockReleased", producer="inventory")
class StockReleased(_InventoryEvent):
    order_id: UUID
    warehouse_id: str
    lines: tuple[QuantityLine, ...]


@public_event("ShipmentDispatched", producer="inventory")
class ShipmentDispatched(_InventoryEvent):
    """销售出库: lines carry the moving-average unit cost used (COGS)."""

    shipment_id: UUID
    shipment_number: str
    order_id: UUID
    warehouse_id: str
    lines: tuple[ValuedLine, ...]


@public_event("CustomerReturnReceived", producer="inventory")
class CustomerReturnReceived(_InventoryEvent):
    """销售退货 back into stock at the cost it was shipped at, against the RMA sales
    authorised (`rma_id` = the `return_id` of its `SalesReturnRequested`; absent on returns
    received before RMAs were required). One RMA may come back in several receipts, each with
    its own `return_id`."""

    return_id: UUID
    return_number: str
    order_id: UUID
    warehouse_id: str
    lines: tuple[ValuedLine, ...]
    rma_id: UUID | None = None


@public_event("StockTransferred", producer="inventory")
class StockTransferred(_InventoryEvent):
    """调拨 completed: the destination received what left the source, at the source's cost."""

    transfer_id: UUID
    transfer_number: str
    source_warehouse_id: str
    destination_warehouse_id: str
    lines: tuple[ValuedLine, ...]


@public_event("StockAdjusted", producer="inventory")
class StockAdjusted(_InventoryEvent):
    """其它入库/出库 (and stocktake variances, returns to supplier/from customers) on one stock
    item: `direction` in/out, `value` at `unit_cost`, balances before/after in business time."""

    sku: str
    warehouse_id: str
    movement_id: UUID
    document: str
    document_type: str
    direction: Literal["in", "out"]
    qty: Decimal
    cost_basis: str
    unit_cost: Decimal
    value: Decimal
    cost_variance: Decimal = Decimal(0)
    qty_before: Decimal
    qty_after: Decimal
    value_before: Decimal
    value_after: Decimal
    average_cost_after: Decimal
    reason: str
    lot: str | None = None
    location: str | None = None
    #: A loss spread over several locations/lots (then lot and location are None).
    picks: tuple[BinPick, ...] = ()
    #: A gain into a lot: that lot's expiry date.
    expiry: date | None = None
    #: A return to the supplier of a FIFO item: the receipts (its PO's) whose cost layers it
    #: took first, so its cost is theirs. Empty on every other adjustment.
    cost_layers_from: tuple[str, ...] = ()


@public_event("StocktakeCompleted", producer="inventory")
class StocktakeCompleted(_InventoryEvent):
    stocktake_id: UUID
    stocktake_number: str
    warehouse_id: str
    lines: tuple[StocktakeLine, ...]
    uncounted_skus: tuple[str, ...] = ()
    uncounted_bins: tuple[UncountedBin, ...] = ()


@public_event("ReorderPointBreached", producer="inventory")
class ReorderPointBreached(_InventoryEvent):
    """Available stock fell below the reorder point (once per downward crossing)."""

    sku: str
    warehouse_id: str
    available: Decimal
    reorder_point: Decimal
    suggested_qty: Decimal


@public_event("StockRevalued", producer="inventory")
class StockRevalued(_InventoryEvent):
    """A backdated movement re-costed later movements of one stock item. `value_delta` is the
    change of the inventory value (1405); COGS moves by −value_delta for re-costed issues."""

    sku: str
    warehouse_id: str
    trigger_movement_id: UUID
    adjustments: tuple[RevaluedMovement, ...]
    value_delta: Decimal
    value_after: Decimal
    average_cost_after: Decimal


@public_event("LotNearExpiry", producer="inventory")
class LotNearExpiry(_InventoryEvent):
    """临期预警: a lot still in stock is within `alert_days` of its expiry date (`days_left`
    may be negative for a lot already expired when first swept). Once per lot and warehouse."""

    sku: str
    warehouse_id: str
    lot: str
    expiry: date
    qty: Decimal
    days_left: int
    alert_days: int


@public_event("StockCostAdjusted", producer="inventory")
class StockCostAdjusted(_InventoryEvent):
    """月末一次加权平均: month `period` (yyyy-mm) closed and the issues and customer returns
    of one stock item were restated at the month's average `period_average_cost`.
    `adjustments` lists each restated movement; `value_delta` is the change of the inventory
    value (1405), and COGS (6401) moves by −value_delta. `occurred_at` is the month's last
    instant."""

    sku: str
    warehouse_id: str
    period: str
    period_average_cost: Decimal
    adjustments: tuple[RevaluedMovement, ...]
    value_delta: Decimal
    value_after: Decimal
    average_cost_after: Decimal
