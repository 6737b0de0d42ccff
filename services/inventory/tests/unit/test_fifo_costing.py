"""先进先出 (FIFO): cost layers consumed oldest first, checked against hand calculations."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from inventory.domain.errors import InvalidState
from inventory.domain.events import StockAdjusted, StockIssued, StockReceived, StockRevalued
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import (
    AdjustmentReason,
    CostingMethod,
    DocumentType,
    NegativeStockPolicy,
)

D = Decimal


def on(day: int) -> datetime:
    return datetime(2026, 11, day, 9, tzinfo=UTC)


def fifo_stock(policy: StockPolicy | None = None) -> StockItem:
    return StockItem.open(
        "SKU-F",
        "WH-SH",
        policy or StockPolicy(),
        occurred_at=on(1),
        costing_method=CostingMethod.FIFO,
    )


def customer_return(stock: StockItem, qty: D, unit_cost: D, value: D, day: int) -> StockAdjusted:
    return stock.adjust(
        qty,
        AdjustmentReason.CUSTOMER_RETURN,
        document="RT-1",
        occurred_at=on(day),
        unit_cost=unit_cost,
        value=value,
        document_type=DocumentType.CUSTOMER_RETURN,
    )


def test_the_worked_example_matches_the_hand_calculation_in_qty_value_and_cogs() -> None:
    # | day | movement          | open layers after (qty@cost) | qty | value   | COGS    |
    # |  1  | receipt 100 @ 10  | 100@10                       | 100 | 1000.00 |         |
    # |  2  | receipt 100 @ 12  | 100@10, 100@12               | 200 | 2200.00 |         |
    # |  3  | issue 150         | 50@12 (took 100×10 + 50×12)  |  50 |  600.00 | 1600.00 |
    # |  4  | receipt 100 @ 14  | 50@12, 100@14                | 150 | 2000.00 |         |
    # |  5  | customer return 20 at the shipped cost 1600/150 = 10.666667 → 213.33, a new layer:
    # |     |                   | 50@12, 100@14, 20@10.666667  | 170 | 2213.33 | −213.33 |
    # |  6  | issue 100         | 50@14, 20@… (took 50×12+50×14)|  70 |  913.33 | 1300.00 |
    # | 30  | month end: FIFO records nothing                                        |
    # COGS = 1600 + 1300 − 213.33 = 2686.67; receipts 3600 + 213.33 − COGS 2900 = 913.33 in stock.
    stock = fifo_stock()
    stock.receive(D(100), D(10), document="GR-1", occurred_at=on(1))
    stock.receive(D(100), D(12), document="GR-2", occurred_at=on(2))
    first = stock.issue(D(150), document="SH-1", occurred_at=on(3))
    stock.receive(D(100), D(14), document="GR-3", occurred_at=on(4))
    returned = customer_return(stock, D(20), D("10.666667"), D("213.33"), 5)
    second = stock.issue(D(100), document="SH-2", occurred_at=on(6))

    assert (first.value, first.unit_cost) == (D("1600.00"), D("10.666667"))
    assert (first.qty_after, first.value_after) == (D(50), D("600.00"))
    assert (returned.qty_after, returned.value_after) == (D(170), D("2213.33"))
    assert (second.value, second.unit_cost) == (D("1300.00"), D(13))
    assert (stock.on_hand, stock.value) == (D(70), D("913.33"))
    assert first.value + second.value - returned.value == D("2686.67")
    assert stock.close_month("2026-11") is None
    rebuilt = StockItem.from_events(stock.collect_events())
    assert (rebuilt.on_hand, rebuilt.value) == (D(70), D("913.33"))


def test_an_issue_that_empties_fifo_stock_takes_every_layer_to_the_cent() -> None:
    # 3 @ 0.10 = 0.30 and 3 @ 0.33333 = 1.00 (value carried): two 2-unit issues and one of 2.
    stock = fifo_stock()
    stock.receive(D(3), D("0.10"), document="GR-1", occurred_at=on(1))
    stock.adjust(
        D(3),
        AdjustmentReason.FOUND,
        document="AD-1",
        occurred_at=on(1),
        unit_cost=D("0.333333"),
        value=D("1.00"),
    )
    values = [stock.issue(D(2), document=f"SH-{n}", occurred_at=on(2)).value for n in range(3)]
    # units 1–2 @ 0.10 = 0.20; unit 3 @ 0.10 + unit 4 (1/3 of 1.00 → 0.33) = 0.43; the rest 0.67
    assert values == [D("0.20"), D("0.43"), D("0.67")]
    assert (stock.on_hand, stock.value) == (D(0), D(0))


def test_a_backdated_receipt_re_layers_only_the_movements_after_it() -> None:
    # Before: Nov 1 +100@10, Nov 3 −60 (600.00), Nov 5 +100@14, Nov 6 −60 (40@10 + 20@14 = 680.00)
    stock = fifo_stock()
    stock.receive(D(100), D(10), document="GR-1", occurred_at=on(1))
    early = stock.issue(D(60), document="SH-1", occurred_at=on(3))
    stock.receive(D(100), D(14), document="GR-2", occurred_at=on(5))
    late = stock.issue(D(60), document="SH-2", occurred_at=on(6))
    stock.collect_events()
    # Backdate +50@12 to Nov 4: the Nov 6 issue now takes 40@10 + 20@12 = 640.00 (−40.00 COGS);
    # the Nov 3 issue, before it, is untouched. Stock: 30@12 + 100@14 = 1760.00.
    stock.receive(D(50), D(12), document="GR-0", occurred_at=on(4))
    revalued = stock.pending_events[1]
    assert isinstance(revalued, StockRevalued)
    assert [(a.movement_id, a.old_value, a.new_value) for a in revalued.adjustments] == [
        (late.movement_id, D("680.00"), D("640.00"))
    ]
    assert early.movement_id not in {a.movement_id for a in revalued.adjustments}
    assert (revalued.value_delta, revalued.value_after) == (D("40.00"), D("1760.00"))
    assert (stock.on_hand, stock.value) == (D(130), D("1760.00"))
    # The next issue consumes the re-layered stock: 30@12 + 10@14 = 500.00.
    assert stock.issue(D(40), document="SH-3", occurred_at=on(7)).value == D("500.00")


def test_fifo_stock_issued_while_negative_is_trued_up_by_the_next_receipt() -> None:
    # ALLOW: 10@10 in, 15 out → 10@10 + 5 beyond the layers at the last cost 10 = 150.00.
    # A receipt of 20@13 covers the 5 first: they cost 65.00, not 50.00 → variance −15.00 (COGS),
    # and 15@13 = 195.00 is left.
    stock = fifo_stock(StockPolicy(negative_stock=NegativeStockPolicy.ALLOW))
    stock.receive(D(10), D(10), document="GR-1", occurred_at=on(1))
    issued = stock.issue(D(15), document="SH-1", occurred_at=on(2))
    assert (issued.value, issued.value_after) == (D("150.00"), D("-50.00"))
    received = stock.receive(D(20), D(13), document="GR-2", occurred_at=on(3))
    assert isinstance(received, StockReceived)
    assert (received.cost_variance, received.value_after) == (D("-15.00"), D("195.00"))
    assert (stock.on_hand, stock.value) == (D(15), D("195.00"))


def test_an_issue_on_ten_thousand_open_layers_takes_only_the_oldest() -> None:
    stock = fifo_stock()
    for n in range(10_000):
        stock.receive(D(1), D(1) + D(n) / 100, document=f"GR-{n}", occurred_at=on(1))
    issued = stock.issue(D("2.5"), document="SH-1", occurred_at=on(2))
    assert isinstance(issued, StockIssued)
    # 1 @ 1.00 + 1 @ 1.01 + 0.5 @ 1.02 = 2.52
    assert issued.value == D("2.52")


def test_the_costing_method_changes_only_while_the_stock_item_holds_nothing() -> None:
    stock = fifo_stock()
    stock.receive(D(5), D(10), document="GR-1", occurred_at=on(1))
    with pytest.raises(InvalidState):
        stock.change_costing_method(CostingMethod.MOVING_AVERAGE, occurred_at=on(2))
    stock.issue(D(5), document="SH-1", occurred_at=on(2))
    changed = stock.change_costing_method(CostingMethod.MOVING_AVERAGE, occurred_at=on(3))
    assert changed is not None
    assert stock.costing_method is CostingMethod.MOVING_AVERAGE
    # Moving average from here: 10@10 and 10@14 average 12, so 5 go at 60.00 (FIFO: 50.00).
    stock.receive(D(10), D(10), document="GR-2", occurred_at=on(4))
    stock.receive(D(10), D(14), document="GR-3", occurred_at=on(4))
    assert stock.issue(D(5), document="SH-2", occurred_at=on(5)).value == D("60.00")
