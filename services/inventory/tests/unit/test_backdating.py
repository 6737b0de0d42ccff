"""Backdated movements: quantities follow the stream, valuation follows business time."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from inventory.domain.errors import InsufficientStock
from inventory.domain.events import StockIssued, StockReceived, StockRevalued
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.valuation import Movement, StockPosition, revalue
from inventory.domain.vocabulary import CostBasis, MovementDirection


def on(day: int) -> datetime:
    return datetime(2026, 11, day, 9, tzinfo=UTC)


def november_stock() -> tuple[StockItem, StockIssued, StockIssued]:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(), occurred_at=on(1))
    stock.receive(
        Decimal(100), Decimal(10), document="GR-1", occurred_at=on(1)
    )  # 100 @ 10 = 1000.00
    first = stock.issue(Decimal(60), document="SH-1", occurred_at=on(3))  # 60 @ 10 = 600.00
    stock.receive(
        Decimal(60), Decimal(12), document="GR-2", occurred_at=on(4)
    )  # 100, 1120.00, 11.2
    second = stock.issue(Decimal(50), document="SH-2", occurred_at=on(5))  # 50 @ 11.2 = 560.00
    stock.collect_events()
    return stock, first, second


def test_backdated_receipt_revalues_only_later_movements_and_value_delta_is_the_cogs_change() -> (
    None
):
    stock, first_issue, second_issue = november_stock()
    assert (stock.on_hand, stock.value) == (Decimal(50), Decimal("560.00"))
    # Backdate 100 @ 13 to Nov 2. In business time:
    #   Nov 1  +100 @ 10    → 100, 1000.00
    #   Nov 2  +100 @ 13    → 200, 2300.00, avg 11.5
    #   Nov 3  −60 @ 11.5   = 690.00 (was 600.00) → 140, 1610.00
    #   Nov 4  +60 @ 12     → 200, 2330.00, avg 11.65
    #   Nov 5  −50 @ 11.65  = 582.50 (was 560.00) → 150, 1747.50
    # COGS rises by 90.00 + 22.50 = 112.50, so stock value changes by −112.50.
    received = stock.receive(Decimal(100), Decimal(13), document="GR-0", occurred_at=on(2))
    assert (received.qty_before, received.qty_after) == (Decimal(100), Decimal(200))
    assert (received.value_before, received.value_after) == (Decimal("1000.00"), Decimal("2300.00"))
    assert received.average_cost_after == Decimal("11.5")
    revalued = stock.pending_events[1]
    assert isinstance(revalued, StockRevalued)
    assert revalued.trigger_movement_id == received.movement_id
    changes = {a.movement_id: (a.old_value, a.new_value) for a in revalued.adjustments}
    assert changes == {
        first_issue.movement_id: (Decimal("600.00"), Decimal("690.00")),
        second_issue.movement_id: (Decimal("560.00"), Decimal("582.50")),
    }
    cogs_change = sum((new - old for old, new in changes.values()), Decimal(0))
    assert cogs_change == Decimal("112.50")
    assert revalued.value_delta == -cogs_change
    assert (stock.on_hand, stock.value, stock.unit_cost) == (
        Decimal(150),
        Decimal("1747.50"),
        Decimal("11.65"),
    )


def test_movements_before_the_backdated_one_keep_their_values() -> None:
    stock, _, _ = november_stock()
    before = stock.ledger[0]
    stock.receive(Decimal(100), Decimal(13), document="GR-0", occurred_at=on(2))
    assert stock.ledger[0] == before
    assert [entry.movement.document for entry in stock.ledger] == [
        "GR-1",
        "GR-0",
        "SH-1",
        "GR-2",
        "SH-2",
    ]


def test_current_value_equals_the_business_time_ordered_valuation() -> None:
    stock, _, _ = november_stock()
    stock.receive(Decimal(100), Decimal(13), document="GR-0", occurred_at=on(2))
    stock.issue(Decimal(10), document="SH-0", occurred_at=on(2))
    recomputed = revalue(entry.movement for entry in stock.ledger)
    assert recomputed[-1].after == StockPosition(stock.on_hand, stock.value, stock.unit_cost)
    assert stock.ledger[-1].after == recomputed[-1].after


def test_a_backdated_movement_survives_a_rebuild_from_events() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(), occurred_at=on(1))
    stock.receive(Decimal(100), Decimal(10), document="GR-1", occurred_at=on(1))
    stock.issue(Decimal(60), document="SH-1", occurred_at=on(3))
    stock.receive(Decimal(100), Decimal(13), document="GR-0", occurred_at=on(2))
    stock.issue(Decimal(10), document="SH-2", occurred_at=on(4))
    rebuilt = StockItem.from_events(stock.collect_events())
    assert (rebuilt.on_hand, rebuilt.value, rebuilt.unit_cost) == (
        stock.on_hand,
        stock.value,
        stock.unit_cost,
    )
    assert rebuilt.ledger == stock.ledger


def test_a_movement_at_the_same_time_as_the_latest_is_not_backdated() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(), occurred_at=on(1))
    stock.receive(Decimal(10), Decimal(10), document="GR-1", occurred_at=on(2))
    stock.issue(Decimal(5), document="SH-1", occurred_at=on(2))
    stock.receive(
        Decimal(10), Decimal(16), document="GR-2", occurred_at=on(2)
    )  # ties: stream order
    assert not any(isinstance(e, StockRevalued) for e in stock.pending_events)
    assert [entry.movement.document for entry in stock.ledger] == ["GR-1", "SH-1", "GR-2"]


def test_a_backdated_issue_that_would_make_history_negative_is_refused() -> None:
    stock = StockItem.open("SKU-1", "WH-SH", StockPolicy(), occurred_at=on(1))
    stock.receive(Decimal(100), Decimal(10), document="GR-1", occurred_at=on(1))
    stock.issue(Decimal(100), document="SH-1", occurred_at=on(3))  # stock 0 on Nov 3
    stock.receive(Decimal(50), Decimal(10), document="GR-2", occurred_at=on(4))
    # 50 available today, but on Nov 3 the balance would have been −10
    with pytest.raises(InsufficientStock) as refused:
        stock.issue(Decimal(10), document="SH-0", occurred_at=on(2))
    assert refused.value.available == Decimal(0)
    stock.issue(Decimal(10), document="SH-5", occurred_at=on(5))


def test_revalue_fixes_inbound_costs_and_derives_outbound_ones() -> None:
    def movement(day: int, direction: MovementDirection, qty: int, cost: str = "0") -> Movement:
        given = direction is MovementDirection.IN
        return Movement(
            movement_id=uuid4(),
            movement_type=(StockReceived if given else StockIssued).event_type,
            document=f"D-{day}",
            occurred_at=on(day),
            direction=direction,
            cost_basis=CostBasis.GIVEN if given else CostBasis.AVERAGE,
            qty=Decimal(qty),
            unit_cost=Decimal(cost),
            value=Decimal(qty) * Decimal(cost),
        )

    valued = revalue(
        [
            movement(1, MovementDirection.IN, 10, "3"),  # 10, 30.00
            movement(2, MovementDirection.IN, 20, "6"),  # 30, 150.00, avg 5
            movement(3, MovementDirection.OUT, 12),  # 12 × 5 = 60.00 → 18, 90.00
        ]
    )
    assert [v.movement.value for v in valued] == [Decimal(30), Decimal(120), Decimal("60.00")]
    assert valued[-1].after == StockPosition(Decimal(18), Decimal("90.00"), Decimal("5"))
