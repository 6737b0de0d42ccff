"""Builders of inventory's public events, as inventory would publish them."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID, uuid4

from erp_contracts.events.inventory import (
    CustomerReturnReceived,
    GoodsReceived,
    GoodsReturnedToSupplier,
    ReceivedLine,
    RevaluedMovement,
    ShipmentDispatched,
    StockAdjusted,
    StockCostAdjusted,
    StockRevalued,
    StockTransferred,
    SupplierReturnLine,
    ValuedLine,
)

T0 = datetime(2026, 11, 24, 9, tzinfo=UTC)
D = Decimal


def received(
    po_id: UUID, sku: str, qty: str, unit_cost: str, *, rejected: str = "0", wh: str = "WH-1"
) -> GoodsReceived:
    value = (D(qty) * D(unit_cost)).quantize(D("0.01"))
    line = ReceivedLine(
        sku=sku, qty_accepted=D(qty), qty_rejected=D(rejected), unit_cost=D(unit_cost), value=value
    )
    return GoodsReceived(
        occurred_at=T0,
        receipt_id=uuid4(),
        receipt_number="GR-20261124-0001",
        po_id=po_id,
        warehouse_id=wh,
        lines=(line,),
    )


def valued(sku: str, qty: str, unit_cost: str, value: str) -> ValuedLine:
    return ValuedLine(sku=sku, qty=D(qty), unit_cost=D(unit_cost), value=D(value))


def dispatched(sku: str, qty: str, unit_cost: str, value: str) -> ShipmentDispatched:
    return ShipmentDispatched(
        occurred_at=T0,
        shipment_id=uuid4(),
        shipment_number="SH-20261124-0001",
        order_id=uuid4(),
        warehouse_id="WH-1",
        lines=(valued(sku, qty, unit_cost, value),),
    )


def adjusted(
    sku: str,
    direction: Literal["in", "out"],
    qty: str,
    value: str,
    *,
    cost_variance: str = "0",
    reason: str = "damage",
) -> StockAdjusted:
    return StockAdjusted(
        occurred_at=T0,
        sku=sku,
        warehouse_id="WH-1",
        movement_id=uuid4(),
        document="AJ-20261124-0001",
        document_type="adjustment",
        direction=direction,
        qty=D(qty),
        cost_basis="average",
        unit_cost=D(value) / D(qty),
        value=D(value),
        cost_variance=D(cost_variance),
        qty_before=D(0),
        qty_after=D(0),
        value_before=D(0),
        value_after=D(0),
        average_cost_after=D(0),
        reason=reason,
    )


def revalued(sku: str, value_delta: str) -> StockRevalued:
    movement = RevaluedMovement(
        movement_id=uuid4(),
        movement_type="StockIssued",
        document="SH-20261124-0001",
        direction="out",
        unit_cost=D(1),
        old_value=D(0),
        new_value=-D(value_delta),
    )
    return StockRevalued(
        occurred_at=T0,
        sku=sku,
        warehouse_id="WH-1",
        trigger_movement_id=uuid4(),
        adjustments=(movement,),
        value_delta=D(value_delta),
        value_after=D(0),
        average_cost_after=D(0),
    )


def cost_adjusted(sku: str, period: str, old_value: str, new_value: str) -> StockCostAdjusted:
    """月末一次加权平均: one issue restated from `old_value` to `new_value`."""
    movement = RevaluedMovement(
        movement_id=uuid4(),
        movement_type="StockIssued",
        document="SH-20261124-0001",
        direction="out",
        unit_cost=D(1),
        old_value=D(old_value),
        new_value=D(new_value),
    )
    return StockCostAdjusted(
        occurred_at=T0,
        sku=sku,
        warehouse_id="WH-1",
        period=period,
        period_average_cost=D(1),
        adjustments=(movement,),
        value_delta=D(old_value) - D(new_value),
        value_after=D(0),
        average_cost_after=D(0),
    )


def returned_to_supplier(
    po_id: UUID, sku: str, qty: str, value: str, *, unit_price: str | None = None
) -> GoodsReturnedToSupplier:
    """Out at `value` (moving average); `unit_price` is the PO price (default: the cost)."""
    cost = D(value) / D(qty)
    price = cost if unit_price is None else D(unit_price)
    line = SupplierReturnLine(sku=sku, qty=D(qty), unit_cost=cost, value=D(value), unit_price=price)
    return GoodsReturnedToSupplier(
        occurred_at=T0,
        return_id=uuid4(),
        return_number="RS-20261124-0001",
        po_id=po_id,
        warehouse_id="WH-1",
        lines=(line,),
    )


def customer_returned(
    sku: str, qty: str, value: str, *, order_id: UUID | None = None
) -> CustomerReturnReceived:
    return CustomerReturnReceived(
        occurred_at=T0,
        return_id=uuid4(),
        return_number="CR-20261124-0001",
        order_id=order_id or uuid4(),
        warehouse_id="WH-1",
        lines=(valued(sku, qty, str(D(value) / D(qty)), value),),
    )


def transferred(sku: str, qty: str, value: str, to: str = "WH-2") -> StockTransferred:
    return StockTransferred(
        occurred_at=T0,
        transfer_id=uuid4(),
        transfer_number="TR-20261124-0001",
        source_warehouse_id="WH-1",
        destination_warehouse_id=to,
        lines=(valued(sku, qty, str(D(value) / D(qty)), value),),
    )
