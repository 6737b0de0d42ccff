"""移动加权平均 on one StockItem, checked against hand calculations."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from inventory.domain.errors import InvalidCost
from inventory.domain.events import StockAdjusted, StockIssued, StockReceived
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem, stock_stream_id
from inventory.domain.vocabulary import (
    AdjustmentReason,
    CostBasis,
    MovementDirection,
    NegativeStockPolicy,
)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def opened(policy: StockPolicy | None = None) -> StockItem:
    stock = StockItem.open("SKU-1", "WH-SH", policy or StockPolicy(), occurred_at=at(1))
    stock.collect_events()
    return stock


def test_stream_id_names_sku_and_warehouse() -> None:
    assert stock_stream_id("SKU-1", "WH-SH") == "stock-SKU-1@WH-SH"


def test_moving_average_worked_example_matches_the_hand_calculation() -> None:
    stock = opened()
    # receive 100 @ 10.00 → 100 on hand, value 1000.00
    stock.receive(Decimal(100), Decimal("10.00"), document="GR-1", occurred_at=at(2))
    # receive 50 @ 13.00 → (1000 + 650) / 150 = 11.000000, value 1650.00
    stock.receive(Decimal(50), Decimal("13.00"), document="GR-2", occurred_at=at(3))
    assert (stock.on_hand, stock.value, stock.unit_cost) == (
        Decimal(150),
        Decimal("1650.00"),
        Decimal("11"),
    )
    # issue 30 at 11 → 330.00; 120 left worth 1320.00
    first_issue = stock.issue(Decimal(30), document="SH-1", occurred_at=at(4))
    assert (first_issue.unit_cost, first_issue.value) == (Decimal("11.000000"), Decimal("330.00"))
    assert (stock.on_hand, stock.value) == (Decimal(120), Decimal("1320.00"))
    # receive 80 @ 12.50 → (1320 + 1000) / 200 = 11.600000, value 2320.00
    stock.receive(Decimal(80), Decimal("12.50"), document="GR-3", occurred_at=at(5))
    assert (stock.unit_cost, stock.value) == (Decimal("11.600000"), Decimal("2320.00"))
    # issue 200 empties the stock: it takes exactly the 2320.00 left, nothing remains
    last_issue = stock.issue(Decimal(200), document="SH-2", occurred_at=at(6))
    assert last_issue.value == Decimal("2320.00")
    assert (stock.on_hand, stock.value) == (Decimal(0), Decimal(0))


def test_movement_event_states_direction_cost_and_balances_before_and_after() -> None:
    stock = opened()
    stock.receive(Decimal(100), Decimal("10"), document="GR-1", occurred_at=at(2))
    issued = stock.issue(Decimal(40), document="SH-1", occurred_at=at(3))
    assert isinstance(issued, StockIssued)
    assert issued.direction is MovementDirection.OUT
    assert issued.cost_basis is CostBasis.AVERAGE
    assert (issued.qty, issued.signed_qty) == (Decimal(40), Decimal(-40))
    assert (issued.qty_before, issued.qty_after) == (Decimal(100), Decimal(60))
    assert (issued.value_before, issued.value_after) == (Decimal("1000.00"), Decimal("600.00"))
    assert issued.document == "SH-1"


def test_emptying_issue_takes_the_rounding_residue_with_it() -> None:
    stock = opened()
    # 10,000 @ 1.00 + 20,000 @ 0.50 = 20,000.00 for 30,000 → average 0.666667 (rounded up).
    stock.receive(Decimal(10_000), Decimal("1.00"), document="GR-1", occurred_at=at(2))
    stock.receive(Decimal(20_000), Decimal("0.50"), document="GR-2", occurred_at=at(3))
    assert stock.unit_cost == Decimal("0.666667")
    # 30,000 × 0.666667 would be 20,000.01; emptying takes exactly the 20,000.00 there is.
    issued = stock.issue(Decimal(30_000), document="SH-1", occurred_at=at(4))
    assert issued.value == Decimal("20000.00")
    assert (stock.on_hand, stock.value) == (Decimal(0), Decimal(0))


def test_partial_issues_round_half_up_to_the_cent() -> None:
    stock = opened()
    # 3 units for 10.00 → average 3.333333; issuing 1 takes 3.33, the last 2 take 6.67
    stock.receive(Decimal(3), Decimal("3.333333"), document="GR-1", occurred_at=at(2))
    assert stock.value == Decimal("10.00")
    assert stock.issue(Decimal(1), document="SH-1", occurred_at=at(3)).value == Decimal("3.33")
    assert stock.issue(Decimal(2), document="SH-2", occurred_at=at(4)).value == Decimal("6.67")
    assert stock.value == Decimal(0)


def test_unit_cost_is_kept_after_stock_runs_out() -> None:
    stock = opened()
    stock.receive(Decimal(10), Decimal("7.25"), document="GR-1", occurred_at=at(2))
    stock.issue(Decimal(10), document="SH-1", occurred_at=at(3))
    assert stock.unit_cost == Decimal("7.250000")


def test_receipt_onto_negative_stock_resets_average_and_books_the_cost_variance() -> None:
    stock = opened(StockPolicy(negative_stock=NegativeStockPolicy.ALLOW))
    stock.receive(Decimal(10), Decimal(10), document="GR-1", occurred_at=at(2))
    # issue 15 of 10 @ 10: whole 100.00 plus the 5 short at 10 → 150.00, leaves -5 / -50.00
    issued = stock.issue(Decimal(15), document="SH-1", occurred_at=at(3))
    assert issued.value == Decimal("150.00")
    assert (stock.on_hand, stock.value) == (Decimal(-5), Decimal("-50.00"))
    # receive 30 @ 12 onto -5: new average 12, value 25 × 12 = 300.00;
    # receipt value 360.00, so the variance is 300 - (-50) - 360 = -10.00 (5 short × 2 more)
    received = stock.receive(Decimal(30), Decimal(12), document="GR-2", occurred_at=at(4))
    assert (received.value, received.cost_variance) == (Decimal("360.00"), Decimal("-10.00"))
    assert (stock.on_hand, stock.value, stock.unit_cost) == (
        Decimal(25),
        Decimal("300.00"),
        Decimal(12),
    )


def test_gain_without_a_cost_comes_in_at_the_moving_average() -> None:
    stock = opened()
    stock.receive(Decimal(10), Decimal("4.50"), document="GR-1", occurred_at=at(2))
    found = stock.adjust(Decimal(2), AdjustmentReason.FOUND, document="AD-1", occurred_at=at(3))
    assert isinstance(found, StockAdjusted)
    assert (found.cost_basis, found.unit_cost, found.value) == (
        CostBasis.AVERAGE,
        Decimal("4.5"),
        Decimal("9.00"),
    )
    assert stock.value == Decimal("54.00")


def test_loss_goes_out_at_the_moving_average_and_refuses_a_given_cost() -> None:
    stock = opened()
    stock.receive(Decimal(10), Decimal(5), document="GR-1", occurred_at=at(2))
    damaged = stock.adjust(Decimal(-3), AdjustmentReason.DAMAGE, document="AD-1", occurred_at=at(3))
    assert (damaged.direction, damaged.value) == (MovementDirection.OUT, Decimal("15.00"))
    with pytest.raises(InvalidCost):
        stock.adjust(
            Decimal(-1),
            AdjustmentReason.DAMAGE,
            document="AD-2",
            occurred_at=at(4),
            unit_cost=Decimal(1),
        )


def test_rebuilding_from_events_gives_the_same_state_as_live() -> None:
    live = StockItem.open("SKU-1", "WH-SH", StockPolicy(), occurred_at=at(1))
    live.receive(Decimal(100), Decimal("10.00"), document="GR-1", occurred_at=at(2))
    live.receive(Decimal(50), Decimal("13.00"), document="GR-2", occurred_at=at(3))
    live.issue(Decimal(31), document="SH-1", occurred_at=at(4))
    events = live.collect_events()
    rebuilt = StockItem.from_events(events)
    assert rebuilt.version == len(events) == 4
    assert (rebuilt.on_hand, rebuilt.value, rebuilt.unit_cost) == (
        live.on_hand,
        live.value,
        live.unit_cost,
    )
    assert rebuilt.ledger == live.ledger
    assert all(isinstance(e, StockReceived | StockIssued) for e in events[1:])
