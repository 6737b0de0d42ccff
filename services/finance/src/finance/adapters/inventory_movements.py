"""Inventory's public events → the stock movements finance posts (the translator at the edge).

`StockAdjusted` with reason `purchase_return` / `customer_return` is skipped: inventory records
those returns as documents too (`GoodsReturnedToSupplier`, `CustomerReturnReceived`), which are
posted instead, so each return is posted once, against its document's counter-account.
`StocktakeCompleted` is not posted either: its variances arrive as `StockAdjusted
(reason=count_variance)`.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from erp_contracts.events.inventory import (
    CustomerReturnReceived,
    GoodsReceived,
    GoodsReturnedToSupplier,
    ShipmentDispatched,
    StockAdjusted,
    StockCostAdjusted,
    StockRevalued,
    StockTransferred,
)
from erp_contracts.registry import PublicEvent
from finance.domain.events import StockChange
from finance.domain.money import quantize_money
from finance.domain.posting_rules import MovementKind, StockMovement

ZERO = Decimal(0)
RETURN_REASONS = frozenset({"purchase_return", "customer_return"})
#: Stock entered when the books open is capital in kind, not a stocktake gain.
OPENING_BALANCE = "opening_balance"
Kind = MovementKind


def _move(
    kind: MovementKind,
    sku: str,
    warehouse: str,
    qty: Decimal,
    value: Decimal,
    counter_value: Decimal | None = None,
) -> StockMovement:
    change = StockChange(sku=sku, warehouse_id=warehouse, qty=qty, value=value)
    return StockMovement(kind, change, counter_value)


def _returned_to_supplier(event: GoodsReturnedToSupplier) -> list[StockMovement]:
    """Out at moving-average cost; GRNI reversed at the PO price it was accrued at."""
    return [
        _move(
            Kind.SUPPLIER_RETURN,
            li.sku,
            event.warehouse_id,
            -li.qty,
            -li.value,
            counter_value=-quantize_money(li.qty * li.unit_price),
        )
        for li in event.lines
    ]


def _adjusted(event: StockAdjusted) -> list[StockMovement]:
    if event.reason in RETURN_REASONS:
        return []
    sku, wh = event.sku, event.warehouse_id
    if event.direction == "out":
        return [_move(Kind.LOSS, sku, wh, -event.qty, -event.value)]
    kind = Kind.OPENING_BALANCE if event.reason == OPENING_BALANCE else Kind.GAIN
    moves = [_move(kind, sku, wh, event.qty, event.value)]
    if event.cost_variance:
        moves.append(_move(Kind.NEGATIVE_STOCK_VARIANCE, sku, wh, ZERO, event.cost_variance))
    return moves


class _InboundLine(Protocol):
    @property
    def sku(self) -> str: ...
    @property
    def cost_variance(self) -> Decimal: ...


def _variances(warehouse: str, lines: Iterable[_InboundLine]) -> list[StockMovement]:
    """Inbound onto negative stock re-costs what was issued while negative: 1405 and 6401."""
    return [
        _move(Kind.NEGATIVE_STOCK_VARIANCE, li.sku, warehouse, ZERO, li.cost_variance)
        for li in lines
        if li.cost_variance
    ]


def _transferred(event: StockTransferred) -> Iterable[StockMovement]:
    for li in event.lines:
        yield _move(Kind.TRANSFER, li.sku, event.source_warehouse_id, -li.qty, -li.value)
        yield _move(Kind.TRANSFER, li.sku, event.destination_warehouse_id, li.qty, li.value)


def stock_movements(event: PublicEvent) -> list[StockMovement]:  # noqa: PLR0911 - one case per type
    """The movements of an inventory event ([] for events that move no value)."""
    match event:
        case GoodsReceived():
            wh = event.warehouse_id
            moves = [
                _move(Kind.RECEIPT, li.sku, wh, li.qty_accepted, li.value)
                for li in event.lines
                if li.qty_accepted
            ]
            return moves + _variances(wh, event.lines)
        case ShipmentDispatched():
            wh = event.warehouse_id
            return [_move(Kind.DISPATCH, li.sku, wh, -li.qty, -li.value) for li in event.lines]
        case StockAdjusted():
            return _adjusted(event)
        case StockRevalued():
            return [_move(Kind.REVALUATION, event.sku, event.warehouse_id, ZERO, event.value_delta)]
        case StockCostAdjusted():
            # 月末一次加权平均: only issues and customer returns are restated, both 6401's.
            kind = Kind.COST_ADJUSTMENT
            return [_move(kind, event.sku, event.warehouse_id, ZERO, event.value_delta)]
        case GoodsReturnedToSupplier():
            return _returned_to_supplier(event)
        case CustomerReturnReceived():
            wh = event.warehouse_id
            moves = [
                _move(Kind.CUSTOMER_RETURN, li.sku, wh, li.qty, li.value) for li in event.lines
            ]
            return moves + _variances(wh, event.lines)
        case StockTransferred():
            return list(_transferred(event))
        case _:
            return []


def document_of(event: PublicEvent) -> str:
    for name in (
        "receipt_number",
        "shipment_number",
        "return_number",
        "transfer_number",
        "document",
    ):
        value = getattr(event, name, None)
        if isinstance(value, str):
            return value
    if isinstance(event, StockRevalued):
        return f"revaluation:{event.trigger_movement_id}"
    if isinstance(event, StockCostAdjusted):
        return f"month-end:{event.period}:{event.sku}@{event.warehouse_id}"
    return ""


POSTED_EVENTS: tuple[type[PublicEvent], ...] = (
    GoodsReceived,
    ShipmentDispatched,
    StockAdjusted,
    StockRevalued,
    StockCostAdjusted,
    GoodsReturnedToSupplier,
    CustomerReturnReceived,
    StockTransferred,
)
