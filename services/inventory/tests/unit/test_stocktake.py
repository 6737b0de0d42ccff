"""盘点: variance = counted − (book at start + movements during the count)."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from inventory.domain.document_events import CountLine, StocktakeLine
from inventory.domain.errors import InvalidState, NegativeStockForbidden
from inventory.domain.events import StockAdjusted
from inventory.domain.item import StockPolicy
from inventory.domain.stock_item import StockItem
from inventory.domain.stocktake import Stocktake, StocktakeStatus
from inventory.domain.vocabulary import AdjustmentReason, DocumentType

T = datetime(2026, 11, 24, 9, tzinfo=UTC)


def stock(sku: str, on_hand: int, unit_cost: str = "2") -> StockItem:
    item = StockItem.open(sku, "WH-SH", StockPolicy(), occurred_at=T)
    if on_hand:
        item.receive(Decimal(on_hand), Decimal(unit_cost), document="GR-1", occurred_at=T)
    return item


def started(book: dict[str, Decimal]) -> Stocktake:
    stocktake = Stocktake()
    stocktake.start(uuid4(), "ST-20261124-0001", "WH-SH", book, occurred_at=T)
    return stocktake


def test_variance_accounts_for_movements_during_the_count() -> None:
    items = {"A": stock("A", 100), "B": stock("B", 50), "C": stock("C", 10, "4")}
    items["C"].issue(Decimal(10), document="SH-0", occurred_at=T)  # C: 0 on hand, last cost 4
    stocktake = started({"A": Decimal(100), "B": Decimal(50), "C": Decimal(0)})
    # while counting: 10 of A shipped, 20 of B received
    items["A"].issue(Decimal(10), document="SH-1", occurred_at=T)
    items["B"].receive(Decimal(20), Decimal(2), document="GR-2", occurred_at=T)
    stocktake.record_counts([CountLine(sku="A", counted_qty=Decimal(88))], occurred_at=T)
    stocktake.record_counts(
        [CountLine(sku="B", counted_qty=Decimal(70)), CountLine(sku="C", counted_qty=Decimal(5))],
        occurred_at=T,
    )
    done = stocktake.complete({"A": Decimal(-10), "B": Decimal(20)}, items, occurred_at=T)
    # A: 88 − (100 − 10) = −2 (loss at 2 = 4.00); B: 70 − (50 + 20) = 0; C: 5 − 0 = +5 at 4
    assert done.lines == (
        StocktakeLine(
            sku="A",
            book_qty=Decimal(100),
            counted_qty=Decimal(88),
            movements_during_count=Decimal(-10),
            variance=Decimal(-2),
            variance_value=Decimal("-4.00"),
        ),
        StocktakeLine(
            sku="B",
            book_qty=Decimal(50),
            counted_qty=Decimal(70),
            movements_during_count=Decimal(20),
            variance=Decimal(0),
            variance_value=Decimal(0),
        ),
        StocktakeLine(
            sku="C",
            book_qty=Decimal(0),
            counted_qty=Decimal(5),
            movements_during_count=Decimal(0),
            variance=Decimal(5),
            variance_value=Decimal("20.00"),
        ),
    )
    assert [items[s].on_hand for s in "ABC"] == [Decimal(88), Decimal(70), Decimal(5)]
    adjusted = items["A"].pending_events[-1]
    assert isinstance(adjusted, StockAdjusted)
    assert (adjusted.reason, adjusted.document_type, adjusted.document) == (
        AdjustmentReason.COUNT_VARIANCE,
        DocumentType.STOCKTAKE,
        "ST-20261124-0001",
    )
    assert not any(isinstance(e, StockAdjusted) for e in items["B"].pending_events)


def test_recounting_a_sku_overwrites_and_uncounted_skus_are_listed() -> None:
    items = {"A": stock("A", 10), "B": stock("B", 10)}
    stocktake = started({"A": Decimal(10), "B": Decimal(10)})
    stocktake.record_counts([CountLine(sku="A", counted_qty=Decimal(7))], occurred_at=T)
    stocktake.record_counts([CountLine(sku="A", counted_qty=Decimal(9))], occurred_at=T)
    done = stocktake.complete({}, items, occurred_at=T)
    assert [line.variance for line in done.lines] == [Decimal(-1)]
    assert done.uncounted_skus == ("B",)
    assert items["B"].on_hand == Decimal(10)


def test_completing_twice_or_counting_after_completion_is_an_invalid_state() -> None:
    items = {"A": stock("A", 10)}
    stocktake = started({"A": Decimal(10)})
    stocktake.record_counts([CountLine(sku="A", counted_qty=Decimal(10))], occurred_at=T)
    stocktake.complete({}, items, occurred_at=T)
    assert stocktake.status is StocktakeStatus.COMPLETED
    with pytest.raises(InvalidState):
        stocktake.complete({}, items, occurred_at=T)
    with pytest.raises(InvalidState):
        stocktake.record_counts([CountLine(sku="A", counted_qty=Decimal(1))], occurred_at=T)
    rebuilt = Stocktake.from_events(stocktake.collect_events())
    with pytest.raises(InvalidState):
        rebuilt.record_counts([CountLine(sku="A", counted_qty=Decimal(1))], occurred_at=T)


def test_a_loss_beyond_on_hand_refuses_the_whole_completion() -> None:
    items = {"A": stock("A", 10), "B": stock("B", 10)}
    stocktake = started({"A": Decimal(10), "B": Decimal(10)})
    stocktake.record_counts(
        [CountLine(sku="A", counted_qty=Decimal(9)), CountLine(sku="B", counted_qty=Decimal(0))],
        occurred_at=T,
    )
    with pytest.raises(NegativeStockForbidden):
        stocktake.complete({"B": Decimal(5)}, items, occurred_at=T)  # B would need −15 of 10
    assert items["A"].on_hand == Decimal(10)
    assert stocktake.status is StocktakeStatus.COUNTING


def test_a_ten_thousand_line_stocktake_completes_in_one_pass() -> None:
    skus = [f"SKU-{n:05d}" for n in range(10_000)]
    items = {sku: stock(sku, 10, "1.5") for sku in skus}
    stocktake = started(dict.fromkeys(skus, Decimal(10)))
    for start in range(0, len(skus), 1_000):
        batch = skus[start : start + 1_000]
        stocktake.record_counts(
            [CountLine(sku=sku, counted_qty=Decimal(10 - n % 2)) for n, sku in enumerate(batch)],
            occurred_at=T,
        )
    done = stocktake.complete({}, items, occurred_at=T)
    assert len(done.lines) == 10_000
    # every second sku is one short: 5,000 × −1 × 1.5 = −7,500.00
    assert sum(line.variance for line in done.lines) == Decimal(-5_000)
    assert sum(line.variance_value for line in done.lines) == Decimal("-7500.00")
    assert items["SKU-00001"].on_hand == Decimal(9)
    assert items["SKU-00002"].on_hand == Decimal(10)
