"""库存预警: alerts fire once per crossing and re-arm when stock is back."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from inventory.domain.events import OverstockDetected, ReorderPointBreached
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem

T = datetime(2026, 11, 24, 9, tzinfo=UTC)


def breaches(stock: StockItem) -> list[ReorderPointBreached]:
    return [e for e in stock.pending_events if isinstance(e, ReorderPointBreached)]


def test_reorder_alert_fires_once_per_downward_crossing_and_re_arms() -> None:
    stock = StockItem.open(
        "SKU-1",
        "WH-SH",
        StockPolicy(reorder_point=Decimal(20), reorder_qty=Decimal(100)),
        occurred_at=T,
    )
    stock.receive(Decimal(50), Decimal(1), document="GR-1", occurred_at=T)
    assert breaches(stock) == []
    stock.issue(Decimal(35), document="SH-1", occurred_at=T)  # 50 → 15: crosses below 20
    stock.issue(Decimal(5), document="SH-2", occurred_at=T)  # 15 → 10: still below, no repeat
    assert [(b.available, b.reorder_point, b.suggested_qty) for b in breaches(stock)] == [
        (Decimal(15), Decimal(20), Decimal(100))
    ]
    assert stock.below_reorder_point
    stock.receive(Decimal(30), Decimal(1), document="GR-2", occurred_at=T)  # 10 → 40: re-armed
    assert not stock.below_reorder_point
    stock.reserve(uuid4(), Decimal(25), occurred_at=T)  # available 40 → 15: crosses again
    assert len(breaches(stock)) == 2


def test_alert_rearming_survives_a_rebuild_from_events() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(reorder_point=Decimal(5)), occurred_at=T)
    stock.receive(Decimal(10), Decimal(1), document="GR-1", occurred_at=T)
    stock.issue(Decimal(6), document="SH-1", occurred_at=T)
    rebuilt = StockItem.from_events(stock.collect_events())
    rebuilt.issue(Decimal(1), document="SH-2", occurred_at=T)
    assert breaches(rebuilt) == []


def test_a_new_item_below_its_point_does_not_alert_until_it_was_once_above() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(reorder_point=Decimal(20)), occurred_at=T)
    stock.receive(Decimal(5), Decimal(1), document="GR-1", occurred_at=T)
    assert breaches(stock) == []


def test_suggested_qty_fills_up_to_max_stock_when_no_reorder_qty() -> None:
    stock = StockItem.open(
        "SKU-1",
        "WH-SH",
        StockPolicy(reorder_point=Decimal(20), max_stock=Decimal(100)),
        occurred_at=T,
    )
    stock.receive(Decimal(30), Decimal(1), document="GR-1", occurred_at=T)
    stock.issue(Decimal(15), document="SH-1", occurred_at=T)
    assert breaches(stock)[0].suggested_qty == Decimal(85)


def test_suggested_qty_is_back_to_the_point_without_reorder_qty_or_max() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(reorder_point=Decimal(20)), occurred_at=T)
    stock.receive(Decimal(30), Decimal(1), document="GR-1", occurred_at=T)
    stock.issue(Decimal(18), document="SH-1", occurred_at=T)
    assert breaches(stock)[0].suggested_qty == Decimal(8)


def test_overstock_fires_once_per_upward_crossing_of_max_stock() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(max_stock=Decimal(100)), occurred_at=T)
    stock.receive(Decimal(120), Decimal(1), document="GR-1", occurred_at=T)
    stock.receive(Decimal(10), Decimal(1), document="GR-2", occurred_at=T)
    stock.issue(Decimal(50), document="SH-1", occurred_at=T)
    stock.receive(Decimal(30), Decimal(1), document="GR-3", occurred_at=T)
    overstock = [e for e in stock.pending_events if isinstance(e, OverstockDetected)]
    assert [(o.on_hand, o.excess_qty) for o in overstock] == [
        (Decimal(120), Decimal(20)),
        (Decimal(110), Decimal(10)),
    ]
