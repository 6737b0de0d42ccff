"""采购退货 under 先进先出: goods returned to the supplier leave from the cost layers of that
purchase order's own receipts (newest receipt first) at their cost, not from the oldest layer
in stock — so 1405 is credited at what the goods cost and no price variance appears where
there is none. Whatever of the PO's goods was already issued comes from the front (FIFO).
Every figure is checked against a hand calculation."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from inventory.domain.document_events import GoodsReturnedToSupplier, OrderedLine, QuantityLine
from inventory.domain.document_lines import ReceiptLine
from inventory.domain.events import StockAdjusted, StockRevalued
from inventory.domain.item import StockPolicy
from inventory.domain.purchase_order_ledger import PurchaseOrderLedger
from inventory.domain.stock_item import StockItem
from inventory.domain.vocabulary import CostingMethod

D = Decimal


def on(day: int) -> datetime:
    return datetime(2026, 11, day, 9, tzinfo=UTC)


def fifo_items() -> dict[str, StockItem]:
    item = StockItem.open(
        "A", "WH-SH", StockPolicy(), occurred_at=on(1), costing_method=CostingMethod.FIFO
    )
    return {"A": item}


def purchase_order(price: D) -> PurchaseOrderLedger:
    ledger = PurchaseOrderLedger()
    ledger.record_placed(
        uuid4(), "WH-SH", [OrderedLine(sku="A", qty=D(100), unit_price=price)], occurred_at=on(1)
    )
    return PurchaseOrderLedger.from_events(ledger.collect_events())


def receive(
    ledger: PurchaseOrderLedger, items: dict[str, StockItem], number: str, qty: D, day: int
) -> None:
    line = [ReceiptLine(sku="A", qty_accepted=qty)]
    ledger.receive(uuid4(), number, "WH-SH", line, items, occurred_at=on(day))


def return_goods(
    ledger: PurchaseOrderLedger, items: dict[str, StockItem], qty: D, day: int
) -> GoodsReturnedToSupplier:
    line = [QuantityLine(sku="A", qty=qty)]
    return ledger.return_to_supplier(uuid4(), "RS-1", line, items, occurred_at=on(day))


def rebuilt(item: StockItem) -> StockItem:
    return StockItem.from_events(item.collect_events())


def test_a_return_leaves_from_its_own_receipt_layer_not_the_oldest_one() -> None:
    # | day | movement                         | open layers after      | qty | value   |
    # |  1  | GR-1 (PO 1) 100 @ 10             | 100@10                 | 100 | 1000.00 |
    # |  2  | GR-2 (PO 2) 100 @ 12             | 100@10, 100@12         | 200 | 2200.00 |
    # |  3  | return 30 on PO 2: from GR-2     | 100@10, 70@12          | 170 | 1840.00 |
    # |  4  | issue 120: 100×10 + 20×12 = 1240 | 50@12                  |  50 |  600.00 |
    # The oldest-layer rule would have returned 30 @ 10 = 300 and left a 60.00 gap to the
    # supplier's price of 12 (a variance that does not exist).
    items = fifo_items()
    first, second = purchase_order(D(10)), purchase_order(D(12))
    receive(first, items, "GR-1", D(100), 1)
    receive(second, items, "GR-2", D(100), 2)

    returned = return_goods(second, items, D(30), 3)
    issued = items["A"].issue(D(120), document="SH-1", occurred_at=on(4))

    (line,) = returned.lines
    assert (line.unit_cost, line.value, line.unit_price) == (D(12), D("360.00"), D(12))
    assert issued.value == D("1240.00")
    assert (items["A"].on_hand, items["A"].value) == (D(50), D("600.00"))
    again = rebuilt(items["A"])
    assert (again.on_hand, again.value) == (D(50), D("600.00"))


def test_what_was_already_issued_of_the_receipt_comes_from_the_front() -> None:
    # | day | movement                                     | open layers after | qty | value   |
    # |  1  | GR-1 (PO 1) 100 @ 10                         | 100@10            | 100 | 1000.00 |
    # |  2  | GR-2 (PO 2) 100 @ 12                         | 100@10, 100@12    | 200 | 2200.00 |
    # |  3  | issue 80: 80×10 = 800                        | 20@10, 100@12     | 120 | 1400.00 |
    # |  4  | return 30 on PO 1: the 20 still in GR-1 @ 10 | 90@12             |  90 | 1080.00 |
    # |     |   = 200, the other 10 from the front @ 12 = 120 → 320.00 (10.666667 a unit)  |
    items = fifo_items()
    first, second = purchase_order(D(10)), purchase_order(D(12))
    receive(first, items, "GR-1", D(100), 1)
    receive(second, items, "GR-2", D(100), 2)
    items["A"].issue(D(80), document="SH-1", occurred_at=on(3))

    returned = return_goods(first, items, D(30), 4)

    (line,) = returned.lines
    assert (line.value, line.unit_cost) == (D("320.00"), D("10.666667"))
    assert (items["A"].on_hand, items["A"].value) == (D(90), D("1080.00"))
    last = items["A"].issue(D(90), document="SH-2", occurred_at=on(5))
    assert (last.value, items["A"].value) == (D("1080.00"), D(0))


def test_a_return_split_over_two_receipts_of_its_po_takes_the_newest_first() -> None:
    # PO 1 is received in two deliveries, GR-1 and GR-2, 40 @ 10 each; another PO's GR-X
    # 50 @ 11 came in between them.
    # Return 60 on PO 1: 40 from GR-2 (newest of the PO) + 20 from GR-1 = 600.00; left:
    # 20@10 (GR-1), 50@11 = 200 + 550 = 750.00.
    items = fifo_items()
    first, other = purchase_order(D(10)), purchase_order(D(11))
    receive(first, items, "GR-1", D(40), 1)
    receive(other, items, "GR-X", D(50), 2)
    receive(first, items, "GR-2", D(40), 3)

    returned = return_goods(first, items, D(60), 4)

    assert returned.lines[0].value == D("600.00")
    assert (items["A"].on_hand, items["A"].value) == (D(70), D("750.00"))
    issued = items["A"].issue(D(30), document="SH-1", occurred_at=on(5))
    assert issued.value == D("310.00")  # 20×10 + 10×11: GR-1's rest is still the oldest


def test_a_backdated_issue_re_costs_a_later_return_from_the_layers_it_finds_then() -> None:
    # | day | movement                                        | layers after       | value   |
    # |  1  | GR-1 (PO 1) 50 @ 10                             | 50@10              |  500.00 |
    # |  2  | GR-2 (PO 2) 50 @ 12                             | 50@10, 50@12       | 1100.00 |
    # |  4  | GR-3 (PO 3) 50 @ 14                             | …, 50@14           | 1800.00 |
    # |  5  | return 20 on PO 2: from GR-2 @ 12 = 240         | 50@10,30@12,50@14  | 1560.00 |
    # Then an issue of 90 is recorded back on day 3: 50×10 + 40×12 = 980. Re-costed, the
    # return finds only 10 left of GR-2 (@12 = 120) and takes the other 10 from the front,
    # GR-3 @ 14 = 140 → 260 (+20). Left: 40@14 = 560 = 1800 − 980 − 260.
    items = fifo_items()
    po1, po2, po3 = purchase_order(D(10)), purchase_order(D(12)), purchase_order(D(14))
    receive(po1, items, "GR-1", D(50), 1)
    receive(po2, items, "GR-2", D(50), 2)
    receive(po3, items, "GR-3", D(50), 4)
    returned = return_goods(po2, items, D(20), 5)
    assert returned.lines[0].value == D("240.00")
    items["A"].collect_events()

    backdated = items["A"].issue(D(90), document="SH-1", occurred_at=on(3))

    assert backdated.value == D("980.00")
    revalued = items["A"].pending_events[-1]
    assert isinstance(revalued, StockRevalued)
    (adjustment,) = revalued.adjustments
    assert (adjustment.old_value, adjustment.new_value) == (D("240.00"), D("260.00"))
    assert (items["A"].on_hand, items["A"].value) == (D(40), D("560.00"))


def test_the_return_names_the_receipts_whose_layers_it_takes_on_its_stock_movement() -> None:
    items = fifo_items()
    ledger = purchase_order(D(10))
    receive(ledger, items, "GR-1", D(10), 1)
    receive(ledger, items, "GR-2", D(10), 2)
    items["A"].collect_events()

    return_goods(ledger, items, D(5), 3)

    (adjusted,) = [e for e in items["A"].pending_events if isinstance(e, StockAdjusted)]
    assert adjusted.cost_layers_from == ("GR-1", "GR-2")
