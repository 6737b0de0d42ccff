"""库存预警: alerts fire once per crossing and re-arm when stock is back."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from inventory.domain.errors import InvalidQuantity, InvalidState
from inventory.domain.events import OverstockDetected, ReorderPointBreached
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import NegativeStockPolicy

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


# ---- 库存策略调整: changing the line after the stock item was opened ----------------------


def test_raising_the_reorder_point_above_available_alerts_at_once() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(reorder_point=Decimal(5)), occurred_at=T)
    stock.receive(Decimal(12), Decimal(1), document="GR-1", occurred_at=T)
    stock.collect_events()
    changed = stock.change_policy(
        StockPolicy(reorder_point=Decimal(20), reorder_qty=Decimal(40)),
        "forecast: 95% service level",
        occurred_at=T,
    )
    assert changed is not None
    assert (changed.reorder_point, changed.reorder_qty, changed.max_stock) == (
        Decimal(20),
        Decimal(40),
        None,
    )
    assert [(b.available, b.reorder_point, b.suggested_qty) for b in breaches(stock)] == [
        (Decimal(12), Decimal(20), Decimal(40))
    ]


def test_lowering_the_point_re_arms_and_the_next_crossing_alerts_at_the_new_line() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(reorder_point=Decimal(20)), occurred_at=T)
    stock.receive(Decimal(30), Decimal(1), document="GR-1", occurred_at=T)
    stock.issue(Decimal(15), document="SH-1", occurred_at=T)  # 15 < 20: alert, disarmed
    assert len(breaches(stock)) == 1
    stock.change_policy(StockPolicy(reorder_point=Decimal(10)), "too early", occurred_at=T)
    stock.issue(Decimal(3), document="SH-2", occurred_at=T)  # 12 ≥ 10: no alert
    assert len(breaches(stock)) == 1
    stock.issue(Decimal(4), document="SH-3", occurred_at=T)  # 8 < 10: alerts at the new line
    assert [b.reorder_point for b in breaches(stock)] == [Decimal(20), Decimal(10)]


def test_the_same_policy_again_records_nothing_and_survives_a_rebuild() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(), occurred_at=T)
    wanted = StockPolicy(reorder_point=Decimal(7), reorder_qty=Decimal(10), max_stock=Decimal(50))
    assert stock.change_policy(wanted, "planner", occurred_at=T) is not None
    rebuilt = StockItem.from_events(stock.collect_events())
    assert rebuilt.policy == wanted
    assert rebuilt.change_policy(wanted, "planner", occurred_at=T) is None
    assert not rebuilt.pending_events


def test_a_policy_change_keeps_negative_stock_and_checks_its_numbers() -> None:
    allow = StockPolicy(negative_stock=NegativeStockPolicy.ALLOW)
    stock = StockItem.open("SKU-1", "WH-SH", allow, occurred_at=T)
    stock.change_policy(StockPolicy(reorder_point=Decimal(3)), "planner", occurred_at=T)
    assert stock.policy.negative_stock is NegativeStockPolicy.ALLOW
    with pytest.raises(InvalidQuantity):
        stock.change_policy(
            StockPolicy(reorder_point=Decimal(30), max_stock=Decimal(20)), "x", occurred_at=T
        )
    with pytest.raises(InvalidState):
        stock.change_policy(StockPolicy(reorder_point=Decimal(4)), "  ", occurred_at=T)


def test_a_first_reorder_point_on_stock_already_under_it_alerts_at_once() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(), occurred_at=T)
    stock.receive(Decimal(150), Decimal(1), document="GR-1", occurred_at=T)
    stock.collect_events()
    stock.change_policy(StockPolicy(reorder_point=Decimal(230)), "forecast", occurred_at=T)
    assert [(b.available, b.reorder_point) for b in breaches(stock)] == [
        (Decimal(150), Decimal(230))
    ]
