"""月末一次加权平均: provisional costs in the month, restated at the month's average at close."""

from datetime import UTC, datetime
from decimal import Decimal

from inventory.domain.events import StockCostAdjusted
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import AdjustmentReason, CostingMethod, DocumentType

D = Decimal


def on(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=UTC)


def worked_example() -> tuple[StockItem, list[object]]:
    stock = StockItem.open(
        "SKU-P",
        "WH-SH",
        StockPolicy(),
        occurred_at=on(1),
        costing_method=CostingMethod.PERIODIC_AVERAGE,
    )
    stock.receive(D(100), D(10), document="GR-1", occurred_at=on(1))
    stock.receive(D(100), D(12), document="GR-2", occurred_at=on(2))
    first = stock.issue(D(150), document="SH-1", occurred_at=on(3))
    stock.receive(D(100), D(14), document="GR-3", occurred_at=on(4))
    returned = stock.adjust(
        D(20),
        AdjustmentReason.CUSTOMER_RETURN,
        document="RT-1",
        occurred_at=on(5),
        unit_cost=first.unit_cost,
        value=D(20) * first.unit_cost,
        document_type=DocumentType.CUSTOMER_RETURN,
    )
    second = stock.issue(D(100), document="SH-2", occurred_at=on(6))
    return stock, [first, returned, second]


def test_the_worked_example_matches_the_hand_calculation_in_qty_value_and_cogs() -> None:
    # Provisional (the running average, the last known one):
    # | day | movement                 | provisional cost      | qty | value   |
    # |  1  | receipt 100 @ 10         |                       | 100 | 1000.00 |
    # |  2  | receipt 100 @ 12         |                       | 200 | 2200.00 |
    # |  3  | issue 150                | @ 11 = 1650.00        |  50 |  550.00 |
    # |  4  | receipt 100 @ 14         |                       | 150 | 1950.00 |
    # |  5  | customer return 20       | @ 11 = 220.00         | 170 | 2170.00 |
    # |  6  | issue 100                | @ 12.764706 = 1276.47 |  70 |  893.53 |
    # Month end: average = (0 + 1000 + 1200 + 1400) ÷ (0 + 300) = 12.
    # issue 150 → 1800.00 (+150.00 COGS); return 20 → 240.00 (−20.00);
    # issue 100 → 1200.00 (−76.47).
    # Closing: 70 @ 12 = 840.00 = 3600 − (1800 + 1200 − 240); COGS 2760.00 = 230 × 12;
    # value_delta = 840.00 − 893.53 = −53.53 (1405 down, 6401 up).
    stock, (first, returned, second) = worked_example()
    assert [m.value for m in (first, returned, second)] == [  # type: ignore[attr-defined]
        D("1650.00"),
        D("220.00"),
        D("1276.47"),
    ]
    assert (stock.on_hand, stock.value) == (D(70), D("893.53"))
    stock.collect_events()

    adjusted = stock.close_month("2026-11")

    assert isinstance(adjusted, StockCostAdjusted)
    assert adjusted.period_average_cost == D(12)
    assert [(a.old_value, a.new_value) for a in adjusted.adjustments] == [
        (D("1650.00"), D("1800.00")),
        (D("220.00"), D("240.00")),
        (D("1276.47"), D("1200.00")),
    ]
    assert (adjusted.value_delta, adjusted.value_after) == (D("-53.53"), D("840.00"))
    assert adjusted.occurred_at == datetime(2026, 11, 30, 23, 59, 59, 999999, tzinfo=UTC)
    assert (stock.on_hand, stock.value, stock.unit_cost) == (D(70), D("840.00"), D(12))
    issues = [e.movement for e in stock.ledger if e.movement.movement_type == "StockIssued"]
    cogs = sum((m.value for m in issues), D(0))
    assert cogs - D("240.00") == D("2760.00")


def test_running_month_end_twice_records_nothing_the_second_time() -> None:
    stock, _ = worked_example()
    assert stock.close_month("2026-11") is not None
    stock.collect_events()
    assert stock.close_month("2026-11") is None
    assert stock.pending_events == ()


def test_a_replayed_stock_item_holds_the_restated_values() -> None:
    stock, _ = worked_example()
    stock.close_month("2026-11")
    rebuilt = StockItem.from_events(stock.collect_events())
    assert (rebuilt.on_hand, rebuilt.value) == (D(70), D("840.00"))
    assert rebuilt.close_month("2026-11") is None


def test_the_next_month_opens_at_the_restated_closing_balance() -> None:
    # December, already moving before November closed: 30 issued provisionally at 12.764714
    # (893.53 / 70) = 382.94; November's restatement moves its balance to 840.00 − 382.94.
    # December's own average: (840.00 + 0) ÷ 70 = 12 → the issue restates to 360.00.
    stock, _ = worked_example()
    december = stock.issue(D(30), document="SH-3", occurred_at=on(2, month=12))
    assert december.value == D("382.94")
    stock.close_month("2026-11")
    assert stock.value == D("457.06")
    adjusted = stock.close_month("2026-12")
    assert adjusted is not None
    assert [a.new_value for a in adjusted.adjustments] == [D("360.00")]
    assert (stock.on_hand, stock.value) == (D(40), D("480.00"))


def test_moving_average_and_fifo_items_record_no_month_end_adjustment() -> None:
    for method in (CostingMethod.MOVING_AVERAGE, CostingMethod.FIFO):
        stock = StockItem.open(
            "SKU-M", "WH-SH", StockPolicy(), occurred_at=on(1), costing_method=method
        )
        stock.receive(D(10), D(10), document="GR-1", occurred_at=on(1))
        stock.issue(D(5), document="SH-1", occurred_at=on(2))
        assert stock.close_month("2026-11") is None
